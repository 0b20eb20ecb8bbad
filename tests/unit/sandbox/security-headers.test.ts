import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from '../../../src/lib/basic-auth.ts';
import { apiContentSecurityPolicy } from '../../../src/sandbox/http/security-headers.ts';
import { createHarness, formHeaders, type Harness, type RegisteredClient } from './harness.ts';

let h: Harness;
let client: RegisteredClient;
beforeEach(async () => {
  h = await createHarness();
  client = await h.register();
});
afterEach(() => h.close());

const basic = () => ({
  ...formHeaders,
  authorization: encodeBasicCredentials(client.client_id, client.client_secret),
});

/** One request per kind of answer: successes, errors of every layer, the bodiless revocation. */
const exchanges: [string, () => Promise<Response>][] = [
  ['metadata 200', () => h.call('/.well-known/oauth-authorization-server')],
  ['resource metadata 200', () => h.call('/.well-known/oauth-protected-resource/api')],
  ['JWKS 200', () => h.call('/oauth/jwks')],
  [
    'registration 201',
    () =>
      h.call('/oauth/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
  ],
  [
    'registration 400',
    () =>
      h.call('/oauth/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '[]',
      }),
  ],
  [
    'token 200',
    () => h.call('/oauth/token', { method: 'POST', headers: basic(), body: 'grant_type=client_credentials' }),
  ],
  [
    'token 401',
    () =>
      h.call('/oauth/token', { method: 'POST', headers: formHeaders, body: 'grant_type=client_credentials' }),
  ],
  [
    'revocation 200 without a body',
    () => h.call('/oauth/revoke', { method: 'POST', headers: basic(), body: 'token=abc' }),
  ],
  ['API 401', () => h.call('/api/v1/reports')],
  ['unknown path 404', () => h.call('/oauth/nothing')],
  ['wrong method 405', () => h.call('/oauth/token')],
];

describe('security headers on every sandbox answer', () => {
  it.each(exchanges)('%s', async (_name, send) => {
    const response = await send();
    expect(response.headers.get('content-security-policy')).toBe(apiContentSecurityPolicy);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-store');
    // The issuer is http: no HSTS (it would mean nothing, and pin a developer's localhost to https).
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('has a policy under which nothing loads or runs, with the directives every response carries', () => {
    const directives = apiContentSecurityPolicy.split('; ');
    expect(directives).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
      ]),
    );
    expect(apiContentSecurityPolicy).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('adds HSTS when the issuer is https', async () => {
    const secure = await createHarness({ issuer: 'https://auth.example.com' });
    for (const path of ['/oauth/jwks', '/oauth/nothing', '/api/v1/reports']) {
      expect((await secure.call(path)).headers.get('strict-transport-security')).toBe('max-age=31536000');
    }
    await secure.close();
  });
});
