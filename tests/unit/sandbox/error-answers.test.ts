import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from '../../../src/lib/www-authenticate.ts';
import { createHarness, formHeaders, issuer, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const json = { 'content-type': 'application/json' };

/** One request per error the sandbox answers, and the code it must carry. */
const errorCases: [string, string, string, () => Promise<RequestInit>][] = [
  [
    'invalid_request',
    '/oauth/token',
    'invalid_request',
    async () => ({ method: 'POST', headers: formHeaders, body: '' }),
  ],
  [
    'unsupported_grant_type',
    '/oauth/token',
    'unsupported_grant_type',
    async () => ({ method: 'POST', headers: formHeaders, body: 'grant_type=password' }),
  ],
  [
    'invalid_client',
    '/oauth/token',
    'invalid_client',
    async () => ({ method: 'POST', headers: formHeaders, body: 'grant_type=client_credentials' }),
  ],
  [
    'invalid_client_metadata',
    '/oauth/register',
    'invalid_client_metadata',
    async () => ({ method: 'POST', headers: json, body: '{"scope":"nope"}' }),
  ],
  [
    'invalid_token',
    '/api/v1/reports',
    'invalid_token',
    async () => ({ headers: { authorization: 'Bearer abc' } }),
  ],
  ['not_found', '/oauth/nothing', 'not_found', async () => ({})],
  ['method_not_allowed', '/oauth/token', 'method_not_allowed', async () => ({})],
];

describe('RFC 6749 §5.2 error_uri and the request id on every error answer', () => {
  it.each(errorCases)('%s points to its row on the errors page', async (_label, path, code, init) => {
    const response = await h.sandbox.handle(new Request(`${issuer}${path}`, await init()), {
      clientAddress: '192.0.2.1',
      requestId: 'req-123',
    });
    const body = await response.json();
    expect(body).toMatchObject({ error: code, error_uri: `${issuer}/errors/#${code}` });
    expect(body.error_uri).toMatch(/^[\x21\x23-\x5B\x5D-\x7E]+$/);
    expect(response.headers.get('x-request-id')).toBe('req-123');
  });

  it('makes a request id when the host gives none', async () => {
    const response = await h.call('/oauth/nothing');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('puts error_uri in a Bearer challenge that has an error code (RFC 6750 §3)', async () => {
    const response = await h.call('/api/v1/reports', { headers: { authorization: 'Bearer abc' } });
    const [challenge] = parseWwwAuthenticate(response.headers.get('www-authenticate')!)!;
    expect(challenge!.params.error_uri).toBe(`${issuer}/errors/#invalid_token`);
  });

  it('keeps error information out of the challenge of a request without credentials (RFC 6750 §3.1)', async () => {
    const response = await h.call('/api/v1/reports');
    const [challenge] = parseWwwAuthenticate(response.headers.get('www-authenticate')!)!;
    expect(challenge!.params.error).toBeUndefined();
    expect(challenge!.params.error_uri).toBeUndefined();
    expect((await response.json()).error_uri).toBe(`${issuer}/errors/#no_credentials`);
  });

  it('adds nothing to a Basic challenge, which has no error_uri parameter', async () => {
    const response = await h.call('/oauth/token', {
      method: 'POST',
      headers: formHeaders,
      body: 'grant_type=client_credentials',
    });
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="sandbox"');
  });
});
