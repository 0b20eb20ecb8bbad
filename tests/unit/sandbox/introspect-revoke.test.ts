import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from '../../../src/lib/basic-auth.ts';
import {
  audience,
  createHarness,
  errorOf,
  formHeaders,
  issuer,
  type Harness,
  type RegisteredClient,
} from './harness.ts';
import { apiScopeNames } from '../../../src/lib/api-profile.ts';

let h: Harness;
let client: RegisteredClient;
let other: RegisteredClient;
let token: string;
beforeEach(async () => {
  h = await createHarness();
  client = await h.register();
  other = await h.register({ token_endpoint_auth_method: 'client_secret_post' });
  token = await h.token(client);
});
afterEach(() => h.close());

const asClient = (c: RegisteredClient): Record<string, string> => ({
  ...formHeaders,
  authorization: encodeBasicCredentials(c.client_id, c.client_secret),
});
const introspect = (body: string, headers: Record<string, string> = asClient(client)) =>
  h.call('/oauth/introspect', { method: 'POST', headers, body });
const revoke = (body: string, headers: Record<string, string> = asClient(client)) =>
  h.call('/oauth/revoke', { method: 'POST', headers, body });
const api = (t: string) => h.call('/api/v1/reports', { headers: { authorization: `Bearer ${t}` } });

describe('RFC 7662 §2.2 introspection response', () => {
  it('describes an active token', async () => {
    const response = await introspect(`token=${token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const claims = decodeJwt(token);
    expect(await response.json()).toEqual({
      active: true,
      scope: apiScopeNames.join(' '),
      client_id: client.client_id,
      token_type: 'Bearer',
      exp: claims.exp,
      iat: claims.iat,
      sub: client.client_id,
      aud: audience,
      iss: issuer,
      jti: claims.jti,
    });
  });

  it('accepts client_secret_post and a token_type_hint', async () => {
    const otherToken = await h.token(other);
    const response = await introspect(
      `token=${otherToken}&token_type_hint=access_token&client_id=${other.client_id}&client_secret=${other.client_secret}`,
      formHeaders,
    );
    expect((await response.json()).active).toBe(true);
  });

  const inactive: [string, () => Promise<string> | string][] = [
    ['garbage', () => 'garbage'],
    ['a forged token', () => `${token.slice(0, -4)}AAAA`],
    [
      'an expired token',
      () => {
        h.clock.advance(3600 * 1000);
        return token;
      },
    ],
    [
      'a revoked token',
      async () => {
        await revoke(`token=${token}`);
        return token;
      },
    ],
    ['another client’s token', () => h.token(other)],
  ];
  it.each(inactive)('answers %s with {"active": false} and nothing else', async (_label, build) => {
    const subject = await build();
    const response = await introspect(`token=${encodeURIComponent(subject)}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ active: false });
  });

  it.each([
    ['no token parameter', '', 400, 'invalid_request'],
    ['token twice', `token=${'a'}&token=b`, 400, 'invalid_request'],
  ])('answers %s with %i %s', async (_label, body, status, code) => {
    const result = await errorOf(await introspect(body));
    expect([result.status, result.error]).toEqual([status, code]);
  });

  it.each([
    ['no client authentication', formHeaders],
    ['a wrong secret', { ...formHeaders, authorization: encodeBasicCredentials('nobody', 'wrong') }],
  ])('requires client authentication (§2.1): %s is 401 invalid_client', async (_label, headers) => {
    const response = await introspect(`token=${token}`, headers);
    const { status, error } = await errorOf(response);
    expect([status, error]).toEqual([401, 'invalid_client']);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="sandbox"');
  });
});

describe('RFC 7009 token revocation', () => {
  it('revokes a token: 200, then the API refuses it and introspection calls it inactive', async () => {
    expect((await api(token)).status).toBe(200);
    const response = await revoke(`token=${token}&token_type_hint=access_token`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { status, error } = await errorOf(await api(token));
    expect([status, error]).toEqual([401, 'invalid_token']);
    expect(await (await introspect(`token=${token}`)).json()).toEqual({ active: false });
  });

  it('keeps the revocation until the token has expired, then sweeps it', async () => {
    await revoke(`token=${token}`);
    const { jti, exp } = decodeJwt(token);
    expect(await h.store.isRevoked(jti!)).toBe(true);
    h.clock.advance((exp! - h.clock.nowSeconds()) * 1000 + 60_000);
    await h.call('/.well-known/oauth-authorization-server');
    expect(await h.store.isRevoked(jti!)).toBe(false);
  });

  it('leaves the client’s other tokens working', async () => {
    const second = await h.token(client);
    await revoke(`token=${token}`);
    expect((await api(second)).status).toBe(200);
  });

  it.each([
    ['garbage', 'token=garbage'],
    ['an unknown token_type_hint', `token=garbage&token_type_hint=refresh_token`],
    ['an already revoked token', `token=${'REVOKED'}`],
  ])('answers %s with 200 (§2.2: invalid tokens are no error)', async (_label, body) => {
    if (body.includes('REVOKED')) {
      await revoke(`token=${token}`);
      body = `token=${token}`;
    }
    expect((await revoke(body)).status).toBe(200);
  });

  it('answers an expired token with 200', async () => {
    h.clock.advance(3601 * 1000);
    expect((await revoke(`token=${token}`)).status).toBe(200);
  });

  it('refuses to revoke another client’s token (§2.1), which keeps working', async () => {
    const { status, error } = await errorOf(
      await revoke(
        `token=${token}&client_id=${other.client_id}&client_secret=${other.client_secret}`,
        formHeaders,
      ),
    );
    expect([status, error]).toEqual([400, 'invalid_grant']);
    expect((await api(token)).status).toBe(200);
  });

  it.each([
    ['no token parameter', '', () => asClient(client), 400, 'invalid_request'],
    ['no client authentication', `token=x`, () => formHeaders, 401, 'invalid_client'],
    [
      'a JSON body',
      '{"token":"x"}',
      () => ({ ...asClient(client), 'content-type': 'application/json' }),
      400,
      'invalid_request',
    ],
  ])('answers %s with %i', async (_label, body, headers, status, code) => {
    const result = await errorOf(await revoke(body, headers()));
    expect([result.status, result.error]).toEqual([status, code]);
  });
});
