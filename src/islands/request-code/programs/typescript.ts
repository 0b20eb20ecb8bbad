import type { RequestShape } from '../../playground-shared/playground-store.ts';
import { commonParts } from './common-parts.ts';
import { basicComment, formEntries, header, literal, type LanguageProgram } from '../program-parts.ts';

/** TypeScript: the file each program is saved as, and what runs it. */
const files: LanguageProgram['files'] = {
  token: { name: 'request-token.ts', run: 'node request-token.ts (Node 24 or later)' },
  api: { name: 'call-api.ts', run: 'node call-api.ts (Node 24 or later)' },
};

const parts = commonParts.TypeScript;

function program(shape: RequestShape, origin: string): string {
  const lines = [
    header(shape, '//', files[shape.kind].run),
    ...(shape.kind === 'token' && shape.authMethod === 'client_secret_basic'
      ? ["import { Buffer } from 'node:buffer';", '']
      : []),
    ...parts.helpers,
    '',
    ...parts.sandboxUrl(origin),
  ];
  if (shape.kind === 'token') {
    const form = formEntries(shape).map(([name, value]) => `${name}: ${literal(value)}`);
    if (shape.authMethod === 'client_secret_basic') {
      lines.push(
        `// ${basicComment}`,
        "const credentials = Buffer.from(`${encodeURIComponent(env('CLIENT_ID'))}:${encodeURIComponent(env('CLIENT_SECRET'))}`).toString('base64');",
        '',
        'const response = await fetch(`${sandboxUrl}/oauth/token`, {',
        "  method: 'POST',",
        "  headers: { authorization: `Basic ${credentials}`, accept: 'application/json' },",
        '  // A URLSearchParams body is sent as application/x-www-form-urlencoded.',
        `  body: new URLSearchParams({ ${form.join(', ')} }),`,
        '});',
      );
    } else {
      lines.push(
        '',
        '// client_secret_post (RFC 6749 §2.3.1): the ID and the secret in the form body.',
        'const response = await fetch(`${sandboxUrl}/oauth/token`, {',
        "  method: 'POST',",
        "  headers: { accept: 'application/json' },",
        `  body: new URLSearchParams({ ${form.join(', ')}, client_id: env('CLIENT_ID'), client_secret: env('CLIENT_SECRET') }),`,
        '});',
      );
    }
  } else {
    const headers = ["authorization: `Bearer ${env('ACCESS_TOKEN')}`", "accept: 'application/json'"];
    if (shape.method === 'POST') headers.push("'content-type': 'application/json'");
    lines.push(
      '',
      'const response = await fetch(`${sandboxUrl}/api/v1/reports`, {',
      `  method: '${shape.method}',`,
      '  // RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.',
      `  headers: { ${headers.join(', ')} },`,
      ...(shape.method === 'POST' ? [`  body: ${literal(shape.body ?? '{}')},`] : []),
      '});',
    );
  }
  lines.push('', ...parts.sendAndPrint);
  return `${lines.join('\n')}\n`;
}

export const typescriptProgram: LanguageProgram = { files, program };
