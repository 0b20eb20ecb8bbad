import type { RequestShape } from '../../playground-shared/playground-store.ts';
import { basicComment, formEntries, header, literal, type LanguageProgram } from '../program-parts.ts';

/** Go: the file each program is saved as, and what runs it. */
const files: LanguageProgram['files'] = {
  token: { name: 'request_token.go', run: 'go run request_token.go' },
  api: { name: 'call_api.go', run: 'go run call_api.go' },
};

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
    'package main',
    '',
    'import (',
    ...imports.map((name) => `\t${name}`),
    ')',
    '',
    'func env(name string) string {',
    '\tvalue := os.Getenv(name)',
    '\tif value == "" {',
    '\t\tfmt.Fprintf(os.Stderr, "set %s in the environment\\n", name)',
    '\t\tos.Exit(1)',
    '\t}',
    '\treturn value',
    '}',
    '',
    'func main() {',
    '\tsandboxURL := os.Getenv("SANDBOX_URL")',
    '\tif sandboxURL == "" {',
    `\t\tsandboxURL = ${literal(origin)}`,
    '\t}',
  ];
  if (shape.kind === 'token') {
    const entries = formEntries(shape).map(([name, value]) => `${literal(name)}: {${literal(value)}}`);
    const basic = shape.authMethod === 'client_secret_basic';
    if (!basic) entries.push('"client_id": {env("CLIENT_ID")}', '"client_secret": {env("CLIENT_SECRET")}');
    lines.push(
      `\tform := url.Values{${entries.join(', ')}}`,
      '\trequest, err := http.NewRequest(http.MethodPost, sandboxURL+"/oauth/token", strings.NewReader(form.Encode()))',
      '\tif err != nil {',
      '\t\tpanic(err)',
      '\t}',
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
      '\tif err != nil {',
      '\t\tpanic(err)',
      '\t}',
      '\t// RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.',
      '\trequest.Header.Set("Authorization", "Bearer "+env("ACCESS_TOKEN"))',
      '\trequest.Header.Set("Accept", "application/json")',
      ...(shape.method === 'POST' ? ['\trequest.Header.Set("Content-Type", "application/json")'] : []),
    );
  }
  lines.push(
    '',
    '\tresponse, err := http.DefaultClient.Do(request)',
    '\tif err != nil {',
    '\t\tpanic(err)',
    '\t}',
    '\tdefer response.Body.Close()',
    '\tbody, err := io.ReadAll(response.Body)',
    '\tif err != nil {',
    '\t\tpanic(err)',
    '\t}',
    '\tfmt.Printf("HTTP %d\\n", response.StatusCode)',
    '\tif challenge := response.Header.Get("WWW-Authenticate"); challenge != "" {',
    '\t\tfmt.Printf("WWW-Authenticate: %s\\n", challenge)',
    '\t}',
    '\tfmt.Println(string(body))',
    '}',
  );
  return `${lines.join('\n')}\n`;
}

export const goProgram: LanguageProgram = { files, program };
