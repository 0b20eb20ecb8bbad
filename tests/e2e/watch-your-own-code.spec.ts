import { spawn } from 'node:child_process';
import { axe } from './support/axe.ts';
import { expect, test, type Page } from '@playwright/test';
import { apiProfile } from '../../src/lib/api-profile.ts';
import { renderedExample } from '../support/rendered-examples.ts';
import { registerClient } from './support/playground.ts';

// "Watch your own code": a reader registers a client on the page, runs a program from a terminal
// (this test runs it: the guide's Python sample as the page shows it, with the secret read the
// careless way, newline and all), and sees the request arrive on the page with its finding. (The
// curl sample cannot send that newline: its form-encoding drops it.)

/** Waits for the credentials island to hydrate: on a loaded machine that can take several seconds. */
async function hydrated(page: Page) {
  const register = page.getByRole('button', { name: 'Register a client' });
  await register.scrollIntoViewIfNeeded();
  await expect(register).toBeEnabled({ timeout: 30_000 });
}

function runInTerminal(origin: string, env: Record<string, string>): Promise<number | null> {
  const sample = renderedExample('request-token/request_token.py', { profile: apiProfile, origin });
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [sample], { env: { ...process.env, ...env }, stdio: 'ignore' });
    child.once('error', reject);
    child.once('close', resolve);
  });
}

test('a program run from a terminal shows up on the page with its finding', async ({ page, baseURL }) => {
  await page.goto('/watch-your-own-code/');
  await hydrated(page);
  const { clientId, clientSecret } = await registerClient(page);
  const journal = page.locator('.rj');
  await journal.scrollIntoViewIfNeeded();
  await expect(journal.getByText('Live: new requests appear as they arrive.')).toBeVisible({
    timeout: 30_000,
  });
  // The environment to export names this client and the page's origin, never the secret.
  await expect(journal.locator('pre')).toContainText(`export CLIENT_ID='${clientId}'`);
  await expect(journal.locator('pre')).toContainText(`export SANDBOX_URL='${baseURL}'`);
  await expect(journal.locator('pre')).not.toContainText(clientSecret);

  // The terminal: the secret as `echo` or a file gives it, with a trailing newline.
  const exitCode = await runInTerminal(baseURL!, {
    SANDBOX_URL: baseURL!,
    CLIENT_ID: clientId,
    CLIENT_SECRET: `${clientSecret}\n`,
  });
  expect(exitCode).not.toBe(0);

  const entry = journal.getByRole('listitem').filter({ hasText: 'POST /oauth/token' }).first();
  await expect(entry).toContainText('401 invalid_client', { timeout: 5_000 });
  await expect(entry).toContainText('secret_whitespace');
  // The live region says it once, politely.
  await expect(
    journal.getByRole('status').filter({ hasText: 'POST /oauth/token: 401, 1 finding.' }),
  ).toBeVisible();

  // Keyboard: the entry opens from its summary with Enter.
  const summary = entry.locator('summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  await expect(entry.getByText('client_secret was right except for whitespace')).toBeVisible();
  await expect(entry.getByRole('link', { name: 'Explained: secret_whitespace' })).toHaveAttribute(
    'href',
    '/errors/#secret_whitespace',
  );
  await expect(entry.getByRole('term').filter({ hasText: /^Credentials$/ })).toBeVisible();

  const results = await axe(page).include('.rj').analyze();
  expect(results.violations).toEqual([]);
});

test('the journal panel fits a 375 px screen', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/watch-your-own-code/');
  await hydrated(page);
  await registerClient(page);
  const journal = page.locator('.rj');
  await journal.scrollIntoViewIfNeeded();
  await expect(journal.getByRole('listitem').filter({ hasText: 'POST /oauth/register' })).toBeVisible();
  await journal.getByRole('listitem').first().locator('summary').click();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(overflow).toBeLessThanOrEqual(375);
});

test('the error row a finding links to exists on the errors page', async ({ page }) => {
  await page.goto('/errors/');
  for (const code of [
    'secret_whitespace',
    'id_secret_swapped',
    'token_expired',
    'wrong_path',
    'token_per_call',
  ])
    await expect(page.locator(`[id="${code}"]`)).toHaveCount(1);
});
