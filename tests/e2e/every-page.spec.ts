import { axe } from './support/axe.ts';
import { expect, test, type Page, type Response } from '@playwright/test';
import { directive, watchViolations } from './support/csp-violations.ts';
import { builtSitePages } from './support/site-pages.ts';

/**
 * Every page of the built site, in Chromium, loaded once: axe finds no violation in the light theme,
 * nor a colour violation in the dark theme, the page has a description, the answer carries the security headers, every
 * island hydrates under the page's Content-Security-Policy with no violation, and the browser
 * reports no console error (a missing favicon would be one). One load a page, not one a check:
 * on the longest pages the load and the hydration are most of the time.
 */

const pages = builtSitePages();

test('the sitemap lists the home page and the pages to check', () => {
  expect(pages).toContain('/');
  expect(pages.length).toBeGreaterThan(5);
});

/** The answer's security headers, and the same policy (minus frame-ancestors) in the page itself. */
async function expectSecurityHeaders(page: Page, response: Response) {
  const headers = response.headers();
  const policy = headers['content-security-policy'] ?? '';
  expect(directive(policy, 'script-src')).toMatch(/^script-src 'self'/);
  expect(directive(policy, 'script-src')).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
  for (const required of [
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ])
    expect(policy.split('; ')).toContain(required);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  await expect(page.locator('meta[http-equiv="content-security-policy"]')).toHaveCount(1);
}

/**
 * The axe rules whose verdict depends on colours. The dark theme changes colours only: Starlight's
 * and Expressive Code's themes are custom properties under `data-theme`, and no style of ours hides,
 * shows or moves anything by theme (request-code.css only recolours code). The second theme is
 * checked with these rules; the first with every rule.
 */
const colourRules = ['color-contrast', 'link-in-text-block'];

/** axe's violations on the page as it is now, one line each: every rule, or only those given. */
async function axeViolations(page: Page, rules?: string[]): Promise<string[]> {
  // Violations only: what the test asserts. axe then works out a CSS selector for each violating
  // node alone, not for every node that passed (on the longest pages, tens of thousands of them,
  // most of its time); every rule still runs on every node.
  const builder = axe(page).options({ resultTypes: ['violations'] });
  const results = await (rules ? builder.withRules(rules) : builder).analyze();
  return results.violations.map(
    (violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(' | ')}`,
  );
}

/**
 * Brings every island that has not hydrated yet into view (client:visible hydrates it once one of
 * its children intersects the viewport, and Astro then drops its ssr attribute). Islands in a tab
 * panel that is not selected (the "Key pair" tabs) cannot be seen: select every tab in turn (which
 * also builds each hidden panel's code from its data, src/server/deferred-tab-panels.ts) and bring
 * in what it shows. In the page, in one call, and only the islands still waiting: from the test, a
 * round trip per island per tab took most of a minute on the code pages of a loaded machine.
 */
async function hydrateEveryIsland(page: Page) {
  await page.evaluate(async () => {
    const frames = () =>
      new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const showWaitingIslands = async () => {
      // An island is display: contents; what it shows, and what Astro observes, are its children.
      for (const island of document.querySelectorAll('astro-island[ssr]')) {
        const shown = [...island.children].find((child) => child.checkVisibility());
        if (!shown) continue;
        shown.scrollIntoView({ block: 'center' });
        // In view until it has hydrated (its code loaded and run), up to 5 s: scrolled away at
        // once, an island may miss its IntersectionObserver's entry and never hydrate.
        const until = performance.now() + 5_000;
        while (island.hasAttribute('ssr') && performance.now() < until) await frames();
      }
    };
    // Up to three passes: an island still waiting after one (in view for 5 s on a loaded machine,
    // its observer's entry not yet delivered: CI saw one of the errors page's 42 islands stay
    // unhydrated) is brought back into view, as a reader who scrolls back would bring it.
    for (let pass = 0; pass < 3 && document.querySelector('astro-island[ssr]'); pass += 1) {
      await showWaitingIslands();
      for (const tab of document.querySelectorAll<HTMLElement>('starlight-tabs [role="tab"]')) {
        tab.click();
        await frames();
        await showWaitingIslands();
      }
    }
  });
  // The islands' code loads and runs after the scroll: time for work, not a race.
  await expect(page.locator('astro-island[ssr]')).toHaveCount(0, { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
}

for (const path of pages) {
  test(`${path}: accessible in both themes, described, hydrated under its policy, no console error`, async ({
    page,
  }) => {
    // axe walks every node, twice (every rule, then the colour rules): on the longest pages (the
    // error tables, the token client's listings) that alone takes tens of seconds on a busy
    // 2-core machine, and more than 90 s at a load average of 20. More time for work, not a race.
    test.setTimeout(240_000);
    await page.emulateMedia({ colorScheme: 'light' });
    const violations = await watchViolations(page);
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    await expectSecurityHeaders(page, response!);
    await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', /(\S+\s+){5,}/);

    expect(await axeViolations(page), 'light theme').toEqual([]);
    // Starlight follows the system's scheme while the reader has not chosen one (ThemeSelect).
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await axeViolations(page, colourRules), 'dark theme').toEqual([]);

    await hydrateEveryIsland(page);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  });
}
