import { axe } from './support/axe.ts';
import { expect, test, type Page } from '@playwright/test';
import { generateKeyPair, SignJWT } from 'jose';
import { callApi, hydration, press, registerClient, requestToken } from './support/playground.ts';
import { apiProfile, apiScopeNames } from './support/api-profile.ts';
import { sandboxDefaultLifetime } from '../../src/lib/sandbox-contract/index.ts';
import { formatDuration } from '../../src/islands/token-inspector/token-inspector.ts';

const { readScope, writeScope } = apiProfile;
const defaultLifetime = sandboxDefaultLifetime(apiProfile);

/** Shiki (loaded when the code panel opens) takes seconds to arrive and start on this shared machine. */
const highlighting = { timeout: 20_000 };

// The playground as a new reader uses it: every button talks to the sandbox of the server under
// test, over HTTP, same origin. Nothing is mocked. Each test registers at most two clients, well
// within the sandbox's 60 registrations a minute per address.

async function expectNoConsoleErrors(page: Page, run: () => Promise<void>) {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await run();
  expect(errors).toEqual([]);
}

test('register, request a token with the Basic header, decode it, call the API: 200', async ({
  page,
  baseURL,
}) => {
  await expectNoConsoleErrors(page, async () => {
    await page.goto('/playground/');
    await expect(page.getByRole('heading', { level: 2, name: '1. Get credentials' })).toBeVisible();
    for (const step of ['2. Request a token', '3. Inspect the token', '4. Call the API'])
      await expect(page.getByRole('heading', { level: 2, name: step })).toBeAttached();

    const { clientId, clientSecret } = await registerClient(page);
    // The secret is masked until asked for.
    await expect(page.getByRole('button', { name: 'Show secret' })).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByText(clientSecret)).toHaveCount(0);

    const status = await requestToken(page, { method: 'Basic header' });
    await expect(status).toHaveText(
      `POST /oauth/token → HTTP 200: got an access token valid for ${defaultLifetime} s with the scope ${apiScopeNames.join(' ')}.`,
    );
    // The raw request: the Basic credentials masked, until revealed.
    const request = page.getByRole('figure', { name: 'Request' }).first();
    await expect(request).toContainText('POST /oauth/token HTTP/1.1');
    await expect(request).toContainText('Authorization: Basic ••••');
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    await expect(request).not.toContainText(basic);
    await page.getByRole('button', { name: 'Show secret in the request' }).click();
    await expect(request).toContainText(`Authorization: ${basic}`);
    await expect(
      page.getByRole('figure', { name: /^Response: 200 OK in \d+ (ms|\.\d s)/ }).first(),
    ).toContainText('cache-control: no-store');

    // Step 3 decodes the token at once, and verifies it against the sandbox's JWKS.
    const inspector = page.getByRole('textbox', { name: 'JWT to inspect' });
    await inspector.scrollIntoViewIfNeeded();
    await expect(inspector).toHaveValue(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    await expect(
      page.getByRole('status').filter({
        hasText: /Signature verified against the sandbox's key \S+ \(EdDSA\), here in your browser\.$/,
      }),
    ).toBeVisible();
    for (const part of ['Header', 'Payload', 'Signature'])
      await expect(page.getByRole('term').filter({ hasText: new RegExp(`^${part}$`) })).toBeVisible();
    for (const claim of ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope'])
      await expect(page.getByRole('term').filter({ hasText: new RegExp(`^${claim}$`) })).toBeVisible();
    await expect(page.getByRole('link', { name: 'RFC 7519 §4.1.4' })).toHaveAttribute(
      'href',
      'https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4',
    );
    await expect(
      page
        .getByRole('definition')
        .filter({ hasText: `${baseURL}/api` })
        .first(),
    ).toBeVisible();
    // A fresh token: its whole lifetime, or up to a minute less as the countdown runs.
    const countdowns = Array.from(
      { length: 61 },
      (_, late) => `expires in ${formatDuration((defaultLifetime - late) * 1000)}`,
    );
    await expect(page.getByRole('timer')).toHaveText(new RegExp(`^(${countdowns.join('|')})$`));
    await expect(page.getByRole('list', { name: 'Warnings' })).toHaveCount(0);

    const call = await callApi(page, 'GET');
    await expect(call).toHaveText('GET /api/v1/reports → HTTP 200: the API accepted the token.');
    await expect(page.getByRole('figure', { name: 'Request' }).last()).toContainText(
      /Authorization: Bearer eyJ/,
    );
    await expect(page.getByRole('figure', { name: /^Response: 200 OK/ }).last()).toContainText('"reports"');
  });
});

test('a client registered for the form body gets its token with the form body', async ({ page }) => {
  await page.goto('/playground/');
  await registerClient(page, { method: 'Form body' });
  await expect(page.getByRole('definition').filter({ hasText: 'client_secret_post' })).toBeVisible();
  // The token request starts from the method the client registered (once step 2 has hydrated).
  const formBody = page
    .getByRole('group', { name: 'Send the credentials in' })
    .getByRole('radio', { name: /^Form body/ });
  await formBody.scrollIntoViewIfNeeded();
  await expect(formBody).toBeEnabled(hydration);
  await expect(formBody).toBeChecked();
  const status = await requestToken(page, { method: 'Form body' });
  await expect(status).toContainText('HTTP 200: got an access token');
  const request = page.getByRole('figure', { name: 'Request' }).first();
  await expect(request).toContainText(/client_secret=•+/);
  await expect(request).not.toContainText('Authorization: Basic');
  await page.getByRole('textbox', { name: 'JWT to inspect' }).scrollIntoViewIfNeeded();
  await expect(
    page.getByRole('status').filter({ hasText: "Signature verified against the sandbox's key" }),
  ).toBeVisible(hydration);
  await expect(await callApi(page, 'GET')).toHaveText(
    'GET /api/v1/reports → HTTP 200: the API accepted the token.',
  );
});

test(`a token without ${writeScope}: POST is 403, explained with the missing scope`, async ({ page }) => {
  await page.goto('/playground/');
  await registerClient(page);
  await expect(await requestToken(page, { scopes: [readScope] })).toContainText(
    `with the scope ${readScope}.`,
  );
  const status = await callApi(page, 'POST');
  await expect(status).toContainText(
    `POST /api/v1/reports → HTTP 403 insufficient_scope: The token is valid, but the scope check failed: this endpoint needs the scope ${writeScope}. The token carries ${readScope}.`,
  );
  await expect(page.getByText(`Missing scope: ${writeScope}`)).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Read about insufficient_scope on the errors page' }),
  ).toHaveAttribute('href', '/errors/#insufficient_scope');
  // The WWW-Authenticate challenge, parsed.
  await expect(
    page
      .getByRole('term')
      .filter({ hasText: /^scope$/ })
      .last(),
  ).toBeVisible();
  await expect(
    page.getByRole('definition').filter({ hasText: new RegExp(`^${RegExp.escape(writeScope)}$`) }),
  ).toBeVisible();
});

test('a 5-second token, after waiting: 401 invalid_token, explained as expired', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('/playground/');
  await registerClient(page, { lifetime: 5 });
  await expect(await requestToken(page)).toContainText('valid for 5 s');
  const timer = page.getByRole('timer');
  await timer.scrollIntoViewIfNeeded();
  await expect(timer).toHaveText(/^expires in \d s$/);
  // The live countdown runs out: the inspector says so and warns.
  await expect(timer).toHaveText(/^expired \d+ s ago$/, { timeout: 15_000 });
  await expect(page.getByRole('list', { name: 'Warnings' })).toContainText('Expired');
  const status = await callApi(page, 'GET');
  await expect(status).toContainText(
    'GET /api/v1/reports → HTTP 401 invalid_token: The expiry check failed: the token has expired',
  );
  await expect(
    page.getByRole('link', { name: 'Read about invalid_token on the errors page' }),
  ).toHaveAttribute('href', '/errors/#invalid_token');
});

test('a wrong secret is refused in the form, under its field, and never shown as Ready', async ({ page }) => {
  await page.goto('/playground/');
  const { clientId } = await registerClient(page);
  await press(page.getByRole('button', { name: 'Forget these credentials' }));
  await expect(
    page.getByRole('status').filter({ hasText: 'Forgot the credentials and the token' }),
  ).toBeVisible();
  // Focus went back to the form's first action, not to <body>.
  await expect(page.getByRole('button', { name: 'Register a client' })).toBeFocused();

  await page.getByRole('button', { name: 'Use my own client' }).click();
  // One form at a time: registering's fields are out of the way.
  await expect(page.getByRole('button', { name: 'Register a client' })).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Scopes the client may request' })).toBeHidden();
  const idField = page.getByRole('textbox', { name: 'Client ID' });
  await expect(idField).toBeFocused();

  // An empty field: the problem is under that field.
  await idField.fill(clientId);
  await page.getByRole('button', { name: 'Use these credentials' }).click();
  const secretField = page.getByLabel('Client secret', { exact: true });
  await expect(secretField).toHaveAttribute('aria-invalid', 'true');
  await expect(secretField).toHaveAccessibleDescription(/Enter the client secret\./);

  // A wrong secret: the sandbox is asked, refuses, and the page says so under the secret.
  await secretField.fill('not-the-secret-at-all');
  await page.getByRole('button', { name: 'Use these credentials' }).click();
  await expect(secretField).toHaveAccessibleDescription(/The sandbox refused this secret for this client ID/);
  await expect(page.getByText('Ready', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Forget these credentials' })).toHaveCount(0);
});

test('the other method: the error leads with it, and one click switches and retries', async ({ page }) => {
  await page.goto('/playground/');
  await registerClient(page);
  const status = await requestToken(page, { method: 'Form body' });
  await expect(status).toHaveText(
    'POST /oauth/token → HTTP 401 invalid_client: the token request was refused.',
  );
  await expect(page.locator('.pg-explanation__lead')).toHaveText(
    /^This client is registered for client_secret_basic \(basic header\), and this request sent its credentials in the form body/,
  );
  await expect(page.getByText(/did not accept the client's credentials/)).toBeVisible();
  await page.getByRole('button', { name: 'Switch to Basic header and retry' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^POST \/oauth\/token → HTTP 200/ })).toBeVisible();
  // The old error is gone with the new request.
  await expect(page.locator('.pg-token-request .pg-explanation')).toHaveCount(0);
  await expect(
    page
      .getByRole('group', { name: 'Send the credentials in' })
      .getByRole('radio', { name: /^Basic header/ }),
  ).toBeChecked();
});

test('a foreign JWT is decoded here and "not verified against the sandbox"; nothing leaves the origin', async ({
  page,
  baseURL,
}) => {
  const { privateKey } = await generateKeyPair('ES256');
  const foreign = await new SignJWT({ scope: 'profile' })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'their-key' })
    .setIssuer('https://auth.example.com')
    .setAudience('https://api.example.com')
    .setSubject('someone')
    .setIssuedAt()
    .setExpirationTime('10 min')
    .sign(privateKey);

  const requests: { url: string; body: string; headers: string }[] = [];
  page.on('request', (request) =>
    requests.push({
      url: request.url(),
      body: request.postData() ?? '',
      headers: JSON.stringify(request.headers()),
    }),
  );
  await page.goto('/playground/');
  const inspector = page.getByRole('textbox', { name: 'JWT to inspect' });
  await inspector.scrollIntoViewIfNeeded();
  await expect(inspector).toBeEnabled(hydration);
  await inspector.fill(foreign);

  await expect(
    page.getByRole('status').filter({
      hasText:
        'Signature not verified against the sandbox: it was issued by https://auth.example.com, not by this sandbox',
    }),
  ).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: 'https://auth.example.com' })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: /^profile/ })).toBeVisible();
  const warnings = page.getByRole('list', { name: 'Warnings' });
  await expect(warnings).toContainText('typ is JWT, not at+jwt');
  await expect(warnings).toContainText(
    `aud is https://api.example.com, but this sandbox's API is ${baseURL}/api`,
  );

  const origin = new URL(baseURL!).origin;
  expect(requests.length).toBeGreaterThan(0);
  expect(
    requests.filter((request) => !request.url.startsWith('data:') && new URL(request.url).origin !== origin),
  ).toEqual([]);
  // Decoded locally: the token is in no request, not even to this origin.
  expect(
    requests.filter((request) =>
      `${request.url}${request.body}${request.headers}`.includes(foreign.split('.')[1]!),
    ),
  ).toEqual([]);
});

test('the credentials and the token follow the reader from page to page and to another tab', async ({
  page,
  context,
}) => {
  // Four pages and two tabs, each hydrating its islands: slow on a loaded machine.
  test.setTimeout(90_000);
  await page.goto('/flow/');
  await registerClient(page, { scopes: [readScope] });

  await page.goto('/requesting-a-token/');
  // The island shows the stored client once it has hydrated, which it does when scrolled into view.
  await page.getByRole('button', { name: 'Register a client' }).scrollIntoViewIfNeeded();
  await expect(page.getByRole('button', { name: 'Forget these credentials' })).toBeVisible();
  await expect(await requestToken(page)).toContainText(
    `HTTP 200: got an access token valid for ${defaultLifetime} s with the scope ${readScope}.`,
  );

  await page.goto('/using-the-token/');
  const inspector = page.getByRole('textbox', { name: 'JWT to inspect' });
  await inspector.scrollIntoViewIfNeeded();
  await expect(inspector).toHaveValue(/^eyJ/);
  await expect(await callApi(page, 'GET')).toHaveText(
    'GET /api/v1/reports → HTTP 200: the API accepted the token.',
  );

  // A tab opened from the page has them too (localStorage, kept until the client expires)...
  const other = await context.newPage();
  await other.goto('/playground/');
  await expect(other.getByRole('button', { name: 'Forget these credentials' })).toBeVisible(hydration);
  const otherSession = other.getByRole('region', { name: 'Your session' });
  await otherSession.scrollIntoViewIfNeeded();
  await expect(otherSession).toContainText(readScope, hydration);

  // ... and forgetting in one tab forgets in the other.
  await page.goto('/playground/');
  await press(page.getByRole('button', { name: 'Forget these credentials' }));
  await expect(other.getByRole('button', { name: 'Register a client' })).toBeVisible();
  await other.close();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Register a client' })).toBeEnabled(hydration);
  const tokenInspector = page.getByRole('textbox', { name: 'JWT to inspect' });
  await tokenInspector.scrollIntoViewIfNeeded();
  await expect(tokenInspector).toHaveValue('');
});

test('code for this request: highlighted when opened, credentials from the environment, language synced with the guide tabs', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await page.goto('/requesting-a-token/');
  // The reader picked Python in the guide's tabs on this page.
  const guideTabs = page.locator('starlight-tabs');
  await guideTabs.getByRole('tab', { name: 'Python', exact: true }).first().click();

  const { clientSecret } = await registerClient(page);
  await requestToken(page);
  const toggle = page.getByRole('button', { name: 'Code for this request' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await press(toggle);
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');

  const languages = page.getByRole('tablist', { name: 'Language' });
  await expect(languages.getByRole('tab', { name: 'Python' })).toHaveAttribute('aria-selected', 'true');
  const panel = page.getByRole('tabpanel').filter({ hasText: 'no secret is written into the code' });
  await expect(panel).toContainText('os.environ["CLIENT_SECRET"]');
  await expect(panel).not.toContainText(clientSecret);
  // Highlighted by Shiki: the program is drawn as coloured tokens.
  await expect(panel.locator('pre span[style]').first()).toBeVisible(highlighting);

  // Arrow keys move along the languages; the choice goes to the guide's tabs and is remembered.
  await languages.getByRole('tab', { name: 'Python' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(languages.getByRole('tab', { name: 'Go' })).toBeFocused();
  await expect(languages.getByRole('tab', { name: 'Go' })).toHaveAttribute('aria-selected', 'true');
  await expect(panel).toContainText('request_token.go');
  await expect(panel).toContainText('os.Getenv("SANDBOX_URL")');
  // Issue 18, item 7: Go's tabs are 4 columns, and a line indented by a tab hangs its wrapped
  // part under its own text (never at column 0).
  const pre = panel.locator('pre.pg-code__pre');
  await expect(pre.locator('span[style]').first()).toBeVisible(highlighting);
  expect(await pre.evaluate((element) => getComputedStyle(element).tabSize)).toBe('4');
  const tabbed = pre
    .locator('.pg-code__line')
    .filter({ hasText: /^\t[^\t]/ })
    .first();
  expect(await tabbed.evaluate((line) => [line.style.paddingInlineStart, line.style.textIndent])).toEqual([
    '6ch',
    '-6ch',
  ]);
  await expect(guideTabs.getByRole('tab', { name: 'Go', exact: true }).first()).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await page.goto('/using-the-token/');
  await expect(
    page.locator('starlight-tabs').getByRole('tab', { name: 'Go', exact: true }).first(),
  ).toHaveAttribute('aria-selected', 'true');
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the walked playground has no axe violation (${colorScheme}), and fits 375 px`, async ({ page }) => {
    // The whole walk, Shiki and axe on a 2-core machine shared with others.
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto('/playground/');
    await registerClient(page, { scopes: [readScope] });
    await requestToken(page);
    await expect(
      page.getByRole('status').filter({ hasText: 'Signature verified against the sandbox' }),
    ).toBeVisible();
    await callApi(page, 'POST');
    await expect(page.getByText(`Missing scope: ${writeScope}`)).toBeVisible();
    await press(page.getByRole('button', { name: 'Code for this request' }));
    await expect(page.locator('pre.pg-code__pre[data-highlighted="true"] span[style]').first()).toBeVisible(
      highlighting,
    );
    const results = await axe(page).include('.pg').analyze();
    expect(
      results.violations.map(
        (violation) =>
          `${violation.id}: ${violation.nodes.map((node) => node.html.slice(0, 120)).join(' | ')}`,
      ),
    ).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
}

test('step 1 and 2 work from the keyboard alone', async ({ page }) => {
  await page.goto('/playground/');
  const register = page.getByRole('button', { name: 'Register a client' });
  await expect(register).toBeEnabled(hydration);
  await register.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: /^Registered client / })).toBeVisible();
  const show = page.getByRole('button', { name: 'Show secret' });
  await show.focus();
  await page.keyboard.press('Space');
  await expect(show).toHaveAttribute('aria-pressed', 'true');
  const request = page.getByRole('button', { name: 'Request a token' });
  await request.scrollIntoViewIfNeeded();
  await expect(request).toBeEnabled(hydration);
  await request.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: /^POST \/oauth\/token → HTTP 200/ })).toBeVisible();
});
