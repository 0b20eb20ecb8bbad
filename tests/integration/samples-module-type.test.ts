import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 18: a TypeScript sample with an npm dependency, copied into a fresh folder as its header
// says, runs without Node's MODULE_TYPELESS_PACKAGE_JSON warning. `npm install` writes a
// package.json without "type"; Node then reparses the sample as an ES module and warns. The header
// tells the reader to `npm pkg set type=module`, which this test does (the package.json as npm
// leaves it), with the repository's node_modules linked in place of the install.

const root = fileURLToPath(new URL('../..', import.meta.url));
const samples = [
  'content/examples/libraries/openid-client.ts',
  'content/examples/libraries/oauth4webapi.ts',
  'content/examples/private-key-jwt/private-key-jwt.ts',
];

/** Runs `node <sample>` with no credentials in a fresh folder; resolves with its exit code and stderr. */
function runFresh(sample: string, packageJson: object): Promise<{ code: number | null; stderr: string }> {
  const folder = mkdtempSync(join(tmpdir(), 'fresh-sample-'));
  const file = join(folder, sample.split('/').at(-1)!);
  copyFileSync(join(root, sample), file);
  writeFileSync(join(folder, 'package.json'), JSON.stringify(packageJson, null, 2));
  symlinkSync(join(root, 'node_modules'), join(folder, 'node_modules'), 'dir');
  return new Promise((resolve) => {
    // No CLIENT_ID and no SANDBOX_URL: the sample loads, then stops at its first missing variable.
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    execFile(process.execPath, [file], { cwd: folder, env, timeout: 30_000 }, (error, _stdout, stderr) => {
      rmSync(folder, { recursive: true, force: true });
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr });
    });
  });
}

describe.each(samples)('%s in a fresh folder', (sample) => {
  it('says to set "type": "module", and then loads without MODULE_TYPELESS_PACKAGE_JSON', async () => {
    expect(readFileSync(join(root, sample), 'utf8')).toContain('npm pkg set type=module');
    const { code, stderr } = await runFresh(sample, {
      dependencies: { 'openid-client': '^6.9.0' },
      type: 'module',
    });
    expect(stderr).not.toContain('MODULE_TYPELESS_PACKAGE_JSON');
    expect(stderr).toMatch(/Set \w+ in the environment/);
    expect(code).toBe(1);
  });

  it('warns without "type" (what the header prevents)', async () => {
    const { stderr } = await runFresh(sample, { dependencies: { 'openid-client': '^6.9.0' } });
    expect(stderr).toContain('MODULE_TYPELESS_PACKAGE_JSON');
  });
});
