import { expect, test, type Page } from '@playwright/test';
import { apiProfile } from './support/api-profile.ts';
import { callApi, hydration, registerClient, requestToken } from './support/playground.ts';

const { writeScope } = apiProfile;

// The playground as a workbench (issue 18): what readers tripped on, each held by a test against
// the real sandbox. Only the misbehaving-server cases (no answer, 429) route the token endpoint.

/** The token endpoint's requests this page sent. */
function countTokenRequests(page: Page): () => number {
  let count = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/oauth/token') count++;
  });
  return () => count;
}

test('Copy token and Copy env put the token and the variables the code reads on the clipboard; the secret only when asked', async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/playground/');
  const { clientId, clientSecret } = await registerClient(page);
  await requestToken(page);
  const session = page.getByRole('region', { name: 'Your session' });
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

  await session.getByRole('button', { name: 'Copy token' }).click();
  await expect(session.getByRole('status').filter({ hasText: 'Copied.' }).first()).toBeVisible();
  const token = await clipboard();
  expect(token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);

  // Writing to the clipboard is asynchronous, and the "Copied." of the first click is still on
  // screen: each read below polls until the click's own write has landed.
  await session.getByRole('button', { name: 'Copy env' }).click();
  await expect
    .poll(clipboard)
    .toBe(
      `export SANDBOX_URL='${baseURL}' TOKEN_URL='${baseURL}/oauth/token' API_BASE_URL='${baseURL}/api/v1' CLIENT_ID='${clientId}' ACCESS_TOKEN='${token}'`,
    );
  expect(await clipboard()).not.toContain(clientSecret);

  await session.getByRole('button', { name: 'Include the secret' }).click();
  await session.getByRole('button', { name: 'Copy env' }).click();
  await expect.poll(clipboard).toContain(`CLIENT_SECRET='${clientSecret}'`);

  // Step 2 has its own Copy token.
  await page.locator('.pg-token-request').getByRole('button', { name: 'Copy token' }).click();
  await expect.poll(clipboard).toBe(token);
});

test('the inspector decodes a token pasted with quotes, a Bearer prefix and a line break, and marks only a damaged signature', async ({
  page,
}) => {
  await page.goto('/playground/');
  await registerClient(page);
  await requestToken(page);
  const inspector = page.getByRole('textbox', { name: 'JWT to inspect' });
  await inspector.scrollIntoViewIfNeeded();
  const token = await inspector.inputValue();
  const half = Math.floor(token.length / 2);

  await inspector.fill(`"Bearer ${token.slice(0, half)}\n${token.slice(half)}"`);
  const summary = page.locator('.pg-inspector .pg-status');
  await expect(summary).toContainText(
    'Removed the quotes, the Bearer prefix and the line breaks and spaces before decoding.',
  );
  await expect(summary).toContainText("Signature verified against the sandbox's key");

  const [header, payload, signature] = token.split('.') as [string, string, string];
  await inspector.fill(`${header}.${payload}.${signature.slice(0, 20)}!!${signature.slice(22)}`);
  await expect(summary).toContainText('The signature is not base64url');
  // Header and claims still read; only the signature is marked broken.
  await expect(page.getByRole('term').filter({ hasText: /^scope$/ })).toBeVisible();
  await expect(page.getByRole('term').filter({ hasText: /^alg$/ })).toBeVisible();
  await expect(page.locator('.pg-jwt__parts .pg-part--broken')).toHaveCount(1);
  await expect(page.locator('.pg-jwt__parts dd.pg-part--signature')).toHaveClass(/pg-part--broken/);
});

test('a triple click sends one token request and one API call', async ({ page }) => {
  await page.goto('/playground/');
  await registerClient(page);
  const tokenRequests = countTokenRequests(page);
  const button = page.getByRole('button', { name: 'Request a token' });
  await button.scrollIntoViewIfNeeded();
  await expect(button).toBeEnabled(hydration);
  await button.click({ clickCount: 3 });
  await expect(page.getByRole('status').filter({ hasText: /^POST \/oauth\/token → HTTP 200/ })).toBeVisible();
  expect(tokenRequests()).toBe(1);

  let apiCalls = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/reports') apiCalls++;
  });
  const call = page.getByRole('button', { name: 'Call the API' });
  await call.scrollIntoViewIfNeeded();
  await expect(call).toBeEnabled(hydration);
  await call.dblclick();
  await expect(
    page.getByRole('status').filter({ hasText: /^GET \/api\/v1\/reports → HTTP 200/ }),
  ).toBeVisible();
  expect(apiCalls).toBe(1);
});

test('focus stays with the reader: on the result after Register, on the button after Request a token and Call the API', async ({
  page,
}) => {
  await page.goto('/playground/');
  const register = page.getByRole('button', { name: 'Register a client' });
  await register.scrollIntoViewIfNeeded();
  await expect(register).toBeEnabled(hydration);
  await register.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('group', { name: 'Your client' })).toBeFocused();

  const request = page.getByRole('button', { name: 'Request a token' });
  await request.scrollIntoViewIfNeeded();
  await expect(request).toBeEnabled(hydration);
  await request.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: /^POST \/oauth\/token → HTTP 200/ })).toBeVisible();
  await expect(request).toBeFocused();

  const call = page.getByRole('button', { name: 'Call the API' });
  await call.scrollIntoViewIfNeeded();
  await expect(call).toBeEnabled(hydration);
  await call.focus();
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('status').filter({ hasText: /^GET \/api\/v1\/reports → HTTP 200/ }),
  ).toBeVisible();
  await expect(call).toBeFocused();
});

test('a reload restores the session without a layout shift, even when the islands load late, and keeps the last results of steps 2 and 4', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto('/playground/');
  await registerClient(page);
  await requestToken(page);
  await callApi(page, 'GET');
  // The reader has been down the page: each island has hydrated once and its height is known.
  await page.locator('.rj').scrollIntoViewIfNeeded();
  await expect(page.locator('.rj .pg-actions').first()).toBeVisible(hydration);
  await page.evaluate(() => window.scrollTo(0, 0));

  await page.addInitScript(() => {
    const record = window as unknown as { cls: number; shifts: string[] };
    record.cls = 0;
    record.shifts = [];
    type Shift = {
      value: number;
      hadRecentInput: boolean;
      sources: { node?: Node; previousRect: DOMRect; currentRect: DOMRect }[];
    };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as Shift[]) {
        if (entry.hadRecentInput) continue;
        record.cls += entry.value;
        // What moved, for the failure message.
        record.shifts.push(
          `${entry.value.toFixed(4)}: ${entry.sources
            .map(
              (source) =>
                `${(source.node as Element | undefined)?.className?.toString() ?? source.node?.nodeName} (${Math.round(source.previousRect.x)},${Math.round(source.previousRect.y)} ${Math.round(source.previousRect.width)}w)→(${Math.round(source.currentRect.x)},${Math.round(source.currentRect.y)} ${Math.round(source.currentRect.width)}w)`,
            )
            .join(', ')}`,
        );
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  // A slow phone: each island's code arrives 1.5 s late, so the server's (empty) HTML is painted
  // first and the restored results replace it later, while the reader scrolls down the steps.
  await page.route(
    /\/_astro\/(Credentials|SessionBar|TokenRequest|TokenInspector|ApiCall|RequestCode|RequestJournal|client)\.[\w-]+\.js$/,
    async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue();
    },
  );
  await page.reload();
  // Before the code arrives, the restored island's space is held, with a loading line in it.
  await expect(page.locator('[data-keep-height="credentials"][data-restoring]')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Forget these credentials' })).toBeVisible(hydration);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y < height; y += 500) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(400);
  }
  await expect(page.locator('.pg-api-call').getByRole('figure', { name: /^Response: 200 OK/ })).toBeVisible(
    hydration,
  );
  // Every held space was released once its island had hydrated and grown into it.
  await expect(page.locator('[data-restoring]')).toHaveCount(0, hydration);
  await page.waitForTimeout(1_000);
  const { cls, shifts } = await page.evaluate(() => {
    const record = window as unknown as { cls: number; shifts: string[] };
    return { cls: record.cls, shifts: record.shifts };
  });
  expect(cls, shifts.join('\n')).toBeLessThan(0.05);
  const session = page.getByRole('region', { name: 'Your session' });
  await session.scrollIntoViewIfNeeded();
  await expect(session.getByText(/left$/)).toBeVisible(hydration);

  // Steps 2 and 4 show their last exchange again once they hydrate.
  const step2 = page.locator('.pg-token-request');
  await step2.scrollIntoViewIfNeeded();
  await expect(step2.getByRole('figure', { name: /^Response: 200 OK/ })).toBeVisible(hydration);
  const step4 = page.locator('.pg-api-call');
  await step4.scrollIntoViewIfNeeded();
  await expect(step4.getByRole('figure', { name: /^Response: 200 OK/ })).toBeVisible(hydration);
});

test('before hydration the form is not greyed out', async ({ page }) => {
  // Hold the islands' code back: what the reader sees is the server's HTML.
  await page.route('**/_astro/Credentials.*.js', () => new Promise(() => {}));
  await page.goto('/playground/');
  const register = page.getByRole('button', { name: 'Register a client' });
  await expect(register).toBeDisabled();
  expect(await register.evaluate((button) => getComputedStyle(button).opacity)).toBe('1');
});

test('no answer, then a 429: plain words, and a countdown before the next attempt', async ({ page }) => {
  await page.goto('/playground/');
  await registerClient(page);
  await page.route('**/oauth/token', (route) => route.abort('connectionrefused'));
  await requestToken(page).catch(() => undefined);
  await expect(
    page.getByRole('status').filter({ hasText: /^POST \/oauth\/token: No answer from the sandbox/ }),
  ).toBeVisible();
  await expect(page.locator('.pg-token-request .pg-explanation')).toContainText(
    'The server may be stopped or restarting, or this device may be offline',
  );

  await page.unroute('**/oauth/token');
  await page.route('**/oauth/token', (route) =>
    route.fulfill({
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '3', 'cache-control': 'no-store' },
      body: JSON.stringify({ error: 'too_many_requests', error_description: 'Too many attempts.' }),
    }),
  );
  await page.getByRole('button', { name: 'Request a token' }).click();
  const timer = page.locator('.pg-token-request').getByRole('timer');
  await expect(timer).toHaveText(/you can send again in [1-3] seconds?\.$/);
  await expect(page.getByRole('button', { name: 'Request a token' })).toHaveAttribute(
    'aria-disabled',
    'true',
  );
  await expect(timer).toHaveCount(0, { timeout: 6_000 });
  await expect(page.getByRole('button', { name: 'Request a token' })).not.toHaveAttribute('aria-disabled');
});

test('an expired token comes back from the session bar: Get a new token, and Auto-renew before it expires', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await page.goto('/playground/');
  await registerClient(page, { lifetime: 5 });
  await requestToken(page);
  const session = page.getByRole('region', { name: 'Your session' });
  await session.scrollIntoViewIfNeeded();
  await expect(session.getByText('Expired', { exact: true })).toBeVisible({ timeout: 10_000 });
  await session.getByRole('button', { name: 'Get a new token' }).click();
  await expect(session.getByText('Valid', { exact: true })).toBeVisible();

  // Auto-renew: the reference client's rule renews a 5 s token 2.5 s before it expires.
  const tokenRequests = countTokenRequests(page);
  await session.getByRole('switch', { name: 'Auto-renew' }).click();
  await expect(session.getByRole('switch', { name: 'Auto-renew' })).toHaveAttribute('aria-checked', 'true');
  await expect.poll(tokenRequests, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
  await expect(session.getByText('Expired', { exact: true })).toHaveCount(0);
});

test('at 375 px, long values break at sensible points and wrapped lines are indented', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/playground/');
  await registerClient(page);
  await requestToken(page);
  const response = page.locator('.pg-token-request').getByRole('figure', { name: /^Response: 200 OK/ });
  await response.scrollIntoViewIfNeeded();
  // "charset=utf-8" and a scope name are never cut inside a word.
  const unbroken = await response.evaluate((figure, scope) => {
    const words = ['charset=utf-8', scope, 'no-store'];
    const walker = document.createTreeWalker(figure, NodeFilter.SHOW_TEXT);
    const found: Record<string, number> = {};
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of words) {
        const at = node.textContent!.indexOf(word);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + word.length);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        found[word] = lines.size;
      }
    }
    return found;
  }, writeScope);
  expect(unbroken).toEqual({ 'charset=utf-8': 1, [writeScope]: 1, 'no-store': 1 });
  // A wrapped line starts to the right of its first line (a hanging indent), never at column 0.
  const line = response.locator('.pg-line').filter({ hasText: 'content-type' });
  const indent = await line.evaluate((element) => {
    const style = getComputedStyle(element);
    return [style.paddingInlineStart, style.textIndent];
  });
  expect(indent).toEqual([expect.stringMatching(/^[1-9]/), expect.stringMatching(/^-/)]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});

test('headers wait behind a toggle; tokens are shortened until shown in full', async ({ page }) => {
  await page.goto('/playground/');
  await registerClient(page);
  await requestToken(page);
  const step = page.locator('.pg-token-request');
  const response = step.getByRole('figure', { name: /^Response: 200 OK/ });
  await expect(response).not.toContainText('x-content-type-options');
  await response.getByRole('button', { name: /^Show \d+ more headers?$/ }).click();
  await expect(response).toContainText('x-content-type-options: nosniff');
  await expect(response).toContainText(/"access_token": "eyJ\S{9}…\S{6} \(\d+ characters\)"/);
  await step.getByRole('button', { name: 'Show tokens in full' }).click();
  await expect(response).toContainText(/"access_token": "eyJ[\w-]+\.[\w-]+\.[\w-]+"/);
});

test('the playground is near the top of the sidebar, and error-code links keep their underscores visible', async ({
  page,
}) => {
  await page.goto('/');
  const links = page.locator('nav[aria-label="Main"] a');
  const names = await links.allTextContents();
  expect(names.map((name) => name.trim()).indexOf('Playground')).toBeLessThanOrEqual(3);
  await expect(
    page
      .locator('main')
      .getByRole('link', { name: /playground/i })
      .first(),
  ).toBeVisible();

  await page.goto('/errors/');
  const codeLink = page.locator('main a:has(code)').filter({ hasText: 'invalid_client' }).first();
  const offset = await codeLink.evaluate((link) => getComputedStyle(link).textUnderlineOffset);
  expect(parseFloat(offset)).toBeGreaterThan(3);
  await page.setViewportSize({ width: 375, height: 800 });
  // At 375 px the errors tables read as rows (tests/e2e/errors-table.spec.ts); the page does not scroll sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  const table = page.locator('main table').first();
  const box = await table.boundingBox();
  expect(box!.x + Math.min(box!.width, 375)).toBeLessThanOrEqual(375);
});
