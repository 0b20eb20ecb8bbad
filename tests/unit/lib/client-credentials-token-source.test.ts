import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenSourceError } from '../../../src/lib/token-source-error.ts';
import {
  apiUrl,
  clientSecret,
  createHarness,
  invalidTokenResponse,
  oauthError,
  tokenResponse,
  type TokenAnswer,
} from './token-source-harness.ts';
import { apiProfile } from '../../../src/lib/api-profile.ts';

const { readScope, writeScope } = apiProfile;

async function errorOf(promise: Promise<unknown>): Promise<TokenSourceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenSourceError) return error;
    throw error;
  }
  throw new Error('expected a TokenSourceError');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('caching', () => {
  it('requests a token once and serves it from the cache while it is fresh', async () => {
    const h = createHarness();
    expect(await h.source.getToken()).toBe('token-1');
    h.advance(3_000_000);
    expect(await h.source.getToken()).toBe('token-1');
    expect(h.tokenRequests).toHaveLength(1);
    expect(h.eventsOf('token-requested').map((event) => event.reason)).toEqual(['no-token']);
  });

  it('sends the request the token endpoint expects', async () => {
    const h = createHarness();
    await h.source.getToken();
    const [request] = h.tokenRequests;
    expect(request!.headers.get('authorization')).toMatch(/^Basic /);
    expect(Object.fromEntries(new URLSearchParams(request!.body))).toEqual({
      grant_type: 'client_credentials',
      scope: readScope,
    });
  });
});

describe('proactive refresh: a margin of 60 s or half the lifetime, whichever is smaller, before expiry', () => {
  it.each([
    // expires_in (s), refresh moment (ms after the request was sent) = expires_in - min(60 s, expires_in / 2)
    [3600, 3_540_000],
    [600, 540_000],
    [300, 240_000],
    [121, 61_000],
    [120, 60_000],
    [90, 45_000],
    [60, 30_000],
    [10, 5_000],
    [5, 2_500],
  ])(
    'a token with expires_in %d is refreshed %d ms after it was requested',
    async (expiresIn, refreshAfter) => {
      const h = createHarness({ expiresIn });
      const start = h.clock.now;
      await h.source.getToken();
      expect(h.eventsOf('token-issued')[0]).toMatchObject({
        token: 1,
        expiresAt: start + expiresIn * 1000,
        refreshAt: start + refreshAfter,
      });

      h.clock.now = start + refreshAfter - 1;
      expect(await h.source.getToken()).toBe('token-1');
      h.clock.now = start + refreshAfter;
      expect(await h.source.getToken()).toBe('token-2');
      expect(h.eventsOf('token-requested').map((event) => event.reason)).toEqual([
        'no-token',
        'proactive-refresh',
      ]);
    },
  );

  it('counts the lifetime from when the request was sent, not from when the answer came', async () => {
    const h = createHarness({ expiresIn: 100, latencyMs: 2_000 });
    const sentAt = h.clock.now;
    await h.source.getToken();
    expect(h.eventsOf('token-issued')[0]).toMatchObject({
      expiresAt: sentAt + 100_000,
      refreshAt: sentAt + 50_000,
    });
  });

  it('says "expired" when the cached token outlived its lifetime, as a clock jumping 90 s ahead makes it', async () => {
    const h = createHarness({ expiresIn: 10 });
    await h.source.getToken();
    h.advance(90_000);
    expect(await h.source.getToken()).toBe('token-2');
    // After the jump the new token's life is counted on the same (skewed) clock: refreshes go on as before.
    h.advance(4_999);
    expect(await h.source.getToken()).toBe('token-2');
    h.advance(1);
    expect(await h.source.getToken()).toBe('token-3');
    expect(h.eventsOf('token-requested').map((event) => event.reason)).toEqual([
      'no-token',
      'expired',
      'proactive-refresh',
    ]);
  });
});

describe('single flight', () => {
  it('gives concurrent callers one token request', async () => {
    const h = createHarness();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => h.source.getToken()));
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(h.tokenRequests).toHaveLength(1);
  });

  it('gives concurrent callers one refresh when the token enters its margin', async () => {
    const h = createHarness({ expiresIn: 10 });
    await h.source.getToken();
    h.advance(5_000); // the first moment of its 5 s margin
    await Promise.all(Array.from({ length: 5 }, () => h.source.fetch(apiUrl)));
    expect(h.apiRequests.map((request) => request.headers.get('authorization'))).toEqual(
      Array(5).fill('Bearer token-2'),
    );
    expect(h.tokenRequests).toHaveLength(2);
  });

  it('fails every waiting caller with the one error, and the next call tries again', async () => {
    const h = createHarness({
      tokenAnswer: (n) => (n === 1 ? oauthError(400, 'invalid_scope') : tokenResponse('token-2')),
    });
    const results = await Promise.allSettled([h.source.getToken(), h.source.getToken(), h.source.getToken()]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(h.tokenRequests).toHaveLength(1);
    expect(await h.source.getToken()).toBe('token-2');
    expect(h.eventsOf('token-requested').map((event) => event.reason)).toEqual(['no-token', 'no-token']);
  });
});

describe('fetch: Bearer, and one retry after 401 invalid_token', () => {
  it('adds Authorization: Bearer and keeps the caller’s other headers and body', async () => {
    const h = createHarness();
    const response = await h.source.fetch(apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title":"x"}',
    });
    expect(response.status).toBe(200);
    const [request] = h.apiRequests;
    expect(request!.headers.get('authorization')).toBe('Bearer token-1');
    expect(request!.headers.get('content-type')).toBe('application/json');
    expect(request!.body).toBe('{"title":"x"}');
  });

  it('drops a refused token and retries once with a new one', async () => {
    const h = createHarness({
      apiAnswer: (token) => (token === 'token-1' ? invalidTokenResponse() : Response.json({})),
    });
    const response = await h.source.fetch(new Request(apiUrl, { method: 'POST', body: 'payload' }));
    expect(response.status).toBe(200);
    expect(h.apiRequests.map((request) => [request.headers.get('authorization'), request.body])).toEqual([
      ['Bearer token-1', 'payload'],
      ['Bearer token-2', 'payload'],
    ]);
    expect(h.eventsOf('retrying-after-invalid-token')).toEqual([
      { type: 'retrying-after-invalid-token', at: h.clock.now, token: 1 },
    ]);
    expect(h.eventsOf('token-requested').map((event) => event.reason)).toEqual(['no-token', 'rejected']);
  });

  it('retries only once: a second 401 goes back to the caller', async () => {
    const h = createHarness({ apiAnswer: () => invalidTokenResponse() });
    const response = await h.source.fetch(apiUrl);
    expect(response.status).toBe(401);
    expect(h.apiRequests).toHaveLength(2);
    expect(h.tokenRequests).toHaveLength(2);
  });

  it.each([
    [
      '401 without an error code (no credentials, RFC 6750 §3.1)',
      () => new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer realm="api"' } }),
    ],
    ['401 without WWW-Authenticate', () => new Response(null, { status: 401 })],
    [
      '401 invalid_token in a Basic challenge',
      () =>
        new Response(null, {
          status: 401,
          headers: { 'www-authenticate': 'Basic realm="x", error="invalid_token"' },
        }),
    ],
    [
      '403 insufficient_scope',
      () =>
        new Response(null, {
          status: 403,
          headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${writeScope}"` },
        }),
    ],
    [
      '400 invalid_request',
      () =>
        new Response(null, {
          status: 400,
          headers: { 'www-authenticate': 'Bearer error="invalid_request"' },
        }),
    ],
    ['500', () => new Response(null, { status: 500 })],
  ])('does not retry %s', async (_case, answer) => {
    const h = createHarness({ apiAnswer: answer });
    await h.source.fetch(apiUrl);
    expect(h.apiRequests).toHaveLength(1);
    expect(h.tokenRequests).toHaveLength(1);
  });

  it('retries 401 invalid_token whatever the challenge’s case and other challenges', async () => {
    const h = createHarness({
      apiAnswer: (token) =>
        token === 'token-1'
          ? new Response(null, {
              status: 401,
              headers: { 'www-authenticate': 'Basic realm="x", bearer realm="api", error=invalid_token' },
            })
          : Response.json({}),
    });
    expect((await h.source.fetch(apiUrl)).status).toBe(200);
    expect(h.apiRequests).toHaveLength(2);
  });

  it('gives concurrent callers refused with the same token one new token', async () => {
    const h = createHarness({
      apiAnswer: (token) => (token === 'token-1' ? invalidTokenResponse() : Response.json({})),
    });
    await h.source.getToken();
    const responses = await Promise.all([
      h.source.fetch(apiUrl),
      h.source.fetch(apiUrl),
      h.source.fetch(apiUrl),
    ]);
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(h.tokenRequests).toHaveLength(2);
  });
});

describe('back-off on 429, 5xx and network failures', () => {
  const unavailable = () => new Response('busy', { status: 503 });

  it.each<[string, number[], TokenAnswer[], number]>([
    // case, expected sleeps (base 500 ms, doubling, equal jitter), answers before the token, random()
    ['503, 503, then a token', [250, 500], [unavailable(), unavailable()], 0],
    [
      '503, 503, 503, then a token, random near 1',
      [500, 1000, 1999],
      [unavailable(), unavailable(), unavailable()],
      0.999,
    ],
    ['502 then a token', [375], [new Response(null, { status: 502 })], 0.5],
    ['a network failure then a token', [250], [new TypeError('fetch failed')], 0],
    [
      '429 Retry-After: 3 then a token',
      [3000],
      [new Response(null, { status: 429, headers: { 'retry-after': '3' } })],
      0,
    ],
    [
      '429 Retry-After: 3, random 0.5 (jitter on top)',
      [3125],
      [new Response(null, { status: 429, headers: { 'retry-after': '3' } })],
      0.5,
    ],
    [
      '503 Retry-After as an HTTP-date 10 s ahead',
      [10_000],
      [
        new Response(null, {
          status: 503,
          headers: { 'retry-after': new Date(1_000_000 + 10_000).toUTCString() },
        }),
      ],
      0,
    ],
  ])('%s: waits %j ms', async (_case, expectedSleeps, failures, random) => {
    const h = createHarness({
      tokenAnswer: (n) => failures[n - 1] ?? tokenResponse('token-ok'),
      options: { random: () => random },
    });
    expect(await h.source.getToken()).toBe('token-ok');
    expect(h.sleeps).toEqual(expectedSleeps);
    expect(h.tokenRequests).toHaveLength(failures.length + 1);
    expect(h.eventsOf('backing-off').map((event) => event.delayMs)).toEqual(expectedSleeps);
  });

  it('caps each step at maxDelayMs', async () => {
    const h = createHarness({
      tokenAnswer: (n) => (n < 6 ? unavailable() : tokenResponse('token-ok')),
      options: { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 4_000, random: () => 0 },
    });
    await h.source.getToken();
    expect(h.sleeps).toEqual([500, 1_000, 2_000, 2_000, 2_000]);
  });

  it('gives up after maxAttempts with token_endpoint_unavailable', async () => {
    const h = createHarness({ tokenAnswer: () => unavailable() });
    const error = await errorOf(h.source.getToken());
    expect(error.code).toBe('token_endpoint_unavailable');
    expect(error.status).toBe(503);
    expect(h.tokenRequests).toHaveLength(4);
    expect(h.sleeps).toHaveLength(3);
    expect(h.eventsOf('token-request-failed')).toEqual([
      { type: 'token-request-failed', at: h.clock.now, code: 'token_endpoint_unavailable' },
    ]);
  });

  it('keeps the network failure as the cause', async () => {
    const failure = new TypeError('fetch failed');
    const h = createHarness({ tokenAnswer: () => failure, options: { maxAttempts: 2 } });
    const error = await errorOf(h.source.getToken());
    expect(error.code).toBe('token_endpoint_unavailable');
    expect(error.cause).toBe(failure);
  });

  it('fails at once when Retry-After asks for more than maxDelayMs', async () => {
    const h = createHarness({
      tokenAnswer: () => new Response(null, { status: 429, headers: { 'retry-after': '120' } }),
    });
    const error = await errorOf(h.source.getToken());
    expect(error.code).toBe('token_endpoint_unavailable');
    expect(error.retryAfterMs).toBe(120_000);
    expect(h.tokenRequests).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it.each<[string, Response, string]>([
    [
      '401 invalid_client',
      oauthError(401, 'invalid_client', { 'www-authenticate': 'Basic realm="sandbox"' }),
      'invalid_client',
    ],
    ['400 invalid_client', oauthError(400, 'invalid_client'), 'invalid_client'],
    ['400 invalid_scope', oauthError(400, 'invalid_scope'), 'token_request_refused'],
    ['200 with expires_in 0', tokenResponse('t', 0), 'invalid_token_response'],
  ])('never retries %s', async (_case, answer, code) => {
    const h = createHarness({ tokenAnswer: () => answer.clone() });
    const error = await errorOf(h.source.getToken());
    expect(error.code).toBe(code);
    expect(h.tokenRequests).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
    expect(h.eventsOf('token-request-failed').map((event) => event.code)).toEqual([code]);
  });

  it('surfaces invalid_client from fetch() too, without calling the API', async () => {
    const h = createHarness({ tokenAnswer: () => oauthError(401, 'invalid_client') });
    expect((await errorOf(h.source.fetch(apiUrl))).code).toBe('invalid_client');
    expect(h.apiRequests).toHaveLength(0);
  });
});

describe('secrets and tokens stay out of logs, events and errors', () => {
  it('logs nothing, and no event, error or inspection shows the secret or a token', async () => {
    const consoleCalls = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method),
    );
    const h = createHarness({
      expiresIn: 10,
      tokenAnswer: (n) =>
        n === 3
          ? oauthError(401, 'invalid_client')
          : n === 1
            ? new Response(null, { status: 503 })
            : tokenResponse(`secret-token-${n}`, 10),
      apiAnswer: (_token, n) => (n === 1 ? invalidTokenResponse() : Response.json({})),
    });
    const error = await errorOf(h.source.fetch(apiUrl));
    expect(error.code).toBe('invalid_client');

    const visible = [
      JSON.stringify(h.events),
      error.message,
      String(error.stack),
      inspect(error),
      inspect(h.source),
      JSON.stringify(h.source),
    ].join('\n');
    expect(visible).not.toContain(clientSecret);
    expect(visible).not.toContain('secret-token');
    expect(h.events.map((event) => event.type)).toEqual([
      'token-requested',
      'backing-off',
      'token-issued',
      'retrying-after-invalid-token',
      'token-requested',
      'token-request-failed',
    ]);
    for (const spy of consoleCalls) expect(spy).not.toHaveBeenCalled();
  });
});
