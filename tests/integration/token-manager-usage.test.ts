import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  registerClient,
  startListeningSandbox,
  type ListeningSandbox,
} from '../support/listening-sandbox.ts';
import { renderedExample } from '../support/rendered-examples.ts';

// content/examples/token-manager/token-manager-usage.ts, run as a reader runs it (as the page shows
// it: the API profile's scope filled in), against the real sandbox.
const example = renderedExample('token-manager/token-manager-usage.ts');
const run = promisify(execFile);

let sandbox: ListeningSandbox;
beforeAll(async () => {
  sandbox = await startListeningSandbox({ dataPath: ':memory:', rateLimit: false });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('token-manager-usage.ts', () => {
  // Even 5 s tokens (the sandbox's shortest) are refreshed only after 2.5 s: min(60 s, lifetime / 2).
  it.each([5, 60, 3600])(
    'makes three calls with one token request, with %d s tokens',
    async (lifetimeSeconds) => {
      const client = await registerClient(sandbox.origin, {
        client_name: 'token lifecycle test',
        access_token_lifetime: lifetimeSeconds,
      });
      expect(client.access_token_lifetime).toBe(lifetimeSeconds);
      const { stdout } = await run(process.execPath, [example], {
        env: {
          ...process.env,
          SANDBOX_URL: sandbox.origin,
          CLIENT_ID: client.client_id,
          CLIENT_SECRET: client.client_secret,
        },
        timeout: 15_000,
      });
      expect(stdout.trim().split('\n')).toEqual([
        'call 1: GET /api/v1/reports: HTTP 200',
        'call 2: GET /api/v1/reports: HTTP 200',
        'call 3: GET /api/v1/reports: HTTP 200',
        'token requests: 1',
      ]);
    },
  );

  it('exits 1 with a clear message, and without the secret, when the secret is wrong', async () => {
    const client = await registerClient(sandbox.origin, {
      client_name: 'token lifecycle test',
      access_token_lifetime: 60,
    });
    const wrongSecret = `${client.client_secret}-wrong`;
    const failure = await run(process.execPath, [example], {
      env: {
        ...process.env,
        SANDBOX_URL: sandbox.origin,
        CLIENT_ID: client.client_id,
        CLIENT_SECRET: wrongSecret,
      },
      timeout: 15_000,
    }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(
      /^Token request failed: invalid_client: The token endpoint refused the client credentials \(HTTP 401 invalid_client/,
    );
    expect(`${failure?.stdout}${failure?.stderr}`).not.toContain(wrongSecret);
  });
});
