import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { builtSitePages } from './support/site-pages.ts';

const pages = builtSitePages();

test('the sitemap lists the home page', () => {
  expect(pages).toContain('/');
});

// Per page and colour scheme: axe finds no violation, the page has a description, and the
// browser reports no console error (a missing favicon would be one).
for (const path of pages) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`${path} (${colorScheme}) is accessible, described and free of console errors`, async ({ page }) => {
      // axe walks every node: on the longest pages (the error tables, the token client's listings)
      // that alone takes tens of seconds on a busy 2-core machine, and more than 90 s at a load
      // average of 20 (the errors page, dark). More time for work, not a race.
      test.setTimeout(180_000);
      await page.emulateMedia({ colorScheme });
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', /(\S+\s+){5,}/);
      // Violations only: what the test asserts. axe then works out a CSS selector for each
      // violating node alone, not for every node that passed (on the longest pages, tens of
      // thousands of them, most of its time); every rule still runs on every node.
      const results = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).analyze();
      const violations = results.violations.map(
        (violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(' | ')}`,
      );
      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
    });
  }
}
