import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RequestShape } from '../../src/islands/playground-shared/playground-store.ts';
import {
  codeLanguages,
  generateCode,
  programFile,
  type CodeLanguage,
} from '../../src/islands/request-code/request-code.ts';
import {
  registerClient,
  startListeningSandbox,
  type ListeningSandbox,
  type RegisteredClient,
} from '../support/listening-sandbox.ts';
import { apiProfile } from '../../src/lib/api-profile.ts';
import { describeWhereFound, quickJvm, skippedTitle } from '../support/sample-toolchains.ts';

const { readScope, writeScope } = apiProfile;

// "Code for this request": every program the panel can show, run for real against the sandbox,
// with the credentials and the token in the environment, as the panel tells the reader to.
// A language runs only where its toolchain is found; where it is missing, its tests show as
// skipped with the reason in their name.

const probe = (command: string, args: string[]) => {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  return !result.error && result.status === 0;
};
/** Undefined where the toolchain was found, else the reason its programs cannot run. */
const unless = (found: boolean, reason: string) => (found ? undefined : reason);
const toolchains: Record<
  CodeLanguage,
  {
    missing: () => string | undefined;
    command: (file: string) => [string, ...string[]];
    timeoutSeconds: number;
  }
> = {
  curl: {
    missing: () => unless(probe('bash', ['-c', 'command -v curl']), 'curl not found'),
    command: (file) => ['bash', file],
    timeoutSeconds: 30,
  },
  TypeScript: {
    missing: () =>
      unless(Number(process.versions.node.split('.')[0]) >= 24, `Node ${process.versions.node}, needs 24`),
    command: (file) => [process.execPath, file],
    timeoutSeconds: 30,
  },
  Python: {
    missing: () => unless(probe('python3', ['-c', 'import requests']), 'no python3 with requests'),
    command: (file) => ['python3', file],
    timeoutSeconds: 30,
  },
  Go: {
    missing: () => unless(probe('go', ['version']), 'go not found'),
    command: (file) => ['go', 'run', file],
    timeoutSeconds: 180,
  },
  Java: {
    missing: () => unless(probe('java', ['-version']), 'java not found'),
    command: (file) => ['java', ...quickJvm, file],
    timeoutSeconds: 90,
  },
  'C#': {
    missing: () => unless(probe('dotnet', ['--version']), 'dotnet not found'),
    command: (file) => ['dotnet', 'run', file],
    timeoutSeconds: 240,
  },
};
/** Why each language's toolchain is missing (probed once), or undefined where it is found. */
const missing = new Map(codeLanguages.map((language) => [language, toolchains[language].missing()]));

let server: ListeningSandbox;
let basicClient: RegisteredClient;
let postClient: RegisteredClient;
let readWriteToken: string;
let readOnlyToken: string;
let workDir: string;
/** private_key_jwt clients, one per key type, with their private keys in PEM files. */
const keyClients: Record<'EdDSA' | 'ES256', { clientId: string; kid: string; keyFile: string }> = {} as never;

/** A python3 with PyJWT too, for the private_key_jwt program (Debian: python3-jwt). */
const pythonWithJwt = ['python3', '/usr/bin/python3'].find((python) =>
  probe(python, ['-c', 'import jwt, cryptography, requests']),
);

async function token(client: RegisteredClient, scope: string): Promise<string> {
  const response = await fetch(`${server.origin}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  server = await startListeningSandbox({ dataPath: ':memory:' });
  basicClient = await registerClient(server.origin, { client_name: 'code panel test' });
  postClient = await registerClient(server.origin, {
    client_name: 'code panel test, form body',
    token_endpoint_auth_method: 'client_secret_post',
  });
  readWriteToken = await token(basicClient, `${readScope} ${writeScope}`);
  readOnlyToken = await token(basicClient, readScope);
  workDir = mkdtempSync(join(tmpdir(), 'request-code-'));
  const pairs: Record<'EdDSA' | 'ES256', { privateKey: KeyObject; publicKey: KeyObject }> = {
    EdDSA: generateKeyPairSync('ed25519'),
    ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  };
  for (const [alg, { privateKey, publicKey }] of Object.entries(pairs) as [
    keyof typeof pairs,
    (typeof pairs)['EdDSA'],
  ][]) {
    const kid = `code-panel-${alg}`;
    const registered = await registerClient(server.origin, {
      client_name: `code panel test, ${alg} key`,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid }] },
    });
    const keyFile = join(workDir, `${alg}.pem`);
    writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }));
    keyClients[alg] = { clientId: registered.client_id, kid, keyFile };
  }
});

afterAll(async () => {
  await server?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function run(
  argv: [string, ...string[]],
  env: Record<string, string>,
  cwd: string,
  timeoutSeconds: number,
): Promise<{ code: number | null; output: string }> {
  const [command, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutSeconds * 1000,
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

interface Case {
  name: string;
  shape: RequestShape;
  env: () => Record<string, string>;
  expect: (output: string) => void;
}

const cases: Case[] = [
  {
    name: 'token request, Basic header',
    shape: { kind: 'token', authMethod: 'client_secret_basic', scopes: [readScope] },
    env: () => ({ CLIENT_ID: basicClient.client_id, CLIENT_SECRET: basicClient.client_secret }),
    expect: (output) => {
      expect(output).toMatch(/HTTP 200/);
      expect(output).toMatch(/"access_token"\s*:\s*"eyJ/);
      expect(output).toMatch(new RegExp(`"scope"\\s*:\\s*"${RegExp.escape(readScope)}"`));
    },
  },
  {
    name: 'token request, form body',
    shape: { kind: 'token', authMethod: 'client_secret_post', scopes: [] },
    env: () => ({ CLIENT_ID: postClient.client_id, CLIENT_SECRET: postClient.client_secret }),
    expect: (output) => {
      expect(output).toMatch(/HTTP 200/);
      expect(output).toMatch(new RegExp(`"scope"\\s*:\\s*"${RegExp.escape(`${readScope} ${writeScope}`)}"`));
    },
  },
  ...(['EdDSA', 'ES256'] as const).map((alg): Case => ({
    name: `token request, private_key_jwt with an ${alg} key`,
    shape: { kind: 'token', authMethod: 'private_key_jwt', alg, scopes: [] },
    env: () => ({
      CLIENT_ID: keyClients[alg].clientId,
      KEY_ID: keyClients[alg].kid,
      PRIVATE_KEY_FILE: keyClients[alg].keyFile,
    }),
    expect: (output) => {
      expect(output).toMatch(/HTTP 200/);
      expect(output).toMatch(/"access_token"\s*:\s*"eyJ/);
    },
  })),
  {
    name: 'GET /api/v1/reports',
    shape: { kind: 'api', method: 'GET' },
    env: () => ({ ACCESS_TOKEN: readOnlyToken }),
    expect: (output) => {
      expect(output).toMatch(/HTTP 200/);
      expect(output).toContain('"reports"');
    },
  },
  {
    name: 'POST /api/v1/reports',
    shape: {
      kind: 'api',
      method: 'POST',
      body: JSON.stringify({ title: 'It\'s "quoted" – and €', summary: 'From the code panel test.' }),
    },
    env: () => ({ ACCESS_TOKEN: readWriteToken }),
    expect: (output) => {
      expect(output).toMatch(/HTTP 201/);
      expect(output).toContain('It\'s \\"quoted\\" – and €');
    },
  },
  {
    name: `POST /api/v1/reports without ${writeScope}`,
    shape: { kind: 'api', method: 'POST', body: JSON.stringify({ title: 'Refused' }) },
    env: () => ({ ACCESS_TOKEN: readOnlyToken }),
    expect: (output) => {
      expect(output).toMatch(/HTTP 403/);
      expect(output).toContain('insufficient_scope');
    },
  },
];

const isPythonKeyProgram = (language: string, shape: RequestShape) =>
  language === 'Python' && shape.kind === 'token' && shape.authMethod === 'private_key_jwt';

/** Why a case cannot run here although its language's toolchain is present, if it cannot. */
function lackingLibrary(language: (typeof codeLanguages)[number], item: (typeof cases)[number]) {
  // The Python key program needs PyJWT, which the python3 on PATH may lack: a missing library is
  // a missing toolchain for that one program, skipped with its reason (.ci/run installs it).
  return isPythonKeyProgram(language, item.shape) && !pythonWithJwt
    ? "no python3 with PyJWT and cryptography, Debian's python3-jwt"
    : undefined;
}

for (const language of codeLanguages)
  describeWhereFound(`${language} programs of the code panel`, missing.get(language), () => {
    for (const item of cases) {
      const lacking = lackingLibrary(language, item);
      it.skipIf(lacking !== undefined)(
        skippedTitle(`${item.name} runs against the sandbox`, lacking),
        async () => {
          const dir = mkdtempSync(join(workDir, `${language.replace('#', 'sharp')}-`));
          const file = join(dir, programFile(item.shape, language).name);
          const code = generateCode(item.shape, language, 'http://127.0.0.1:9');
          writeFileSync(file, code);
          const command = isPythonKeyProgram(language, item.shape)
            ? [pythonWithJwt!, file]
            : toolchains[language].command(file);
          // SANDBOX_URL from the environment wins over the origin the page wrote in as the default.
          const result = await run(
            command as [string, ...string[]],
            { ...item.env(), SANDBOX_URL: server.origin },
            dir,
            toolchains[language].timeoutSeconds,
          );
          expect(result.code, result.output).toBe(0);
          item.expect(result.output);
          // A program prints no secret it was given.
          expect(result.output).not.toContain(basicClient.client_secret);
          expect(result.output).not.toContain(postClient.client_secret);
        },
        toolchains[language].timeoutSeconds * 1000 + 10_000,
      );
    }
  });
