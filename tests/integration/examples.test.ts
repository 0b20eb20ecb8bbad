import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiProfile, apiScopeNames } from '../../src/lib/api-profile.ts';
import { sandboxDefaultLifetime } from '../../src/lib/sandbox-contract/index.ts';
import type { ExampleContext } from '../../src/lib/example-placeholders.ts';
import { parseWwwAuthenticate } from '../../src/lib/www-authenticate.ts';
import { renderedExample, renderedExampleText } from '../support/rendered-examples.ts';
import { startListeningSandbox, type ListeningSandbox } from '../support/listening-sandbox.ts';

// Runs every code sample the guide shows (content/examples) against the real sandbox, served by
// the real server on 127.0.0.1, and replays every HTTP exchange the pages print. A page can only
// show what this test ran: the samples' placeholders are filled in from the API profile, as the
// pages fill them in (src/lib/example-placeholders.ts), so with API_OPENAPI set this runs the
// team's version of every sample.

const examplesDir = fileURLToPath(new URL('../../content/examples/', import.meta.url));
const { readScope } = apiProfile;
/** What fills the samples' placeholders: the profile, and the origin of the sandbox under test. */
const exampleContext = (): ExampleContext => ({ profile: apiProfile, origin: main.origin });

// ---------------------------------------------------------------------------------------------
// Toolchains: a language's samples run only where its toolchain is found. The ones not found are
// named in the output, never reported as skipped tests.

interface Toolchain {
  language: 'curl' | 'TypeScript' | 'Python' | 'Go' | 'Java' | 'C#';
  /** What the machine needs, with the Debian package where there is one. */
  needs: string;
  /** The command that runs one sample file. */
  command: (file: string) => [string, ...string[]];
  /** Seconds one sample may take, compilation included. */
  timeoutSeconds: number;
  found: () => boolean;
}

/** Runs a probe command; true when it exits 0 and its output passes `accept`. */
function probe(command: string, args: string[], accept: (output: string) => boolean = () => true): boolean {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  return !result.error && result.status === 0 && accept(`${result.stdout}${result.stderr}`);
}

const majorVersion = (pattern: RegExp) => (output: string) => Number(pattern.exec(output)?.[1] ?? 0);

const toolchains: Toolchain[] = [
  {
    language: 'curl',
    needs: 'bash, curl 7.82+ and jq (Debian: curl jq)',
    command: (file) => ['bash', file],
    timeoutSeconds: 30,
    found: () => probe('bash', ['-c', 'command -v curl && command -v jq']),
  },
  {
    language: 'TypeScript',
    needs: 'Node 24+ running this test (the project\'s "node" devDependency, via npx)',
    command: (file) => [process.execPath, file],
    timeoutSeconds: 30,
    found: () => majorVersion(/^(\d+)/)(process.versions.node) >= 24,
  },
  {
    language: 'Python',
    needs: 'python3 with requests (Debian: python3 python3-requests)',
    command: (file) => ['python3', file],
    timeoutSeconds: 30,
    found: () => probe('python3', ['-c', 'import requests']),
  },
  {
    language: 'Go',
    needs: 'go (Debian: golang-go)',
    command: (file) => ['go', 'run', file],
    timeoutSeconds: 180,
    found: () => probe('go', ['version']),
  },
  {
    language: 'Java',
    needs: 'java 11+ for single-file launch (Debian: openjdk-17-jdk-headless)',
    command: (file) => ['java', file],
    timeoutSeconds: 60,
    found: () => probe('java', ['-version'], (output) => majorVersion(/version "(\d+)/)(output) >= 11),
  },
  {
    language: 'C#',
    needs: "dotnet SDK 10+ for `dotnet run file.cs` (not in Debian: Microsoft's packages)",
    command: (file) => ['dotnet', 'run', file],
    timeoutSeconds: 240,
    found: () => probe('dotnet', ['--version'], (output) => majorVersion(/^(\d+)\./)(output.trim()) >= 10),
  },
];

const present = toolchains.filter((toolchain) => toolchain.found());
const missing = toolchains.filter((toolchain) => !present.includes(toolchain));

// ---------------------------------------------------------------------------------------------
// The sandbox, served by the production server over an empty site, on a free port of 127.0.0.1.

type Running = ListeningSandbox;
const startSandboxServer = () => startListeningSandbox({ dataPath: ':memory:' });
const stop = async (running: Running | undefined) => running?.close();

interface Client {
  client_id: string;
  client_secret: string;
  scope: string;
  access_token_lifetime: number;
  grant_types: string[];
}

async function register(origin: string, metadata: Record<string, unknown>): Promise<Client> {
  const response = await fetch(`${origin}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(metadata),
  });
  expect(response.status, 'POST /oauth/register').toBe(201);
  return (await response.json()) as Client;
}

const basic = (id: string, secret: string) => Buffer.from(`${id}:${secret}`).toString('base64');

async function requestToken(
  origin: string,
  client: Client,
  scope?: string,
): Promise<{ access_token: string; expires_in: number }> {
  const response = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic(client.client_id, client.client_secret)}` },
    body: new URLSearchParams(
      scope ? { grant_type: 'client_credentials', scope } : { grant_type: 'client_credentials' },
    ),
  });
  expect(response.status, 'POST /oauth/token').toBe(200);
  return (await response.json()) as { access_token: string; expires_in: number };
}

let main: Running;
/** Registered with the defaults: every scope, client_secret_basic, 3600 s tokens. */
let client: Client;
/** Registered for client_secret_post: the form-body sample uses it. */
let postClient: Client;
/** A token whose 5 s lifetime runs out while the other cases run. */
let shortToken: { access_token: string; expiresAtMs: number };

beforeAll(async () => {
  if (missing.length > 0) {
    console.info(
      `Examples not run, toolchain not found: ${missing.map((toolchain) => `${toolchain.language} (needs ${toolchain.needs})`).join('; ')}.`,
    );
  }
  main = await startSandboxServer();
  client = await register(main.origin, { client_name: 'examples test' });
  postClient = await register(main.origin, {
    client_name: 'examples test, form body',
    token_endpoint_auth_method: 'client_secret_post',
  });
  const shortLived = await register(main.origin, {
    client_name: 'examples test, short-lived',
    access_token_lifetime: 5,
  });
  const token = await requestToken(main.origin, shortLived);
  // The API refuses a token from its exp claim on (whole seconds, rounded up by the sandbox).
  const { exp } = JSON.parse(Buffer.from(token.access_token.split('.')[1]!, 'base64url').toString()) as {
    exp: number;
  };
  shortToken = { access_token: token.access_token, expiresAtMs: exp * 1000 };
});

afterAll(async () => {
  await stop(main);
});

// ---------------------------------------------------------------------------------------------
// The samples.

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  argv: [string, ...string[]],
  env: Record<string, string>,
  timeoutSeconds: number,
): Promise<RunResult> {
  const [command, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: dirname(args.at(-1) ?? examplesDir),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutSeconds * 1000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

type Language = Toolchain['language'];

interface Sample {
  /** The sample's name, as the page groups it. */
  name: string;
  /** Its file in each language it exists in. */
  files: Partial<Record<Language, string>>;
  /** The environment it runs with. */
  env: () => Record<string, string>;
  /** What its output must show. */
  check: (result: RunResult) => void | Promise<void>;
}

const credentials = (which: () => Client) => () => ({
  CLIENT_ID: which().client_id,
  CLIENT_SECRET: which().client_secret,
  SANDBOX_URL: main.origin,
});

function expectTokenFields(result: RunResult, registered: Client) {
  expect(result.stdout).toMatch(/^token_type: Bearer$/m);
  expect(result.stdout).toContain(`expires_in: ${registered.access_token_lifetime}\n`);
  expect(result.stdout.split('\n')).toContain(`scope: ${readScope}`);
  expect(result.stdout).toMatch(/^access_token: \d{2,} characters, not printed$/m);
  // Samples never print a secret.
  expect(result.stdout + result.stderr).not.toContain(registered.client_secret);
}

function expectThreeCallsOneToken(result: RunResult) {
  for (const call of [1, 2, 3])
    expect(result.stdout).toContain(`call ${call}: GET /api/v1/reports: HTTP 200\n`);
  // Three concurrent calls share one token request.
  expect(result.stdout).toMatch(/^token requests: 1$/m);
}

const samples: Sample[] = [
  {
    name: 'quickstart',
    files: { curl: 'quickstart/quickstart.sh' },
    env: () => ({ SANDBOX_URL: main.origin }),
    check: (result) => {
      expect(result.stdout).toMatch(/^GET \/api\/v1\/reports: HTTP 200$/m);
      expect(result.stdout).toContain('"reports":[');
    },
  },
  {
    name: 'register-client',
    files: { curl: 'sandbox/register-client.sh' },
    env: () => ({ SANDBOX_URL: main.origin }),
    check: async (result) => {
      const id = /^export CLIENT_ID='([A-Za-z0-9._~-]+)'$/m.exec(result.stdout)?.[1];
      const secret = /^export CLIENT_SECRET='([A-Za-z0-9._~-]+)'$/m.exec(result.stdout)?.[1];
      expect(id && secret, result.stdout).toBeTruthy();
      // The printed credentials work, with the scopes the script registered.
      const token = await requestToken(
        main.origin,
        { client_id: id!, client_secret: secret! } as Client,
        apiScopeNames.join(' '),
      );
      expect(token.expires_in).toBe(sandboxDefaultLifetime(apiProfile));
    },
  },
  {
    name: 'request-token',
    files: {
      curl: 'request-token/request-token.sh',
      TypeScript: 'request-token/request-token.ts',
      Python: 'request-token/request_token.py',
      Go: 'request-token/request_token.go',
      Java: 'request-token/RequestToken.java',
      'C#': 'request-token/RequestToken.cs',
    },
    env: credentials(() => client),
    check: (result) => expectTokenFields(result, client),
  },
  {
    name: 'request-token-form-body',
    files: { curl: 'request-token/request-token-form-body.sh' },
    env: credentials(() => postClient),
    check: (result) => expectTokenFields(result, postClient),
  },
  {
    name: 'call-api',
    files: {
      curl: 'call-api/call-api.sh',
      TypeScript: 'call-api/call-api.ts',
      Python: 'call-api/call_api.py',
      Go: 'call-api/call_api.go',
      Java: 'call-api/CallApi.java',
      'C#': 'call-api/CallApi.cs',
    },
    env: credentials(() => client),
    check: (result) => {
      expect(result.stdout).toMatch(/^GET \/api\/v1\/reports: HTTP 200$/m);
      expect(result.stdout).toContain('"reports":[');
    },
  },
  {
    // Expiration and refresh, "A token client that does all of this": the reference client
    // (src/lib/client-credentials-token-source.ts through its usage example, and its Python twin)...
    name: 'token-manager',
    files: {
      TypeScript: 'token-manager/token-manager-usage.ts',
      Python: 'token-manager/token_manager.py',
    },
    env: credentials(() => client),
    check: expectThreeCallsOneToken,
  },
  {
    // ...and, in the other languages, a smaller client with the same renewal rule.
    name: 'token-client',
    files: {
      Go: 'token-client/token_client.go',
      Java: 'token-client/TokenClient.java',
      'C#': 'token-client/TokenClient.cs',
    },
    env: credentials(() => client),
    check: expectThreeCallsOneToken,
  },
  {
    name: 'openid-client',
    files: { TypeScript: 'libraries/openid-client.ts' },
    env: credentials(() => client),
    check: (result) => {
      expect(result.stdout).toMatch(/^expires_in: \d+$/m);
      expect(result.stdout.split('\n')).toContain(`scope: ${readScope}`);
      expect(result.stdout).toMatch(/^GET \/api\/v1\/reports: HTTP 200$/m);
    },
  },
];

describe.each(present.map((toolchain) => [toolchain.language, toolchain] as const))(
  '%s samples',
  (language, toolchain) => {
    const cases = samples.flatMap((sample) => {
      const file = sample.files[language];
      return file ? [[basename(file), file, sample] as const] : [];
    });
    it.each(cases)(
      `%s runs against the sandbox`,
      async (_name, file, sample) => {
        const result = await run(
          toolchain.command(renderedExample(file, exampleContext())),
          sample.env(),
          toolchain.timeoutSeconds,
        );
        expect(result.code, `exit code; stderr:\n${result.stderr}`).toBe(0);
        await sample.check(result);
      },
      toolchain.timeoutSeconds * 1000,
    );
  },
);

// ---------------------------------------------------------------------------------------------
// The HTTP exchanges the pages print: each request is sent as printed (placeholders filled in),
// and the sandbox's answer must have the printed status, headers, `error` and body fields.

interface HttpMessage {
  startLine: string;
  headers: [string, string][];
  body: string;
}

function parseMessage(text: string): HttpMessage {
  const [head = '', ...rest] = text.trim().split(/\n\n/);
  const [startLine = '', ...headerLines] = head.split('\n');
  return {
    startLine,
    headers: headerLines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    }),
    body: rest.join('\n\n').trim(),
  };
}

/** Splits an exchange file into its request (if printed) and its response. */
function parseExchange(text: string): { request?: HttpMessage; response?: HttpMessage } {
  const responseStart = text.search(/^HTTP\/1\.1 \d{3}/m);
  if (responseStart < 0) return { request: parseMessage(text) };
  return {
    request: responseStart > 0 ? parseMessage(text.slice(0, responseStart)) : undefined,
    response: parseMessage(text.slice(responseStart)),
  };
}

/** The values the printed requests leave to the reader. */
interface Placeholders {
  YOUR_CLIENT_ID: string;
  YOUR_CLIENT_SECRET: string;
  YOUR_ACCESS_TOKEN: string;
  A_READ_ONLY_TOKEN: string;
  ANOTHER_CLIENTS_TOKEN: string;
  AN_EXPIRED_TOKEN: string;
}

function fillIn(text: string, values: Partial<Placeholders>): string {
  let filled = text;
  for (const [name, value] of Object.entries(values)) filled = filled.replaceAll(name, value);
  return filled.replace(/BASE64\(([^:)]*):([^)]*)\)/g, (_match, id: string, secret: string) =>
    basic(id, secret),
  );
}

async function send(origin: string, request: HttpMessage): Promise<Response> {
  const [method = '', target = ''] = request.startLine.split(' ');
  const headers = new Headers(request.headers.filter(([name]) => name.toLowerCase() !== 'host'));
  return fetch(`${origin}${target}`, {
    method,
    headers,
    body: request.body === '' ? undefined : request.body,
  });
}

/** Compares an answer with the printed one; descriptions are prose and may be worded differently. */
async function expectLikePrinted(actual: Response, printed: HttpMessage) {
  expect(`${actual.status}`).toBe(printed.startLine.split(' ')[1]);
  for (const [name, printedValue] of printed.headers) {
    const value = actual.headers.get(name);
    expect(value, `header ${name}`).not.toBeNull();
    if (name.toLowerCase() === 'retry-after') {
      expect(value).toMatch(/^\d+$/);
    } else if (name.toLowerCase() === 'www-authenticate') {
      const [got] = parseWwwAuthenticate(value!) ?? [];
      const [want] = parseWwwAuthenticate(printedValue) ?? [];
      expect(got?.scheme.toLowerCase()).toBe(want?.scheme.toLowerCase());
      expect(Object.keys(got?.params ?? {}).sort()).toEqual(Object.keys(want?.params ?? {}).sort());
      const { error_description: _got, ...gotParams } = got?.params ?? {};
      const { error_description: _want, ...wantParams } = want?.params ?? {};
      expect(gotParams).toEqual(wantParams);
    } else {
      expect(value, `header ${name}`).toBe(printedValue);
    }
  }
  if (printed.body === '') return;
  const body = (await actual.json()) as Record<string, unknown>;
  const printedBody = JSON.parse(printed.body) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(Object.keys(printedBody).sort());
  for (const [key, value] of Object.entries(printedBody)) {
    if (key === 'access_token' || key === 'error_description') expect(typeof body[key]).toBe(typeof value);
    else expect(body[key], key).toEqual(value);
  }
}

const httpDir = join(examplesDir, 'http');
/** An exchange as the page prints it: placeholders filled in for the sandbox under test. */
const readExchange = (file: string, origin = main.origin) =>
  renderedExampleText(`http/${file}`, { ...exampleContext(), origin });

async function placeholders(): Promise<Placeholders> {
  const readOnly = await requestToken(main.origin, client, readScope);
  const another = await requestToken(
    main.origin,
    await register(main.origin, { client_name: 'examples test, another' }),
  );
  return {
    YOUR_CLIENT_ID: client.client_id,
    YOUR_CLIENT_SECRET: client.client_secret,
    YOUR_ACCESS_TOKEN: readOnly.access_token,
    A_READ_ONLY_TOKEN: readOnly.access_token,
    ANOTHER_CLIENTS_TOKEN: another.access_token,
    AN_EXPIRED_TOKEN: shortToken.access_token,
  };
}

describe('the HTTP exchanges the pages print', () => {
  it('token-request-basic.http gets token-response.http', async () => {
    const { request } = parseExchange(fillIn(readExchange('token-request-basic.http'), await placeholders()));
    const { response } = parseExchange(readExchange('token-response.http'));
    await expectLikePrinted(await send(main.origin, request!), response!);
  });

  it('token-request-form-body.http gets token-response.http, for a client_secret_post client', async () => {
    const values = { YOUR_CLIENT_ID: postClient.client_id, YOUR_CLIENT_SECRET: postClient.client_secret };
    const { request } = parseExchange(fillIn(readExchange('token-request-form-body.http'), values));
    const { response } = parseExchange(readExchange('token-response.http'));
    await expectLikePrinted(await send(main.origin, request!), response!);
  });

  it('api-request.http gets 200', async () => {
    const { request } = parseExchange(fillIn(readExchange('api-request.http'), await placeholders()));
    const response = await send(main.origin, request!);
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty('reports');
  });

  /** Printed with no request: the sandbox never sends it, and the page says why. */
  const notFromTheSandbox = ['unauthorized_client.http'];
  /** Spends the rate limit of its address: runs on a sandbox of its own. */
  const rateLimited = 'too_many_requests.http';
  const errorFiles = readdirSync(join(httpDir, 'errors')).filter((file) => file.endsWith('.http'));
  const replayable = errorFiles.filter((file) => !notFromTheSandbox.includes(file) && file !== rateLimited);

  it('every error example is checked by one of the cases below', () => {
    expect([...replayable, ...notFromTheSandbox, rateLimited].sort()).toEqual(errorFiles.sort());
    expect(replayable.length).toBeGreaterThanOrEqual(9);
  });

  it.each(replayable)('errors/%s: the sandbox answers as printed', async (file) => {
    const exchange = readExchange(`errors/${file}`);
    if (exchange.includes('AN_EXPIRED_TOKEN')) {
      // The sandbox allows no leeway: one millisecond past exp is expired.
      const wait = shortToken.expiresAtMs + 50 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const { request, response } = parseExchange(fillIn(exchange, await placeholders()));
    expect(request, 'a printed request').toBeDefined();
    await expectLikePrinted(await send(main.origin, request!), response!);
  });

  it('unauthorized_client.http: the sandbox never sends it, because every client gets only client_credentials', async () => {
    const { request, response } = parseExchange(readExchange('errors/unauthorized_client.http'));
    expect(request).toBeUndefined();
    expect(response!.startLine).toBe('HTTP/1.1 400 Bad Request');
    expect(JSON.parse(response!.body)).toMatchObject({ error: 'unauthorized_client' });
    expect(client.grant_types).toEqual(['client_credentials']);
    expect(postClient.grant_types).toEqual(['client_credentials']);
  });

  it('too_many_requests.http: repeated failed authentications get 429 as printed', async () => {
    const own = await startSandboxServer();
    try {
      const ownClient = await register(own.origin, { client_name: 'examples test, rate limit' });
      const { request, response } = parseExchange(
        fillIn(readExchange(`errors/${rateLimited}`, own.origin), { YOUR_CLIENT_ID: ownClient.client_id }),
      );
      let answer = await send(own.origin, request!);
      // sandbox-api.md: at least 20 failed authentications a minute are allowed; the limit is finite.
      for (let attempt = 1; answer.status === 401 && attempt <= 200; attempt++) {
        await answer.body?.cancel();
        answer = await send(own.origin, request!);
      }
      await expectLikePrinted(answer, response!);
    } finally {
      await stop(own);
    }
  });
});
