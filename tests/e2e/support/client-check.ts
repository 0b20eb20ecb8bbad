import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { apiProfile } from '../../../src/lib/api-profile.ts';
import { renderedExample } from '../../support/rendered-examples.ts';

/** The "Check my client" page. */
export const checkPage = '/check-my-client/';

/** Scrolls to the island and waits until it has hydrated (its section loses data-pending). */
export async function hydrated(p: Page) {
  const island = p.locator('section.cc');
  await island.scrollIntoViewIfNeeded();
  await expect(island).not.toHaveAttribute('data-pending', '', { timeout: 30_000 });
  return island;
}

/** Runs the page's program with the token manager beside it, as the page tells a reader to. */
export function runProgram(origin: string, env: Record<string, string>): Promise<number | null> {
  const context = { profile: apiProfile, origin };
  const program = renderedExample('token-manager/run_during_check.py', context);
  copyFileSync(
    renderedExample('token-manager/token_manager.py', context),
    join(dirname(program), 'token_manager.py'),
  );
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [program], { env: { ...process.env, ...env }, stdio: 'ignore' });
    child.once('error', reject);
    child.once('close', resolve);
  });
}
