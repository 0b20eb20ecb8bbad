import { axe } from './support/axe.ts';
import { expect, test } from '@playwright/test';

// Each Reproduce button on the errors page, pressed as a reader would, against the sandbox of the
// server under test. The page registers two clients for all its buttons (and one registration is
// refused on purpose), and one failed authentication: far within the sandbox's limits.

const buttons = [
  { label: 'invalid_request', answer: 'HTTP 400 invalid_request' },
  { label: 'invalid_client', answer: 'HTTP 401 invalid_client' },
  { label: 'invalid_grant', answer: 'HTTP 400 invalid_grant' },
  { label: 'unsupported_grant_type', answer: 'HTTP 400 unsupported_grant_type' },
  { label: 'invalid_scope', answer: 'HTTP 400 invalid_scope' },
  { label: '401 without an error code', answer: 'HTTP 401 without an error code' },
  { label: 'invalid_token', answer: 'HTTP 401 invalid_token' },
  { label: 'insufficient_scope', answer: 'HTTP 403 insufficient_scope' },
  { label: 'invalid_request at the API', answer: 'HTTP 400 invalid_request' },
  { label: 'invalid_client_metadata', answer: 'HTTP 400 invalid_client_metadata' },
] as const;

test('every Reproduce button on the errors page makes its error happen against the sandbox', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    // The browser logs every 4xx answer to fetch; on this page those are the point. Anything else counts.
    if (
      message.type() === 'error' &&
      !/^Failed to load resource: the server responded with a status of 4\d\d /.test(message.text())
    )
      errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/errors/');
  await expect(page.getByRole('button', { name: /^Reproduce / })).toHaveCount(buttons.length);

  // Each button is an island hydrated when it scrolls into view (client:visible), and enabled once
  // hydrated. Scroll to each and wait for it before pressing any: a pressed button's answer grows
  // its section, and when that pushed the next button out of the viewport before the browser's
  // visibility check ran, the next island never hydrated (a 2-core flake: "Expected: enabled").
  for (const { label } of buttons) {
    const button = page
      .getByRole('group', { name: `${label}, reproduced against the sandbox` })
      .getByRole('button', { name: `Reproduce ${label}` });
    await button.scrollIntoViewIfNeeded();
    await expect(button).toBeEnabled();
  }

  for (const { label } of buttons) {
    const group = page.getByRole('group', { name: `${label}, reproduced against the sandbox` });
    const button = group.getByRole('button', { name: `Reproduce ${label}` });
    await button.click();
    if (label === 'invalid_token') {
      // It waits for a 5-second token to expire, and shows the countdown meanwhile.
      await expect(group.getByRole('timer')).toHaveText(/^The token expires in \d s$/);
    }
  }

  for (const { label, answer } of buttons) {
    const group = page.getByRole('group', { name: `${label}, reproduced against the sandbox` });
    await expect(group.getByRole('status')).toHaveText(
      `Reproduced ${answer}, the error this section describes.`,
      { timeout: 20_000 },
    );
    // The request and the sandbox's real answer are shown.
    await expect(group.getByRole('figure', { name: 'Request sent' })).toBeVisible();
    await expect(group.getByRole('figure', { name: /^The sandbox's answer: \d{3} / })).toContainText(
      answer.split(' ')[1]!,
    );
  }

  // The expired token worked while it was fresh, then was refused.
  const expired = page.getByRole('group', { name: 'invalid_token, reproduced against the sandbox' });
  await expect(
    expired.getByRole('listitem').filter({ hasText: 'Called the API with it at once: HTTP 200.' }),
  ).toHaveCount(1);
  await expect(expired.getByRole('figure', { name: /^The sandbox's answer/ })).toContainText(
    'error="invalid_token"',
  );

  // No secret of the page's client is shown: the wrong one is masked like a right one would be.
  await expect(
    page
      .getByRole('group', { name: 'invalid_client, reproduced against the sandbox' })
      .getByRole('figure', { name: 'Request sent' }),
  ).toContainText('Authorization: Basic ••••');

  const results = await axe(page).include('.pg').analyze();
  expect(results.violations.map((violation) => violation.id)).toEqual([]);
  expect(errors).toEqual([]);
});
