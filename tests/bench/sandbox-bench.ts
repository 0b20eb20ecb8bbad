/**
 * `npm run bench`: the sandbox's token endpoint and protected API, measured with autocannon next to
 * a minimal node:http + jose implementation of the same two calls (minimal-server.ts), in the same
 * run, on loopback. The sandbox runs as the real server entry (src/server/start.ts) with rate
 * limits off and an in-memory store. Targets (issue 3): token endpoint >= 0.8x the minimal
 * implementation, API >= 1.5x, 0 errors.
 *
 * `npm run bench -- --store redis` also starts a redis-server of its own (free port, AOF with
 * `appendfsync always`, as the README recommends) and a second sandbox on it, and measures both
 * stores side by side in the same run. Targets (issue 13): Redis token endpoint >= 0.7x the sqlite
 * figure, API >= 0.9x.
 *
 * The machine is shared and its load drifts, so no target is measured in one block: every target
 * is measured once per round, the rounds alternate their order (forward, backward, ...), and each
 * target's figure is its median round. A load spike then costs every target about the same.
 * A ratio is the median of its per-round ratios: the two sides of a ratio are measured one after
 * the other in each round, under the same load, so a round's ratio cancels most of the drift
 * that moves both figures between rounds (run to run, single figures moved by 10 % here while
 * the machine looked idle).
 *
 * On a machine of two or more cores, each process gets its own: the servers measured share the
 * last core (one measured at a time; the others are idle), the load generator (this process)
 * and redis-server the first. Left to the scheduler, the load generator and the server measured
 * took turns on the same core now and then, and one round's ratio of two 3 s measurements
 * ranged from 0.6 to 1.1 within a run. Pinned, a server is measured on one core, as a
 * deployment runs one Node process per core. Where `taskset` (util-linux) is missing, nothing is
 * pinned and the bench says so.
 *
 * Env: BENCH_SECONDS (per target and round, default 3), BENCH_ROUNDS (default 9),
 * BENCH_CONNECTIONS (default 10).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort } from '../support/free-port.ts';
import { startProductionServer } from '../support/production-server.ts';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const targets = { token: 0.8, api: 1.5 };
const redisTargets = { token: 0.7, api: 0.9 };

function storeOption(): 'sqlite' | 'redis' {
  const arguments_ = process.argv.slice(2);
  const index = arguments_.indexOf('--store');
  const value = index >= 0 ? arguments_[index + 1] : undefined;
  if (index >= 0 && value !== 'redis' && value !== 'sqlite') {
    console.error('Usage: npm run bench [-- --store redis]');
    process.exit(2);
  }
  return value === 'redis' ? 'redis' : 'sqlite';
}
const withRedis = storeOption() === 'redis';

const cores = availableParallelism();
const loadCore = 0;
const serverCore = cores - 1;
let pinning = cores >= 2;

/** Keeps a process, every thread of it, on one core (taskset -a -p -c). */
function pin(pid: number | undefined, core: number) {
  if (!pinning || pid === undefined) return;
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
  if (result.status !== 0) {
    pinning = false;
    console.log('taskset did not run: processes are not pinned to cores, and the figures vary more.');
  }
}

function startChild(script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout?.resume();
  return child;
}

async function waitFor(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url, { method: 'POST' });
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${url}: no answer within ${timeoutMs} ms`);
}

interface Figures {
  requests: number;
  p50: number;
  p99: number;
  errors: number;
}

async function measure(title: string, options: autocannon.Options, warmUp: boolean): Promise<Figures> {
  // A short warm-up before a target's first round, so the JIT and caches are in the state a
  // running server has; the processes stay warm between rounds.
  if (warmUp) await autocannon({ ...options, duration: 1, connections });
  const result = await autocannon({ ...options, duration: seconds, connections, title });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { requests: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors };
}

/** The middle one of `values` by `key` (the upper middle of an even count). */
function middle<T>(values: T[], key: (value: T) => number): T {
  return [...values].sort((a, b) => key(a) - key(b))[Math.floor(values.length / 2)]!;
}

/** The round whose request rate is the median; errors are summed over every round. */
function medianRound(figures: Figures[]): Figures {
  return { ...middle(figures, (f) => f.requests), errors: figures.reduce((sum, f) => sum + f.errors, 0) };
}

/** Every target once per round, alternating the order each round: each target's rounds, in order. */
async function measureInRounds(targets: Record<string, autocannon.Options>): Promise<Map<string, Figures[]>> {
  const names = Object.keys(targets);
  const figures = new Map<string, Figures[]>(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) figures.get(name)!.push(await measure(name, targets[name]!, round === 0));
    console.log(`round ${round + 1} of ${rounds} measured`);
  }
  return figures;
}

/** The median of the per-round ratios of two targets' request rates, and every round's ratio. */
function pairedRatio(numerator: Figures[], denominator: Figures[]): { median: number; rounds: number[] } {
  const ratios = numerator.map((figures, round) => figures.requests / denominator[round]!.requests);
  return { median: middle(ratios, (ratio) => ratio), rounds: ratios };
}

const children: ChildProcess[] = [];
let redisServer: TestRedisServer | undefined;
function stopChildren() {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  void redisServer?.stop();
}
process.on('exit', stopChildren);

async function main() {
  if (!existsSync(`${root}dist/index.html`)) {
    console.log(
      'No build in dist/: the server builds the site first (half a minute or more). `npm run build` beforehand avoids the wait.',
    );
  }
  // The real server entry, in-memory store, limits off (tests/support/production-server.ts).
  const sandbox = await startProductionServer({ SANDBOX_RATE_LIMIT: 'off' });
  children.push(sandbox.process);
  pin(process.pid, loadCore);
  pin(sandbox.process.pid, serverCore);
  const sandboxOrigin = sandbox.origin;
  const minimalPort = await freePort();
  const minimalOrigin = `http://127.0.0.1:${minimalPort}`;

  const registration = await fetch(`${sandboxOrigin}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"client_name":"bench"}',
  });
  const client = (await registration.json()) as { client_id: string; client_secret: string };
  const minimal = startChild('tests/bench/minimal-server.ts', {
    PORT: String(minimalPort),
    BENCH_CLIENT_ID: client.client_id,
    BENCH_CLIENT_SECRET: client.client_secret,
  });
  children.push(minimal);
  pin(minimal.pid, serverCore);
  await waitFor(`${minimalOrigin}/oauth/token`, minimal, 30_000);

  const authorization = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
  const tokenRequest = (origin: string): autocannon.Options => ({
    url: `${origin}/oauth/token`,
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  const getToken = async (origin: string) => {
    const response = await fetch(`${origin}/oauth/token`, tokenRequest(origin) as RequestInit);
    if (response.status !== 200) throw new Error(`${origin}: token request answered ${response.status}`);
    return ((await response.json()) as { access_token: string }).access_token;
  };
  const apiRequest = (origin: string, token: string): autocannon.Options => ({
    url: `${origin}/api/v1/reports`,
    headers: { authorization: `Bearer ${token}` },
  });

  // The same sandbox on the shared store: a Redis of its own, the same client registered there.
  let redisTargetOptions: { redisToken: autocannon.Options; redisApi: autocannon.Options } | undefined;
  if (withRedis) {
    redisServer = await startRedisServer();
    pin(redisServer.pid(), loadCore);
    const onRedis = await startProductionServer({
      SANDBOX_RATE_LIMIT: 'off',
      SANDBOX_REDIS_URL: redisServer.url,
    });
    children.push(onRedis.process);
    pin(onRedis.process.pid, serverCore);
    const redisRegistration = await fetch(`${onRedis.origin}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"client_name":"bench"}',
    });
    const redisClient = (await redisRegistration.json()) as { client_id: string; client_secret: string };
    const redisAuthorization = `Basic ${Buffer.from(`${redisClient.client_id}:${redisClient.client_secret}`).toString('base64')}`;
    const redisTokenRequest: autocannon.Options = {
      ...tokenRequest(onRedis.origin),
      headers: { authorization: redisAuthorization, 'content-type': 'application/x-www-form-urlencoded' },
    };
    const redisToken = await fetch(redisTokenRequest.url, redisTokenRequest as RequestInit);
    const { access_token: token } = (await redisToken.json()) as { access_token: string };
    redisTargetOptions = { redisToken: redisTokenRequest, redisApi: apiRequest(onRedis.origin, token) };
  }

  console.log(
    `autocannon: ${rounds} rounds, ${seconds} s per target and round (a 1 s warm-up before the first), ${connections} connections, loopback, Node ${process.version}${pinning ? `, servers on core ${serverCore} and load on core ${loadCore}` : ''}; median round shown, ratios as the median of the rounds' ratios\n`,
  );
  // The sides of each ratio next to each other: the sandbox between the minimal server and the
  // sandbox on Redis.
  const sandboxApiToken = await getToken(sandboxOrigin);
  const minimalApiToken = await getToken(minimalOrigin);
  const measured = await measureInRounds({
    minimalToken: tokenRequest(minimalOrigin),
    sandboxToken: tokenRequest(sandboxOrigin),
    ...(redisTargetOptions && { redisToken: redisTargetOptions.redisToken }),
    minimalApi: apiRequest(minimalOrigin, minimalApiToken),
    sandboxApi: apiRequest(sandboxOrigin, sandboxApiToken),
    ...(redisTargetOptions && { redisApi: redisTargetOptions.redisApi }),
  });
  const figure = (name: string) => medianRound(measured.get(name)!);
  const ratio = (numerator: string, denominator: string) =>
    pairedRatio(measured.get(numerator)!, measured.get(denominator)!);
  const roundsText = (ratios: number[]) => ratios.map((value) => value.toFixed(2)).join(' ');
  const results = {
    token: { sandbox: figure('sandboxToken'), minimal: figure('minimalToken') },
    api: { sandbox: figure('sandboxApi'), minimal: figure('minimalApi') },
  };
  const redisResults = withRedis ? { token: figure('redisToken'), api: figure('redisApi') } : undefined;

  const row = (name: string, f: Figures) =>
    `${name.padEnd(22)}${f.requests.toFixed(0).padStart(9)}${f.p50.toFixed(0).padStart(9)}${f.p99.toFixed(0).padStart(9)}${String(f.errors).padStart(9)}`;
  console.log(
    `${'target'.padEnd(22)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(9)}`,
  );
  console.log(row('token    sandbox', results.token.sandbox));
  console.log(row('token    minimal', results.token.minimal));
  console.log(row('API      sandbox', results.api.sandbox));
  console.log(row('API      minimal', results.api.minimal));
  if (redisResults) {
    console.log(row('token    sandbox redis', redisResults.token));
    console.log(row('API      sandbox redis', redisResults.api));
  }
  console.log('\nevery round, req/s:');
  for (const [name, figures] of measured)
    console.log(`  ${name.padEnd(14)}${figures.map((f) => f.requests.toFixed(0).padStart(7)).join('')}`);
  console.log('');

  // Each ratio against its floor: the sandbox against the minimal server, and on Redis against
  // itself on sqlite.
  const judge = (
    kind: 'token' | 'api',
    label: string,
    numerator: string,
    denominator: string,
    floor: number,
  ) => {
    const paired = ratio(numerator, denominator);
    console.log(
      `${kind.padEnd(6)} ratio ${label} ${paired.median.toFixed(2)}x (target >= ${floor}x): ${paired.median >= floor ? 'met' : 'NOT met'}   rounds: ${roundsText(paired.rounds)}`,
    );
  };
  const suffix = { token: 'Token', api: 'Api' } as const;
  for (const kind of ['token', 'api'] as const)
    judge(kind, 'sandbox/minimal', `sandbox${suffix[kind]}`, `minimal${suffix[kind]}`, targets[kind]);
  if (redisResults)
    for (const kind of ['token', 'api'] as const)
      judge(kind, 'redis/sqlite', `redis${suffix[kind]}`, `sandbox${suffix[kind]}`, redisTargets[kind]);
  const errors = [
    ...Object.values(results).flatMap((pair) => Object.values(pair)),
    ...Object.values(redisResults ?? {}),
  ].reduce((sum, f) => sum + f.errors, 0);
  console.log(
    `errors (socket errors + timeouts + non-2xx), all targets: ${errors}${errors === 0 ? '' : ' (target: 0)'}`,
  );
  stopChildren();
  process.exitCode = errors > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  stopChildren();
  process.exitCode = 1;
});
