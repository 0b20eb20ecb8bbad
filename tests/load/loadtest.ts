/**
 * `npm run loadtest`: a bounded mixed load against the built production server (src/server/start.ts,
 * started with tests/support/production-server.ts), on loopback only.
 *
 * 1. Mixed load, limits off (SANDBOX_RATE_LIMIT=off, as the contract provides for load tests), on a
 *    sqlite file like production: registrations, good and bad token requests (wrong secret,
 *    unknown client, wrong grant, scope not registered), API calls with good, expired and forged
 *    tokens (altered payload, foreign key with the sandbox's kid, alg none), no token,
 *    introspection. Every request has the statuses it may get; anything else is counted as
 *    unexpected. The server's memory is read before and after, each time after a full GC (the
 *    server runs with --expose-gc for this test only; SIGUSR2 makes it log its memory).
 * 2. Limits on: one client's secret is brute-forced from 127.0.0.1 while honest clients at the
 *    same address keep using theirs.
 *
 * Pass: 0 unexpected statuses, 0 5xx, 0 socket errors or timeouts; after a full, memory-reducing
 * GC both the heap in use and the resident set size back within 20 % of their level before the
 * load; the brute force cut to 429 and every honest request answered.
 * Exit code 0 on pass, 1 otherwise; the whole run is bounded to 60 s.
 *
 * Env: LOADTEST_SECONDS (main phase, default 20), LOADTEST_CONNECTIONS (default 16).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { SignJWT, decodeProtectedHeader, generateKeyPair } from 'jose';
import { encodeBase64url } from '../../src/lib/base64url.ts';
import { encodeBasicCredentials } from '../../src/lib/basic-auth.ts';
import { defaultRateLimits } from '../../src/sandbox/http/rate-limit.ts';
import { startProductionServer, type ProductionServer } from '../support/production-server.ts';
import { loadApiProfile } from '../../src/server/api-profile-source.ts';

// The profile the server under test loads (API_OPENAPI when set).
const { readScope, writeScope } = loadApiProfile(process.env);

const mainSeconds = Number(process.env.LOADTEST_SECONDS ?? 20);
const connections = Number(process.env.LOADTEST_CONNECTIONS ?? 16);
const warmUpSeconds = 4;
const bruteForceSeconds = 3;
const boundSeconds = 60;

const startedAt = Date.now();
const servers: ProductionServer[] = [];
const folder = mkdtempSync(join(tmpdir(), 'sandbox-loadtest-'));

function cleanUp() {
  for (const server of servers) if (server.process.exitCode === null) server.process.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
}
const watchdog = setTimeout(() => {
  console.error(`FAIL: the load test passed its ${boundSeconds} s bound.`);
  cleanUp();
  process.exit(1);
}, boundSeconds * 1000);
watchdog.unref();

interface Client {
  client_id: string;
  client_secret: string;
}

const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

async function register(origin: string, metadata: Record<string, unknown> = {}): Promise<Client> {
  const response = await fetch(`${origin}/oauth/register`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify(metadata),
  });
  if (response.status !== 201) throw new Error(`registration answered ${response.status}`);
  return (await response.json()) as Client;
}

async function tokenFor(origin: string, client: Client): Promise<string> {
  const response = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { ...form, authorization: encodeBasicCredentials(client.client_id, client.client_secret) },
    body: 'grant_type=client_credentials',
  });
  if (response.status !== 200) throw new Error(`token request answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Asks the server for its memory (SIGUSR2) and reads the line it logs. */
async function memoryOf(
  server: ProductionServer,
): Promise<{ rss: number; heapUsed: number; afterGc: boolean }> {
  const before = server.output().length;
  server.process.kill('SIGUSR2');
  for (let waited = 0; waited < 5000; waited += 50) {
    const line = server
      .output()
      .slice(before)
      .split('\n')
      .find((candidate) => candidate.includes('"message":"memory"'));
    if (line) {
      const memory = JSON.parse(line) as { rss_bytes: number; heap_used_bytes: number; after_gc: boolean };
      return { rss: memory.rss_bytes, heapUsed: memory.heap_used_bytes, afterGc: memory.after_gc };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('The server did not report its memory.');
}

/** One kind of request in the mix, with the statuses it may get. */
interface Kind {
  name: string;
  expected: number[];
  request: autocannon.Request;
}

interface Tally {
  count: number;
  statuses: Map<number, number>;
  unexpected: number;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function mixedLoad() {
  const server = await startProductionServer({
    SANDBOX_RATE_LIMIT: 'off',
    SANDBOX_DATA: join(folder, 'load.db'),
    NODE_OPTIONS: [process.env.NODE_OPTIONS, '--expose-gc'].filter(Boolean).join(' '),
  });
  servers.push(server);
  const { origin } = server;

  // A token that will have expired when the load starts (the shortest lifetime is 5 s).
  const shortLived = await register(origin, { access_token_lifetime: 5 });
  const expiredToken = await tokenFor(origin, shortLived);
  const expiredAt = Date.now() + 6000;

  const clients = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      register(origin, {
        client_name: `load ${i}`,
        token_endpoint_auth_method: i % 3 === 0 ? 'client_secret_post' : 'client_secret_basic',
      }),
    ),
  );
  const readOnly = await register(origin, { scope: readScope });
  const basicClients = clients.filter((_, i) => i % 3 !== 0);
  const postClients = clients.filter((_, i) => i % 3 === 0);
  const tokens = await Promise.all(basicClients.map((client) => tokenFor(origin, client)));

  // Forged tokens: the payload changed under a valid signature; a foreign key claiming the
  // sandbox's kid; no signature at all.
  const good = tokens[0]!;
  const [header, payload] = good.split('.') as [string, string, string];
  const altered = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  altered.scope = `${readScope} ${writeScope} admin`;
  const alteredPayload = `${header}.${encodeBase64url(JSON.stringify(altered))}.${good.split('.')[2]}`;
  const foreign = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const foreignKey = await new SignJWT(
    JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
  )
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: decodeProtectedHeader(good).kid! })
    .sign(foreign.privateKey);
  const algNone = `${encodeBase64url(JSON.stringify({ alg: 'none', typ: 'at+jwt' }))}.${payload}.`;

  const basic = (client: Client, secret = client.client_secret) => ({
    ...form,
    authorization: encodeBasicCredentials(client.client_id, secret),
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const at = <T>(list: T[], i: number) => list[i % list.length]!;
  const kinds: Kind[] = [];
  const add = (count: number, name: string, expected: number[], make: (i: number) => autocannon.Request) => {
    for (let i = 0; i < count; i++) kinds.push({ name, expected, request: make(i) });
  };
  add(1, 'registration', [201], () => ({
    method: 'POST',
    path: '/oauth/register',
    headers: json,
    body: '{"client_name":"load"}',
  }));
  add(4, 'token, client_secret_basic', [200], (i) => ({
    method: 'POST',
    path: '/oauth/token',
    headers: basic(at(basicClients, i)),
    body: 'grant_type=client_credentials',
  }));
  add(1, 'token, client_secret_post', [200], (i) => {
    const client = at(postClients, i);
    return {
      method: 'POST',
      path: '/oauth/token',
      headers: form,
      body: `grant_type=client_credentials&client_id=${client.client_id}&client_secret=${client.client_secret}`,
    };
  });
  add(2, 'token, wrong secret', [401], (i) => ({
    method: 'POST',
    path: '/oauth/token',
    headers: basic(at(basicClients, i + 1), 'not-the-secret'),
    body: 'grant_type=client_credentials',
  }));
  add(1, 'token, unknown client', [401], () => ({
    method: 'POST',
    path: '/oauth/token',
    headers: basic({ client_id: 'no-such-client', client_secret: 'x' }),
    body: 'grant_type=client_credentials',
  }));
  add(1, 'token, unsupported grant', [400], (i) => ({
    method: 'POST',
    path: '/oauth/token',
    headers: basic(at(basicClients, i)),
    body: 'grant_type=password',
  }));
  add(1, 'token, scope not registered', [400], () => ({
    method: 'POST',
    path: '/oauth/token',
    headers: basic(readOnly),
    body: `grant_type=client_credentials&scope=${writeScope}`,
  }));
  add(8, 'API, good token', [200], (i) => ({
    method: 'GET',
    path: '/api/v1/reports',
    headers: bearer(at(tokens, i)),
  }));
  add(1, 'API POST, good token', [201], (i) => ({
    method: 'POST',
    path: '/api/v1/reports',
    headers: { ...bearer(at(tokens, i)), ...json },
    body: '{"title":"Load report"}',
  }));
  add(2, 'API, expired token', [401], () => ({
    method: 'GET',
    path: '/api/v1/reports',
    headers: bearer(expiredToken),
  }));
  add(1, 'API, forged: altered payload', [401], () => ({
    method: 'GET',
    path: '/api/v1/reports',
    headers: bearer(alteredPayload),
  }));
  add(1, 'API, forged: foreign key', [401], () => ({
    method: 'GET',
    path: '/api/v1/reports',
    headers: bearer(foreignKey),
  }));
  add(1, 'API, forged: alg none', [401], () => ({
    method: 'GET',
    path: '/api/v1/reports',
    headers: bearer(algNone),
  }));
  add(1, 'API, no token', [401], () => ({ method: 'GET', path: '/api/v1/reports' }));
  add(1, 'introspection', [200], (i) => ({
    method: 'POST',
    path: '/oauth/introspect',
    headers: basic(at(basicClients, i)),
    body: `token=${at(tokens, i)}`,
  }));

  const tallies = new Map<string, Tally>();
  const requests = (): autocannon.Request[] =>
    kinds.map((kind) => ({
      ...kind.request,
      onResponse(status: number) {
        let tally = tallies.get(kind.name);
        if (!tally) tallies.set(kind.name, (tally = { count: 0, statuses: new Map(), unexpected: 0 }));
        tally.count++;
        tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
        if (!kind.expected.includes(status)) tally.unexpected++;
      },
    }));

  // Warm-up: the JIT, the caches and the sample API's per-client reports reach the state a
  // running server has; the short-lived token expires meanwhile.
  await autocannon({ url: origin, connections, duration: warmUpSeconds, requests: requests() });
  tallies.clear();
  while (Date.now() < expiredAt) await new Promise((resolve) => setTimeout(resolve, 100));
  const memoryBefore = await memoryOf(server);

  const result = await autocannon({ url: origin, connections, duration: mainSeconds, requests: requests() });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const memoryAfter = await memoryOf(server);
  const exitCode = await server.stop();

  const unexpected = [...tallies.values()].reduce((sum, tally) => sum + tally.unexpected, 0);
  const fiveHundreds = result['5xx'];
  const heapGrowth = memoryAfter.heapUsed / memoryBefore.heapUsed - 1;
  const rssGrowth = memoryAfter.rss / memoryBefore.rss - 1;

  console.log(
    `\n1. Mixed load: ${mainSeconds} s, ${connections} connections, loopback, limits off, sqlite file store, Node ${process.version}`,
  );
  console.log(
    `   ${result.requests.total} requests, ${result.requests.average.toFixed(0)} req/s; latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
  );
  console.log(
    `   socket errors ${result.errors}, timeouts ${result.timeouts}, 5xx ${fiveHundreds}, unexpected statuses ${unexpected}`,
  );
  console.log(`   ${'kind'.padEnd(32)}${'count'.padStart(8)}  statuses`);
  for (const kind of new Set(kinds.map((entry) => entry.name))) {
    const tally = tallies.get(kind);
    const statuses = tally
      ? [...tally.statuses].map(([status, count]) => `${status}: ${count}`).join(', ')
      : '-';
    console.log(
      `   ${kind.padEnd(32)}${String(tally?.count ?? 0).padStart(8)}  ${statuses}${tally?.unexpected ? `  (${tally.unexpected} unexpected)` : ''}`,
    );
  }
  console.log(
    `   memory after a full GC (${memoryBefore.afterGc ? 'gc() ran' : 'no gc available'}): heap used ${mb(memoryBefore.heapUsed)} before, ${mb(memoryAfter.heapUsed)} after (${(heapGrowth * 100).toFixed(1)} %); RSS ${mb(memoryBefore.rss)} before, ${mb(memoryAfter.rss)} after (${(rssGrowth * 100).toFixed(1)} %)`,
  );
  console.log(`   server exit code after SIGTERM: ${exitCode}`);

  const failures: string[] = [];
  if (unexpected > 0) failures.push(`${unexpected} unexpected statuses`);
  if (fiveHundreds > 0) failures.push(`${fiveHundreds} answers 5xx`);
  if (result.errors > 0 || result.timeouts > 0)
    failures.push(`${result.errors} socket errors, ${result.timeouts} timeouts`);
  if (!memoryAfter.afterGc) failures.push('the server could not collect garbage before measuring');
  if (heapGrowth > 0.2) failures.push(`heap after GC grew ${(heapGrowth * 100).toFixed(1)} % (bound 20 %)`);
  if (rssGrowth > 0.2) failures.push(`RSS after GC grew ${(rssGrowth * 100).toFixed(1)} % (bound 20 %)`);
  if (exitCode !== 0) failures.push(`the server exited ${exitCode} on SIGTERM`);
  return failures;
}

async function bruteForce() {
  const server = await startProductionServer({ SANDBOX_RATE_LIMIT: 'on' });
  servers.push(server);
  const { origin } = server;
  const victim = await register(origin);
  const honest = await Promise.all(Array.from({ length: 5 }, () => register(origin)));

  const guesses = new Map<number, number>();
  let retryAfterSeen = true;
  const attack = autocannon({
    url: `${origin}/oauth/token`,
    method: 'POST',
    connections: 8,
    duration: bruteForceSeconds,
    headers: { ...form, authorization: encodeBasicCredentials(victim.client_id, 'guessed-secret') },
    body: 'grant_type=client_credentials',
    requests: [
      {
        onResponse(status, _body, _context, headers) {
          guesses.set(status, (guesses.get(status) ?? 0) + 1);
          if (status === 429 && !headers?.['retry-after']) retryAfterSeen = false;
        },
      },
    ],
  });

  // Meanwhile the honest clients, from the same address, get tokens and call the API.
  const honestStatuses = new Map<number, number>();
  let stop = false;
  const honestWorker = async (client: Client) => {
    while (!stop) {
      const token = await fetch(`${origin}/oauth/token`, {
        method: 'POST',
        headers: { ...form, authorization: encodeBasicCredentials(client.client_id, client.client_secret) },
        body: 'grant_type=client_credentials',
      });
      honestStatuses.set(token.status, (honestStatuses.get(token.status) ?? 0) + 1);
      if (token.status !== 200) continue;
      const { access_token } = (await token.json()) as { access_token: string };
      const call = await fetch(`${origin}/api/v1/reports`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      await call.arrayBuffer();
      honestStatuses.set(call.status, (honestStatuses.get(call.status) ?? 0) + 1);
    }
  };
  const workers = honest.map(honestWorker);
  // Halfway through, the right secret of the attacked client, from the attacker's address, waits too.
  await new Promise((resolve) => setTimeout(resolve, (bruteForceSeconds * 1000) / 2));
  const victimFromSameAddress = (
    await fetch(`${origin}/oauth/token`, {
      method: 'POST',
      headers: { ...form, authorization: encodeBasicCredentials(victim.client_id, victim.client_secret) },
      body: 'grant_type=client_credentials',
    })
  ).status;
  const attackResult = await attack;
  stop = true;
  await Promise.all(workers);
  const exitCode = await server.stop();

  const format = (statuses: Map<number, number>) =>
    [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ');
  const honestTotal = [...honestStatuses.values()].reduce((sum, count) => sum + count, 0);
  const honestFailures = [...honestStatuses]
    .filter(([status]) => status !== 200)
    .reduce((sum, [, count]) => sum + count, 0);
  console.log(
    `\n2. Brute force with limits on: ${bruteForceSeconds} s, 8 connections guessing one client's secret from 127.0.0.1, 5 honest clients at the same address`,
  );
  console.log(
    `   guesses: ${attackResult.requests.total} (${format(guesses)}); Retry-After on every 429: ${retryAfterSeen ? 'yes' : 'NO'}`,
  );
  console.log(`   honest clients: ${honestTotal} requests (${format(honestStatuses)})`);
  console.log(
    `   the attacked client's right secret from the same address while limited: ${victimFromSameAddress}`,
  );

  // A token bucket: the burst, plus what refills while the attack runs.
  const { capacity, refillSeconds } = defaultRateLimits.failedAuthentication;
  const checkedAtMost = capacity + Math.ceil((capacity / refillSeconds) * bruteForceSeconds);
  console.log(
    `   guesses checked: ${guesses.get(401) ?? 0} (the limit allows at most ${checkedAtMost} in ${bruteForceSeconds} s: a burst of ${capacity}, then ${capacity} a minute)`,
  );
  const failures: string[] = [];
  if ((guesses.get(401) ?? 0) > checkedAtMost)
    failures.push(`${guesses.get(401)} guesses were checked (at most ${checkedAtMost} allowed)`);
  if ((guesses.get(429) ?? 0) === 0 || !retryAfterSeen)
    failures.push('the brute force was not cut to 429 with Retry-After');
  if ([...guesses.keys()].some((status) => status !== 401 && status !== 429))
    failures.push(`unexpected statuses for guesses: ${format(guesses)}`);
  if (honestFailures > 0 || honestTotal === 0)
    failures.push(`${honestFailures} of ${honestTotal} honest requests failed`);
  if (victimFromSameAddress !== 429)
    failures.push(`the attacked client's secret answered ${victimFromSameAddress} while limited`);
  if (exitCode !== 0) failures.push(`the server exited ${exitCode} on SIGTERM`);
  return failures;
}

try {
  const failures = [...(await mixedLoad()), ...(await bruteForce())];
  console.log(`\nTotal time ${((Date.now() - startedAt) / 1000).toFixed(1)} s (bound ${boundSeconds} s).`);
  if (failures.length > 0) {
    console.log(`FAIL: ${failures.join('; ')}`);
    process.exitCode = 1;
  } else {
    console.log(
      'PASS: 0 unexpected statuses, 0 5xx, heap and RSS back within 20 % after GC, brute force cut to 429 while honest clients kept working.',
    );
  }
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
} finally {
  clearTimeout(watchdog);
  cleanUp();
}
