import { axe } from './support/axe.ts';
import { expect, test } from '@playwright/test';
import { apiProfile } from './support/api-profile.ts';

const { readScope } = apiProfile;

test('the home page is the guide, with search, theme choice and a sidebar', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Overview | API Authentication Guide');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Search' }).first()).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Select theme' }).first()).toBeAttached();
  const sidebar = page.getByRole('navigation', { name: 'Main' });
  await expect(sidebar.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
});

test('search finds the sandbox page', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Search' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Search' });
  await dialog.getByRole('textbox').fill('sandbox metadata');
  await expect(dialog.getByRole('link', { name: /Sandbox reference/ }).first()).toBeVisible();
});

// Pagefind's UI loads only when the reader goes to search (src/components/lazy-pagefind-ui.ts):
// from the keyboard, Ctrl+K still opens a search box that has the focus and finds pages.
test('Ctrl+K opens the search with the focus in its box, and it finds a page', async ({ page }) => {
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Search' });
  await expect(dialog.getByRole('textbox')).toBeFocused();
  await page.keyboard.type('glossary');
  await expect(dialog.getByRole('link', { name: /Glossary/ }).first()).toBeVisible();
});

// Starlight enables the Search button as soon as its script runs, and builds Pagefind's UI (our
// lazy stand-in) only once the browser is idle: a reader who opens the search in between (CI's
// loaded machine did, and so can a slow phone's reader) must still get the search box, and is
// told that it is loading while Pagefind's UI is on its way.
test("the search opened before Pagefind's loader has run says it is loading, then gets its box, focused", async ({
  page,
}) => {
  /** Holds back the chunks whose path matches until released. */
  const holdBack = async (chunk: RegExp) => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(chunk, async (route) => {
      await held;
      await route.continue();
    });
    return release;
  };
  const releaseLoader = await holdBack(/\/_astro\/lazy-pagefind-ui\.[\w-]+\.js$/);
  const releaseUi = await holdBack(/\/_astro\/ui-core\.[\w-]+\.js$/);
  const loaderRequested = page.waitForRequest(/\/_astro\/lazy-pagefind-ui\./);
  await page.goto('/');
  await loaderRequested;
  await page.getByRole('button', { name: 'Search' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Search' });
  await expect(dialog).toBeVisible();
  releaseLoader();
  await expect(dialog.getByRole('status')).toHaveText('Loading search…');
  releaseUi();
  await expect(dialog.getByRole('textbox')).toBeFocused();
  await expect(dialog.getByText('Loading search…')).toHaveCount(0);
  await page.keyboard.type('glossary');
  await expect(dialog.getByRole('link', { name: /Glossary/ }).first()).toBeVisible();
});

test('a search UI that cannot load says so in plain words', async ({ page }) => {
  await page.route(/\/_astro\/ui-core\.[\w-]+\.js$/, (route) => route.abort('connectionfailed'));
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  await page.getByRole('button', { name: 'Search' }).first().click();
  await expect(page.getByRole('dialog', { name: 'Search' }).getByRole('status')).toHaveText(
    'Search could not load. Check the connection, then reload the page.',
  );
  const results = await axe(page).include('dialog').analyze();
  expect(results.violations.map((violation) => violation.id)).toEqual([]);
});

test('the island checks the sandbox over HTTP and reports it up', async ({ page, baseURL }) => {
  await page.goto('/sandbox/');
  const metadataCall = page.waitForResponse((response) =>
    response.url().endsWith('/.well-known/oauth-authorization-server'),
  );
  // client:visible: the island hydrates once in view; the button waits, disabled, until then.
  const button = page.getByRole('button', { name: 'Check the sandbox' });
  await button.scrollIntoViewIfNeeded();
  await button.click();
  expect((await metadataCall).status()).toBe(200);
  const status = page.getByRole('status');
  await expect(status).toContainText('The sandbox is up.');
  await expect(status).toContainText(`${baseURL}/oauth/token`);
  await expect(status).toContainText(readScope);
  const results = await axe(page).include('.sandbox-status').analyze();
  expect(results.violations.map((violation) => violation.id)).toEqual([]);
});

test('the sandbox answers an unknown path with 404 JSON, and the site with its 404 page', async ({
  request,
}) => {
  const sandbox = await request.get('/oauth/nothing');
  expect(sandbox.status()).toBe(404);
  expect(sandbox.headers()['content-type']).toMatch(/^application\/json/);
  expect(await sandbox.json()).toMatchObject({ error: 'not_found' });

  const page = await request.get('/no-such-page/');
  expect(page.status()).toBe(404);
  expect(await page.text()).toContain('Page not found');
});

test('text is compressed and hashed assets are cached for good', async ({ request, page }) => {
  const html = await request.get('/', { headers: { 'accept-encoding': 'br, gzip' } });
  expect(html.headers()['content-encoding']).toBe('br');
  const gzip = await request.get('/', { headers: { 'accept-encoding': 'gzip' } });
  expect(gzip.headers()['content-encoding']).toBe('gzip');

  await page.goto('/');
  const stylesheet = await page
    .locator('link[rel="stylesheet"][href^="/_astro/"]')
    .first()
    .getAttribute('href');
  expect(stylesheet).toBeTruthy();
  const asset = await request.get(stylesheet!, { headers: { 'accept-encoding': 'br' } });
  expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(asset.headers()['content-encoding']).toBe('br');
});

test('a page path without its trailing slash redirects to the canonical URL', async ({ request }) => {
  const response = await request.get('/sandbox', { maxRedirects: 0 });
  expect(response.status()).toBe(308);
  expect(response.headers().location).toBe('/sandbox/');
});

test('the API reference is generated from the sandbox OpenAPI document and teaches one client authentication', async ({
  page,
}) => {
  await page.goto('/');
  const sidebar = page.getByRole('navigation', { name: 'Main' });
  await sidebar.getByText('API reference', { exact: true }).click();
  await sidebar.getByText('Authorization server', { exact: true }).click();
  await sidebar.getByRole('link', { name: 'Request an access token' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Request an access token' })).toBeVisible();
  // The generated curl sends the credentials in the Basic header only (RFC 6749 §2.3.1), never
  // also in the body: the mistake the request inspector flags as credentials_in_header_and_body.
  const snippet = page.locator('pre').filter({ hasText: 'curl --request POST' }).first();
  await expect(snippet).toContainText('Authorization: Basic');
  await expect(snippet).toContainText(`scope=${readScope}`);
  await expect(snippet).not.toContainText('client_secret=');
});

// Issue 18, item 7: long strings break at sensible points. At 375 px the URL table of the token
// request page fits its column, and each URL wraps only at a seam (after a slash, before a dot):
// every piece between two seams is drawn on one line.
test('at 375 px the token and API URLs wrap at their seams, never inside a word', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/requesting-a-token/');
  const table = page.locator('table.api-urls');
  await table.scrollIntoViewIfNeeded();
  const { overflow, brokenPieces, pieces } = await table.evaluate((element) => {
    const texts = [...element.querySelectorAll('code')].flatMap((code) =>
      [...code.childNodes].filter((node): node is Text => node.nodeType === Node.TEXT_NODE),
    );
    const linesOf = (text: Text) => {
      const range = document.createRange();
      range.selectNodeContents(text);
      return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
    };
    return {
      overflow: element.scrollWidth - element.clientWidth,
      pieces: texts.length,
      brokenPieces: texts.filter((text) => linesOf(text) > 1).map((text) => text.data),
    };
  });
  expect(overflow).toBeLessThanOrEqual(0);
  expect(pieces).toBeGreaterThan(8);
  expect(brokenPieces).toEqual([]);
});
