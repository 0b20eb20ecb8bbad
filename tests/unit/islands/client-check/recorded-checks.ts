import type { ClientCheck } from '../../../../src/lib/sandbox-contract/checks.ts';

/**
 * Check resources as the contract (src/lib/sandbox-contract/checks.ts) defines them, recorded at
 * three moments of one 60-second check: just started, half way (two criteria graded, one fault
 * injected), and done (every criterion graded, every fault injected).
 */
export const started: ClientCheck = {
  id: 'k9Qx2mB7cR4tV1wY8zA3dE',
  status: 'running',
  started_at: '2026-11-30T01:00:00.000Z',
  ends_at: '2026-11-30T01:01:00.000Z',
  url: 'http://localhost:4321/oauth/clients/client-1/checks/k9Qx2mB7cR4tV1wY8zA3dE',
  criteria: [],
  faults: [],
  score: null,
};

export const halfway: ClientCheck = {
  ...started,
  criteria: [
    {
      id: 'credentials_in_header',
      title: 'Sends credentials in the header (or a client assertion)',
      result: 'pass',
      evidence: '2 token requests, both with HTTP Basic.',
      doc: '/requesting-a-token/#authenticating-the-client',
    },
    {
      id: 'reuses_tokens',
      title: 'Reuses its token',
      result: 'fail',
      evidence: '31 token requests for 31 API calls in 30 s.',
      doc: '/expiration-and-refresh/#renew-before-expiry-with-a-margin',
    },
  ],
  faults: [{ kind: 'token_revoked', at: '2026-11-30T01:00:20.000Z', detail: 'token 3 revoked' }],
  score: 50,
};

const graded = (
  id: ClientCheck['criteria'][number]['id'],
  result: ClientCheck['criteria'][number]['result'],
  doc: string,
): ClientCheck['criteria'][number] => ({ id, title: id, result, evidence: `${id} evidence`, doc });

export const done: ClientCheck = {
  ...started,
  status: 'done',
  ended_at: '2026-11-30T01:01:00.250Z',
  criteria: [
    graded('reuses_tokens', 'fail', '/expiration-and-refresh/#renew-before-expiry-with-a-margin'),
    graded('renews_before_expiry', 'pass', '/expiration-and-refresh/#renew-before-expiry-with-a-margin'),
    graded('single_flight', 'pass', '/expiration-and-refresh/#one-renewal-for-all-callers'),
    graded('retries_once_on_invalid_token', 'pass', '/expiration-and-refresh/#when-to-retry-and-when-not'),
    graded('honours_retry_after', 'fail', '/expiration-and-refresh/#when-to-retry-and-when-not'),
    graded('least_scope', 'pass', '/security/#ask-for-the-least-scope'),
    graded('credentials_in_header', 'pass', '/requesting-a-token/#authenticating-the-client'),
    // no_secrets_in_url left out: a done check that never graded it shows it as not observed.
  ],
  faults: [
    { kind: 'api_rate_limited', at: '2026-11-30T01:00:45.000Z', detail: 'GET /api/v1/reports' },
    { kind: 'token_revoked', at: '2026-11-30T01:00:20.000Z', detail: 'token 3 revoked' },
    { kind: 'token_endpoint_unavailable', at: '2026-11-30T01:00:30.000Z', detail: 'POST /oauth/token' },
  ],
  score: 71.4,
};
