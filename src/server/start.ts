/**
 * `npm start`: builds the site if there is no build yet, then serves the prerendered guide and
 * the sandbox from one node:http server, logging one JSON line per request on stdout. SIGTERM and
 * SIGINT drain requests in flight, close the store, then exit 0. SIGUSR2 logs the memory in use
 * (after a full garbage collection when Node runs with --expose-gc): `npm run loadtest` reads it.
 */
import { fileURLToPath } from 'node:url';
import { createSandbox, type Sandbox } from '../sandbox/index.ts';
import { createDeferredSandbox, type SandboxHealth } from './deferred-sandbox.ts';
import { jsonLinesSandboxLogger } from './sandbox-logger.ts';
import { createClientAddressResolver } from './client-address.ts';
import { describeStore, isFatalStoreError, openConfiguredStore } from './configured-store.ts';
import { readBuildStamp, staleBuildReason } from './build-stamp.ts';
import { ConfigError, readServerConfig, sandboxOptionsFrom, type ServerConfig } from './config.ts';
import { allowedHostnames } from './host-check.ts';
import { createSiteServer } from './http-server.ts';
import { jsonLinesRequestLog, stdoutLines } from './request-log.ts';
import { createStaticSite } from './static-files.ts';

/** How long requests in flight may take to finish after SIGTERM. */
const shutdownGraceMs = 10_000;

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
/** What the build is made from: a change to any of these makes `npm start` build again. */
const buildSources = ['src', 'content', 'public', 'astro.config.mjs', 'package.json'].map((path) =>
  fileURLToPath(new URL(path, new URL('../../', import.meta.url))),
);

/** One JSON line on stdout, in order with the request log's (both go through stdoutLines). */
function log(fields: Record<string, unknown>) {
  stdoutLines(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
}

/**
 * Logs the process's memory; with --expose-gc, after collecting garbage, so the figure is what is
 * really retained. The "last-resort" collection is V8's memory-reducing one: it also hands the
 * heap pages it keeps pooled for reuse back to the system, so RSS shows what is retained too.
 */
function logMemory() {
  const gc = (
    globalThis as { gc?: (options?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void }
  ).gc;
  gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  const memory = process.memoryUsage();
  log({
    level: 'info',
    message: 'memory',
    after_gc: gc !== undefined,
    rss_bytes: memory.rss,
    heap_used_bytes: memory.heapUsed,
    heap_total_bytes: memory.heapTotal,
    external_bytes: memory.external,
  });
}

/**
 * Builds the site when the build in SITE_DIST is missing, older than a source, or made for another
 * API profile: serving stale pages beside a current sandbox shows scopes the sandbox refuses.
 */
async function buildSiteIfStale(config: ServerConfig) {
  const reason = staleBuildReason({
    distDir: config.siteDist,
    sources: [...buildSources, ...config.apiProfileSources],
    profile: config.apiProfile,
  });
  if (reason) {
    log({ level: 'info', message: `${reason}: building the site first.` });
    const started = performance.now();
    process.env.ASTRO_TELEMETRY_DISABLED = '1';
    // A production build whatever NODE_ENV the host has (a test runner sets 'test', and Vite then
    // builds in development: Starlight's search becomes "only available in production builds").
    process.env.NODE_ENV = 'production';
    const { build } = await import('astro');
    await build({ root: projectRoot, logLevel: 'warn', mode: 'production' });
    const seconds = Math.round((performance.now() - started) / 1000);
    log({ level: 'info', message: `Built the site in ${seconds} s.` });
  }
  const builtFor = readBuildStamp(config.siteDist)?.origin;
  if (builtFor !== undefined && builtFor !== config.siteUrl) {
    log({
      level: 'warn',
      message:
        `The pages print the origin ${builtFor}, and this server's public origin is ` +
        `${config.siteUrl}: run SITE_URL=${config.siteUrl} npm run build to print it.`,
    });
  }
}

async function main() {
  let config;
  try {
    config = readServerConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }

  await buildSiteIfStale(config);
  const cannotOpen = (error: unknown) => {
    console.error(
      `Cannot open the sandbox store ${describeStore(config)}: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  };
  // With Redis, each attempt waits 3 s for it: the server serves meanwhile, and tries again.
  const open = async () => {
    const store = await openConfiguredStore(config, log, 3_000);
    return {
      store,
      sandbox: await createSandbox({ ...sandboxOptionsFrom(config), store, logger: jsonLinesSandboxLogger }),
    };
  };
  let sandbox: Sandbox;
  let health: (() => Promise<SandboxHealth>) | undefined;
  if (config.sandboxRedisUrl) {
    // Redis may come up after this instance (a restart of both, an outage): serve the docs and
    // answer 503 on the sandbox's paths until it answers, rather than exit.
    const deferred = createDeferredSandbox({
      open,
      siteUrl: config.siteUrl,
      isFatal: isFatalStoreError,
      onFatal: cannotOpen,
      log,
    });
    sandbox = deferred.sandbox;
    health = () => deferred.health();
  } else {
    try {
      ({ sandbox } = await open());
    } catch (error) {
      cannotOpen(error);
      return;
    }
  }
  const server = createSiteServer({
    health,
    origin: config.siteUrl,
    sandbox,
    site: createStaticSite(config.siteDist),
    requestLog: jsonLinesRequestLog(),
    allowedHostnames: allowedHostnames(config.siteUrl, config.host),
    clientAddress: createClientAddressResolver(config.sandboxTrustedProxies),
  });

  server.on('error', (error: NodeJS.ErrnoException) => {
    const reason =
      error.code === 'EADDRINUSE'
        ? `port ${config.port} is already in use (set PORT to another one)`
        : error.message;
    console.error(`Cannot listen on ${config.host}:${config.port}: ${reason}.`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    log({
      level: 'info',
      message: `Serving the guide and the sandbox on http://${config.host}:${port}/ (public origin ${config.siteUrl})`,
      port,
    });
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', message: `${signal}: finishing requests in flight, then stopping.` });
    // Live journal streams never end by themselves: end them, or they would hold the drain open.
    sandbox.closeStreams();
    // Requests still running after the grace period lose their connection.
    const force = setTimeout(() => server.closeAllConnections(), shutdownGraceMs);
    force.unref();
    // close() stops accepting and closes idle keep-alive connections; a connection with a request
    // in flight closes after its answer (http-server.ts sends Connection: close while closing).
    server.close(() => void closeStoreAndFinish());
    server.closeIdleConnections();
  };
  const closeStoreAndFinish = async () => {
    try {
      // Closing the store checkpoints sqlite's write-ahead log into the database file.
      await sandbox.close();
      log({ level: 'info', message: 'Stopped.' });
      stdoutLines.flush();
      // No process.exit(): it could cut off log lines still queued for a piped stdout. Nothing
      // keeps the event loop alive any more; the timer is a safety net only.
      process.exitCode = 0;
    } catch (error) {
      // Logged by name and stack, like every unexpected error: a message could carry a secret.
      log({
        level: 'error',
        message: 'Stopped, but the store did not close cleanly.',
        error: error instanceof Error ? error.name : typeof error,
        stack: error instanceof Error ? error.stack?.split('\n').slice(1).join('\n') : undefined,
      });
      process.exitCode = 1;
    }
    setTimeout(() => {
      // Something still holds the event loop: say so, since exiting should need no timer.
      log({ level: 'warn', message: 'exit forced: something kept the process alive after stopping' });
      process.exit(process.exitCode ?? 0);
    }, 2_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGUSR2', logMemory);
}

await main();
