/**
 * The README's deployment, run as written: three production servers on one Redis behind a real
 * nginx configured from the README's ```nginx block (issue 13). What a team relies on when it
 * copies that block: every instance takes part, tokens carry the public origin as `iss`, the rate
 * limits see each reader's own address (SANDBOX_TRUSTED_PROXIES) and cannot be dodged with a forged
 * X-Forwarded-For, the live journal stream is not held back by nginx's buffering, and a killed
 * instance costs no request.
 *
 * The readers are told apart by their own loopback address (127.0.0.3, 127.0.0.4: Linux answers on
 * all of 127/8), while nginx reaches the instances from 127.0.0.1, the one trusted proxy.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from '../../src/lib/basic-auth.ts';
import { sandboxRateLimits } from '../../src/lib/sandbox-contract/index.ts';
import { freePort } from '../support/free-port.ts';
import { readmeNginxServerBlock, startNginx, type TestNginx } from '../support/nginx-server.ts';
import { startProductionServer, type ProductionServer } from '../support/production-server.ts';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request to nginx from the given local address (a reader on their own machine). */
function send(
  method: string,
  path: string,
  {
    from = '127.0.0.3',
    headers = {},
    body,
  }: { from?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port: nginx.port, localAddress: from, method, path, headers },
      (incoming) => {
        let text = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => (text += chunk));
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: text }),
        );
      },
    );
    outgoing.setTimeout(10_000, () =>
      outgoing.destroy(new Error(`${method} ${path}: no answer within 10 s`)),
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

interface Client {
  client_id: string;
  client_secret: string;
  registration_client_uri: string;
  registration_access_token: string;
}

async function register(from?: string): Promise<Client> {
  const answer = await send('POST', '/oauth/register', {
    ...(from ? { from } : {}),
    headers: { 'content-type': 'application/json' },
    body: '{"client_name":"nginx test"}',
  });
  expect(answer.status).toBe(201);
  return JSON.parse(answer.body) as Client;
}

const tokenRequest = (
  client: Client,
  { secret = client.client_secret, from = '127.0.0.3', forwardedFor = '' } = {},
) =>
  send('POST', '/oauth/token', {
    from,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: encodeBasicCredentials(client.client_id, secret),
      ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    },
    body: 'grant_type=client_credentials',
  });

const accessToken = async (client: Client) => {
  const answer = await tokenRequest(client);
  expect(answer.status).toBe(200);
  return (JSON.parse(answer.body) as { access_token: string }).access_token;
};

/**
 * Which instance served the request with this x-request-id: each logs one JSON line per request,
 * written as the answer ends, so the line may reach us a moment after the answer.
 */
async function servedBy(answer: Answer): Promise<number> {
  const id = `"${String(answer.headers['x-request-id'])}"`;
  for (let wait = 0; wait < 40; wait += 1) {
    const index = instances.findIndex((instance) => instance.output().includes(id));
    if (index >= 0) return index;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return -1;
}

let redis: TestRedisServer;
let nginx: TestNginx;
let instances: ProductionServer[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  const publicPort = await freePort();
  const siteUrl = `http://127.0.0.1:${publicPort}`;
  instances = await Promise.all(
    [1, 2, 3].map(() =>
      startProductionServer({
        SANDBOX_REDIS_URL: redis.url,
        SANDBOX_RATE_LIMIT: 'on',
        SITE_URL: siteUrl,
        SANDBOX_TRUSTED_PROXIES: '127.0.0.1',
      }),
    ),
  );
  nginx = await startNginx(
    (port) =>
      readmeNginxServerBlock(
        instances.map((instance) => new URL(instance.origin).host),
        port,
      ),
    publicPort,
  );
}, 240_000);

afterAll(async () => {
  await nginx?.stop();
  await Promise.all(instances.map((instance) => instance.stop()));
  await redis?.stop();
});

describe("the README's nginx example in front of three instances", () => {
  it('spreads a reader’s flow over every instance, and every token names the public origin as its issuer', async () => {
    const client = await register();
    const token = await accessToken(client);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iss: string };
    expect(claims.iss).toBe(nginx.origin);
    const metadata = await send('GET', '/.well-known/oauth-authorization-server');
    expect(JSON.parse(metadata.body)).toMatchObject({
      issuer: nginx.origin,
      token_endpoint: `${nginx.origin}/oauth/token`,
    });

    const servers = new Set<number>();
    for (let call = 0; call < 6; call += 1) {
      const answer = await send('GET', '/api/v1/reports', { headers: { authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(200);
      servers.add(await servedBy(answer));
    }
    expect([...servers].sort()).toEqual([0, 1, 2]);
    // The docs come through the same upstream.
    const page = await send('GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it("counts failed authentications per reader's address across instances, and a forged X-Forwarded-For does not reset it", async () => {
    const client = await register('127.0.0.5');
    const { capacity, refillSeconds } = sandboxRateLimits.failedAuthentication;
    // The allowance refills continuously (capacity per refillSeconds), so on a slow machine a few
    // more failures than the capacity may pass before the refusal: count until it comes. Counted
    // per instance, it would take three times the capacity.
    const started = performance.now();
    let failures = 0;
    let refused: Answer | undefined;
    while (!refused && failures < 3 * capacity) {
      const answer = await tokenRequest(client, { secret: 'wrong' });
      if (answer.status === 429) refused = answer;
      else {
        expect(answer.status).toBe(401);
        failures += 1;
      }
    }
    const refilled = ((performance.now() - started) / 1000) * (capacity / refillSeconds);
    expect(refused?.headers['retry-after']).toMatch(/^\d+$/);
    expect(failures).toBeGreaterThanOrEqual(capacity);
    expect(failures).toBeLessThanOrEqual(capacity + Math.ceil(refilled));
    // nginx appends the address it saw; the sandbox trusts only what its proxy (127.0.0.1) added.
    // Had the forged address been believed, it would be a fresh allowance: five 401s. Counted as
    // 127.0.0.3, at most the one or two failures that refill in the meantime get through.
    const forged: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1)
      forged.push((await tokenRequest(client, { secret: 'wrong', forwardedFor: '198.51.100.7' })).status);
    expect(forged.filter((status) => status === 429).length, String(forged)).toBeGreaterThanOrEqual(3);
    // Another reader's address is not held back by the first one's failures.
    expect((await tokenRequest(client, { secret: 'wrong', from: '127.0.0.4' })).status).toBe(401);
    expect((await tokenRequest(client, { from: '127.0.0.4' })).status).toBe(200);
  });

  it('passes the live journal stream through unbuffered: an entry arrives within 2 s', async () => {
    const client = await register();
    const path = `${new URL(client.registration_client_uri).pathname}/requests`;
    const received = await new Promise<string>((resolve, reject) => {
      let text = '';
      let requestId = '';
      const outgoing = request({
        host: '127.0.0.1',
        port: nginx.port,
        localAddress: '127.0.0.3',
        path,
        headers: { accept: 'text/event-stream', authorization: `Bearer ${client.registration_access_token}` },
      });
      const timer = setTimeout(() => {
        outgoing.destroy();
        reject(new Error(`no journal entry through nginx within 2 s; received:\n${text}`));
      }, 2_000);
      const arrived = () => {
        if (!requestId || !text.includes(`id: ${requestId}\n`)) return;
        clearTimeout(timer);
        outgoing.destroy();
        resolve(text);
      };
      outgoing.on('response', (incoming) => {
        if (incoming.statusCode !== 200) reject(new Error(`the stream answered ${incoming.statusCode}`));
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => {
          text += chunk;
          arrived();
        });
        // The stream is open: now the request it must show, sent through nginx like any other.
        tokenRequest(client).then((answer) => {
          requestId = String(answer.headers['x-request-id']);
          arrived();
        }, reject);
      });
      outgoing.on('error', (error) => clearTimeout(timer) ?? reject(error));
      outgoing.end();
    });
    expect(received).toMatch(/"status":200/);
  });

  it('loses no request while one instance is killed with -9 (proxy_next_upstream)', async () => {
    const client = await register();
    const token = await accessToken(client);
    const victim = instances[0]!;
    victim.process.kill('SIGKILL');
    await new Promise((resolve) => victim.process.once('exit', resolve));
    const statuses: number[] = [];
    for (let call = 0; call < 12; call += 1) {
      const answer =
        call % 2 === 0
          ? await tokenRequest(client)
          : await send('GET', '/api/v1/reports', { headers: { authorization: `Bearer ${token}` } });
      statuses.push(answer.status);
    }
    instances = instances.slice(1);
    expect(statuses).toEqual(Array.from({ length: 12 }, () => 200));
    expect(nginx.errorLog()).toMatch(/connect\(\) failed \(111: Connection refused\)/);
  });
});
