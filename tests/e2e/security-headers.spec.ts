import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { builtSitePages } from './support/site-pages.ts';

/**
 * The site under its Content-Security-Policy, in Chromium: every page loads, hydrates every island
 * and reports no violation; the search (Pagefind, WebAssembly) works; another site cannot frame a
 * page; and every answer, pages and sandbox, carries the security headers.
 */

const pages = builtSitePages();

/**
 * Starts collecting CSP violations before any script of the page runs: the document's
 * securitypolicyviolation events and the console's "Content Security Policy" reports.
 */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on('console', (message) => {
    if (/content.security.policy/i.test(message.text())) fromConsole.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(
        `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  return async () => [
    ...fromConsole,
    ...(await page.evaluate(
      () => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [],
    )),
  ];
}

/** The directive `name` of a policy, e.g. "script-src 'self' 'sha256-…'". */
const directive = (policy: string, name: string) =>
  policy
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name} `));

test('the sitemap lists the pages to check', () => {
  expect(pages.length).toBeGreaterThan(5);
});

for (const path of pages) {
  test(`${path} runs under its policy: headers sent, islands hydrated, no violation`, async ({ page }) => {
    // Selecting every tab in turn builds each hidden panel's code from its data (the code pages
    // ship it so, src/server/deferred-tab-panels.ts): real work, which took more than 30 s on a
    // busy 2-core machine. Time for work, not a race.
    test.setTimeout(120_000);
    const violations = await watchViolations(page);
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
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
    // The same policy, minus frame-ancestors, is in the page itself (for static hosts).
    await expect(page.locator('meta[http-equiv="content-security-policy"]')).toHaveCount(1);

    // Bring every island into view: client:visible hydrates it, and Astro drops its ssr attribute.
    // Islands in a tab panel that is not selected (the "Key pair" tabs) cannot be scrolled to:
    // bring the visible ones in, then select every tab in turn and bring in what it shows.
    const islands = page.locator('astro-island');
    const showVisibleIslands = async () => {
      for (let i = 0; i < (await islands.count()); i++)
        if (await islands.nth(i).isVisible()) await islands.nth(i).scrollIntoViewIfNeeded();
    };
    await showVisibleIslands();
    const tabs = page.locator('starlight-tabs [role="tab"]');
    for (let i = 0; i < (await tabs.count()); i++) {
      await tabs.nth(i).click();
      await showVisibleIslands();
    }
    await expect(page.locator('astro-island[ssr]')).toHaveCount(0);
    await page.waitForLoadState('networkidle');
    expect(await violations()).toEqual([]);
  });
}

test('search finds a page, Pagefind and its WebAssembly running under the policy', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('/');
  await page.getByRole('button', { name: 'Search' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Search' });
  await dialog.getByRole('textbox').fill('sandbox metadata');
  await expect(dialog.getByRole('link', { name: /Sandbox reference/ }).first()).toBeVisible();
  expect(await violations()).toEqual([]);
});

test('an island hydrates and calls the sandbox same-origin under the policy', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('/sandbox/');
  await page.getByRole('button', { name: 'Check the sandbox' }).click();
  await expect(page.getByRole('status')).toContainText('The sandbox is up.');
  expect(await violations()).toEqual([]);
});

test('another site cannot frame a page (frame-ancestors)', async ({ page, baseURL }) => {
  // A real page of another origin on loopback that frames the guide (a page Playwright made up
  // would count as public, and Private Network Access would block the frame before CSP could).
  const framer = createServer((_request, reply) =>
    reply
      .writeHead(200, { 'content-type': 'text/html' })
      .end(`<!doctype html><title>framer</title><iframe src="${baseURL}/"></iframe>`),
  );
  await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
  try {
    const refusal = page.waitForEvent('console', (message) => /frame-ancestors/.test(message.text()));
    await page.goto(`http://127.0.0.1:${(framer.address() as AddressInfo).port}/`);
    expect((await refusal).text()).toContain("frame-ancestors 'none'");
    const framed = page.frames().find((frame) => frame !== page.mainFrame());
    expect(framed).toBeDefined();
    expect(await framed!.title().catch(() => '')).not.toMatch(/API Authentication Guide/);
  } finally {
    framer.close();
  }
});

test('the sandbox answers with its own strict policy and the same headers', async ({ request }) => {
  for (const path of [
    '/oauth/jwks',
    '/.well-known/oauth-authorization-server',
    '/api/v1/reports',
    '/oauth/nothing',
  ]) {
    const response = await request.get(path);
    const headers = response.headers();
    expect(headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // The e2e server's SITE_URL is http: no HSTS.
    expect(headers['strict-transport-security']).toBeUndefined();
  }
});
