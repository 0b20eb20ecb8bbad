import type { RequestShape } from '../../playground-shared/playground-store.ts';
import { commonParts } from './common-parts.ts';
import { basicComment, formEntries, header, literal, type LanguageProgram } from '../program-parts.ts';

/** Python: the file each program is saved as, and what runs it. */
const files: LanguageProgram['files'] = {
  token: { name: 'request_token.py', run: 'python3 request_token.py (needs requests)' },
  api: { name: 'call_api.py', run: 'python3 call_api.py (needs requests)' },
};

const parts = commonParts.Python;

function program(shape: RequestShape, origin: string): string {
  const lines = [
    header(shape, '#', files[shape.kind].run),
    'import os',
    ...(shape.kind === 'token' && shape.authMethod === 'client_secret_basic'
      ? ['from urllib.parse import quote_plus']
      : []),
    '',
    'import requests',
    '',
    ...parts.sandboxUrl(origin),
    '',
  ];
  if (shape.kind === 'token') {
    const data = formEntries(shape).map(([name, value]) => `${literal(name)}: ${literal(value)}`);
    if (shape.authMethod === 'client_secret_basic') {
      lines.push(
        'response = requests.post(',
        '    f"{sandbox_url}/oauth/token",',
        `    # ${basicComment}`,
        '    auth=(quote_plus(os.environ["CLIENT_ID"]), quote_plus(os.environ["CLIENT_SECRET"])),',
        `    data={${data.join(', ')}},`,
      );
    } else {
      lines.push(
        'response = requests.post(',
        '    f"{sandbox_url}/oauth/token",',
        '    # client_secret_post (RFC 6749 §2.3.1): the ID and the secret in the form body.',
        `    data={${[...data, '"client_id": os.environ["CLIENT_ID"]', '"client_secret": os.environ["CLIENT_SECRET"]'].join(', ')}},`,
      );
    }
    lines.push('    headers={"Accept": "application/json"},', '    timeout=10,', ')');
  } else {
    const contentType = shape.method === 'POST' ? ', "Content-Type": "application/json"' : '';
    lines.push(
      `response = requests.${shape.method === 'POST' ? 'post' : 'get'}(`,
      '    f"{sandbox_url}/api/v1/reports",',
      '    # RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.',
      `    headers={"Authorization": f"Bearer {os.environ['ACCESS_TOKEN']}", "Accept": "application/json"${contentType}},`,
      ...(shape.method === 'POST' ? [`    data=${literal(shape.body ?? '{}')},`] : []),
      '    timeout=10,',
      ')',
    );
  }
  lines.push('', ...parts.sendAndPrint);
  return `${lines.join('\n')}\n`;
}

export const pythonProgram: LanguageProgram = { files, program };
