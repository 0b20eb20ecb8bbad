import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

// The live timeline on the expiration-and-refresh page, against the sandbox of the server under
// test. 20 s tokens: the client refreshes 2 s before expiry, and calls come every second, so the
// refresh is always proactive (the sandbox's whole-second `exp` is at most 1 s early).
test('the token timeline shows a proactive refresh and recovers from a revoked token', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/expiration-and-refresh/');
  const events = page.getByRole('list', { name: 'What happened, newest first' });
  await expect(events).toHaveCount(0); // nothing runs before Start

  await page.getByRole('combobox', { name: 'Token lifetime' }).selectOption('20');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('button', { name: 'Start' })).toBeDisabled();
  await expect(events.getByRole('listitem').filter({ hasText: 'Got token 1: valid for 20 s' })).toHaveCount(1);

  await expect(events.getByRole('listitem').filter({ hasText: 'Proactive refresh: token 1 is inside its safety margin' })).toHaveCount(1, { timeout: 30_000 });
  await expect(events.getByRole('listitem').filter({ hasText: 'Got token 2' })).toHaveCount(1);

  await page.getByRole('button', { name: 'Revoke current token' }).click();
  await expect(events.getByRole('listitem').filter({ hasText: 'You revoked token 2' })).toHaveCount(1);
  await expect(events.getByRole('listitem').filter({ hasText: 'The API refused token 2 (401 invalid_token)' })).toHaveCount(1, { timeout: 10_000 });
  await expect(events.getByRole('listitem').filter({ hasText: 'recovered: 200 OK after one retry with token 3' })).toHaveCount(1);
  await expect(events.getByRole('listitem').filter({ hasText: /failed|HTTP 401 after one retry/ })).toHaveCount(0);

  await page.getByRole('button', { name: 'Skew my clock by +90 s' }).click();
  await expect(events.getByRole('listitem').filter({ hasText: "Token 3 has expired by the client's clock, because the client's clock is 90 s ahead" })).toHaveCount(1, { timeout: 10_000 });

  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
  await expect(events.getByRole('listitem').first()).toContainText('Stopped. No more calls.');

  const results = await new AxeBuilder({ page }).include('.token-timeline').analyze();
  expect(results.violations.map((violation) => violation.id)).toEqual([]);
});

test('the token timeline fits a 375 px screen and is operable by keyboard', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/expiration-and-refresh/');
  const start = page.getByRole('button', { name: 'Start' });
  await start.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('list', { name: 'What happened, newest first' }).getByRole('listitem').filter({ hasText: 'Got token 1' })).toHaveCount(1);
  const stop = page.getByRole('button', { name: 'Stop' });
  await stop.focus();
  await page.keyboard.press('Space');
  await expect(start).toBeEnabled();
  const widths = await page.locator('.token-timeline').evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});
