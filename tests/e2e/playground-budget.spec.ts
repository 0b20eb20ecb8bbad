import { gzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { callApi, press, registerClient, requestToken } from './support/playground.ts';
import { apiProfile } from './support/api-profile.ts';

const { readScope } = apiProfile;

/** Shiki (loaded when the code panel opens) takes seconds to arrive and start on this shared machine. */
const highlighting = { timeout: 20_000 };

// The JavaScript the built /playground/ page costs, measured in the browser against the production
// server: every script response recorded, each body gzipped here (the server sends brotli, which
// is smaller: gzip is the stricter measure), plus the page's inline scripts.

/** 110 KB of gzipped JavaScript before the reader does anything (KB of 1024 bytes). */
const budgetBytes = 110 * 1024;

/** Text only jose's code holds (its error codes survive minification), and Shiki's. */
const joseMarker = 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED';
const shikiMarker = 'ShikiError';

interface Script {
  url: string;
  gzipBytes: number;
  transferBytes: number;
  text: string;
}

/** Records every script the page loads; `settled()` waits until each body has been read. */
function recordScripts(page: Page): { scripts: Map<string, Script>; settled: () => Promise<void> } {
  const scripts = new Map<string, Script>();
  const pending = new Set<Promise<void>>();
  page.on('response', (response) => {
    const request = response.request();
    if (request.resourceType() !== 'script' && !/\.m?js(\?|$)/.test(response.url())) return;
    const read = (async () => {
      const body = await response.body().catch(() => undefined);
      if (!body) return;
      const sizes = await request.sizes().catch(() => undefined);
      scripts.set(response.url(), {
        url: response.url(),
        gzipBytes: gzipSync(body).length,
        transferBytes: sizes?.responseBodySize ?? body.length,
        text: body.toString('utf8'),
      });
    })();
    pending.add(read);
    void read.finally(() => pending.delete(read));
  });
  return {
    scripts,
    settled: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

async function inlineScriptBytes(page: Page): Promise<number> {
  const texts = await page.evaluate(() =>
    [...document.querySelectorAll('script:not([src])')].map((script) => script.textContent ?? ''),
  );
  return texts.reduce((sum, text) => sum + gzipSync(text).length, 0);
}

const sum = (scripts: Map<string, Script>, field: 'gzipBytes' | 'transferBytes') =>
  [...scripts.values()].reduce((total, script) => total + script[field], 0);
const loaded = (scripts: Map<string, Script>, marker: string) =>
  [...scripts.values()].some((script) => script.text.includes(marker));

test('the playground loads at most 110 KB of gzipped JavaScript before interaction; jose and Shiki load only when needed', async ({
  page,
}, testInfo) => {
  test.setTimeout(60_000);
  const { scripts, settled } = recordScripts(page);
  await page.goto('/playground/', { waitUntil: 'networkidle' });
  // Starlight's search box loads when the browser is idle: it counts, so wait for it. Pagefind's
  // UI itself (src/components/lazy-pagefind-ui.ts) waits until the reader goes to search.
  await expect
    .poll(() => [...scripts.keys()].some((url) => url.includes('/_astro/lazy-pagefind-ui.')), {
      timeout: 10_000,
    })
    .toBe(true);
  await page.waitForLoadState('networkidle');
  await settled();
  expect([...scripts.keys()].some((url) => url.includes('/_astro/ui-core.'))).toBe(false);

  const inline = await inlineScriptBytes(page);
  const atLoad = sum(scripts, 'gzipBytes') + inline;
  const atLoadTransfer = sum(scripts, 'transferBytes');
  testInfo.annotations.push({
    type: 'JS at load',
    description: `${(atLoad / 1024).toFixed(1)} KiB gzip (of which inline ${(inline / 1024).toFixed(1)} KiB), ${(atLoadTransfer / 1024).toFixed(1)} KiB transferred, ${scripts.size} files`,
  });
  expect(
    atLoad,
    [...scripts.values()].map((script) => `${script.gzipBytes} ${script.url}`).join('\n'),
  ).toBeLessThanOrEqual(budgetBytes);
  // React and the first step's island are among them: the measure measures something.
  expect([...scripts.keys()].some((url) => /\/_astro\/Credentials\.[\w-]+\.js$/.test(url))).toBe(true);
  expect(loaded(scripts, joseMarker)).toBe(false);
  expect(loaded(scripts, shikiMarker)).toBe(false);

  // Registering, requesting a token and calling the API need neither.
  await registerClient(page);
  await requestToken(page);
  await settled();
  expect([...scripts.keys()].some((url) => /\/_astro\/TokenRequest\.[\w-]+\.js$/.test(url))).toBe(true);

  // The inspector verifies the token: jose arrives now, and Shiki still has not.
  await page.getByRole('textbox', { name: 'JWT to inspect' }).scrollIntoViewIfNeeded();
  await expect(
    page.getByRole('status').filter({ hasText: 'Signature verified against the sandbox' }),
  ).toBeVisible();
  await settled();
  expect(loaded(scripts, joseMarker)).toBe(true);
  await callApi(page, 'GET');
  await settled();
  expect(loaded(scripts, shikiMarker)).toBe(false);

  // Opening the code panel brings Shiki.
  await press(page.getByRole('button', { name: 'Code for this request' }));
  await expect(page.locator('pre.pg-code__pre[data-highlighted="true"] span[style]').first()).toBeVisible(
    highlighting,
  );
  await settled();
  expect(loaded(scripts, shikiMarker)).toBe(true);
  const opened = sum(scripts, 'gzipBytes') + inline;
  testInfo.annotations.push({
    type: 'JS after the code panel opened',
    description: `${(opened / 1024).toFixed(1)} KiB gzip, ${(sum(scripts, 'transferBytes') / 1024).toFixed(1)} KiB transferred`,
  });
  console.log(
    testInfo.annotations.map((annotation) => `${annotation.type}: ${annotation.description}`).join('\n'),
  );
});

test('every request the playground makes stays on its origin, also with a pasted JWT', async ({
  page,
  baseURL,
}) => {
  // The whole walk and the code panel's Shiki, on a machine shared with others.
  test.setTimeout(60_000);
  const origin = new URL(baseURL!).origin;
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto('/playground/', { waitUntil: 'networkidle' });
  await registerClient(page, { scopes: [readScope] });
  await requestToken(page);
  await expect(
    page.getByRole('status').filter({ hasText: 'Signature verified against the sandbox' }),
  ).toBeVisible();
  await callApi(page, 'POST');
  await press(page.getByRole('button', { name: 'Code for this request' }));
  await expect(page.locator('pre.pg-code__pre[data-highlighted="true"] span[style]').first()).toBeVisible(
    highlighting,
  );

  // A JWT from elsewhere, pasted: its iss points at another host, which must not be contacted.
  const inspector = page.getByRole('textbox', { name: 'JWT to inspect' });
  await inspector.scrollIntoViewIfNeeded();
  const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  await inspector.fill(
    `${segment({ alg: 'RS256', kid: 'x', jku: 'https://keys.example.net/jwks' })}.${segment({ iss: 'https://auth.example.net', aud: 'https://api.example.net', exp: 4_000_000_000 })}.${segment({ s: 1 })}`,
  );
  await expect(
    page.getByRole('status').filter({ hasText: 'Signature not verified against the sandbox' }),
  ).toBeVisible();
  await page.waitForLoadState('networkidle');

  expect(requests.length).toBeGreaterThan(10);
  expect(requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin)).toEqual([]);
  // The CSP header the server sends says the same.
  const response = await page.request.get('/playground/');
  expect(response.headers()['content-security-policy'] ?? '').toMatch(/connect-src 'self'/);
});
