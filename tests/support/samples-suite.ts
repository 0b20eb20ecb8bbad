import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  invalidClientDescription,
  misbehaviours,
  startMisbehavingServer,
  type MisbehavingServer,
  type Misbehaviour,
} from './misbehaving-server.ts';
import { apiProfile } from '../../src/lib/api-profile.ts';
import { referenceClientFiles, usageBesideTheClient } from '../../src/lib/reference-client-files.ts';
import { renderedExample, renderedExampleText } from './rendered-examples.ts';
import {
  describeWhereFound,
  runSample,
  skippedTitle,
  toolchains,
  type Language,
  type RunResult,
  type Toolchain,
} from './sample-toolchains.ts';
import {
  registerClient,
  startListeningSandbox,
  type ListeningSandbox,
  type RegisteredClient,
} from './listening-sandbox.ts';

// Runs every sample program the guide shows (content/examples) twice over: against the real
// sandbox, served by the real server on 127.0.0.1, and against servers that misbehave the way
// production servers do (an HTML 502 from a proxy, 401 invalid_client, a hang, a token answer
// without expires_in, a redirect). A page can only show what these tests ran.
//
// One test file per language (tests/integration/samples-<language>.test.ts) calls
// `describeSamples`: the languages run side by side in vitest's workers instead of one after
// another in one file (most of a case is waiting on a child process or a 10 s hang). Each file
// starts its own sandbox and misbehaving server.
//
// EXAMPLES_DIR runs another copy of the samples (say, an older commit's) through the same cases.

/**
 * A sample as its page shows it: placeholders filled in from the API profile and the origin of the
 * sandbox under test (tests/support/rendered-examples.ts). EXAMPLES_DIR runs another copy of the
 * samples as they are (say, an older commit's) through the same cases.
 */
const example = (path: string) =>
  process.env.EXAMPLES_DIR
    ? join(process.env.EXAMPLES_DIR, path)
    : renderedExample(path, { profile: apiProfile, origin: sandbox.origin });

/** Why each language's toolchain is missing (probed once), or undefined where it is found. */
const missing = new Map(toolchains.map((toolchain) => [toolchain.language, toolchain.missing()]));
const present = toolchains.filter((toolchain) => missing.get(toolchain.language) === undefined);

/** A registered client, as the shared helper returns it. */
type Client = RegisteredClient;

async function requestToken(
  origin: string,
  client: Pick<Client, 'client_id' | 'client_secret'>,
  scope: string,
) {
  const response = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
  expect(response.status, 'POST /oauth/token').toBe(200);
  return (await response.json()) as { access_token: string; expires_in: number };
}

let sandbox: ListeningSandbox;
let misbehaving: MisbehavingServer;
/** Registered with the defaults: every scope, client_secret_basic, 3600 s tokens. */
let client: Client;
/** Registered for client_secret_post: the form-body sample uses it. */
let postClient: Client;

/**
 * The file's sandbox and misbehaving server, and the two clients registered with it; says which
 * of the file's `languages` are skipped here, and why.
 */
function startServers(languages: readonly Language[]) {
  beforeAll(async () => {
    for (const toolchain of toolchains) {
      const reason = missing.get(toolchain.language);
      if (reason && languages.includes(toolchain.language))
        console.info(`${toolchain.language} samples skipped: ${reason} (needs ${toolchain.needs}).`);
    }
    sandbox = await startListeningSandbox({ dataPath: ':memory:' });
    misbehaving = await startMisbehavingServer();
    client = await registerClient(sandbox.origin, { client_name: 'samples test' });
    postClient = await registerClient(sandbox.origin, {
      client_name: 'samples test, form body',
      token_endpoint_auth_method: 'client_secret_post',
    });
  });

  afterAll(async () => {
    await sandbox?.close();
    await misbehaving?.close();
  });
}

interface Sample {
  /** The sample's name, as the page groups it. */
  name: string;
  /** Its file in each language it exists in. */
  files: Partial<Record<Language, string>>;
  /** The environment it runs with against the sandbox. */
  env: () => Record<string, string>;
  /** What its output must show after a run against the sandbox. */
  check: (result: RunResult) => void | Promise<void>;
  /** How it meets a misbehaving server, when it does: its environment, and what a success prints. */
  misbehaving?: {
    env: (mode: Misbehaviour, caseId: string) => Record<string, string>;
    /** What it prints when the token answer lacks expires_in and everything else works. */
    withoutExpiresIn: RegExp;
  };
}

/** Credentials from `which`, and the endpoints derived from SANDBOX_URL, as the sandbox's defaults. */
const sandboxEnv = (which: () => Client) => () => ({
  CLIENT_ID: which().client_id,
  CLIENT_SECRET: which().client_secret,
  SANDBOX_URL: sandbox.origin,
});

/** TOKEN_URL and API_BASE_URL pointing at a misbehaving server, as a production job sets them. */
const productionEnv = (mode: Misbehaviour, caseId: string) => ({
  CLIENT_ID: 'misbehaving-client',
  CLIENT_SECRET: 'misbehaving-secret',
  TOKEN_URL: misbehaving.tokenUrl(mode, caseId),
  API_BASE_URL: misbehaving.apiBaseUrl(mode, caseId),
  SANDBOX_URL: '',
});

function expectTokenFields(result: RunResult, registered: Client) {
  expect(result.stdout).toMatch(/^token_type: Bearer$/m);
  expect(result.stdout).toContain(`expires_in: ${registered.access_token_lifetime}\n`);
  expect(result.stdout).toContain(`\nscope: ${apiProfile.readScope}\n`);
  expect(result.stdout).toMatch(/^access_token: \d{2,} characters, not printed$/m);
  // Samples never print a secret.
  expect(result.stdout + result.stderr).not.toContain(registered.client_secret);
}

function expectReports(result: RunResult) {
  expect(result.stdout).toMatch(/^GET \/api\/v1\/reports: HTTP 200$/m);
  expect(result.stdout).toContain('"reports":[');
}

function expectThreeCallsOneToken(result: RunResult) {
  for (const call of [1, 2, 3])
    expect(result.stdout).toContain(`call ${call}: GET /api/v1/reports: HTTP 200\n`);
  // Three concurrent calls share one token request.
  expect(result.stdout).toMatch(/^token requests: 1$/m);
}

const requestTokenMisbehaving = {
  env: productionEnv,
  withoutExpiresIn: /^expires_in: not sent; assuming 300$/m,
};
const callApiMisbehaving = { env: productionEnv, withoutExpiresIn: /^GET \/api\/v1\/reports: HTTP 200$/m };

const samples: Sample[] = [
  {
    name: 'quickstart',
    files: { curl: 'quickstart/quickstart.sh' },
    env: () => ({ SANDBOX_URL: sandbox.origin }),
    check: expectReports,
    misbehaving: {
      env: (mode, caseId) => ({ SANDBOX_URL: misbehaving.baseUrl(mode, caseId) }),
      withoutExpiresIn: /^GET \/api\/v1\/reports: HTTP 200$/m,
    },
  },
  {
    name: 'register-client',
    files: { curl: 'sandbox/register-client.sh' },
    env: () => ({ SANDBOX_URL: sandbox.origin }),
    check: async (result) => {
      const id = /^export CLIENT_ID='([A-Za-z0-9._~-]+)'$/m.exec(result.stdout)?.[1];
      const secret = /^export CLIENT_SECRET='([A-Za-z0-9._~-]+)'$/m.exec(result.stdout)?.[1];
      expect(id && secret, result.stdout).toBeTruthy();
      // The printed credentials work, with the scope the script registered.
      const token = await requestToken(
        sandbox.origin,
        { client_id: id!, client_secret: secret! },
        apiProfile.readScope,
      );
      expect(token.expires_in).toBe(3600);
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
    env: sandboxEnv(() => client),
    check: (result) => expectTokenFields(result, client),
    misbehaving: requestTokenMisbehaving,
  },
  {
    name: 'request-token-form-body',
    files: { curl: 'request-token/request-token-form-body.sh' },
    env: sandboxEnv(() => postClient),
    check: (result) => expectTokenFields(result, postClient),
    misbehaving: requestTokenMisbehaving,
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
    env: sandboxEnv(() => client),
    check: expectReports,
    misbehaving: callApiMisbehaving,
  },
  {
    // A token client that keeps and renews its token: the reference client (TypeScript, through
    // its usage example, and its Python twin)...
    name: 'token-manager',
    files: {
      TypeScript: 'token-manager/token-manager-usage.ts',
      Python: 'token-manager/token_manager.py',
    },
    env: sandboxEnv(() => client),
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
    env: sandboxEnv(() => client),
    check: expectThreeCallsOneToken,
    misbehaving: { env: productionEnv, withoutExpiresIn: /^token requests: 1$/m },
  },
  {
    name: 'library',
    files: {
      TypeScript: 'libraries/openid-client.ts',
      Python: 'libraries/authlib_client.py',
      Go: 'libraries/oauth2_client.go',
    },
    env: sandboxEnv(() => client),
    check: expectReports,
    misbehaving: callApiMisbehaving,
  },
  {
    // The other libraries the guide names: oauth4webapi under openid-client, requests-oauthlib
    // beside Authlib.
    name: 'library, the second choice',
    files: { TypeScript: 'libraries/oauth4webapi.ts', Python: 'libraries/requests_oauthlib_client.py' },
    env: sandboxEnv(() => client),
    check: expectReports,
    misbehaving: callApiMisbehaving,
  },
];

/** What every failed run must look like: exit 1, one line on stderr, no stack trace. */
function expectOneLineFailure(result: RunResult, pattern: RegExp) {
  expect(result.code, `exit code; stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(1);
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/Traceback|Exception in thread|panic:|\n\s+at |Unhandled exception/);
}

const failures: Record<Exclude<Misbehaviour, 'no-expires-in'>, RegExp> = {
  'html-502': /HTTP 502, not an OAuth error answer: <html> <head><title>502 Bad Gateway/,
  'invalid-client': new RegExp(`HTTP 401 invalid_client: ${invalidClientDescription.replaceAll('.', '\\.')}`),
  hang: /no answer from \S+ within 10 ?s/,
  redirect: /HTTP 302, a redirect to https:\/\/elsewhere\.example\/oauth\/token; .*do not follow redirects/,
};

function describeLanguage(toolchain: Toolchain) {
  const language = toolchain.language;
  describeWhereFound(`${language} samples`, missing.get(language), () => {
    const cases = samples.flatMap((sample) => {
      const file = sample.files[language];
      return file ? [[basename(file), file, sample] as const] : [];
    });

    // Compile what needs compiling (Go, Java) first, so that each case times the program alone.
    beforeAll(async () => {
      for (const [, file] of cases) await toolchain.prepare(example(file));
    }, 600_000);

    it.each(cases)(
      '%s runs against the sandbox',
      async (_name, file, sample) => {
        const result = await runSample(
          await toolchain.prepare(example(file)),
          dirname(example(file)),
          sample.env(),
          toolchain.timeoutSeconds,
        );
        expect(result.code, `exit code; stderr:\n${result.stderr}`).toBe(0);
        await sample.check(result);
      },
      toolchain.timeoutSeconds * 2000 + 300_000,
    );

    const misbehavingCases = cases.flatMap(([name, file, sample]) =>
      sample.misbehaving ? misbehaviours.map((mode) => [name, mode, file, sample] as const) : [],
    );
    // The cases wait on servers, not on the CPU (a hang is 10 s of nothing): run them together,
    // a few at a time (the file's maxConcurrency), each compiled before it is timed.
    it.concurrent.each(misbehavingCases)(
      '%s against a server that answers %s',
      async (_name, mode, file, sample) => {
        const argv = await toolchain.prepare(example(file));
        const caseId = `${mode}-${language}-${basename(file)}`.replace(/[^A-Za-z0-9.-]/g, '_');
        const result = await runSample(
          argv,
          dirname(example(file)),
          sample.misbehaving!.env(mode, caseId),
          toolchain.timeoutSeconds,
        );
        if (mode === 'no-expires-in') {
          expect(result.code, `exit code; stderr:\n${result.stderr}`).toBe(0);
          expect(result.stdout).toMatch(sample.misbehaving!.withoutExpiresIn);
        } else {
          expectOneLineFailure(result, failures[mode]);
        }
        if (mode === 'hang') {
          // The sample gave up on its own, well inside 30 s, measured from its first request to
          // its last closed connection: its timeouts, not its start-up on a loaded machine.
          const held = await misbehaving.held(caseId);
          expect(held, 'the hanging requests were closed').toBeDefined();
          expect(held!).toBeLessThan(30);
        }
      },
      toolchain.timeoutSeconds * 2000 + 300_000,
    );
  });
}

// A sample runs from a copy of its page alone: copied into an empty folder, it still runs.
function describeCopies() {
  describe('samples copied out of the repository', () => {
    const copied = [
      ['TypeScript', 'request-token/request-token.ts'],
      ['Python', 'request-token/request_token.py'],
      ['TypeScript', 'call-api/call-api.ts'],
    ] as const;
    for (const [language, file] of copied) {
      const reason = missing.get(language);
      it.skipIf(reason !== undefined)(skippedTitle(`${file} runs from an empty folder`, reason), async () => {
        const toolchain = present.find((candidate) => candidate.language === language)!;
        const folder = mkdtempSync(join(tmpdir(), 'copied-sample-'));
        const copy = join(folder, basename(file));
        writeFileSync(copy, readFileSync(example(file)));
        const result = await runSample(await toolchain.prepare(copy), folder, sandboxEnv(() => client)(), 30);
        expect(result.code, result.stderr).toBe(0);
      });
    }
  });
}

// The reference client as its page shows it (src/components/ReferenceClientFiles.astro): the
// usage example and the client's files, saved in one empty folder, run with nothing else.
function describeReferenceClientCopy() {
  describe('the reference token client copied from its page', () => {
    it('runs from an empty folder, and imports no file the page does not show', async () => {
      const node = present.find((toolchain) => toolchain.language === 'TypeScript');
      expect(node, 'Node 24 runs this test').toBeDefined();
      const folder = mkdtempSync(join(tmpdir(), 'copied-token-client-'));
      const usage = usageBesideTheClient(
        renderedExampleText('token-manager/token-manager-usage.ts', {
          profile: apiProfile,
          origin: sandbox.origin,
        }),
      );
      writeFileSync(join(folder, 'token-manager-usage.ts'), usage);
      const libDir = fileURLToPath(new URL('../../src/lib/', import.meta.url));
      for (const file of referenceClientFiles)
        writeFileSync(join(folder, file), readFileSync(join(libDir, file)));
      // Every relative import of every copied file is one of the copied files.
      for (const file of ['token-manager-usage.ts', ...referenceClientFiles]) {
        const imports = [...readFileSync(join(folder, file), 'utf8').matchAll(/from '(\.[^']+)'/g)].map(
          (match) => match[1]!,
        );
        for (const imported of imports)
          expect(referenceClientFiles, `${file} imports ${imported}`).toContain(imported.replace('./', ''));
      }
      const result = await runSample(
        [process.execPath, join(folder, 'token-manager-usage.ts')],
        folder,
        sandboxEnv(() => client)(),
        60,
      );
      expect(result.code, result.stderr).toBe(0);
      expectThreeCallsOneToken(result);
    });
  });
}

const extensions: Record<Language, string> = {
  curl: '.sh',
  TypeScript: '.ts',
  Python: '.py',
  Go: '.go',
  Java: '.java',
  'C#': '.cs',
};
/** Programs in the samples' folders that other tests run, with the test that does. */
const runElsewhere: Record<string, string> = {
  'token-manager/run_during_check.py': 'tests/integration/client-check.test.ts',
};
const examplesDir = fileURLToPath(new URL('../../content/examples/', import.meta.url));

/**
 * Every program of `language` in the folders these samples come from has its case here (or is
 * run by another test): a sample added to a page without one would reach readers untested. Runs
 * whether or not the language's toolchain is found here.
 */
function describeCoverage(language: Language) {
  it(`every ${language} program in the samples' folders has a case`, () => {
    const tabled = samples.flatMap((sample) => sample.files[language] ?? []);
    const folders = [...new Set(samples.flatMap((sample) => Object.values(sample.files).map(dirname)))];
    const found = folders.flatMap((folder) =>
      readdirSync(join(examplesDir, folder))
        .filter((name) => name.endsWith(extensions[language]))
        .map((name) => `${folder}/${name}`),
    );
    expect(found.filter((file) => !(file in runElsewhere)).sort()).toEqual([...tabled].sort());
  });
}

/**
 * The samples of one language, the test file's whole content (samples-<language>.test.ts); the
 * TypeScript file also runs the copies (`withCopies`).
 */
export function describeSamples(language: Language, { withCopies = false } = {}) {
  startServers(withCopies ? [language, 'Python'] : [language]);
  describeCoverage(language);
  describeLanguage(toolchains.find((candidate) => candidate.language === language)!);
  if (withCopies) {
    describeCopies();
    describeReferenceClientCopy();
  }
}
