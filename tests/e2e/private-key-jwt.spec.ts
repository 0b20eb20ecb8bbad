import { axe } from './support/axe.ts';
import { expect, test, type Locator, type Page } from '@playwright/test';

// The "Key pair" playground on the Private key JWT page: a key pair made by WebCrypto, its public
// key registered, an assertion signed and sent, the API called with the token, and each
// break-it-on-purpose button refused with its reason. Driven from the keyboard, in both themes.

/** Focuses a control (once its island has hydrated) and presses Enter on it, as a keyboard user. */
async function activate(control: Locator): Promise<void> {
  await control.scrollIntoViewIfNeeded();
  await expect(control).toBeEnabled();
  await control.focus();
  await expect(control).toBeFocused();
  await control.press('Enter');
}

async function registerKeyPair(page: Page, keyType: 'Ed25519 (EdDSA)' | 'P-256 (ES256)') {
  const register = page.getByRole('button', { name: 'Make a key pair and register it' });
  await register.scrollIntoViewIfNeeded();
  await expect(register).toBeEnabled();
  const radio = page.getByRole('radio', { name: keyType });
  await radio.focus();
  await radio.press('Space');
  await expect(radio).toBeChecked();
  await activate(register);
  await expect(page.getByRole('status').filter({ hasText: /^Registered key client / })).toBeVisible();
}

const refused = (page: Page) => page.getByRole('region', { name: 'Refused' });

for (const colorScheme of ['light', 'dark'] as const) {
  test(`key pair, token, API call, and each rejection explained (${colorScheme})`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme });
    await page.goto('/private-key-jwt/');
    await registerKeyPair(page, colorScheme === 'light' ? 'Ed25519 (EdDSA)' : 'P-256 (ES256)');
    await expect(page.getByText('non-extractable CryptoKey')).toBeVisible();

    // A genuine assertion: a token, the decoded claims, the countdown.
    await activate(page.getByRole('button', { name: 'Sign and send an assertion' }));
    await expect(page.getByRole('region', { name: 'Token received' })).toBeVisible();
    const assertion = page.getByRole('region', { name: 'The assertion sent' });
    await expect(assertion.getByText(/Expires in \d+ s/)).toBeVisible();
    for (const claim of ['iss', 'sub', 'aud', 'iat', 'exp', 'jti'])
      await expect(assertion.getByRole('rowheader', { name: claim, exact: true })).toBeVisible();
    const origin = new URL(page.url()).origin;
    await expect(assertion.getByRole('row', { name: /^aud/ })).toContainText(origin);

    // The API call island uses the token the assertion got.
    await activate(page.getByRole('button', { name: 'Call the API' }));
    await expect(
      page.getByRole('status').filter({ hasText: /^GET \/api\/v1\/reports → HTTP 200/ }),
    ).toBeVisible();

    // Each broken assertion, refused with the sandbox's reason and ours.
    await activate(page.getByRole('button', { name: 'Reuse the last assertion' }));
    await expect(refused(page)).toContainText('invalid_client');
    await expect(refused(page)).toContainText('already used');
    await expect(refused(page)).toContainText('single-use');

    await activate(page.getByRole('button', { name: 'Wrong aud' }));
    await expect(refused(page)).toContainText('https://auth.example.com');
    await expect(refused(page)).toContainText('must be the issuer identifier');

    await activate(page.getByRole('button', { name: '10-minute exp' }));
    await expect(refused(page)).toContainText('at most 300 s');
    await expect(assertion.getByText(/Expires in (59\d|600) s/)).toBeVisible();

    // And a genuine one still works after all that.
    await activate(page.getByRole('button', { name: 'Sign and send an assertion' }));
    await expect(page.getByRole('region', { name: 'Token received' })).toBeVisible();

    const results = await axe(page).include('.pg').analyze();
    expect(
      results.violations.map(
        (violation) =>
          `${violation.id}: ${violation.nodes.map((node) => node.html.slice(0, 120)).join(' | ')}`,
      ),
    ).toEqual([]);
    await page.screenshot({ path: `test-results/e2e/private-key-jwt-${colorScheme}.png`, fullPage: true });
  });
}

test('the playground offers "Key pair" beside "Secret", at 375 px', async ({ page }) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/playground/');
  const tab = page.getByRole('tab', { name: 'Key pair' }).first();
  await tab.scrollIntoViewIfNeeded();
  await tab.click();
  await registerKeyPair(page, 'Ed25519 (EdDSA)');
  // Step 2's "Key pair" tab followed step 1's (one syncKey); its island hydrates once in view.
  await page.getByText('Make a key pair and register it first').scrollIntoViewIfNeeded();
  await activate(page.getByRole('button', { name: 'Sign and send an assertion' }));
  await expect(page.getByRole('region', { name: 'Token received' })).toBeVisible();
  // "Code for this request" now shows the private_key_jwt program: an assertion, no secret.
  const toggle = page.getByRole('button', { name: 'Code for this request' });
  await toggle.scrollIntoViewIfNeeded();
  await activate(toggle);
  await page.getByRole('tablist', { name: 'Language' }).getByRole('tab', { name: 'TypeScript' }).click();
  const panel = page.getByRole('tabpanel').filter({ hasText: 'no secret is written into the code' });
  await expect(panel).toContainText('PRIVATE_KEY_FILE');
  await expect(panel).toContainText('client_assertion');
  await expect(panel).not.toContainText('CLIENT_SECRET');
  await panel.screenshot({ path: 'test-results/e2e/private-key-jwt-code-panel-375.png' });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: 'test-results/e2e/private-key-jwt-playground-375.png', fullPage: true });
});
