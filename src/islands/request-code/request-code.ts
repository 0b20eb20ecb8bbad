import type { ApiCallShape, RequestShape, TokenRequestShape } from '../playground-shared/playground-store.ts';
import type { CodeLanguage } from './languages.ts';

export { codeLanguages, grammarOf, type CodeLanguage } from './languages.ts';

/**
 * "Code for this request": the request the reader just made, as a program in each language the
 * guide's tabs offer. Credentials and tokens come from environment variables, never from the page:
 * the generated text holds no secret, so it can be copied anywhere. Each program prints the status
 * and the body. Pure, so the integration tests run every variant against a real sandbox.
 */

/** A file name for each program, and what runs it. */
export function programFile(shape: RequestShape, language: CodeLanguage): { name: string; run: string } {
  const token = shape.kind === 'token';
  switch (language) {
    case 'curl':
      return token
        ? { name: 'request-token.sh', run: 'bash request-token.sh' }
        : { name: 'call-api.sh', run: 'bash call-api.sh' };
    case 'TypeScript':
      return token
        ? { name: 'request-token.ts', run: 'node request-token.ts (Node 24 or later)' }
        : { name: 'call-api.ts', run: 'node call-api.ts (Node 24 or later)' };
    case 'Python':
      return token
        ? { name: 'request_token.py', run: 'python3 request_token.py (needs requests)' }
        : { name: 'call_api.py', run: 'python3 call_api.py (needs requests)' };
    case 'Go':
      return token
        ? { name: 'request_token.go', run: 'go run request_token.go' }
        : { name: 'call_api.go', run: 'go run call_api.go' };
    case 'Java':
      return token
        ? { name: 'RequestToken.java', run: 'java RequestToken.java (Java 11 or later)' }
        : { name: 'CallApi.java', run: 'java CallApi.java (Java 11 or later)' };
    case 'C#':
      return token
        ? { name: 'RequestToken.cs', run: 'dotnet run RequestToken.cs (.NET 10 or later)' }
        : { name: 'CallApi.cs', run: 'dotnet run CallApi.cs (.NET 10 or later)' };
  }
}

/** Quotes a value for a POSIX shell: single quotes, with each ' written as '\''. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A double-quoted string literal valid in TypeScript, Python, Go, Java and C#: JSON's escapes are theirs too. */
function literal(value: string): string {
  return JSON.stringify(value);
}

function envNames(shape: RequestShape): string {
  return shape.kind === 'token' ? 'CLIENT_ID, CLIENT_SECRET and SANDBOX_URL' : 'ACCESS_TOKEN and SANDBOX_URL';
}

function header(shape: RequestShape, language: CodeLanguage, comment: string): string {
  const file = programFile(shape, language);
  return [
    `${comment} ${shape.kind === 'token' ? 'Requests an access token (RFC 6749 §4.4.2)' : `Calls ${shape.method} /api/v1/reports with a Bearer token (RFC 6750 §2.1)`}, as the playground just did.`,
    `${comment} Reads ${envNames(shape)} from the environment. Run: ${file.run}`,
  ].join('\n');
}

const basicComment =
  'client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, then send them as HTTP Basic credentials.';

function formEntries(shape: TokenRequestShape): [string, string][] {
  const entries: [string, string][] = [['grant_type', 'client_credentials']];
  if (shape.scopes.length > 0) entries.push(['scope', shape.scopes.join(' ')]);
  return entries;
}

/** curl prints the body; this adds the status after it, as the other programs print it. */
const writeOut = "  --write-out '\\nHTTP %{http_code}\\n'";

function curl(shape: RequestShape, origin: string): string {
  const url = (path: string) => `"\${SANDBOX_URL:-${origin}}${path}"`;
  const lines: string[] = [header(shape, 'curl', '#')];
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

function typescript(shape: RequestShape, origin: string): string {
  const lines = [
    header(shape, 'TypeScript', '//'),
    ...(shape.kind === 'token' && shape.authMethod === 'client_secret_basic'
      ? ["import { Buffer } from 'node:buffer';", '']
      : []),
    'function env(name: string): string {',
    '  const value = process.env[name];',
    '  if (!value) throw new Error(`Set ${name} in the environment.`);',
    '  return value;',
    '}',
    '',
    `const sandboxUrl = process.env.SANDBOX_URL ?? ${literal(origin)};`,
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
  lines.push(
    '',
    'console.log(`HTTP ${response.status}`);',
    "const challenge = response.headers.get('www-authenticate');",
    'if (challenge) console.log(`WWW-Authenticate: ${challenge}`);',
    'console.log(await response.text());',
  );
  return `${lines.join('\n')}\n`;
}

function python(shape: RequestShape, origin: string): string {
  const lines = [
    header(shape, 'Python', '#'),
    'import os',
    ...(shape.kind === 'token' && shape.authMethod === 'client_secret_basic'
      ? ['from urllib.parse import quote_plus']
      : []),
    '',
    'import requests',
    '',
    `sandbox_url = os.environ.get("SANDBOX_URL", ${literal(origin)})`,
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
    lines.push(
      `response = requests.${shape.method === 'POST' ? 'post' : 'get'}(`,
      '    f"{sandbox_url}/api/v1/reports",',
      '    # RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.',
      `    headers={"Authorization": f"Bearer {os.environ['ACCESS_TOKEN']}", "Accept": "application/json"${shape.method === 'POST' ? ', "Content-Type": "application/json"' : ''}},`,
      ...(shape.method === 'POST' ? [`    data=${literal(shape.body ?? '{}')},`] : []),
      '    timeout=10,',
      ')',
    );
  }
  lines.push(
    '',
    'print(f"HTTP {response.status_code}")',
    'if "WWW-Authenticate" in response.headers:',
    '    print(f"WWW-Authenticate: {response.headers[\'WWW-Authenticate\']}")',
    'print(response.text)',
  );
  return `${lines.join('\n')}\n`;
}

function go(shape: RequestShape, origin: string): string {
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
    header(shape, 'Go', '//'),
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
    lines.push(
      `\trequest, err := http.NewRequest(http.Method${shape.method === 'POST' ? 'Post' : 'Get'}, sandboxURL+"/api/v1/reports", ${shape.method === 'POST' ? `strings.NewReader(${literal(shape.body ?? '{}')})` : 'nil'})`,
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

function java(shape: RequestShape, origin: string): string {
  const token = shape.kind === 'token';
  const className = token ? 'RequestToken' : 'CallApi';
  const imports = [
    'java.net.URI',
    ...(token ? ['java.net.URLEncoder'] : []),
    'java.net.http.HttpClient',
    'java.net.http.HttpRequest',
    'java.net.http.HttpResponse',
    ...(token ? ['java.nio.charset.StandardCharsets', 'java.util.Base64'] : []),
  ];
  const lines = [
    header(shape, 'Java', '//'),
    ...imports.map((name) => `import ${name};`),
    '',
    `public class ${className} {`,
    '    static String env(String name) {',
    '        String value = System.getenv(name);',
    '        if (value == null || value.isEmpty()) throw new IllegalStateException("Set " + name + " in the environment.");',
    '        return value;',
    '    }',
    '',
    ...(token
      ? [
          '    static String form(String value) {',
          '        return URLEncoder.encode(value, StandardCharsets.UTF_8);',
          '    }',
          '',
        ]
      : []),
    '    public static void main(String[] args) throws Exception {',
    `        String sandboxUrl = System.getenv().getOrDefault("SANDBOX_URL", ${literal(origin)});`,
  ];
  if (shape.kind === 'token') {
    const basic = shape.authMethod === 'client_secret_basic';
    const parts = formEntries(shape).map(([name, value]) => `"${name}=" + form(${literal(value)})`);
    if (!basic)
      parts.push('"client_id=" + form(env("CLIENT_ID"))', '"client_secret=" + form(env("CLIENT_SECRET"))');
    lines.push(`        String body = ${parts.join(' + "&" + ')};`);
    lines.push(
      '        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandboxUrl + "/oauth/token"))',
    );
    lines.push('            .header("Content-Type", "application/x-www-form-urlencoded")');
    lines.push('            .header("Accept", "application/json")');
    lines.push('            .POST(HttpRequest.BodyPublishers.ofString(body));');
    if (basic) {
      lines.push(`        // ${basicComment}`);
      lines.push('        String credentials = form(env("CLIENT_ID")) + ":" + form(env("CLIENT_SECRET"));');
      lines.push(
        '        request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));',
      );
    }
  } else {
    lines.push(
      '        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandboxUrl + "/api/v1/reports"))',
    );
    lines.push(
      '            // RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.',
    );
    lines.push('            .header("Authorization", "Bearer " + env("ACCESS_TOKEN"))');
    if (shape.method === 'POST') {
      lines.push('            .header("Accept", "application/json")');
      lines.push('            .header("Content-Type", "application/json")');
      lines.push(`            .POST(HttpRequest.BodyPublishers.ofString(${literal(shape.body ?? '{}')}));`);
    } else {
      lines.push('            .header("Accept", "application/json")');
      lines.push('            .GET();');
    }
  }
  lines.push(
    '        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());',
    '        System.out.println("HTTP " + response.statusCode());',
    '        response.headers().firstValue("WWW-Authenticate").ifPresent(challenge -> System.out.println("WWW-Authenticate: " + challenge));',
    '        System.out.println(response.body());',
    '    }',
    '}',
  );
  return `${lines.join('\n')}\n`;
}

function csharp(shape: RequestShape, origin: string): string {
  const lines = [
    header(shape, 'C#', '//'),
    'using System.Net.Http.Headers;',
    ...(shape.kind === 'token' || shape.method === 'POST' ? ['using System.Text;'] : []),
    '',
    'static string Env(string name) =>',
    '    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"Set {name} in the environment.");',
    '',
    `var sandboxUrl = Environment.GetEnvironmentVariable("SANDBOX_URL") ?? ${literal(origin)};`,
    'using var http = new HttpClient();',
  ];
  if (shape.kind === 'token') {
    const basic = shape.authMethod === 'client_secret_basic';
    const fields = formEntries(shape).map(([name, value]) => `    [${literal(name)}] = ${literal(value)},`);
    if (!basic)
      fields.push(
        '    // client_secret_post (RFC 6749 §2.3.1): the ID and the secret in the form body.',
        '    ["client_id"] = Env("CLIENT_ID"),',
        '    ["client_secret"] = Env("CLIENT_SECRET"),',
      );
    lines.push(
      'var form = new Dictionary<string, string>',
      '{',
      ...fields,
      '};',
      'using var request = new HttpRequestMessage(HttpMethod.Post, $"{sandboxUrl}/oauth/token") { Content = new FormUrlEncodedContent(form) };',
    );
    if (basic) {
      lines.push(
        `// ${basicComment}`,
        'var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(Env("CLIENT_ID"))}:{Uri.EscapeDataString(Env("CLIENT_SECRET"))}"));',
        'request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);',
      );
    }
  } else {
    lines.push(
      `using var request = new HttpRequestMessage(HttpMethod.${shape.method === 'POST' ? 'Post' : 'Get'}, $"{sandboxUrl}/api/v1/reports");`,
    );
    if (shape.method === 'POST')
      lines.push(
        `request.Content = new StringContent(${literal(shape.body ?? '{}')}, Encoding.UTF8, "application/json");`,
      );
    lines.push(
      '// RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.',
      'request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Env("ACCESS_TOKEN"));',
    );
  }
  lines.push(
    'request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));',
    '',
    'using var response = await http.SendAsync(request);',
    'Console.WriteLine($"HTTP {(int)response.StatusCode}");',
    'if (response.Headers.WwwAuthenticate.Count > 0) Console.WriteLine($"WWW-Authenticate: {response.Headers.WwwAuthenticate}");',
    'Console.WriteLine(await response.Content.ReadAsStringAsync());',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The program for `shape` in `language`. `origin` is the sandbox's address, the default when
 * SANDBOX_URL is not set; nothing else of the page goes into the text.
 */
export function generateCode(shape: RequestShape, language: CodeLanguage, origin: string): string {
  switch (language) {
    case 'curl':
      return curl(shape, origin);
    case 'TypeScript':
      return typescript(shape, origin);
    case 'Python':
      return python(shape, origin);
    case 'Go':
      return go(shape, origin);
    case 'Java':
      return java(shape, origin);
    case 'C#':
      return csharp(shape, origin);
  }
}

/** What the panel shows a program for: the last request of `kind`, or the last of either. */
export function pickShape(
  kind: 'token' | 'api' | 'latest',
  lastToken: TokenRequestShape | undefined,
  lastApi: ApiCallShape | undefined,
  lastKind: 'token' | 'api' | undefined,
): RequestShape | undefined {
  if (kind === 'token') return lastToken;
  if (kind === 'api') return lastApi;
  return lastKind === 'api' ? (lastApi ?? lastToken) : (lastToken ?? lastApi);
}
