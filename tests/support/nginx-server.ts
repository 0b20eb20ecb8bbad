import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';

/** An nginx of a test's own, on a free loopback port, configured from the README's example. */
export interface TestNginx {
  origin: string;
  port: number;
  /** Everything nginx wrote to its error log so far. */
  errorLog(): string;
  stop(): Promise<void>;
}

// Debian installs it in /usr/sbin, which a non-root PATH may lack.
const executable = process.env.NGINX ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');
const readmePath = fileURLToPath(new URL('../../README.md', import.meta.url));

/** Throws with what to install when there is no nginx (.ci/run installs Debian's). */
export function assertNginxInstalled(): void {
  const probe = spawnSync(executable, ['-v'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${executable} is not installed: the load-balancer test needs it (apt-get install nginx, or set NGINX).`,
    );
  }
}

/**
 * The README's nginx example (its one ```nginx block), as a reader copies it, with only what a test
 * must change: the upstream servers become the test's instances, and `listen 443 ssl` becomes a
 * plain loopback port without the certificate lines (TLS is nginx's business, not the sandbox's).
 */
export function readmeNginxServerBlock(upstreams: string[], port: number): string {
  const block = /```nginx\n([\s\S]*?)```/.exec(readFileSync(readmePath, 'utf8'))?.[1];
  if (!block) throw new Error('README.md has no ```nginx block');
  const lines = block.split('\n').map((line) => line.replace(/^ {2}/, ''));
  const servers = lines.filter((line) => /^\s*server\s+[\d.]+:\d+;/.test(line));
  if (servers.length === 0)
    throw new Error("README.md's nginx block has no upstream `server host:port;` line");
  const indent = /^\s*/.exec(servers[0]!)![0];
  const config = lines
    .filter((line) => !servers.slice(1).includes(line) && !/^\s*ssl_certificate(_key)?\s/.test(line))
    .map((line) =>
      line === servers[0] ? upstreams.map((upstream) => `${indent}server ${upstream};`).join('\n') : line,
    )
    .join('\n');
  if (!/listen 443 ssl;/.test(config))
    throw new Error("README.md's nginx block no longer listens with `listen 443 ssl;`");
  return config.replace('listen 443 ssl;', `listen 127.0.0.1:${port};`);
}

/**
 * Starts nginx in the foreground with `http { <serverBlock> }` and waits until it listens on `port`
 * (a free one unless given: the upstreams may need to know it first, as their public origin).
 */
export async function startNginx(
  makeServerBlock: (port: number) => string,
  port?: number,
): Promise<TestNginx> {
  assertNginxInstalled();
  port ??= await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-nginx-'));
  // Run as root, nginx's workers switch to an unprivileged user: they must be able to enter the folder.
  chmodSync(dir, 0o755);
  const errorLogPath = join(dir, 'error.log');
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${errorLogPath} warn;`,
      'events { worker_connections 256; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (kind) => `  ${kind}_temp_path ${join(dir, kind)};`,
      ),
      makeServerBlock(port),
      '}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    executable,
    ['-p', dir, '-e', errorLogPath, '-c', join(dir, 'nginx.conf')],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errorLog = () => {
    try {
      return readFileSync(errorLogPath, 'utf8');
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`nginx exited with code ${child.exitCode}:\n${output}${errorLog()}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not listen within 10 s:\n${output}${errorLog()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    errorLog,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
