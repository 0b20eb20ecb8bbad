import { expect, test, type Page } from '@playwright/test';

// The errors page's tables (status, `error`, `error_description`) at a phone's width (issue 18,
// item 14): the description, the text a reader compares with what their client printed, must be
// readable in full, not clipped by the table's box. In a narrow column each row reads as
// "status code" and then the description below (src/styles/error-table.css); on a desktop the
// tables stay three columns side by side.

/** Every status/error/description table of the page, each scrolled into view first. */
async function errorTables(page: Page) {
  const tables = page.locator('main .error-table table');
  const count = await tables.count();
  expect(count).toBeGreaterThanOrEqual(10);
  return { tables, count };
}

test('at 375 px every error row shows its whole description, and the tables keep their table roles', async ({
  page,
}) => {
  // Ten tables on a long page, on a shared 2-core machine: time for work, not a race.
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/errors/');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  const { tables, count } = await errorTables(page);
  for (let index = 0; index < count; index += 1) {
    const table = tables.nth(index);
    await table.evaluate((element) => element.scrollIntoView());
    // Nothing scrolls sideways inside the table: no column is hidden past its right edge.
    const overflow = await table.evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow, `table ${index + 1} scrolls sideways`).toBeLessThanOrEqual(0);
    // One evaluation per table (each row's cells as boxes): 80 rows, one round trip each, were slow.
    const rows = await table.evaluate((element) =>
      [...element.querySelectorAll('tbody tr')].map((row) =>
        [...row.querySelectorAll('td')].map((cell) => {
          const box = cell.getBoundingClientRect();
          return {
            left: box.left,
            right: box.right,
            top: box.top,
            bottom: box.bottom,
            text: cell.textContent,
          };
        }),
      ),
    );
    expect(rows.length).toBeGreaterThan(0);
    rows.forEach(([status, code, description], row) => {
      // Status and code share the first line; the description starts below them and fits the screen.
      expect(Math.abs(status!.top - code!.top), `row ${row + 1} of table ${index + 1}`).toBeLessThan(4);
      expect(description!.top).toBeGreaterThanOrEqual(code!.bottom - 1);
      expect(description!.left).toBeGreaterThanOrEqual(0);
      expect(description!.right, `"${description!.text}" is cut off`).toBeLessThanOrEqual(375);
    });
  }
  // The header stays for screen readers: each table still has its three column headers and rows.
  const first = tables.first();
  await expect(first.getByRole('columnheader')).toHaveText(['Status', 'error', 'error_description']);
  await expect(first.getByRole('row')).toHaveCount(await first.locator('tr').count());
  await expect(first.getByRole('cell').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/e2e/errors-table-375.png' });
});

test('at 1280 px the error tables are three columns side by side, with their header row shown', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/errors/');
  const { tables } = await errorTables(page);
  const first = tables.first();
  await first.scrollIntoViewIfNeeded();
  await expect(first.getByRole('columnheader', { name: 'Status' })).toBeVisible();
  const tops = await first
    .locator('tbody tr')
    .first()
    .locator('td')
    .evaluateAll((cells) => cells.map((cell) => Math.round(cell.getBoundingClientRect().top)));
  expect(new Set(tops).size).toBe(1);
});
