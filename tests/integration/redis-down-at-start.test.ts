/**
 * The production server started while its Redis is down (issue 13): it serves the docs, answers
 * the sandbox's paths 503 with Retry-After and a JSON error at once, says so on /health, and
 * becomes the sandbox by itself when Redis comes up; /health follows Redis going away and back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProductionServer, type ProductionServer } from '../support/production-server.ts';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.ts';

let redis: TestRedisServer;
let server: ProductionServer;

beforeAll(async () => {
  redis = await startRedisServer({ started: false });
  // Ready when the docs answer: the sandbox cannot be, with no Redis.
  server = await startProductionServer({ SANDBOX_REDIS_URL: redis.url }, 180_000, '/');
}, 240_000);

afterAll(async () => {
  await server?.stop();
  await redis?.stop();
});

const health = async () => {
  const response = await fetch(`${server.origin}/health`);
  return { status: response.status, body: (await response.json()) as Record<string, string> };
};

/** Polls until `check` holds; the milliseconds it took, or throws after `withinMs`. */
async function within(withinMs: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > withinMs) throw new Error(`${what}: not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const register = () =>
  fetch(`${server.origin}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"client_name":"redis down at start"}',
  });

describe('a sandbox started while Redis is down', () => {
  it('serves the docs, and answers the sandbox’s paths 503 with Retry-After and a JSON error, within 2 s', async () => {
    expect((await fetch(`${server.origin}/`)).status).toBe(200);
    for (const send of [
      register,
      () =>
        fetch(`${server.origin}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials&client_id=a&client_secret=b',
        }),
      () => fetch(`${server.origin}/.well-known/oauth-authorization-server`),
      () => fetch(`${server.origin}/api/v1/reports`, { headers: { authorization: 'Bearer x' } }),
    ]) {
      const started = performance.now();
      const response = await send();
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({
        error: 'temporarily_unavailable',
        error_description: 'The sandbox cannot reach its store just now. Retry in 1 second.',
      });
    }
    expect(await health()).toEqual({
      status: 503,
      body: { status: 'unavailable', store: 'starting', docs: 'ok' },
    });
    // The first attempt gives up after 3 s, and says so in the log.
    await within(6_000, 'the log line', async () =>
      /The sandbox store cannot be reached/.test(server.output()),
    );
  });

  it('becomes the sandbox by itself once Redis answers, and /health follows Redis away and back', async () => {
    await redis.start();
    const ready = await within(
      20_000,
      'the sandbox after Redis started',
      async () => (await register()).status === 201,
    );
    console.log(`redis down at start: sandbox serving ${Math.round(ready)} ms after redis-server answered`);
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', store: 'ok', docs: 'ok' } });

    await redis.kill();
    await within(3_000, '/health after Redis went away', async () => (await health()).status === 503);
    expect((await health()).body).toEqual({ status: 'unavailable', store: 'unreachable', docs: 'ok' });
    expect((await register()).status).toBe(503);

    await redis.start();
    await within(10_000, '/health after Redis came back', async () => (await health()).status === 200);
    expect((await register()).status).toBe(201);
  });
});
