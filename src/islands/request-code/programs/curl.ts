import type { RequestShape } from '../../playground-shared/playground-store.ts';
import { basicComment, formEntries, header, shellQuote, type LanguageProgram } from '../program-parts.ts';

/** curl: the file each program is saved as, and what runs it. */
const files: LanguageProgram['files'] = {
  token: { name: 'request-token.sh', run: 'bash request-token.sh' },
  api: { name: 'call-api.sh', run: 'bash call-api.sh' },
};

/** curl prints the body; this adds the status after it, as the other programs print it. */
const writeOut = "  --write-out '\\nHTTP %{http_code}\\n'";

function program(shape: RequestShape, origin: string): string {
  const url = (path: string) => `"\${SANDBOX_URL:-${origin}}${path}"`;
  const lines: string[] = [header(shape, '#', files[shape.kind].run)];
  if (shape.kind === 'token') {
    const basic = shape.authMethod === 'client_secret_basic';
    if (basic)
      lines.push(`# ${basicComment} The sandbox's IDs and secrets need no encoding, so --user is enough.`);
    lines.push(`curl -sS -X POST ${url('/oauth/token')} \\`);
    if (basic) lines.push('  --user "$CLIENT_ID:$CLIENT_SECRET" \\');
    lines.push("  -H 'Accept: application/json' \\");
    const fields = formEntries(shape).map(
      ([name, value]) => `  --data-urlencode ${shellQuote(`${name}=${value}`)}`,
    );
    if (!basic)
      fields.push(
        '  --data-urlencode "client_id=$CLIENT_ID"',
        '  --data-urlencode "client_secret=$CLIENT_SECRET"',
      );
    lines.push(`${fields.join(' \\\n')} \\`, writeOut);
  } else {
    lines.push(`curl -sS${shape.method === 'POST' ? ' -X POST' : ''} ${url('/api/v1/reports')} \\`);
    lines.push('  -H "Authorization: Bearer $ACCESS_TOKEN" \\');
    if (shape.method === 'POST') {
      lines.push("  -H 'Accept: application/json' \\");
      lines.push("  -H 'Content-Type: application/json' \\");
      lines.push(`  --data ${shellQuote(shape.body ?? '{}')} \\`);
    } else {
      lines.push("  -H 'Accept: application/json' \\");
    }
    lines.push(writeOut);
  }
  return `${lines.join('\n')}\n`;
}

export const curlProgram: LanguageProgram = { files, program };
