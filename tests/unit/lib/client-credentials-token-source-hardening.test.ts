import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ClientCredentialsTokenSource,
  defaultExpiresInSeconds,
} from '../../../src/lib/client-credentials-token-source.ts';
import { TokenSourceError } from '../../../src/lib/token-source-error.ts';
import { clientSecret, createHarness, oauthError, tokenResponse } from './token-source-harness.ts';

async function errorOf(promise: Promise<unknown>): Promise<TokenSourceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenSourceError) return error;
    throw error;
  }
  throw new Error('expected a TokenSourceError');
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

/** A loopback server on a free port (port 0), closed after the test. */
async function serve(
  handler: (request: IncomingMessage, body: string) => [number, Record<string, string>, string],
) {
  const server = createServer((request, reply) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const [status, headers, text] = handler(request, body);
      reply.writeHead(status, headers).end(text);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('token requests never follow a redirect (the secret would go with it)', () => {
  it.each([301, 302, 303, 307, 308])(
    'a %d from the token endpoint is an error that says so, and the other host gets nothing',
    async (status) => {
      const elsewhere: string[] = [];
      const attacker = await serve((request, body) => {
        elsewhere.push(`${request.headers.authorization ?? ''} ${body}`);
        return [
          200,
          { 'content-type': 'application/json' },
          JSON.stringify({ access_token: 'theirs', token_type: 'Bearer', expires_in: 3600 }),
        ];
      });
      const endpoint = await serve(() => [status, { location: `${attacker}/oauth/token` }, '']);
      const source = new ClientCredentialsTokenSource({
        tokenEndpoint: `${endpoint}/oauth/token`,
        clientId: 'client',
        clientSecret: 'secret',
        authMethod: 'client_secret_post',
      });
      const error = await errorOf(source.getToken());
      expect(error.code).toBe('token_endpoint_redirected');
      expect(error.status).toBe(status);
      expect(error.message).toMatch(/redirect/i);
      expect(elsewhere).toEqual([]);
    },
  );

  it('asks fetch not to follow, and does not retry a redirect', async () => {
    const inits: RequestInit[] = [];
    const h = createHarness({
      tokenAnswer: () =>
        new Response(null, { status: 307, headers: { location: 'https://elsewhere.test/token' } }),
    });
    const source = new ClientCredentialsTokenSource({
      tokenEndpoint: 'https://auth.example.test/oauth/token',
      clientId: 'c',
      clientSecret,
      fetch: async (_input, init) => {
        inits.push(init ?? {});
        return new Response(null, { status: 307, headers: { location: 'https://elsewhere.test/token' } });
      },
      sleep: async () => {},
    });
    expect((await errorOf(source.getToken())).code).toBe('token_endpoint_redirected');
    expect(inits).toHaveLength(1);
    expect(inits[0]!.redirect).toBe('manual');
    expect(h.tokenRequests).toHaveLength(0);
  });
});

describe('each token request attempt has a timeout, retried like a network failure', () => {
  it('gives up on an attempt that never answers, and the next attempt gets the token', async () => {
    let attempts = 0;
    const signals: (AbortSignal | undefined)[] = [];
    const h = createHarness({
      options: {
        attemptTimeoutMs: 50,
        fetch: (_input, init) => {
          attempts++;
          signals.push(init?.signal ?? undefined);
          // The first attempt hangs, ignoring its signal even: the timeout must not rely on it.
          if (attempts === 1) return new Promise<Response>(() => {});
          return Promise.resolve(tokenResponse('token-2'));
        },
      },
    });
    expect(await h.source.getToken()).toBe('token-2');
    expect(h.eventsOf('backing-off')).toMatchObject([
      { attempt: 1, cause: 'network-error', status: undefined },
    ]);
    expect(signals[0]?.aborted).toBe(true);
  });

  it('times out a body that never ends', async () => {
    const endpoint = await serve(() => [200, { 'content-type': 'application/json' }, '']);
    let attempts = 0;
    const source = new ClientCredentialsTokenSource({
      tokenEndpoint: `${endpoint}/oauth/token`,
      clientId: 'c',
      clientSecret: 's',
      attemptTimeoutMs: 100,
      maxAttempts: 2,
      sleep: async () => {},
      fetch: async (input, init) => {
        attempts++;
        // Headers at once, then a body that trickles forever.
        const stream = new ReadableStream({
          start: (controller) => controller.enqueue(new TextEncoder().encode('{')),
        });
        void input;
        void init;
        return new Response(stream, { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const error = await errorOf(source.getToken());
    expect(error.code).toBe('token_endpoint_unavailable');
    expect(attempts).toBe(2);
  });
});

describe('a failed early refresh keeps serving the still-valid token', () => {
  it.each([
    ['the token endpoint is down', () => new Response('busy', { status: 503 })],
    ['the credentials are refused', () => oauthError(401, 'invalid_client')],
  ])(
    '%s: the cached token is returned until it expires, and the failure is an event',
    async (_case, failure) => {
      let failing = false;
      const h = createHarness({
        expiresIn: 3600,
        tokenAnswer: (n) => (failing ? failure() : tokenResponse(`token-${n}`, 3600)),
        options: { maxAttempts: 2 },
      });
      const start = h.clock.now;
      expect(await h.source.getToken()).toBe('token-1');
      failing = true;
      h.clock.now = start + 3_540_000; // the refresh moment
      expect(await h.source.getToken()).toBe('token-1');
      const [failed] = h.eventsOf('early-refresh-failed');
      expect(failed).toMatchObject({ token: 1, expiresAt: start + 3_600_000 });
      // No new request at every call: the next try waits for half the time left.
      const requests = h.tokenRequests.length;
      expect(await h.source.getToken()).toBe('token-1');
      expect(h.tokenRequests.length).toBe(requests);
      // Past expiry the failure is the caller's.
      h.clock.now = start + 3_600_000;
      await expect(h.source.getToken()).rejects.toBeInstanceOf(TokenSourceError);
      failing = false;
      expect(await h.source.getToken()).toMatch(/^token-/);
    },
  );
});

describe('a token answer without expires_in', () => {
  it(`is given a default lifetime of ${defaultExpiresInSeconds} s, refreshed like any other`, async () => {
    const h = createHarness({ tokenAnswer: (n) => tokenResponse(`token-${n}`, 'absent') });
    const start = h.clock.now;
    await h.source.getToken();
    const lifetime = defaultExpiresInSeconds * 1000;
    expect(h.eventsOf('token-issued')[0]).toMatchObject({
      expiresAt: start + lifetime,
      refreshAt: start + lifetime - Math.min(60_000, lifetime / 2),
      lifetimeAssumed: true,
    });
    h.clock.now = start + lifetime - 60_000;
    expect(await h.source.getToken()).toBe('token-2');
  });

  it('takes its default from the option', async () => {
    const h = createHarness({
      tokenAnswer: (n) => tokenResponse(`token-${n}`, 'absent'),
      options: { defaultExpiresInSeconds: 30 },
    });
    const start = h.clock.now;
    await h.source.getToken();
    expect(h.eventsOf('token-issued')[0]).toMatchObject({
      expiresAt: start + 30_000,
      refreshAt: start + 15_000,
    });
  });
});
