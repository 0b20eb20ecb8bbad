import { expect, test } from '@playwright/test';
import { findingCodes } from '../../src/lib/finding-catalogue.ts';

/** The guide in reading order: the sidebar must list it so (astro.config.mjs, `guidePages`). */
const guide = [
  { path: '/', title: 'Overview' },
  { path: '/onboarding/', title: 'Onboarding checklist' },
  { path: '/flow/', title: 'The flow' },
  { path: '/playground/', title: 'Playground' },
  { path: '/requesting-a-token/', title: 'Requesting a token' },
  { path: '/using-the-token/', title: 'Using the token' },
  { path: '/expiration-and-refresh/', title: 'Expiration and refresh' },
  { path: '/token-client/', title: 'A token client' },
  { path: '/check-my-client/', title: 'Check my client' },
  { path: '/security/', title: 'Security' },
  { path: '/private-key-jwt/', title: 'Private key JWT' },
  { path: '/errors/', title: 'Errors and troubleshooting' },
  { path: '/production/', title: 'Go to production' },
  { path: '/sandbox/', title: 'Sandbox reference' },
  { path: '/watch-your-own-code/', title: 'Watch your own code' },
  { path: '/glossary/', title: 'Glossary' },
] as const;

/**
 * The islands each page embeds: the step it describes, run against the sandbox. The flow gets the
 * credentials; requesting a token, its request and code; using the token, the inspector, the API
 * call and its code; the errors page one Reproduce button per error; the playground all the steps.
 */
const islandsPerPage: Record<string, number> = {
  '/flow/': 1,
  '/requesting-a-token/': 3,
  '/using-the-token/': 3,
  '/expiration-and-refresh/': 1,
  // Ten Reproduce buttons, and each finding's corrected request as a program (the code panel).
  '/errors/': 10 + findingCodes.length,
  '/sandbox/': 1,
  '/playground/': 9,
  '/watch-your-own-code/': 2,
  '/check-my-client/': 2,
  '/private-key-jwt/': 3,
};

for (const [position, { path, title }] of guide.entries()) {
  test(`${path} is "${title}", number ${position + 1} in the sidebar`, async ({ page }) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    await expect(page).toHaveTitle(`${title} | API Authentication Guide`);
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();

    const sidebar = page.getByRole('navigation', { name: 'Main' });
    const current = sidebar.getByRole('link', { name: title, exact: true });
    await expect(current).toHaveAttribute('aria-current', 'page');
    const links = (await sidebar.getByRole('link').allTextContents()).map((text) => text.trim());
    expect(links.slice(0, guide.length)).toEqual(guide.map((page) => page.title));
    expect(links.indexOf(title)).toBe(position);

    // The pages that run a step of the flow have islands, and no other page ships framework code.
    const islands = await page.locator('astro-island').count();
    expect(islands).toBe(islandsPerPage[path] ?? 0);
  });
}

test('a language chosen on one page is the language of the next', async ({ page }) => {
  await page.goto('/requesting-a-token/');
  const python = page.getByRole('tab', { name: 'Python', exact: true });
  await expect(python).toHaveAttribute('aria-selected', 'false');
  await python.click();
  await expect(python).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel').filter({ hasText: 'request_token.py' })).toBeVisible();

  await page.getByRole('link', { name: 'Using the token', exact: true }).first().click();
  await expect(page).toHaveURL(/\/using-the-token\/$/);
  await expect(page.getByRole('tab', { name: 'Python', exact: true })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByRole('tabpanel').filter({ hasText: 'call_api.py' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'curl', exact: true })).toHaveAttribute(
    'aria-selected',
    'false',
  );

  // A page whose tabs have no curl (two groups of them) still follows the choice.
  await page.goto('/token-client/');
  await expect(page.getByRole('tab', { name: 'Python', exact: true })).toHaveCount(2);
  for (const tab of await page.getByRole('tab', { name: 'Python', exact: true }).all()) {
    await expect(tab).toHaveAttribute('aria-selected', 'true');
  }
  await expect(page.getByRole('tabpanel').filter({ hasText: 'token_manager.py' })).toBeVisible();
});

test('the flow diagram lists the five steps in order, each linking to its page', async ({ page }) => {
  await page.goto('/flow/');
  const diagram = page.getByRole('figure', { name: /client credentials flow/ });
  const steps = diagram.getByRole('listitem');
  await expect(steps).toHaveCount(5);
  const targets = [
    '/requesting-a-token/',
    '/requesting-a-token/#authenticating-the-client',
    '/requesting-a-token/#the-response',
    '/using-the-token/',
    '/expiration-and-refresh/',
  ];
  for (const [index, target] of targets.entries()) {
    await expect(steps.nth(index).getByRole('link')).toHaveAttribute('href', target);
  }
  await steps.nth(3).getByRole('link').click();
  await expect(page).toHaveURL(/\/using-the-token\/$/);
});

test('every error has an anchor other pages can link to', async ({ page }) => {
  await page.goto('/errors/');
  const codes = [
    'invalid_request',
    'invalid_client',
    'invalid_grant',
    'unauthorized_client',
    'unsupported_grant_type',
    'invalid_scope',
    'invalid_token',
    'insufficient_scope',
    'too_many_requests',
    'no-error-code',
    // The sandbox's error_uri points at the code itself (RFC 6749 §5.2), for every code it sends.
    'no_credentials',
    'invalid_client_metadata',
    'not_found',
    'method_not_allowed',
    'temporarily_unavailable',
    'server_error',
  ];
  for (const code of codes) await expect(page.locator(`[id="${code}"]`)).toHaveCount(1);
  await page.goto('/errors/#insufficient_scope');
  await expect(page.getByRole('heading', { name: 'insufficient_scope', exact: true })).toBeInViewport();
});

for (const [query, pageTitle] of [
  ['invalid_client', 'Errors'],
  ['insufficient_scope', 'Errors'],
  ['expires_in', 'Expiration and refresh'],
  // A reader at 2 a.m. pastes the error_description the sandbox sent.
  ['The client_secret does not match this client_id.', 'Errors and troubleshooting'],
] as const) {
  test(`search finds "${query}"`, async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Search' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Search' });
    await dialog.getByRole('textbox').fill(query);
    await expect(dialog.getByRole('link', { name: new RegExp(pageTitle) }).first()).toBeVisible();
  });
}
