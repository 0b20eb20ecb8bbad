import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

/**
 * The code pages stay light (src/server/deferred-tab-panels.ts): hidden tab panels and the
 * reference client's closed files ship as data, and still give the reader all of their code.
 */

const lines = (path: string) =>
  readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')
    .trimEnd()
    .split('\n').length;

// Elements in the document once the page has loaded, with the languages and files not shown yet
// waiting as data. Before, the token client's page had 27,400 and the request page 7,700.
for (const [path, budget] of [
  ['/token-client/', 3000],
  ['/requesting-a-token/', 3000],
  ['/using-the-token/', 3000],
  ['/private-key-jwt/', 3000],
  ['/errors/', 6500],
] as const) {
  test(`${path} loads with at most ${budget} elements`, async ({ page }) => {
    // The errors page hydrates its Reproduce buttons as they scroll by; on a busy 2-core machine
    // loading it took more than the default 30 s. Time for work, not a race.
    test.setTimeout(120_000);
    await page.goto(path);
    const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
    expect(elements).toBeLessThanOrEqual(budget);
  });
}

test('a language shown later has all of its code, and Copy copies all of it', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/token-client/');
  await page.getByRole('tab', { name: 'Java', exact: true }).click();
  const java = page.getByRole('tabpanel').filter({ hasText: 'TokenClient.java' });
  await expect(java).toBeVisible();
  const expected = lines('content/examples/token-client/TokenClient.java');
  await expect(java.locator('.ec-line')).toHaveCount(expected);
  await java.getByRole('button', { name: /copy/i }).click();
  await expect
    .poll(
      async () => (await page.evaluate(() => navigator.clipboard.readText())).trimEnd().split('\n').length,
    )
    .toBe(expected);
});

test('each file of the reference client opens with all of its code, by keyboard too', async ({ page }) => {
  await page.goto('/token-client/');
  const file = page.locator('details').filter({ hasText: 'client-credentials-token-source.ts' });
  await expect(file.locator('summary')).toContainText(
    `(${lines('src/lib/client-credentials-token-source.ts')} lines)`,
  );
  await expect(file.locator('.ec-line')).toHaveCount(0);
  await file.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(file.locator('.ec-line')).toHaveCount(lines('src/lib/client-credentials-token-source.ts'));
  await expect(file.getByRole('button', { name: /copy/i })).toBeVisible();
});

test("the outline still marks the section being read (Starlight's table of contents, cheaper query)", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/token-client/');
  const outline = page.locator('starlight-toc');
  await expect(outline.locator('a[aria-current="true"]')).toHaveText('Overview');
  await page.evaluate(() =>
    document.getElementById('the-reference-client-what-happens-on-the-wire')?.scrollIntoView(),
  );
  await page.mouse.wheel(0, 100);
  await expect(outline.locator('a[aria-current="true"]')).toHaveText(/The reference client/);
});
