import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListeningSandbox, type ListeningSandbox } from '../support/listening-sandbox.ts';
import { apiProfile } from '../../src/lib/api-profile.ts';
import { sandboxDefaultLifetime } from '../../src/lib/sandbox-contract/index.ts';
import { renderedExample } from '../support/rendered-examples.ts';
import { describeWhereFound, quickJvm } from '../support/sample-toolchains.ts';

// Runs the private_key_jwt samples the "Private key JWT" page shows (content/examples/private-key-jwt)
// against the real sandbox: the curl script registers a key client (its key made by openssl), and
// every language's sample gets a token with that key and calls the API. Where a language's
// toolchain is missing, its test shows as skipped, with the reason in its name.

const samplesDir = fileURLToPath(new URL('../../content/examples/private-key-jwt/', import.meta.url));

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  argv: string[],
  env: Record<string, string>,
  cwd: string,
  timeoutSeconds: number,
): Promise<RunResult> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
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

const succeeds = (command: string, args: string[]) => {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  return !result.error && result.status === 0;
};

/** A Python with Authlib and requests: the one on PATH, or Debian's (python3-authlib). */
const python = ['python3', '/usr/bin/python3'].find((candidate) =>
  succeeds(candidate, ['-c', 'import authlib, requests, cryptography']),
);

interface Sample {
  language: string;
  file: string;
  command: (file: string) => string[];
  timeoutSeconds: number;
  /** Undefined where the toolchain is found, else why the sample cannot run and what it needs. */
  missing: string | undefined;
}

const samples: Sample[] = [
  {
    language: 'curl',
    file: 'request-token.sh',
    command: (file) => ['bash', file],
    timeoutSeconds: 30,
    missing: undefined, // the registration script needs the same tools; its test fails if they are missing
  },
  {
    language: 'TypeScript',
    file: 'private-key-jwt.ts',
    command: (file) => [process.execPath, file],
    timeoutSeconds: 30,
    missing: undefined, // Node 24 runs this test
  },
  {
    language: 'Python',
    file: 'private_key_jwt.py',
    command: (file) => [python ?? 'python3', file],
    timeoutSeconds: 30,
    missing:
      python === undefined
        ? 'no python3 with Authlib and requests (Debian: python3-authlib python3-requests)'
        : undefined,
  },
  {
    language: 'Go',
    file: 'private_key_jwt.go',
    command: (file) => ['go', 'run', file],
    timeoutSeconds: 180,
    missing: succeeds('go', ['version']) ? undefined : 'go not found (Debian: golang-go)',
  },
  {
    language: 'Java',
    file: 'PrivateKeyJwt.java',
    command: (file) => ['java', ...quickJvm, file],
    timeoutSeconds: 90,
    missing: succeeds('java', ['-version'])
      ? undefined
      : 'java not found (needs 15+; Debian: openjdk-17-jdk-headless)',
  },
];

let server: ListeningSandbox;
/** The samples as the page shows them: the profile's scope and this sandbox's origin filled in. */
const exampleContext = () => ({ profile: apiProfile, origin: server.origin });
let workDir: string;
let clientEnv: Record<string, string>;

beforeAll(async () => {
  server = await startListeningSandbox({ dataPath: ':memory:' });
  workDir = mkdtempSync(join(tmpdir(), 'private-key-jwt-samples-'));
  const registered = await run(
    ['bash', renderedExample('private-key-jwt/register-key-client.sh', exampleContext())],
    { SANDBOX_URL: server.origin },
    workDir,
    30,
  );
  expect(registered.code, registered.stderr).toBe(0);
  clientEnv = { SANDBOX_URL: server.origin };
  for (const [, name, value] of registered.stdout.matchAll(/^export (\w+)='([^']*)'$/gm))
    clientEnv[name!] = value!;
  clientEnv.PRIVATE_KEY_FILE = join(workDir, clientEnv.PRIVATE_KEY_FILE!);
}, 60_000);

afterAll(async () => {
  await server?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('register-key-client.sh', () => {
  it('registers a private_key_jwt client and keeps the private key owner-only', async () => {
    expect(Object.keys(clientEnv).sort()).toEqual(['CLIENT_ID', 'KEY_ID', 'PRIVATE_KEY_FILE', 'SANDBOX_URL']);
    expect(statSync(clientEnv.PRIVATE_KEY_FILE!).mode & 0o777).toBe(0o600);
    const metadata = await server.sandbox
      .handle(new Request(`${server.origin}/.well-known/oauth-authorization-server`))
      .then((response) => response.json());
    expect(metadata.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
  });
});

describe('client-assertion.sh', () => {
  it('prints a JWT with the RFC 7523 claims, a new jti each time', async () => {
    const script = renderedExample('private-key-jwt/client-assertion.sh', exampleContext());
    const [first, second] = await Promise.all(
      [1, 2].map(() => run(['bash', script], clientEnv, workDir, 30)),
    );
    const claims = (result: RunResult) =>
      JSON.parse(Buffer.from(result.stdout.trim().split('.')[1]!, 'base64url').toString()) as Record<
        string,
        unknown
      >;
    const a = claims(first!);
    expect(a).toMatchObject({
      iss: clientEnv.CLIENT_ID,
      sub: clientEnv.CLIENT_ID,
      aud: server.origin,
      jti: expect.any(String),
    });
    expect((a.exp as number) - (a.iat as number)).toBe(60);
    expect(claims(second!).jti).not.toBe(a.jti);
  });
});

for (const sample of samples)
  describeWhereFound(`${sample.language}: ${sample.file}`, sample.missing, () => {
    it(
      'gets a token with the key and calls the API',
      async () => {
        const result = await run(
          sample.command(renderedExample(`private-key-jwt/${sample.file}`, exampleContext())),
          clientEnv,
          samplesDir,
          sample.timeoutSeconds,
        );
        expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
        expect(result.stdout).toMatch(/^token_type: Bearer$/m);
        expect(result.stdout.split('\n')).toContain(`expires_in: ${sandboxDefaultLifetime(apiProfile)}`);
        expect(result.stdout.split('\n')).toContain(`scope: ${apiProfile.readScope}`);
        expect(result.stdout).toMatch(/^access_token: \d{2,} characters, not printed$/m);
        expect(result.stdout).toMatch(/^GET \/api\/v1\/reports: HTTP 200$/m);
      },
      (sample.timeoutSeconds + 10) * 1000,
    );
  });
