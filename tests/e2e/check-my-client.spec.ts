import { axe } from './support/axe.ts';
import { expect, test } from '@playwright/test';
import { checkCriteria, checkCriterionIds, type ClientCheck } from '../../src/lib/sandbox-contract/checks.ts';
import { checkPage, hydrated } from './support/client-check.ts';
import { registerClient } from './support/playground.ts';

// "Check my client" (issue 12, the page), the fast part: what a reader sees without credentials,
// when starting fails (a proxy's HTML 502, a sandbox error, no network), and a finished report
// (the sandbox's answer replaced by a recorded check) in light and dark, at 375 px and on a
// desktop. check-my-client-live.spec.ts runs a real check against the real sandbox.

/** A finished check as the sandbox would send it: two failures, one criterion never observed. */
function recordedDone(clientId: string): ClientCheck {
  const result = (id: string) =>
    id === 'reuses_tokens' || id === 'honours_retry_after'
      ? 'fail'
      : id === 'single_flight'
        ? 'not_observed'
        : 'pass';
  return {
    id: 'recordedCheckId0123456789',
    status: 'done',
    started_at: '2026-11-30T01:00:00.000Z',
    ends_at: '2026-11-30T01:03:00.000Z',
    ended_at: '2026-11-30T01:03:00.100Z',
    url: `/oauth/clients/${clientId}/checks/recordedCheckId0123456789`,
    criteria: checkCriterionIds.map((id) => ({
      id,
      title: checkCriteria[id].title,
      result: result(id),
      evidence:
        id === 'reuses_tokens'
          ? '180 token requests for 180 API calls in 180 s; the previous token had 29 s left each time.'
          : `Evidence for ${id}.`,
      doc: checkCriteria[id].doc,
    })),
    faults: [
      { kind: 'token_revoked', at: '2026-11-30T01:00:40.000Z', detail: 'The token in use was revoked.' },
      { kind: 'token_endpoint_unavailable', at: '2026-11-30T01:01:10.000Z', detail: 'POST /oauth/token' },
      { kind: 'api_rate_limited', at: '2026-11-30T01:02:00.000Z', detail: 'GET /api/v1/reports' },
    ],
    score: 71.4,
  };
}

test('without credentials, the page says how to get them', async ({ page: p }) => {
  await p.goto(checkPage);
  const island = await hydrated(p);
  await expect(island).toContainText('No client yet. Register one in step 1 above');
  await expect(island.getByRole('button', { name: 'Start the check' })).toHaveCount(0);
});

for (const [name, answer, message] of [
  [
    'an HTML 502 from a proxy',
    { status: 502, contentType: 'text/html', body: '<html>Bad Gateway</html>' },
    /HTTP 502/,
  ],
  [
    'a sandbox error',
    { status: 500, contentType: 'application/json', body: '{"error":"server_error"}' },
    /HTTP 500/,
  ],
] as const) {
  test(`starting a check that gets ${name} says so plainly`, async ({ page: p }) => {
    await p.goto(checkPage);
    await registerClient(p);
    const island = await hydrated(p);
    await p.route('**/oauth/clients/*/checks', (route) => route.fulfill(answer));
    await island.getByRole('button', { name: 'Start the check' }).click();
    await expect(island.getByRole('alert')).toContainText(message);
    await expect(island.getByRole('alert')).toContainText("not your client's");
  });
}

test('starting a check with no network says so plainly', async ({ page: p }) => {
  await p.goto(checkPage);
  await registerClient(p);
  const island = await hydrated(p);
  await p.route('**/oauth/clients/*/checks', (route) => route.abort('internetdisconnected'));
  await island.getByRole('button', { name: 'Start the check' }).click();
  await expect(island.getByRole('alert')).toContainText('No answer from the sandbox');
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const width of [375, 1280]) {
    test(`a finished report (${colorScheme}, ${width} px) fits, links each failure to its lesson, and has no axe violation`, async ({
      page: p,
    }, testInfo) => {
      await p.emulateMedia({ colorScheme });
      await p.setViewportSize({ width, height: 900 });
      const check = recordedDone('client-1');
      // The sandbox's answer replaced by a recorded finished check (stream and JSON alike).
      await p.route(`**/oauth/clients/client-1/checks/${check.id}`, (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(check) }),
      );
      await p.goto(`${checkPage}?client=client-1&check=${check.id}#check`);
      const island = await hydrated(p);
      await expect(island.getByRole('heading', { name: 'Report card' })).toBeVisible();
      await expect(island.locator('.cc-summary')).toHaveText(
        'Check finished: 5 of 7 observed criteria passed (score 71 %); 1 not observed.',
      );
      const reuse = island.locator('[data-criterion="reuses_tokens"]');
      await expect(reuse).toContainText('Failed');
      await expect(reuse).toContainText('180 token requests for 180 API calls');
      await expect(reuse.getByRole('link', { name: 'How to do it right' })).toHaveAttribute(
        'href',
        checkCriteria.reuses_tokens.doc,
      );
      await expect(reuse.getByRole('link', { name: /Code that does it/ })).toHaveAttribute(
        'href',
        '/token-client/#the-reference-client-what-happens-on-the-wire',
      );
      await expect(island.locator('[data-criterion="least_scope"]').getByRole('link')).toHaveCount(0);
      await expect(island.locator('.cc-faults li')).toHaveText([
        /^40 s .*Token revoked by the server/,
        /^70 s .*Token endpoint answered 503/,
        /^120 s .*API answered 429/,
      ]);
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth);
      expect(overflow).toBeLessThanOrEqual(width);
      await island.screenshot({ path: testInfo.outputPath(`report-${colorScheme}-${width}.png`) });
      const results = await axe(p).include('section.cc').analyze();
      expect(results.violations).toEqual([]);
    });
  }
}

test('a link to a check the sandbox does not know says so', async ({ page: p }) => {
  await p.goto(`${checkPage}?client=no-such-client&check=no-such-check#check`);
  const island = await hydrated(p);
  await expect(island.getByRole('alert')).toContainText('The sandbox has no such check');
});
