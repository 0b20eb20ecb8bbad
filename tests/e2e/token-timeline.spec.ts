import { axe } from './support/axe.ts';
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

  // Issue 18, item 10: at 1280 px the chart has the island's width (it had 260 px beside the list).
  expect(page.viewportSize()!.width).toBe(1280);
  const lane = page.locator('.token-timeline__lane--calls');
  expect((await lane.boundingBox())!.width).toBeGreaterThan(500);
  // No two glyphs of the events lane overlap: the revocation, the refusal and the recovered call
  // came within a second of each other, and stack in rows.
  const glyphBoxes = await page
    .locator('.token-timeline__mark')
    .evaluateAll((marks) => marks.map((mark) => mark.getBoundingClientRect().toJSON() as DOMRect));
  expect(glyphBoxes.length).toBeGreaterThanOrEqual(4);
  for (const [i, a] of glyphBoxes.entries())
    for (const b of glyphBoxes.slice(i + 1))
      expect(
        a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top,
        `glyphs at ${a.left},${a.top} and ${b.left},${b.top} overlap`,
      ).toBe(true);
  // Stopped, the list holds still for what follows (running, a new line comes on top every second
  // and "the first run" would change under the test).
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(start).toBeEnabled();
  await expect(events.getByRole('listitem').first()).toContainText('Stopped. No more calls.');

  // Routine calls (200 at the first try) fold into one line each run; a line opens to show them.
  const run = events
    .getByRole('listitem')
    .filter({ hasText: /\d+ × GET \/api\/v1\/reports → 200 OK \(calls \d+–\d+\)/ });
  await expect(run.first()).toBeVisible();
  const runCalls = await run.first().evaluate((item) => item.querySelectorAll('li').length);
  expect(runCalls).toBeGreaterThanOrEqual(2);
  await run.first().locator('summary').click();
  await expect(run.first().getByRole('listitem')).toHaveCount(runCalls);
  await expect(run.first().getByRole('listitem').first()).toContainText(
    /Call \d+: GET \/api\/v1\/reports → 200 OK/,
  );
  // The run controls and the faults are two named groups, styled apart.
  const runGroup = page.getByRole('group', { name: 'Run' });
  const faults = page.getByRole('group', { name: 'Inject a fault' });
  await expect(runGroup.getByRole('button')).toHaveText(['Start', 'Stop']);
  await expect(faults.getByRole('button')).toHaveText([
    /Revoke current token$/,
    /Jump the client's clock \+90 s$/,
  ]);
  const look = (button: ReturnType<typeof page.getByRole>) =>
    button.evaluate((element) => {
      const style = getComputedStyle(element);
      return `${style.backgroundColor} ${style.borderStyle}`;
    });
  expect(await look(faults.getByRole('button').first())).not.toBe(
    await look(runGroup.getByRole('button').first()),
  );

  const results = await axe(page).include('.token-timeline').analyze();
  expect(results.violations.map((violation) => violation.id)).toEqual([]);
  // And in the dark theme (the colours Starlight switches with data-theme).
  await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
  const dark = await axe(page).include('.token-timeline').analyze();
  expect(dark.violations.map((violation) => violation.id)).toEqual([]);
});

test('the token timeline fits a 375 px screen and is operable by keyboard', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/expiration-and-refresh/');
  const start = page.getByRole('button', { name: 'Start' });
  await start.scrollIntoViewIfNeeded();
  // client:visible: on this shared machine hydration can take several seconds.
  await expect(start).toBeEnabled({ timeout: 15_000 });
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
