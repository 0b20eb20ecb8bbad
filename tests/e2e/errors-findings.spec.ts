import { axe } from './support/axe.ts';
import { expect, test } from '@playwright/test';

// The errors page's rows for the request inspector's findings (issue 11): each shows its corrected
// request on the wire and, on demand, as a program in each of the guide's languages.

/** A line each language's program is sure to contain. */
const marks = {
  curl: /curl /,
  TypeScript: /await fetch\(/,
  Python: /import /,
  Go: /package main/,
  Java: /class /,
  'C#': /HttpClient/,
} as const;

test("a finding's corrected request, as a program in every language, from the keyboard", async ({ page }) => {
  // axe over the errors page (a long page) takes a while on a busy 2-core machine.
  test.setTimeout(90_000);
  await page.goto('/errors/#token_expired');
  const row = page.locator('section.finding-row', { has: page.locator('#token_expired') });
  const toggle = row.getByRole('button', { name: /^The corrected request as a program/ });
  await toggle.scrollIntoViewIfNeeded();
  // An island hydrated when it scrolls into view: enabled once it is.
  await expect(toggle).toBeEnabled();
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');

  // token_expired is fixed by a new token, then the call: both requests are offered.
  const which = row.getByRole('group', { name: 'Which request' });
  await expect(which.getByRole('button')).toHaveText([
    'Token request (client_secret_basic)',
    'API call (GET)',
  ]);
  const code = row.locator('.pg-code__pre code');
  for (const [language, mark] of Object.entries(marks)) {
    await row.getByRole('tab', { name: language, exact: true }).click();
    await expect(code).toContainText(mark);
    await expect(code).toContainText('CLIENT_SECRET');
  }
  await which.getByRole('button', { name: 'API call (GET)' }).click();
  await expect(code).toContainText('ACCESS_TOKEN');
  await expect(row.getByRole('button', { name: 'Copy code' })).toBeVisible();

  const results = await axe(page).include('section.finding-row:has(#token_expired)').analyze();
  expect(results.violations).toEqual([]);
});

test('every finding row offers its corrected request as a program', async ({ page }) => {
  await page.goto('/errors/');
  const rows = page.locator('section.finding-row');
  const count = await rows.count();
  expect(count).toBeGreaterThan(30);
  await expect(rows.getByRole('button', { name: /^The corrected request as a program/ })).toHaveCount(count);
  // A key pair's finding: the program signs an assertion, and reads no secret.
  const assertionRow = page.locator('section.finding-row', { has: page.locator('#assertion_replayed') });
  const toggle = assertionRow.getByRole('button', { name: /^The corrected request as a program/ });
  await toggle.scrollIntoViewIfNeeded();
  await expect(toggle).toBeEnabled();
  await toggle.click();
  await assertionRow.getByRole('tab', { name: 'Python', exact: true }).click();
  await expect(assertionRow.locator('.pg-code__pre code')).toContainText('PRIVATE_KEY_FILE');
  await expect(assertionRow.locator('.pg-code__pre code')).not.toContainText('CLIENT_SECRET');
});
