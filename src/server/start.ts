/**
 * `npm start`: builds the site if there is no build yet, then serves the prerendered guide and
 * the sandbox from one node:http server. SIGTERM and SIGINT drain requests in flight, then exit 0.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSandbox } from '../sandbox/sandbox.ts';
import { ConfigError, readServerConfig } from './config.ts';
import { createSiteServer } from './http-server.ts';
import { createStaticSite } from './static-files.ts';

/** How long requests in flight may take to finish after SIGTERM. */
const shutdownGraceMs = 10_000;

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const distDir = fileURLToPath(new URL('../../dist/', import.meta.url));

function log(fields: Record<string, unknown>) {
  console.log(JSON.stringify({ time: new Date().toISOString(), ...fields }));
}

async function buildSiteIfMissing() {
  if (existsSync(`${distDir}index.html`)) return;
  log({ level: 'info', message: 'No build found in dist/: building the site first (about a minute).' });
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { build } = await import('astro');
  await build({ root: projectRoot, logLevel: 'warn' });
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

  await buildSiteIfMissing();
  let sandbox;
  try {
    sandbox = await createSandbox({ issuer: config.siteUrl, dataPath: config.sandboxData, rateLimit: config.sandboxRateLimit });
  } catch (error) {
    console.error(`Cannot open the sandbox store SANDBOX_DATA=${JSON.stringify(config.sandboxData)}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const server = createSiteServer({ origin: config.siteUrl, sandbox, site: createStaticSite(distDir) });

  server.on('error', (error: NodeJS.ErrnoException) => {
    const reason = error.code === 'EADDRINUSE' ? `port ${config.port} is already in use (set PORT to another one)` : error.message;
    console.error(`Cannot listen on ${config.host}:${config.port}: ${reason}.`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    log({ level: 'info', message: `Serving the guide and the sandbox on http://${config.host}:${port}/ (public origin ${config.siteUrl})`, port });
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', message: `${signal}: finishing requests in flight, then stopping.` });
    const force = setTimeout(() => server.closeAllConnections(), shutdownGraceMs);
    force.unref();
    server.close(async () => {
      await sandbox.close();
      log({ level: 'info', message: 'Stopped.' });
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
