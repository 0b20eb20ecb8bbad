import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

// The live timeline on the expiration-and-refresh page, against the sandbox of the server under
// test, with its default 10 s tokens: the client refreshes 5 s before expiry (min(60 s, half the
// lifetime)) and calls come every second, so the refresh is proactive with seconds to spare, and
// the steps below each have about 4 s before the next refresh.
test('the token timeline shows a proactive refresh and recovers from a revoked token', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/expiration-and-refresh/');
  const events = page.getByRole('list', { name: 'What happened, newest first' });
  await expect(events).toHaveCount(0); // nothing runs before Start

  // client:visible: the island hydrates once scrolled into view; until then its controls are disabled.
  const start = page.getByRole('button', { name: 'Start' });
  await expect(start).toBeDisabled();
  await start.scrollIntoViewIfNeeded();
  await expect(page.getByRole('combobox', { name: 'Token lifetime' })).toHaveValue('10');
  await start.click();
  await expect(start).toBeDisabled();
  const gotToken1 = events.getByRole('listitem').filter({ hasText: 'Got token 1: valid for' });
  await expect(gotToken1).toHaveCount(1);
  // Counted from when the request was sent, so both are a round trip short of 10 s and 5 s.
  const [validFor, dueIn] = [...(await gotToken1.textContent())!.matchAll(/([\d.]+) s/g)]
    .slice(1)
    .map((match) => Number(match[1]));
  expect(validFor).toBeGreaterThan(9);
  expect(validFor).toBeLessThanOrEqual(10);
  expect(validFor! - dueIn!).toBeCloseTo(5, 5);

  await expect(
    events.getByRole('listitem').filter({
      hasText: 'Proactive refresh: token 1 is inside its safety margin (the last 5 s of its life)',
    }),
  ).toHaveCount(1, {
    timeout: 15_000,
  });
  await expect(events.getByRole('listitem').filter({ hasText: 'Got token 2' })).toHaveCount(1);

  await page.getByRole('button', { name: 'Revoke current token' }).click();
  await expect(events.getByRole('listitem').filter({ hasText: 'You revoked token 2' })).toHaveCount(1);
  await expect(
    events.getByRole('listitem').filter({ hasText: 'The API refused token 2 (401 invalid_token)' }),
  ).toHaveCount(1, { timeout: 10_000 });
  await expect(
    events.getByRole('listitem').filter({ hasText: 'recovered: 200 OK after one retry with token 3' }),
  ).toHaveCount(1);
  await expect(
    events.getByRole('listitem').filter({ hasText: /failed|HTTP 401 after one retry/ }),
  ).toHaveCount(0);
  // Only the revoked token was refused: token 1 was replaced before it expired.
  await expect(events.getByRole('listitem').filter({ hasText: 'The API refused token' })).toHaveCount(1);

  await page.getByRole('button', { name: "Jump the client's clock +90 s" }).click();
  await expect(
    events.getByRole('listitem').filter({
      hasText: "Token 3 has expired by the client's clock, because the client's clock is 90 s ahead",
    }),
  ).toHaveCount(1, { timeout: 10_000 });

  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(start).toBeEnabled();
  await expect(events.getByRole('listitem').first()).toContainText('Stopped. No more calls.');

  const results = await new AxeBuilder({ page }).include('.token-timeline').analyze();
  expect(results.violations.map((violation) => violation.id)).toEqual([]);
});

test('the token timeline fits a 375 px screen and is operable by keyboard', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/expiration-and-refresh/');
  const start = page.getByRole('button', { name: 'Start' });
  await start.scrollIntoViewIfNeeded();
  await expect(start).toBeEnabled();
  await start.focus();
  await page.keyboard.press('Enter');
  await expect(
    page
      .getByRole('list', { name: 'What happened, newest first' })
      .getByRole('listitem')
      .filter({ hasText: 'Got token 1' }),
  ).toHaveCount(1);
  const stop = page.getByRole('button', { name: 'Stop' });
  await stop.focus();
  await page.keyboard.press('Space');
  await expect(start).toBeEnabled();
  const widths = await page
    .locator('.token-timeline')
    .evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});
