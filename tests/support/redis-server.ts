import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { freePort } from './free-port.ts';

/** A `redis-server` of a test's own, on a free loopback port, with its data in a temporary folder. */
export interface TestRedisServer {
  url: string;
  port: number;
  /** The server's process id (changes on restart). */
  pid(): number;
  /** Stops it abruptly (SIGKILL) and starts it again on the same port and data: what a crash and a supervisor do. */
  restart(options?: { downMs?: number }): Promise<void>;
  /** SIGKILL, leaving it stopped until {@link start}. */
  kill(): Promise<void>;
  /** Starts it again after {@link kill}. */
  start(): Promise<void>;
  /** Stops it and removes its data; safe to call twice. */
  stop(): Promise<void>;
}

const executable = process.env.REDIS_SERVER ?? 'redis-server';

/** Throws with what to install when there is no redis-server (.ci/run installs Debian's). */
export function assertRedisServerInstalled(): void {
  const probe = spawnSync(executable, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${executable} is not installed: the Redis store's tests need it (apt-get install redis-server, or set REDIS_SERVER).`,
    );
  }
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

/**
 * Starts `redis-server` with the persistence the README recommends (AOF, `appendfsync always`), so
 * a restart keeps every acknowledged write. Never the default port 6379: other people's Redis may be there.
 */
export async function startRedisServer({ started = true } = {}): Promise<TestRedisServer> {
  assertRedisServerInstalled();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-redis-'));
  let child: ChildProcess | undefined;
  let output = '';

  async function start() {
    child = spawn(
      executable,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--protected-mode',
        'yes',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(port))) {
      if (child.exitCode !== null)
        throw new Error(`redis-server exited with code ${child.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer within 10 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function kill() {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  }

  // `started: false` keeps the port free and Redis down, for a test that starts it later.
  if (started) await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: () => child!.pid!,
    async restart({ downMs = 0 } = {}) {
      await kill();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    kill,
    start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
