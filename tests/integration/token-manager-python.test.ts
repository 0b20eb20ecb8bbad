import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  registerClient,
  startListeningSandbox,
  type ListeningSandbox,
} from '../support/listening-sandbox.ts';
import { renderedExample } from '../support/rendered-examples.ts';
import { apiProfile } from '../../src/lib/api-profile.ts';

// content/examples/token-manager/token_manager.py, the Python twin of the reference client, driven
// by tests/support/token_manager_driver.py against the real sandbox: 5 s tokens, 8 s of calls
// every 0.25 s, a revocation at 6 s.
const driver = fileURLToPath(new URL('../support/token_manager_driver.py', import.meta.url));
const unitTests = fileURLToPath(new URL('../support/token_manager_unit.py', import.meta.url));
/** As the page shows it: the API profile's scope filled in. */
const example = renderedExample('token-manager/token_manager.py');
const tokenLifetimeSeconds = 5;
const runSeconds = 8;
const revokeAtSeconds = 6;

let sandbox: ListeningSandbox;
beforeAll(async () => {
  sandbox = await startListeningSandbox({ dataPath: ':memory:', rateLimit: false });
});
afterAll(async () => {
  await sandbox?.close();
});

interface DriverReport {
  calls: number;
  seconds: number;
  non_200: number[];
  token_requests: number;
  reasons: string[];
  retries_after_401: number[];
  margins: number[];
  refresh_lateness: number[];
  calls_between_due_and_refresh: number[];
  revoked_token: number;
  status_after_revocation: number;
  single_flight: { threads: number; distinct_tokens: number; token_requests: number };
  wrong_secret: { code: string | null; requests?: number; leaks_secret?: boolean };
  events_leak_token: boolean;
}

describe('token_manager.py against the sandbox', () => {
  it(
    'keeps 8 s of calls with 5 s tokens free of 401s, with one token per useful lifetime',
    { timeout: 60_000 },
    async () => {
      const client = await registerClient(sandbox.origin, {
        client_name: 'token lifecycle test',
        access_token_lifetime: tokenLifetimeSeconds,
      });
      const { stdout } = await promisify(execFile)('python3', [driver], {
        env: {
          ...process.env,
          SANDBOX_URL: sandbox.origin,
          CLIENT_ID: client.client_id,
          CLIENT_SECRET: client.client_secret,
          RUN_SECONDS: String(runSeconds),
          CALL_EVERY_SECONDS: '0.25',
          REVOKE_AT_SECONDS: String(revokeAtSeconds),
          SCOPE: apiProfile.readScope,
        },
        timeout: 45_000,
      });
      const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as DriverReport;
      console.info(`token_manager.py: ${JSON.stringify(report)}`);

      expect(report.non_200).toEqual([]);
      // A call every 0.25 s is 32 calls; on a loaded machine each call takes longer and fewer fit
      // (26 at a load average of 19). At least one every half second: the loop never stalled.
      expect(report.calls).toBeGreaterThanOrEqual(16);
      expect(report.single_flight).toEqual({ threads: 8, distinct_tokens: 1, token_requests: 1 });

      // The one 401 is the revocation's: every other token was replaced before it expired, since the
      // margin, min(60 s, 5 s / 2) = 2.5 s, outlasts the sandbox's whole-second exp (up to 1 s early).
      expect(report.retries_after_401).toEqual([report.revoked_token]);
      expect(report.status_after_revocation).toBe(200);
      expect(report.margins).toEqual(Array(report.token_requests).fill(2.5));
      // Each refresh came at the first call at or after refresh_at (never before it), counted in
      // calls rather than seconds, which a loaded machine stretches.
      for (const lateness of report.refresh_lateness) expect(lateness).toBeGreaterThanOrEqual(0);
      expect(report.calls_between_due_and_refresh).toHaveLength(report.refresh_lateness.length);
      for (const calls of report.calls_between_due_and_refresh) expect(calls).toBeLessThanOrEqual(1);

      // Token 1 just before the calls start, refreshed at 2.5 s; token 2 refreshed at 5 to 5.25 s;
      // token 3 revoked at 6 s and replaced; token 4 due at 8.5 s, after the last call (7.75 s).
      expect(report.reasons).toEqual(['no-token', 'proactive-refresh', 'proactive-refresh', 'rejected']);
      expect(report.revoked_token).toBe(3);

      expect(report.wrong_secret).toEqual({ code: 'invalid_client', requests: 1, leaks_secret: false });
      expect(report.events_leak_token).toBe(false);
    },
  );

  it('passes its rule-by-rule unit tests on a fake clock', async () => {
    const { stderr } = await promisify(execFile)('python3', [unitTests, '-v'], { timeout: 30_000 });
    expect(stderr).toMatch(/^Ran 18 tests in .*\n\nOK\s*$/m);
    expect(stderr).not.toMatch(/skipped|FAIL|ERROR/);
  });

  it('runs as the standalone example the guide shows: three calls, one token', async () => {
    const client = await registerClient(sandbox.origin, {
      client_name: 'token lifecycle test',
      access_token_lifetime: 60,
    });
    const { stdout } = await promisify(execFile)('python3', [example], {
      env: {
        ...process.env,
        SANDBOX_URL: sandbox.origin,
        CLIENT_ID: client.client_id,
        CLIENT_SECRET: client.client_secret,
      },
      timeout: 30_000,
    });
    expect(stdout.trim().split('\n')).toEqual([
      'call 1: GET /api/v1/reports: HTTP 200',
      'call 2: GET /api/v1/reports: HTTP 200',
      'call 3: GET /api/v1/reports: HTTP 200',
      'token requests: 1',
    ]);
  });
});
