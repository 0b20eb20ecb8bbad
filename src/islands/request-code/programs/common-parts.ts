import { literal } from '../program-parts.ts';

/**
 * What a language's programs share, whatever the request and however the client authenticates
 * (a secret or a private key): reading a required environment variable, the sandbox's address
 * (SANDBOX_URL, else the page's origin), and printing the answer (status, WWW-Authenticate when
 * the server challenges, RFC 6750 §3, and the body). curl's programs are one command and need none.
 */
export interface CommonParts {
  /** Declarations a program starts with: the environment reader, and any helper its parts call. */
  helpers: string[];
  /** The statement(s) that set the sandbox's URL. */
  sandboxUrl: (origin: string) => string[];
  /** Sends the request built above (where the language separates the two) and prints the answer. */
  sendAndPrint: string[];
}

/** Java's form-value encoder, for the programs that send a form (needs java.net.URLEncoder and StandardCharsets). */
export const javaFormHelper = [
  '    static String form(String value) {',
  '        return URLEncoder.encode(value, StandardCharsets.UTF_8);',
  '    }',
];

/** A Go program's opening: the package, its imports, then the helpers of {@link commonParts}. */
export function goPrelude(imports: string[]): string[] {
  return [
    'package main',
    '',
    'import (',
    ...imports.map((name) => `\t${name}`),
    ')',
    '',
    ...commonParts.Go.helpers,
  ];
}

/** The parts, by language. */
export const commonParts: Record<'TypeScript' | 'Python' | 'Go' | 'Java' | 'C#', CommonParts> = {
  TypeScript: {
    helpers: [
      'function env(name: string): string {',
      '  const value = process.env[name];',
      '  if (!value) throw new Error(`Set ${name} in the environment.`);',
      '  return value;',
      '}',
    ],
    sandboxUrl: (origin) => [`const sandboxUrl = process.env.SANDBOX_URL ?? ${literal(origin)};`],
    // The request is sent by the fetch above: this prints its answer.
    sendAndPrint: [
      'console.log(`HTTP ${response.status}`);',
      "const challenge = response.headers.get('www-authenticate');",
      'if (challenge) console.log(`WWW-Authenticate: ${challenge}`);',
      'console.log(await response.text());',
    ],
  },
  Python: {
    // os.environ["NAME"] fails with the name itself when it is not set.
    helpers: [],
    sandboxUrl: (origin) => [`sandbox_url = os.environ.get("SANDBOX_URL", ${literal(origin)})`],
    sendAndPrint: [
      'print(f"HTTP {response.status_code}")',
      'if "WWW-Authenticate" in response.headers:',
      '    print(f"WWW-Authenticate: {response.headers[\'WWW-Authenticate\']}")',
      'print(response.text)',
    ],
  },
  // Go: the statements go inside func main; sendAndPrint closes it.
  Go: {
    helpers: [
      'func env(name string) string {',
      '\tvalue := os.Getenv(name)',
      '\tif value == "" {',
      '\t\tfmt.Fprintf(os.Stderr, "set %s in the environment\\n", name)',
      '\t\tos.Exit(1)',
      '\t}',
      '\treturn value',
      '}',
      '',
      'func check(err error) {',
      '\tif err != nil {',
      '\t\tpanic(err)',
      '\t}',
      '}',
    ],
    sandboxUrl: (origin) => [
      '\tsandboxURL := os.Getenv("SANDBOX_URL")',
      '\tif sandboxURL == "" {',
      `\t\tsandboxURL = ${literal(origin)}`,
      '\t}',
    ],
    sendAndPrint: [
      '\tresponse, err := http.DefaultClient.Do(request)',
      '\tcheck(err)',
      '\tdefer response.Body.Close()',
      '\tbody, err := io.ReadAll(response.Body)',
      '\tcheck(err)',
      '\tfmt.Printf("HTTP %d\\n", response.StatusCode)',
      '\tif challenge := response.Header.Get("WWW-Authenticate"); challenge != "" {',
      '\t\tfmt.Printf("WWW-Authenticate: %s\\n", challenge)',
      '\t}',
      '\tfmt.Println(string(body))',
      '}',
    ],
  },
  // Java: the helpers are static methods of the program's class, the statements go inside main,
  // and sendAndPrint closes main and the class. `request` is an HttpRequest.Builder.
  Java: {
    helpers: [
      '    static String env(String name) {',
      '        String value = System.getenv(name);',
      '        if (value == null || value.isEmpty()) throw new IllegalStateException("Set " + name + " in the environment.");',
      '        return value;',
      '    }',
    ],
    sandboxUrl: (origin) => [
      `        String sandboxUrl = System.getenv().getOrDefault("SANDBOX_URL", ${literal(origin)});`,
    ],
    sendAndPrint: [
      '        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());',
      '        System.out.println("HTTP " + response.statusCode());',
      '        response.headers().firstValue("WWW-Authenticate").ifPresent(challenge -> System.out.println("WWW-Authenticate: " + challenge));',
      '        System.out.println(response.body());',
      '    }',
      '}',
    ],
  },
  // C#: top-level statements; `http` is the HttpClient and `request` the HttpRequestMessage.
  'C#': {
    helpers: [
      'static string Env(string name) =>',
      '    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"Set {name} in the environment.");',
    ],
    sandboxUrl: (origin) => [
      `var sandboxUrl = Environment.GetEnvironmentVariable("SANDBOX_URL") ?? ${literal(origin)};`,
    ],
    sendAndPrint: [
      'request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));',
      '',
      'using var response = await http.SendAsync(request);',
      'Console.WriteLine($"HTTP {(int)response.StatusCode}");',
      'if (response.Headers.WwwAuthenticate.Count > 0) Console.WriteLine($"WWW-Authenticate: {response.Headers.WwwAuthenticate}");',
      'Console.WriteLine(await response.Content.ReadAsStringAsync());',
    ],
  },
};
