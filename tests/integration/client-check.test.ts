import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiProfile, apiScopeNames } from '../../src/lib/api-profile.ts';
import {
  checkCriterionIds,
  clientCheckPath,
  readCheck,
  type CheckCriterionId,
  type ClientCheck,
  type CriterionResult,
} from '../../src/lib/sandbox-contract/index.ts';
import {
  driveNaiveClient,
  driveReferenceClient,
  startCheck,
  type DriveOptions,
} from '../support/check-drivers.ts';
import {
  registerClient,
  startListeningSandbox,
  type ListeningSandbox,
} from '../support/listening-sandbox.ts';
import { renderedExample } from '../support/rendered-examples.ts';
import { gsonJar, runSample, skippedTitle, toolchains, type Language } from '../support/sample-toolchains.ts';

// "Check my client" (issue 12), proved on real programs: each gets a real 60 s check on a real
// server, all of them at once (the suite grows by one window, not five), with three callers
// calling the API every 250 ms. The report cards are printed for the record.

const durationSeconds = 60;
const callers = 3;
const callEveryMs = 250;
const drivers = fileURLToPath(new URL('../support/check-drivers/', import.meta.url));

let sandbox: ListeningSandbox;
beforeAll(async () => {
  // The per-client limits are off: the naive client's token per call would otherwise meet the
  // token-issuance limit, and this test is about the check's own faults.
  sandbox = await startListeningSandbox({ dataPath: ':memory:', rateLimit: false });
});
afterAll(async () => {
  await sandbox?.close();
});

interface CheckedClient {
  client_id: string;
  client_secret: string;
  registration_access_token: string;
  registration_client_uri: string;
}

const all = (result: CriterionResult) =>
  Object.fromEntries(checkCriterionIds.map((id) => [id, result])) as Record<
    CheckCriterionId,
    CriterionResult
  >;

/** Registers a client, starts its check, runs the program for the window, and reads the graded check. */
async function checkProgram(
  name: string,
  run: (client: CheckedClient, runMs: number) => Promise<unknown>,
  metadata: Record<string, unknown> = {},
): Promise<ClientCheck> {
  const client = (await registerClient(sandbox.origin, {
    client_name: `check: ${name}`,
    scope: apiScopeNames.join(' '),
    ...metadata,
  })) as unknown as CheckedClient;
  const checkId = await startCheck(
    client.registration_client_uri,
    client.registration_access_token,
    durationSeconds,
  );
  const startedAt = Date.now();
  const seen = await run(client, durationSeconds * 1000 - (Date.now() - startedAt));
  let check: ClientCheck;
  for (;;) {
    const response = await fetch(`${sandbox.origin}${clientCheckPath(client.client_id, checkId)}`);
    check = readCheck(await response.json(), 200);
    if (check.status === 'done') break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  console.info(
    [
      `report card of ${name} (score ${check.score}; the program saw ${JSON.stringify(seen)}):`,
      ...check.faults.map((fault) => `  fault ${fault.kind} at ${fault.at}: ${fault.detail}`),
      ...check.criteria.map(
        (criterion) => `  ${criterion.result.padEnd(12)} ${criterion.id}: ${criterion.evidence}`,
      ),
    ].join('\n'),
  );
  return check;
}

const resultsOf = (check: ClientCheck) =>
  Object.fromEntries(check.criteria.map((criterion) => [criterion.id, criterion.result]));

const driveOptions = (client: CheckedClient, runMs: number): DriveOptions => ({
  origin: sandbox.origin,
  clientId: client.client_id,
  clientSecret: client.client_secret,
  runMs,
  callers,
  callEveryMs,
  scopes: [apiProfile.readScope],
});

const environment = (client: CheckedClient, runMs: number) => ({
  SANDBOX_URL: sandbox.origin,
  CLIENT_ID: client.client_id,
  CLIENT_SECRET: client.client_secret,
  RUN_SECONDS: String(runMs / 1000),
  CALLERS: String(callers),
  CALL_EVERY_SECONDS: String(callEveryMs / 1000),
  SCOPE: apiProfile.readScope,
});

/** Runs a program (a driver beside the guide's sample) and returns its last line, parsed. */
async function runProgram(argv: [string, ...string[]], env: Record<string, string>, runMs: number) {
  const result = await runSample(argv, tmpdir(), env, runMs / 1000 + 60);
  if (result.code !== 0) throw new Error(`${argv.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as unknown;
}

const toolchain = (language: Language) => toolchains.find((candidate) => candidate.language === language)!;

/** The Go sample built with the check's driver: its own main renamed, so the driver's runs. */
async function buildGo(): Promise<[string, ...string[]]> {
  const folder = mkdtempSync(join(tmpdir(), 'check-go-'));
  const sample = readFileSync(renderedExample('token-client/token_client.go'), 'utf8');
  writeFileSync(join(folder, 'token_client.go'), sample.replace('func main() {', 'func sampleMain() {'));
  copyFileSync(join(drivers, 'check_driver.go'), join(folder, 'check_driver.go'));
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  await promisify(execFile)(
    'go',
    ['build', '-o', join(folder, 'driver'), 'token_client.go', 'check_driver.go'],
    {
      cwd: folder,
      timeout: 300_000,
      env: { ...process.env, GO111MODULE: 'off', GOCACHE: join(tmpdir(), 'go-sample-cache') },
    },
  );
  return [join(folder, 'driver')];
}

/** The Java sample compiled with the check's driver. */
async function buildJava(): Promise<[string, ...string[]]> {
  const classes = mkdtempSync(join(tmpdir(), 'check-java-'));
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  await promisify(execFile)(
    'javac',
    [
      '-cp',
      gsonJar,
      '-d',
      classes,
      renderedExample('token-client/TokenClient.java'),
      join(drivers, 'CheckDriver.java'),
    ],
    { timeout: 300_000 },
  );
  return ['java', '-cp', `${gsonJar}:${classes}`, 'CheckDriver'];
}

describe.concurrent(`real ${durationSeconds} s checks of real programs, all at once`, () => {
  it(
    'the TypeScript reference client (ClientCredentialsTokenSource) passes every criterion',
    { timeout: 150_000 },
    async () => {
      const check = await checkProgram('TypeScript reference client', (client, runMs) =>
        driveReferenceClient(driveOptions(client, runMs)),
      );
      expect(check.faults.map((fault) => fault.kind).sort()).toEqual([
        'api_rate_limited',
        'token_endpoint_unavailable',
        'token_revoked',
      ]);
      expect(resultsOf(check)).toEqual(all('pass'));
      expect(check.score).toBe(100);
    },
  );

  const python = toolchain('Python');
  const pythonMissing = python.missing();
  it.skipIf(pythonMissing !== undefined)(
    skippedTitle(
      'the Python twin (token_manager.py) passes every criterion, run by the page’s run_during_check.py as shown',
      pythonMissing,
    ),
    { timeout: 150_000 },
    async () => {
      // Both as the page shows them, in one folder: the program imports token_manager beside it.
      renderedExample('token-manager/token_manager.py');
      const argv = await python.prepare(renderedExample('token-manager/run_during_check.py'));
      const check = await checkProgram(
        'Python token_manager.py (run_during_check.py)',
        async (client, runMs) => {
          const result = await runSample(
            argv,
            tmpdir(),
            { ...environment(client, runMs), CHECK_SECONDS: String(runMs / 1000) },
            runMs / 1000 + 60,
          );
          if (result.code !== 0)
            throw new Error(`run_during_check.py exited ${result.code}: ${result.stderr}`);
          return result.stdout.trim();
        },
      );
      expect(resultsOf(check)).toEqual(all('pass'));
    },
  );

  it('a naive client fails exactly what it should', { timeout: 150_000 }, async () => {
    const check = await checkProgram(
      'naive client',
      (client, runMs) => driveNaiveClient({ ...driveOptions(client, runMs), scopes: apiScopeNames }),
      { token_endpoint_auth_method: 'client_secret_post' },
    );
    expect(resultsOf(check)).toEqual({
      reuses_tokens: 'fail',
      renews_before_expiry: 'pass',
      single_flight: 'fail',
      // A token per call: the revoked token is never sent again, so there is no retry to see.
      retries_once_on_invalid_token: 'not_observed',
      honours_retry_after: 'fail',
      least_scope: 'fail',
      credentials_in_header: 'fail',
      no_secrets_in_url: 'pass',
    });
  });

  for (const language of ['Go', 'Java'] as const) {
    const missing = toolchain(language).missing();
    it.skipIf(missing !== undefined)(
      skippedTitle(`the guide’s ${language} token client is checked`, missing),
      { timeout: 400_000 },
      async () => {
        const argv = language === 'Go' ? await buildGo() : await buildJava();
        const check = await checkProgram(`${language} token client`, (client, runMs) =>
          runProgram(argv, environment(client, runMs), runMs),
        );
        expect(resultsOf(check)).toEqual(all('pass'));
      },
    );
  }
});
