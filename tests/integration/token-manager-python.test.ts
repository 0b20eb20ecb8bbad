import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient, startInProcessSandbox, type InProcessSandbox } from '../support/in-process-sandbox.ts';

// content/examples/token-manager/token_manager.py, the Python twin of the reference client, driven
// by tests/support/token_manager_driver.py against the real sandbox: 5 s tokens, 8 s of calls,
// a revocation at 6 s.
const driver = fileURLToPath(new URL('../support/token_manager_driver.py', import.meta.url));
const unitTests = fileURLToPath(new URL('../support/token_manager_unit.py', import.meta.url));
const example = fileURLToPath(new URL('../../content/examples/token-manager/token_manager.py', import.meta.url));
const tokenLifetimeSeconds = 5;
const runSeconds = 8;
const revokeAtSeconds = 6;

let sandbox: InProcessSandbox;
beforeAll(async () => {
  sandbox = await startInProcessSandbox();
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
  retry_lead: number[];
  revoked_token: number;
  status_after_revocation: number;
  single_flight: { threads: number; distinct_tokens: number; token_requests: number };
  wrong_secret: { code: string | null; requests?: number; leaks_secret?: boolean };
  events_leak_token: boolean;
}

describe('token_manager.py against the sandbox', () => {
  it('keeps 8 s of calls with 5 s tokens free of 401s, with one token per useful lifetime', { timeout: 60_000 }, async () => {
    const client = await registerClient(sandbox.origin, tokenLifetimeSeconds);
    const { stdout } = await promisify(execFile)('python3', [driver], {
      env: {
        ...process.env,
        SANDBOX_URL: sandbox.origin,
        CLIENT_ID: client.client_id,
        CLIENT_SECRET: client.client_secret,
        RUN_SECONDS: String(runSeconds),
        CALL_EVERY_SECONDS: '0.25',
        REVOKE_AT_SECONDS: String(revokeAtSeconds),
      },
      timeout: 45_000,
    });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as DriverReport;
    console.info(`token_manager.py: ${JSON.stringify(report)}`);

    expect(report.non_200).toEqual([]);
    expect(report.calls).toBeGreaterThanOrEqual(28);
    expect(report.single_flight).toEqual({ threads: 8, distinct_tokens: 1, token_requests: 1 });

    expect(report.retries_after_401).toContain(report.revoked_token);
    expect(report.status_after_revocation).toBe(200);
    expect(report.reasons).toContain('rejected');
    // Other 401s only in a token's last second (the sandbox's whole-second exp), never earlier.
    report.retries_after_401.forEach((token, index) => {
      if (token !== report.revoked_token) expect(report.retry_lead[index]).toBeLessThanOrEqual(1);
    });

    // Token 1 at 0 s, replaced at the end of its life (4.5 s, or up to 1 s earlier when the
    // sandbox's whole-second exp makes the API refuse it first), the next revoked at 6 s: 3 tokens.
    const endOfLife = report.reasons.filter((reason) => reason === 'proactive-refresh').length + report.retries_after_401.filter((token) => token !== report.revoked_token).length;
    expect(endOfLife).toBe(1);
    expect(report.token_requests).toBe(3);

    expect(report.wrong_secret).toEqual({ code: 'invalid_client', requests: 1, leaks_secret: false });
    expect(report.events_leak_token).toBe(false);
  });

  it('passes its rule-by-rule unit tests on a fake clock', async () => {
    const { stderr } = await promisify(execFile)('python3', [unitTests, '-v'], { timeout: 30_000 });
    expect(stderr).toMatch(/^Ran 13 tests in .*\n\nOK\s*$/m);
    expect(stderr).not.toMatch(/skipped|FAIL|ERROR/);
  });

  it('runs as the standalone example the guide shows: three calls, one token', async () => {
    const client = await registerClient(sandbox.origin, 60);
    const { stdout } = await promisify(execFile)('python3', [example], {
      env: { ...process.env, SANDBOX_URL: sandbox.origin, CLIENT_ID: client.client_id, CLIENT_SECRET: client.client_secret },
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
