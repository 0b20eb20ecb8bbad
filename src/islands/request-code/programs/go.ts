import type { RequestShape } from '../../playground-shared/playground-store.ts';
import { commonParts, goPrelude } from './common-parts.ts';
import { basicComment, formEntries, header, literal, type LanguageProgram } from '../program-parts.ts';

/** Go: the file each program is saved as, and what runs it. */
const files: LanguageProgram['files'] = {
  token: { name: 'request_token.go', run: 'go run request_token.go' },
  api: { name: 'call_api.go', run: 'go run call_api.go' },
};

const parts = commonParts.Go;

function program(shape: RequestShape, origin: string): string {
  const token = shape.kind === 'token';
  const imports = [
    '"fmt"',
    '"io"',
    '"net/http"',
    ...(token ? ['"net/url"'] : []),
    '"os"',
    ...(token || shape.method === 'POST' ? ['"strings"'] : []),
  ];
  const lines = [
    header(shape, '//', files[shape.kind].run),
    ...goPrelude(imports),
    '',
    'func main() {',
    ...parts.sandboxUrl(origin),
  ];
  if (shape.kind === 'token') {
    const entries = formEntries(shape).map(([name, value]) => `${literal(name)}: {${literal(value)}}`);
    const basic = shape.authMethod === 'client_secret_basic';
    if (!basic) entries.push('"client_id": {env("CLIENT_ID")}', '"client_secret": {env("CLIENT_SECRET")}');
    lines.push(
      `\tform := url.Values{${entries.join(', ')}}`,
      '\trequest, err := http.NewRequest(http.MethodPost, sandboxURL+"/oauth/token", strings.NewReader(form.Encode()))',
      '\tcheck(err)',
      '\trequest.Header.Set("Content-Type", "application/x-www-form-urlencoded")',
      '\trequest.Header.Set("Accept", "application/json")',
    );
    if (basic)
      lines.push(
        `\t// ${basicComment}`,
        '\trequest.SetBasicAuth(url.QueryEscape(env("CLIENT_ID")), url.QueryEscape(env("CLIENT_SECRET")))',
      );
  } else {
    const method = shape.method === 'POST' ? 'Post' : 'Get';
    const body = shape.method === 'POST' ? `strings.NewReader(${literal(shape.body ?? '{}')})` : 'nil';
    lines.push(
      `\trequest, err := http.NewRequest(http.Method${method}, sandboxURL+"/api/v1/reports", ${body})`,
      '\tcheck(err)',
      '\t// RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.',
      '\trequest.Header.Set("Authorization", "Bearer "+env("ACCESS_TOKEN"))',
      '\trequest.Header.Set("Accept", "application/json")',
      ...(shape.method === 'POST' ? ['\trequest.Header.Set("Content-Type", "application/json")'] : []),
    );
  }
  lines.push('', ...parts.sendAndPrint);
  return `${lines.join('\n')}\n`;
}

export const goProgram: LanguageProgram = { files, program };
