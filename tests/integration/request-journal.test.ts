import { spawn, spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/lib/sandbox-contract/journal-entry.ts';
import { apiProfile } from '../../src/lib/api-profile.ts';
import { startProductionServer, type ProductionServer } from '../support/production-server.ts';
import { renderedExample } from '../support/rendered-examples.ts';
import { describeWhereFound, gsonJar, quickJvm } from '../support/sample-toolchains.ts';

// The request inspector end to end, on the production server: the guide's own sample programs,
// run with a deliberately wrong environment, show the expected finding in the client's journal;
// run right, they show none. Nothing secret reaches the journal, the stream or the server's logs.

const examples = fileURLToPath(new URL('../../content/examples/', import.meta.url));

interface Language {
  name: string;
  command: (file: string) => string[];
  requestToken: string;
  callApi: string;
  /** Undefined where the toolchain is found, else why the language's samples cannot run. */
  missing: () => string | undefined;
  /** The sample drops a trailing newline from the secret before sending it. */
  trimsSecretNewline?: boolean;
}

const probe = (command: string, args: string[]) => {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  return !result.error && result.status === 0;
};
const unless = (found: boolean, reason: string) => (found ? undefined : reason);

const languages: Language[] = [
  {
    name: 'curl',
    command: (file) => ['bash', file],
    requestToken: 'request-token/request-token.sh',
    callApi: 'call-api/call-api.sh',
    // The sample form-encodes the secret with jq reading it line by line, inside a command
    // substitution that drops trailing newlines: the mistake never reaches the wire.
    trimsSecretNewline: true,
    missing: () => unless(probe('bash', ['-c', 'command -v curl && command -v jq']), 'curl or jq not found'),
  },
  {
    name: 'TypeScript',
    command: (file) => [process.execPath, file],
    requestToken: 'request-token/request-token.ts',
    callApi: 'call-api/call-api.ts',
    missing: () =>
      unless(Number(process.versions.node.split('.')[0]) >= 24, `Node ${process.versions.node}, needs 24`),
  },
  {
    name: 'Python',
    command: (file) => ['python3', file],
    requestToken: 'request-token/request_token.py',
    callApi: 'call-api/call_api.py',
    missing: () => unless(probe('python3', ['-c', 'import requests']), 'no python3 with requests'),
  },
  {
    name: 'Go',
    command: (file) => ['go', 'run', file],
    requestToken: 'request-token/request_token.go',
    callApi: 'call-api/call_api.go',
    missing: () => unless(probe('go', ['version']), 'go not found'),
  },
  {
    name: 'Java',
    command: (file) => ['java', ...quickJvm, '-cp', gsonJar, file],
    requestToken: 'request-token/RequestToken.java',
    callApi: 'call-api/CallApi.java',
    missing: () => unless(probe('java', ['-version']), 'java not found'),
  },
];

interface Client {
  client_id: string;
  client_secret: string;
  registration_access_token: string;
  registration_client_uri: string;
}

let server: ProductionServer;
const everySecret: string[] = [];

async function register(metadata: Record<string, unknown> = {}): Promise<Client> {
  const response = await fetch(`${server.origin}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(metadata),
  });
  expect(response.status).toBe(201);
  const client = (await response.json()) as Client;
  everySecret.push(client.client_secret, client.registration_access_token);
  return client;
}

async function journal(client: Client): Promise<JournalEntry[]> {
  const response = await fetch(`${client.registration_client_uri}/requests`, {
    headers: { authorization: `Bearer ${client.registration_access_token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { requests: JournalEntry[] }).requests;
}

function run(
  argv: string[],
  env: Record<string, string>,
  cwd = dirname(argv.at(-1)!),
): Promise<{ code: number | null; output: string }> {
  const [command, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(command!, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 240_000,
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

beforeAll(async () => {
  server = await startProductionServer();
}, 240_000);

afterAll(async () => {
  await server?.stop();
});

/** The finding codes of a client's token requests, oldest first. */
async function tokenFindings(client: Client): Promise<string[][]> {
  return (await journal(client))
    .filter((entry) => entry.path === '/oauth/token')
    .reverse()
    .map((entry) => entry.findings.map((finding) => finding.code));
}

for (const language of languages)
  describeWhereFound(`the ${language.name} samples`, language.missing(), () => {
    // The samples as the pages show them: placeholders (scopes, origin) filled in for this server.
    const file = (path: string) => renderedExample(path, { profile: apiProfile, origin: server.origin });

    // Each sample is a program of its own, run once with its own client: two programs sharing one
    // client would rightly be told that the second asked for a token the first still had.
    it.each([
      ['request-token', language.requestToken, 'POST /oauth/token 200'],
      ['call-api', language.callApi, 'GET /api/v1/reports 200'],
    ])(
      '%s run right: its requests are journalled with no finding',
      async (_name, sample, request) => {
        const client = await register();
        const result = await run(language.command(file(sample)), {
          SANDBOX_URL: server.origin,
          CLIENT_ID: client.client_id,
          CLIENT_SECRET: client.client_secret,
        });
        expect(result.code, result.output).toBe(0);
        const entries = await journal(client);
        expect(entries.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toContain(request);
        expect(entries.flatMap((entry) => entry.findings.map((finding) => finding.code))).toEqual([]);
      },
      300_000,
    );

    it.each([
      [
        'a trailing newline in the secret',
        (client: Client) => ({ CLIENT_ID: client.client_id, CLIENT_SECRET: `${client.client_secret}\n` }),
        'secret_whitespace',
      ],
      [
        'the id and the secret swapped',
        (client: Client) => ({ CLIENT_ID: client.client_secret, CLIENT_SECRET: client.client_id }),
        'id_secret_swapped',
      ],
    ])(
      'run with %s: the journal shows %s',
      async (_label, environment, code) => {
        const client = await register();
        const result = await run(language.command(file(language.requestToken)), {
          SANDBOX_URL: server.origin,
          ...environment(client),
        });
        if (code === 'secret_whitespace' && language.trimsSecretNewline) {
          expect(result.code, result.output).toBe(0);
          expect(await tokenFindings(client)).toEqual([[]]);
          return;
        }
        expect(result.code).not.toBe(0);
        expect(await tokenFindings(client)).toEqual([[code]]);
      },
      300_000,
    );
  });

describe('an expired token sent from a terminal', () => {
  it('is journalled as token_expired, with how long ago', async () => {
    const client = await register({ access_token_lifetime: 5 });
    const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64');
    const token = (await (
      await fetch(`${server.origin}/oauth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      })
    ).json()) as { access_token: string };
    everySecret.push(token.access_token);
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    const result = await run(
      [
        'bash',
        '-c',
        'curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $TOKEN" "$SANDBOX_URL/api/v1/reports"',
      ],
      { TOKEN: token.access_token, SANDBOX_URL: server.origin },
      examples,
    );
    expect(result.output).toBe('401');
    const [entry] = await journal(client);
    expect(entry).toMatchObject({ path: '/api/v1/reports', status: 401, error: 'invalid_token' });
    expect(entry!.findings.map((finding) => finding.code)).toEqual(['token_expired']);
    expect(entry!.findings[0]!.message).toMatch(/expired \d+ seconds? before this call/);
  }, 30_000);
});

describe('near-miss paths and the live stream on the production server', () => {
  it('sends a near miss carrying credentials to the sandbox, and a browser GET of it to the site', async () => {
    const client = await register();
    const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64');
    const response = await fetch(`${server.origin}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(404);
    const body = (await response.json()) as Record<string, string>;
    expect(body.error_description).toContain('Did you mean /oauth/token?');
    expect(body.error_uri).toBe(`${server.origin}/errors/#not_found`);
    const [entry] = await journal(client);
    expect(entry!.id).toBe(response.headers.get('x-request-id'));
    expect(entry!.findings.map((finding) => finding.code)).toEqual(['wrong_path']);
    const page = await fetch(`${server.origin}/oauth2/token`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('streams a new entry within a second, and resumes after Last-Event-ID', async () => {
    const client = await register();
    const open = (lastEventId?: string) =>
      fetch(`${client.registration_client_uri}/requests`, {
        headers: {
          authorization: `Bearer ${client.registration_access_token}`,
          accept: 'text/event-stream',
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
      });
    const response = await open();
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) text += decoder.decode((await reader.read()).value);
    };
    await readUntil('/oauth/register');
    const sentAt = Date.now();
    const token = await fetch(`${server.origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${client.client_id}`,
    });
    await readUntil('/oauth/token');
    expect(Date.now() - sentAt).toBeLessThan(1_000);
    await reader.cancel();
    const tokenId = token.headers.get('x-request-id')!;
    expect(text).toContain(`id: ${tokenId}`);

    // Resuming after the registration's entry sends the token request again, and nothing before.
    const registrationId = /^id: (.*)$/m.exec(text)![1]!;
    const resumed = await open(registrationId);
    const resumedReader = resumed.body!.getReader();
    let resumedText = '';
    while (!resumedText.includes('/oauth/token'))
      resumedText += decoder.decode((await resumedReader.read()).value);
    await resumedReader.cancel();
    expect(resumedText).not.toContain('/oauth/register');
  });

  it('never logs, journals or streams a secret or a token value', async () => {
    expect(everySecret.length).toBeGreaterThan(2);
    const logs = server.output();
    expect(logs).toContain('"message":"request"');
    for (const secret of everySecret) expect(logs).not.toContain(secret.trim());
  });
});
