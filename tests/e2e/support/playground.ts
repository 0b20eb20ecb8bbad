import { expect, type Locator, type Page } from '@playwright/test';
import { apiScopeNames } from './api-profile.ts';

/**
 * What a reader does in the playground's steps, found by role and accessible name. Each island
 * hydrates when it scrolls into view (client:visible), with its controls disabled until then, so
 * every step scrolls to its control and waits for it to be enabled, as a reader would wait.
 */

/** Scrolls to a control, waits until its island has hydrated, and clicks it. */
export async function press(control: Locator): Promise<void> {
  await control.scrollIntoViewIfNeeded();
  await expect(control).toBeEnabled();
  await control.click();
}

export interface RegistrationChoice {
  /** The token lifetime option, in seconds (5, 30, 60, 300, 3600). */
  lifetime?: number;
  scopes?: readonly string[];
  method?: 'Basic header' | 'Form body';
}

/** Step 1: registers a client and returns its ID and secret, read from the page (the secret revealed). */
export async function registerClient(
  page: Page,
  choice: RegistrationChoice = {},
): Promise<{ clientId: string; clientSecret: string }> {
  const register = page.getByRole('button', { name: 'Register a client' });
  await register.scrollIntoViewIfNeeded();
  await expect(register).toBeEnabled();
  if (choice.lifetime !== undefined)
    await page.getByRole('combobox', { name: 'Token lifetime' }).selectOption(String(choice.lifetime));
  if (choice.scopes) {
    const group = page.getByRole('group', { name: 'Scopes the client may request' });
    for (const scope of apiScopeNames)
      await group
        .getByRole('checkbox', { name: scope, exact: true })
        .setChecked(choice.scopes.includes(scope));
  }
  if (choice.method)
    await page
      .getByRole('group', { name: 'Client authentication' })
      .getByRole('radio', { name: new RegExp(`^${choice.method}`) })
      .check();
  await register.click();
  await expect(page.getByRole('status').filter({ hasText: /^Registered client / })).toBeVisible();
  const show = page.getByRole('button', { name: 'Show secret' });
  await expect(show).toHaveAttribute('aria-pressed', 'false');
  const facts = page
    .getByRole('term')
    .filter({ hasText: 'Client ID' })
    .locator('xpath=following-sibling::dd[1]');
  const clientId = (await facts.locator('code').first().textContent())!.trim();
  await show.click();
  await expect(show).toHaveAttribute('aria-pressed', 'true');
  const secretValue = page
    .getByRole('term')
    .filter({ hasText: 'Client secret' })
    .locator('xpath=following-sibling::dd[1]')
    .locator('code')
    .first();
  const clientSecret = (await secretValue.textContent())!.trim();
  await show.click();
  expect(clientId).toMatch(/^[A-Za-z0-9._~-]+$/);
  expect(clientSecret).toMatch(/^[A-Za-z0-9._~-]{16,}$/);
  return { clientId, clientSecret };
}

export interface TokenChoice {
  method?: 'Basic header' | 'Form body';
  /** The scopes to tick; the others are unticked. */
  scopes?: readonly string[];
}

/** Step 2: sends the token request; resolves once the answer is announced. */
export async function requestToken(page: Page, choice: TokenChoice = {}): Promise<Locator> {
  const button = page.getByRole('button', { name: 'Request a token' });
  await button.scrollIntoViewIfNeeded();
  await expect(button).toBeEnabled();
  if (choice.method)
    await page
      .getByRole('group', { name: 'Send the credentials in' })
      .getByRole('radio', { name: new RegExp(`^${choice.method}`) })
      .check();
  if (choice.scopes) {
    const group = page.getByRole('group', { name: 'Scopes to ask for' });
    for (const scope of apiScopeNames)
      await group
        .getByRole('checkbox', { name: scope, exact: true })
        .setChecked(choice.scopes.includes(scope));
  }
  await button.click();
  const status = page.getByRole('status').filter({ hasText: /^POST \/oauth\/token → HTTP \d{3}/ });
  await expect(status).toBeVisible();
  return status;
}

/** Step 4: calls the API with GET or POST; resolves with the announced outcome. */
export async function callApi(page: Page, method: 'GET' | 'POST'): Promise<Locator> {
  const button = page.getByRole('button', { name: 'Call the API' });
  await button.scrollIntoViewIfNeeded();
  await expect(button).toBeEnabled();
  await page.getByRole('radio', { name: new RegExp(`^${method} /api/v1/reports`) }).check();
  await button.click();
  const status = page
    .getByRole('status')
    .filter({ hasText: new RegExp(`^${method} /api/v1/reports → HTTP \\d{3}`) });
  await expect(status).toBeVisible();
  return status;
}
