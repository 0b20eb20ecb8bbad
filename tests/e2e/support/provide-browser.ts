/**
 * `npm run test:e2e` (and so `npm test`) starts here: when no Chromium is found, it gets one, so a
 * fresh machine needs no other step. In order: Playwright's own download (where the network
 * allows), else Debian's `chromium` through apt-get (when running as root), else the message
 * findChromium prints, naming what to install, and exit code 1.
 */
import { spawnSync } from 'node:child_process';
import { findChromium } from './find-browser.ts';

function found(): string | undefined {
  try {
    return findChromium().source;
  } catch {
    return undefined;
  }
}

/** Runs a command with its output shown; true when it exits 0 within `timeoutMs`. */
function run(
  command: string,
  args: string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  console.log(`browser: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', timeout: timeoutMs, env });
  return !result.error && result.status === 0;
}

const before = found();
if (before) {
  console.log(`browser: ${before}`);
  process.exit(0);
}

console.log('browser: no Chromium found; getting one.');
// Playwright's own build, from its CDN: only where the network reaches it (a closed CI does not).
run('npx', ['playwright', 'install', 'chromium'], 300_000);
// Debian's package: apt-get needs root.
if (!found() && process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update', '-qq'], 300_000, env))
    run('apt-get', ['install', '-y', '-qq', 'chromium'], 600_000, env);
}

const after = found();
if (after) {
  console.log(`browser: ${after}`);
} else {
  // findChromium's own message says what to install.
  try {
    findChromium();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
  }
  process.exit(1);
}
