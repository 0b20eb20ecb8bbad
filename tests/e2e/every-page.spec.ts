import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { sitePages } from './support/site-pages.ts';

// One test per page and colour scheme: axe finds no violation, the page has a description,
// and the browser reports no console error (a missing favicon would be one).
test('every page is accessible, described and free of console errors', async ({ page, request }) => {
  const pages = await sitePages(request);
  expect(pages).toContain('/');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const path of pages) {
      await test.step(`${path} (${colorScheme})`, async () => {
        const errors: string[] = [];
        const onConsole = (message: { type(): string; text(): string }) => {
          if (message.type() === 'error') errors.push(message.text());
        };
        page.on('console', onConsole);
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(200);
        await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', /\S{20,}|(\S+\s+){5,}/);
        const results = await new AxeBuilder({ page }).analyze();
        const violations = results.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(' | ')}`);
        expect(violations, path).toEqual([]);
        page.off('console', onConsole);
        expect(errors, path).toEqual([]);
      });
    }
  }
});
