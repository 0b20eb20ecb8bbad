/**
 * The production entry (src/server/start.ts) as an operator runs it: its request log during a
 * full flow, SIGTERM with a request in flight, a restart on the same store, and kill -9 in the
 * middle of registrations. Every server here is a real child process on loopback.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from '../../src/lib/basic-auth.ts';
import { startProductionServer, type ProductionServer } from '../support/production-server.ts';

const folder = mkdtempSync(join(tmpdir(), 'sandbox-operations-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Client {
  client_id: string;
  client_secret: string;
}

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
const register = async (origin: string, metadata: Record<string, unknown> = {}) => {
  const response = await fetch(`${origin}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(metadata),
  });
  expect(response.status).toBe(201);
  return { response, client: (await response.json()) as Client };
};
const tokenRequest = (origin: string, client: Client, secret = client.client_secret) =>
  fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { ...formHeaders, authorization: encodeBasicCredentials(client.client_id, secret) },
    body: 'grant_type=client_credentials',
  });
const accessToken = async (origin: string, client: Client) => {
  const response = await tokenRequest(origin, client);
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
};
const api = (origin: string, token: string) =>
  fetch(`${origin}/api/v1/reports`, { headers: { authorization: `Bearer ${token}` } });

/** The JSON lines of a server's output. */
function logLines(server: ProductionServer): Record<string, unknown>[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the request log during a full flow', () => {
  it(
    'has one JSON line per request, keyed by x-request-id, and no secret and no complete token',
    { timeout: 120_000 },
    async () => {
      const server = await startProductionServer({ SANDBOX_DATA: join(folder, 'log.db') });
      const { origin } = server;
      const responses: Response[] = [];
      const secrets: string[] = [];
      const track = async (response: Response | Promise<Response>) => {
        const settled = await response;
        responses.push(settled);
        return settled;
      };

      const basicRegistration = await register(origin);
      const postRegistration = await register(origin, { token_endpoint_auth_method: 'client_secret_post' });
      responses.push(basicRegistration.response, postRegistration.response);
      const basic = basicRegistration.client;
      const post = postRegistration.client;
      secrets.push(basic.client_secret, post.client_secret);

      // Tokens, both client authentication methods.
      const token = ((await (await track(tokenRequest(origin, basic))).json()) as { access_token: string })
        .access_token;
      const postTokenResponse = await track(
        fetch(`${origin}/oauth/token`, {
          method: 'POST',
          headers: formHeaders,
          body: `grant_type=client_credentials&client_id=${post.client_id}&client_secret=${post.client_secret}`,
        }),
      );
      const postToken = ((await postTokenResponse.json()) as { access_token: string }).access_token;

      // Failed authentications: wrong secrets by both methods, a secret pasted as the client_id,
      // and a secret in the URL (refused before anything is read).
      const wrongSecrets = [
        'wrong-secret-one-1f2e3d',
        'wrong-secret-two-4c5b6a',
        'wrong-secret-three-7a8b9c',
      ];
      secrets.push(...wrongSecrets);
      for (const wrong of wrongSecrets)
        expect((await track(tokenRequest(origin, basic, wrong))).status).toBe(401);
      expect(
        (
          await track(
            fetch(`${origin}/oauth/token`, {
              method: 'POST',
              headers: formHeaders,
              body: `grant_type=client_credentials&client_id=${post.client_id}&client_secret=${wrongSecrets[0]}`,
            }),
          )
        ).status,
      ).toBe(401);
      expect(
        (
          await track(
            tokenRequest(origin, { client_id: basic.client_secret, client_secret: basic.client_secret }),
          )
        ).status,
      ).toBe(401);
      expect(
        (
          await track(
            fetch(`${origin}/oauth/token?client_secret=${basic.client_secret}`, {
              method: 'POST',
              headers: formHeaders,
              body: 'grant_type=client_credentials',
            }),
          )
        ).status,
      ).toBe(400);

      // API calls: good, writing, forged, malformed.
      expect((await track(api(origin, token))).status).toBe(200);
      expect(
        (
          await track(
            fetch(`${origin}/api/v1/reports`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: '{"title":"Log test"}',
            }),
          )
        ).status,
      ).toBe(201);
      const forged = `${token.slice(0, token.lastIndexOf('.') + 1)}${'A'.repeat(86)}`;
      expect((await track(api(origin, forged))).status).toBe(401);

      // Introspection and revocation, then the revoked token refused.
      const introspect = (tokenValue: string) =>
        track(
          fetch(`${origin}/oauth/introspect`, {
            method: 'POST',
            headers: {
              ...formHeaders,
              authorization: encodeBasicCredentials(basic.client_id, basic.client_secret),
            },
            body: `token=${tokenValue}`,
          }),
        );
      expect(await (await introspect(token)).json()).toMatchObject({ active: true });
      expect(
        (
          await track(
            fetch(`${origin}/oauth/revoke`, {
              method: 'POST',
              headers: {
                ...formHeaders,
                authorization: encodeBasicCredentials(basic.client_id, basic.client_secret),
              },
              body: `token=${token}`,
            }),
          )
        ).status,
      ).toBe(200);
      expect((await track(api(origin, token))).status).toBe(401);
      expect(await (await introspect(token)).json()).toEqual({ active: false });
      // A page of the guide is logged too.
      expect((await track(fetch(`${origin}/`))).status).toBe(200);

      expect(await server.stop()).toBe(0);
      const output = server.output();
      const lines = logLines(server);

      // No secret, no complete token, no Basic credentials, in any form.
      for (const secret of [...secrets, token, postToken, forged]) expect(output).not.toContain(secret);
      for (const complete of [token, postToken]) expect(output).not.toContain(complete.split('.')[2]);
      for (const secret of secrets) {
        expect(output).not.toContain(encodeURIComponent(secret));
        expect(output).not.toContain(Buffer.from(`${basic.client_id}:${secret}`).toString('base64'));
      }

      // One line per request, found by its id, with what an operator needs.
      const requests = lines.filter((line) => line.message === 'request');
      for (const response of responses) {
        const id = response.headers.get('x-request-id');
        const matching = requests.filter((line) => line.request_id === id);
        expect(matching).toHaveLength(1);
        expect(matching[0]).toMatchObject({
          level: 'info',
          status: response.status,
          method: expect.any(String),
          path: new URL(response.url).pathname,
          duration_ms: expect.any(Number),
          time: expect.any(String),
        });
      }
      const tokenLines = requests.filter((line) => line.path === '/oauth/token');
      expect(
        tokenLines
          .filter((line) => line.status === 200)
          .map((line) => line.client_id)
          .sort(),
      ).toEqual([basic.client_id, post.client_id].sort());
      expect(
        tokenLines.filter((line) => line.status === 401 && line.client_id === basic.client_id),
      ).toHaveLength(3);
      expect(
        tokenLines.filter((line) => line.status === 401).every((line) => line.error === 'invalid_client'),
      ).toBe(true);
    },
  );
});

describe('SIGTERM', () => {
  it(
    'finishes the request in flight, closes the store cleanly, exits 0, and refuses new connections meanwhile',
    { timeout: 120_000 },
    async () => {
      const dataPath = join(folder, 'drain.db');
      const server = await startProductionServer({ SANDBOX_DATA: dataPath });
      const { port, hostname } = new URL(server.origin);

      // A registration whose body is still on its way when SIGTERM arrives.
      const body = JSON.stringify({ client_name: 'in flight during shutdown' });
      const socket = connect(Number(port), hostname);
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.write(
        `POST /oauth/register HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));

      const exited = new Promise<number | null>((resolve) =>
        server.process.once('exit', (code) => resolve(code)),
      );
      server.process.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(server.process.exitCode).toBeNull();
      // No new connection is accepted while the last request finishes.
      await expect(fetch(`${server.origin}/oauth/jwks`)).rejects.toThrow();

      socket.write(body.slice(10));
      await closed;
      expect(answer).toMatch(/^HTTP\/1\.1 201 /);
      expect(answer.toLowerCase()).toContain('connection: close');
      const client = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Client;
      expect(await exited).toBe(0);
      expect(server.output()).toContain('"message":"Stopped."');
      // A clean close checkpoints the write-ahead log into the database and removes it.
      expect(!existsSync(`${dataPath}-wal`) || statSync(`${dataPath}-wal`).size === 0).toBe(true);

      // The client registered during the shutdown is there after a restart.
      const restarted = await startProductionServer({ SANDBOX_DATA: dataPath });
      try {
        expect((await tokenRequest(restarted.origin, client)).status).toBe(200);
      } finally {
        await restarted.stop();
      }
    },
  );
});

describe('restart on the same store', () => {
  it('keeps clients, signing keys and revocations', { timeout: 120_000 }, async () => {
    const env = { SANDBOX_DATA: join(folder, 'restart.db'), SITE_URL: 'http://sandbox.restart.test' };
    const first = await startProductionServer(env);
    const { client } = await register(first.origin);
    const kept = await accessToken(first.origin, client);
    const revoked = await accessToken(first.origin, client);
    const revocation = await fetch(`${first.origin}/oauth/revoke`, {
      method: 'POST',
      headers: {
        ...formHeaders,
        authorization: encodeBasicCredentials(client.client_id, client.client_secret),
      },
      body: `token=${revoked}`,
    });
    expect(revocation.status).toBe(200);
    const jwksBefore = await (await fetch(`${first.origin}/oauth/jwks`)).json();
    expect(await first.stop()).toBe(0);

    const second = await startProductionServer(env);
    try {
      expect(await (await fetch(`${second.origin}/oauth/jwks`)).json()).toEqual(jwksBefore);
      expect((await api(second.origin, kept)).status).toBe(200);
      expect((await api(second.origin, revoked)).status).toBe(401);
      expect((await api(second.origin, await accessToken(second.origin, client))).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});

describe('kill -9 in the middle of registrations', () => {
  it('loses no client whose registration was answered 201', { timeout: 120_000 }, async () => {
    const dataPath = join(folder, 'crash.db');
    const server = await startProductionServer({ SANDBOX_DATA: dataPath, SANDBOX_RATE_LIMIT: 'off' });
    const registered: Client[] = [];
    let stop = false;
    let failedAfterKill = 0;
    const worker = async () => {
      while (!stop) {
        try {
          const response = await fetch(`${server.origin}/oauth/register`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"client_name":"crash test"}',
          });
          if (response.status === 201) registered.push((await response.json()) as Client);
        } catch {
          failedAfterKill++;
          return;
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    // Kill a busy server: once more than 50 registrations have been answered (however long a
    // loaded machine takes to get there), with 8 more in flight.
    while (registered.length <= 50) await new Promise((resolve) => setTimeout(resolve, 20));
    const exited = new Promise((resolve) => server.process.once('exit', resolve));
    server.process.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await exited;
    expect(registered.length).toBeGreaterThan(50);
    // The kill caught requests in flight: the test really crashed a busy server.
    expect(failedAfterKill).toBeGreaterThan(0);

    const restarted = await startProductionServer({ SANDBOX_DATA: dataPath });
    try {
      // In batches: on a quiet machine the workers register well over a thousand clients, and
      // that many requests at once would meet the server's connection cap (1,000), not the store.
      const statuses: number[] = [];
      for (let start = 0; start < registered.length; start += 50) {
        const batch = registered.slice(start, start + 50);
        statuses.push(
          ...(await Promise.all(
            batch.map(async (client) => (await tokenRequest(restarted.origin, client)).status),
          )),
        );
      }
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      console.log(
        `kill -9: ${registered.length} registrations answered 201 before the kill, ${failedAfterKill} requests cut off by it; all ${registered.length} clients authenticate after the restart`,
      );
    } finally {
      await restarted.stop();
    }
  });
});
