import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiProfile } from '../../src/lib/api-profile.ts';
import { encodeBasicCredentials } from '../../src/lib/basic-auth.ts';
import {
  clientCheckPath,
  clientChecksPath,
  readCheck,
  sandboxPaths,
  type ClientCheck,
} from '../../src/lib/sandbox-contract/index.ts';
import { openRedisStore } from '../../src/redis-store/redis-store.ts';
import { checkSettleMs } from '../../src/sandbox/checks/checks-endpoint.ts';
import { faultSchedule } from '../../src/sandbox/checks/grading.ts';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox.ts';
import { openSqliteStore } from '../../src/sandbox/store/sqlite-store.ts';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.ts';
import { frozenClock, type FrozenClock } from '../unit/sandbox/harness.ts';

// A check is state behind the Store seam: started on one instance, its faults injected once across
// all of them, its requests graded wherever they arrived; and nothing of it is lost in a restart.
// The sandboxes run in this process on a frozen clock, so each fault's moment is exact.

const issuer = 'http://localhost:4321';
const durationMs = 60_000;

interface Client {
  client_id: string;
  client_secret: string;
  registration_access_token: string;
}

function on(sandbox: Sandbox) {
  const call = (path: string, init?: RequestInit) =>
    sandbox.handle(new Request(`${issuer}${path}`, init), { clientAddress: '192.0.2.1' });
  return {
    call,
    async register(): Promise<Client> {
      const response = await call(sandboxPaths.registration, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scope: apiProfile.readScope }),
      });
      return (await response.json()) as Client;
    },
    async start(client: Client): Promise<ClientCheck> {
      const response = await call(clientChecksPath(client.client_id), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${client.registration_access_token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ duration: durationMs / 1000 }),
      });
      expect(response.status).toBe(201);
      return readCheck(await response.json(), 201);
    },
    token: (client: Client) =>
      call(sandboxPaths.token, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: encodeBasicCredentials(client.client_id, client.client_secret),
        },
        body: `grant_type=client_credentials&scope=${apiProfile.readScope}`,
      }),
    api: (token: string) => call(sandboxPaths.reports, { headers: { authorization: `Bearer ${token}` } }),
    async read(client: Client, id: string): Promise<ClientCheck> {
      const response = await call(clientCheckPath(client.client_id, id));
      expect(response.status).toBe(200);
      return readCheck(await response.json(), 200);
    },
  };
}

const accessToken = async (response: Response) => {
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
};
/** The instances write the requests they saw about once a second. */
const flushed = () => new Promise((resolve) => setTimeout(resolve, 1_300));

describe('a check on two sandbox instances sharing one Redis', () => {
  let redis: TestRedisServer;
  let clock: FrozenClock;
  let a: Sandbox;
  let b: Sandbox;
  beforeAll(async () => {
    redis = await startRedisServer();
    clock = frozenClock(Date.now());
    const prefix = `checks-${randomUUID()}:`;
    a = await createSandbox({ issuer, clock, store: await openRedisStore({ url: redis.url, prefix }) });
    b = await createSandbox({ issuer, clock, store: await openRedisStore({ url: redis.url, prefix }) });
  }, 30_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('injects each fault once across them, and grades the traffic of both', async () => {
    const [onA, onB] = [on(a), on(b)];
    const client = await onA.register();
    const check = await onA.start(client);
    const start = Date.parse(check.started_at);
    const at = (share: number) => clock.advance(start + share * durationMs - clock.now());
    // B learns of the check within its cache's second.
    clock.advance(1_100);
    const first = await onB.token(client);
    expect((await first.clone().json()).expires_in).toBe(30);
    const token = await accessToken(first);
    for (let i = 0; i < 4; i++) expect((await (i % 2 ? onA : onB).api(token)).status).toBe(200);

    at(faultSchedule.token_endpoint_unavailable);
    clock.advance(1_100);
    expect((await onB.token(client)).status).toBe(503);
    clock.advance(3_100);
    const second = await accessToken(await onA.token(client));

    at(faultSchedule.token_revoked);
    clock.advance(1_100);
    expect((await onA.api(second)).status).toBe(200);
    // The token was revoked on A: B refuses it at once.
    expect((await onB.api(second)).status).toBe(401);
    const third = await accessToken(await onB.token(client));
    expect((await onB.api(third)).status).toBe(200);

    at(faultSchedule.api_rate_limited);
    clock.advance(1_100);
    expect((await onB.api(third)).status).toBe(429);
    clock.advance(2_100);
    expect((await onA.api(third)).status).toBe(200);
    expect((await onB.api(third)).status).toBe(200);

    clock.advance(start + durationMs + checkSettleMs - clock.now());
    await flushed();
    const done = await onB.read(client, check.id);
    expect(done.status).toBe('done');
    expect(done.faults.map((fault) => fault.kind)).toEqual([
      'token_endpoint_unavailable',
      'token_revoked',
      'api_rate_limited',
    ]);
    const evidence = Object.fromEntries(done.criteria.map((criterion) => [criterion.id, criterion]));
    // Calls and token requests from both instances: 10 API calls, 4 token requests.
    expect(evidence.reuses_tokens!.evidence).toMatch(/^4 token requests for 10 API calls in 60 s/);
    expect(evidence.retries_once_on_invalid_token!.result).toBe('pass');
    expect(evidence.honours_retry_after!.result).toBe('pass');
    // Graded once: the other instance gives the same report.
    expect(await onA.read(client, check.id)).toEqual(done);
  });
});

describe('a check across a restart of the sandbox', () => {
  const folder = mkdtempSync(join(tmpdir(), 'check-restart-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps the check, its faults and the requests seen before the restart', async () => {
    const clock = frozenClock(Date.now());
    const path = join(folder, 'sandbox.db');
    let sandbox = await createSandbox({ issuer, clock, store: openSqliteStore(path) });
    let at = on(sandbox);
    const client = await at.register();
    const check = await at.start(client);
    const token = await accessToken(await at.token(client));
    for (let i = 0; i < 3; i++) expect((await at.api(token)).status).toBe(200);
    clock.advance(faultSchedule.token_endpoint_unavailable * durationMs + 100);
    expect((await at.token(client)).status).toBe(503);
    // A graceful stop writes what is pending.
    await sandbox.close();

    sandbox = await createSandbox({ issuer, clock, store: openSqliteStore(path) });
    at = on(sandbox);
    clock.advance(3_100);
    const renewed = await accessToken(await at.token(client));
    expect((await at.api(renewed)).status).toBe(200);
    clock.advance(Date.parse(check.ends_at) + checkSettleMs - clock.now());
    const done = await at.read(client, check.id);
    await sandbox.close();
    expect(done.faults.map((fault) => fault.kind)).toEqual(['token_endpoint_unavailable']);
    const reuse = done.criteria.find((criterion) => criterion.id === 'reuses_tokens')!;
    expect(reuse.evidence).toMatch(/^3 token requests for 4 API calls in 60 s/);
  });
});
