import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A running `src/server/start.ts`. */
export interface ProductionServer {
  origin: string;
  process: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * When the process that started servers exits, the servers it left running are stopped (a test
 * whose setup failed half-way never reaches its own stop) and their log folders removed.
 */
const started: { child: ChildProcess; logFolder: string }[] = [];
process.once('exit', () => {
  for (const { child, logFolder } of started) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    rmSync(logFolder, { recursive: true, force: true });
  }
});

/**
 * Starts the production server entry on a free loopback port and waits until the sandbox
 * answers. It serves the build in dist/ (and builds it first if there is none).
 *
 * The server's stdout and stderr go straight to a log file, as a deployment's would, and output()
 * reads that file: the process that starts the server (a test, or the bench's load generator) does
 * no work per line the server logs, so it measures the server and not its own reading of the log.
 */
export async function startProductionServer(
  env: Record<string, string> = {},
  readyTimeoutMs = 180_000,
  /** The path that answers 2xx once the server is ready; default the sandbox's metadata. */
  readyPath = '/.well-known/oauth-authorization-server',
): Promise<ProductionServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const logFolder = mkdtempSync(join(tmpdir(), 'sandbox-server-'));
  const logPath = join(logFolder, 'server.log');
  const log = openSync(logPath, 'a');
  const child = spawn(process.execPath, ['src/server/start.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      SITE_URL: origin,
      SANDBOX_DATA: ':memory:',
      ASTRO_TELEMETRY_DISABLED: '1',
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  // The child holds its own copy of the descriptor.
  closeSync(log);
  started.push({ child, logFolder });
  const output = () => readFileSync(logPath, 'utf8');
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`The server exited with code ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${origin}${readyPath}`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The server did not answer within ${readyTimeoutMs} ms:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    origin,
    process: child,
    output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
