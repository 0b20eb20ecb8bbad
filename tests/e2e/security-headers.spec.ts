import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { watchViolations } from './support/csp-violations.ts';

/**
 * The site under its Content-Security-Policy, in Chromium: the search (Pagefind, WebAssembly) works;
 * an island calls the sandbox; another site cannot frame a page; and the sandbox's answers carry the
 * security headers. Each page's own headers, hydration and violations: every-page.spec.ts, in the
 * same load as its accessibility checks.
 */

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
  // client:visible: the island hydrates once in view; the button waits, disabled, until then
  // (clicked before hydration, it once did nothing, and this test failed on a loaded machine).
  const button = page.getByRole('button', { name: 'Check the sandbox' });
  await button.scrollIntoViewIfNeeded();
  await button.click();
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
