import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from '../../../src/lib/basic-auth.ts';
import { hashClientSecret } from '../../../src/sandbox/authorization/client-authentication.ts';
import {
  audience,
  createHarness,
  errorOf,
  formHeaders,
  issuer,
  type Harness,
  type RegisteredClient,
} from './harness.ts';
import { apiProfile, apiScopeNames } from '../../../src/lib/api-profile.ts';
import { sandboxDefaultLifetime } from '../../../src/lib/sandbox-contract/index.ts';

const { readScope, writeScope } = apiProfile;
/** What a client registered with the defaults gets: every scope, production's lifetime. */
const allScopes = apiScopeNames.join(' ');
const defaultLifetime = sandboxDefaultLifetime(apiProfile);

let h: Harness;
let basic: RegisteredClient;
let post: RegisteredClient;
beforeEach(async () => {
  h = await createHarness();
  basic = await h.register();
  post = await h.register({ token_endpoint_auth_method: 'client_secret_post' });
});
afterEach(() => h.close());

const tokenRequest = (
  headers: Record<string, string>,
  body: string | Uint8Array<ArrayBuffer>,
  method = 'POST',
) => h.call('/oauth/token', { method, headers, body: method === 'GET' ? null : body });
const basicHeader = (client: RegisteredClient) => ({
  ...formHeaders,
  authorization: encodeBasicCredentials(client.client_id, client.client_secret),
});
const postBody = (client: RegisteredClient, rest = 'grant_type=client_credentials') =>
  `${rest}&client_id=${client.client_id}&client_secret=${client.client_secret}`;

describe('RFC 6749 §4.4 client credentials grant, §5.1 successful response', () => {
  it.each([
    ['client_secret_basic', () => tokenRequest(basicHeader(basic), 'grant_type=client_credentials')],
    ['client_secret_post', () => tokenRequest(formHeaders, postBody(post))],
  ])('issues a token with %s', async (_method, send) => {
    const response = await send();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await response.json();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: defaultLifetime,
      scope: allScopes,
    });
    expect(body).not.toHaveProperty('refresh_token');
  });

  it('issues an RFC 9068 JWT access token', async () => {
    const token = await h.token(basic);
    const header = decodeProtectedHeader(token);
    expect(header).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: expect.any(String) });
    const { keys } = await (await h.call('/oauth/jwks')).json();
    expect(keys.map((key: { kid: string }) => key.kid)).toContain(header.kid);
    const now = h.clock.nowSeconds();
    expect(decodeJwt(token)).toEqual({
      iss: issuer,
      sub: basic.client_id,
      aud: audience,
      client_id: basic.client_id,
      scope: allScopes,
      iat: now,
      exp: now + defaultLifetime,
      jti: expect.any(String),
    });
  });

  it('gives every token its own jti', async () => {
    const [a, b] = [await h.token(basic), await h.token(basic)];
    expect(decodeJwt(a).jti).not.toBe(decodeJwt(b).jti);
  });

  it('uses the lifetime the client registered', async () => {
    const client = await h.register({ access_token_lifetime: 30 });
    const response = await h.requestToken(client);
    expect((await response.json()).expires_in).toBe(30);
  });

  it('keeps a token valid for the whole of expires_in, also when issued late in a second (§5.1)', async () => {
    const client = await h.register({ access_token_lifetime: 5 });
    h.clock.advance(999);
    const response = await h.requestToken(client);
    const { access_token: token, expires_in: expiresIn } = await response.json();
    expect(expiresIn).toBe(5);
    const { iat, exp } = decodeJwt(token);
    expect(iat).toBe(h.clock.nowSeconds());
    expect(exp).toBe(h.clock.nowSeconds() + 1 + 5);
    const callApi = () => h.call('/api/v1/reports', { headers: { authorization: `Bearer ${token}` } });
    h.clock.advance(expiresIn * 1000 - 1);
    expect((await callApi()).status).toBe(200);
    h.clock.advance(2);
    expect((await callApi()).status).toBe(401);
  });

  it('never lets a token outlive its client', async () => {
    h.clock.advance((24 * 3600 - 100) * 1000);
    const response = await h.requestToken(basic);
    expect((await response.json()).expires_in).toBe(100);
  });
});

describe('RFC 6749 §3.3 scope', () => {
  it.each([
    [undefined, allScopes],
    [readScope, readScope],
    [writeScope, writeScope],
    [`${writeScope} ${readScope}`, `${writeScope} ${readScope}`],
    [`${readScope} ${readScope}`, readScope],
  ])('asking for %j grants %j', async (scope, granted) => {
    const response = await h.requestToken(basic, scope === undefined ? {} : { scope });
    expect(response.status).toBe(200);
    expect((await response.json()).scope).toBe(granted);
  });

  it('treats an empty scope as omitted (§3.2: parameters without a value)', async () => {
    const response = await tokenRequest(basicHeader(basic), 'grant_type=client_credentials&scope=');
    expect((await response.json()).scope).toBe(allScopes);
  });

  it.each([
    ['a scope the API does not define', 'reports:delete', {}],
    ['a known scope the client did not register', writeScope, { scope: readScope }],
    ['two spaces between scopes', `${readScope}  ${writeScope}`, {}],
    ['a leading space', ` ${readScope}`, {}],
    ['a quote character', 'reports:"read"', {}],
    ['a non-ASCII scope', 'rapports:lecture\u00e9', {}],
    ['an absurdly long scope', 'x'.repeat(10_000), {}],
  ])('refuses %s with 400 invalid_scope, no silent narrowing', async (_label, scope, metadata) => {
    const client = Object.keys(metadata).length ? await h.register(metadata) : basic;
    const { status, error, description } = await errorOf(await h.requestToken(client, { scope }));
    expect([status, error]).toEqual([400, 'invalid_scope']);
    expect(description).not.toContain(scope.slice(0, 30));
  });
});

describe('RFC 6749 §3.2 and §5.2 invalid_request', () => {
  it.each([
    ['no grant_type', formHeaders, ''],
    ['grant_type twice', formHeaders, 'grant_type=client_credentials&grant_type=client_credentials'],
    ['scope twice', formHeaders, `grant_type=client_credentials&scope=${readScope}&scope=${writeScope}`],
    ['client_id twice', formHeaders, 'grant_type=client_credentials&client_id=a&client_id=b&client_secret=c'],
    ['a JSON body', { 'content-type': 'application/json' }, '{"grant_type":"client_credentials"}'],
    ['no content type', { 'content-type': '' }, new TextEncoder().encode('grant_type=client_credentials')],
    ['text/plain', { 'content-type': 'text/plain' }, 'grant_type=client_credentials'],
    [
      'a charset other than UTF-8',
      { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1' },
      'grant_type=client_credentials',
    ],
    [
      'bytes that are not UTF-8',
      formHeaders,
      new Uint8Array([...new TextEncoder().encode('grant_type=client_credentials&scope='), 0xff, 0xfe]),
    ],
    ['a percent escape that is not UTF-8', formHeaders, 'grant_type=client_credentials&scope=%FF'],
    ['a broken percent escape', formHeaders, 'grant_type=client_credentials&scope=%zz'],
  ])('refuses %s', async (_label, headers, body) => {
    const allHeaders: Record<string, string> = { ...basicHeader(basic), ...headers };
    if (allHeaders['content-type'] === '') delete allHeaders['content-type'];
    const { status, error } = await errorOf(await tokenRequest(allHeaders, body));
    expect([status, error]).toEqual([400, 'invalid_request']);
  });

  it('refuses two authentication methods at once (§2.3)', async () => {
    const { status, error } = await errorOf(await tokenRequest(basicHeader(basic), postBody(basic)));
    expect([status, error]).toEqual([400, 'invalid_request']);
  });

  it('refuses a body client_id that differs from the Basic one', async () => {
    const { status, error } = await errorOf(
      await tokenRequest(basicHeader(basic), `grant_type=client_credentials&client_id=${post.client_id}`),
    );
    expect([status, error]).toEqual([400, 'invalid_request']);
  });

  it('accepts a body client_id that matches the Basic one (§3.2.1)', async () => {
    expect(
      (await tokenRequest(basicHeader(basic), `grant_type=client_credentials&client_id=${basic.client_id}`))
        .status,
    ).toBe(200);
  });

  it('ignores unknown parameters', async () => {
    expect(
      (await tokenRequest(basicHeader(basic), 'grant_type=client_credentials&foo=bar&foo=baz&resource_x=1'))
        .status,
    ).toBe(200);
  });

  it('refuses a body over 16 KiB with 413', async () => {
    const { status, error } = await errorOf(
      await tokenRequest(basicHeader(basic), `grant_type=client_credentials&pad=${'x'.repeat(17 * 1024)}`),
    );
    expect([status, error]).toEqual([413, 'invalid_request']);
  });

  it.each(['GET', 'PUT'])('answers %s with 405 and Allow: POST', async (method) => {
    const response = await tokenRequest(basicHeader(basic), 'grant_type=client_credentials', method);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('RFC 6749 §5.2 unsupported_grant_type', () => {
  it.each([
    'password',
    'authorization_code',
    'refresh_token',
    'urn:ietf:params:oauth:grant-type:jwt-bearer',
    'CLIENT_CREDENTIALS',
  ])('refuses %s', async (grant) => {
    const { status, error } = await errorOf(
      await tokenRequest(basicHeader(basic), `grant_type=${encodeURIComponent(grant)}`),
    );
    expect([status, error]).toEqual([400, 'unsupported_grant_type']);
  });
});

describe('RFC 6749 §2.3.1 and §5.2 invalid_client', () => {
  const form = 'grant_type=client_credentials';
  const cases: [string, () => [Record<string, string>, string]][] = [
    ['no credentials at all', () => [formHeaders, form]],
    [
      'a wrong secret (Basic)',
      () => [{ ...formHeaders, authorization: encodeBasicCredentials(basic.client_id, 'wrong') }, form],
    ],
    [
      'an unknown client (Basic)',
      () => [{ ...formHeaders, authorization: encodeBasicCredentials('nobody', basic.client_secret) }, form],
    ],
    ['a wrong secret (post)', () => [formHeaders, `${form}&client_id=${post.client_id}&client_secret=wrong`]],
    ['an unknown client (post)', () => [formHeaders, `${form}&client_id=nobody&client_secret=x`]],
    ['client_id without a secret', () => [formHeaders, `${form}&client_id=${post.client_id}`]],
    ['a secret without client_id', () => [formHeaders, `${form}&client_secret=${post.client_secret}`]],
    ['a Bearer header', () => [{ ...formHeaders, authorization: 'Bearer abc' }, form]],
    ['Basic with no credentials', () => [{ ...formHeaders, authorization: 'Basic' }, form]],
    ['Basic that is not base64', () => [{ ...formHeaders, authorization: 'Basic !!!!' }, form]],
    ['Basic without a colon', () => [{ ...formHeaders, authorization: `Basic ${btoa('justanid')}` }, form]],
    [
      'Basic that is not UTF-8',
      () => [{ ...formHeaders, authorization: `Basic ${btoa('\xff\xfe:\xff')}` }, form],
    ],
    [
      'Basic with a broken percent escape',
      () => [{ ...formHeaders, authorization: `Basic ${btoa(`${basic.client_id}:%zz`)}` }, form],
    ],
    [
      'a basic client using post',
      () => [formHeaders, `${form}&client_id=${basic.client_id}&client_secret=${basic.client_secret}`],
    ],
    [
      'a post client using Basic',
      () => [
        { ...formHeaders, authorization: encodeBasicCredentials(post.client_id, post.client_secret) },
        form,
      ],
    ],
  ];
  it.each(cases)('refuses %s with 401 and a Basic challenge', async (_label, build) => {
    const [headers, body] = build();
    const response = await tokenRequest(headers, body);
    const { status, error } = await errorOf(response);
    expect([status, error]).toEqual([401, 'invalid_client']);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="sandbox"');
  });

  it('says which method a client registered when it uses the other one', async () => {
    const response = await tokenRequest(formHeaders, postBody(basic));
    expect((await errorOf(response)).description).toMatch(/client_secret_basic/);
  });

  it('refuses a client 24 hours after its registration', async () => {
    h.clock.advance(24 * 3600 * 1000);
    const { status, error } = await errorOf(await h.requestToken(basic));
    expect([status, error]).toEqual([401, 'invalid_client']);
  });

  it('never echoes the secret it was sent', async () => {
    const secret = 'SECRET-MARKER-123';
    const response = await tokenRequest(
      { ...formHeaders, authorization: encodeBasicCredentials(basic.client_id, secret) },
      form,
    );
    expect(await response.text()).not.toContain(secret);
  });

  it.each(['basic', 'BASIC', 'bAsIc'])('takes the scheme %s case-insensitively', async (scheme) => {
    const value = encodeBasicCredentials(basic.client_id, basic.client_secret).replace(/^Basic/, scheme);
    expect((await tokenRequest({ ...formHeaders, authorization: value }, form)).status).toBe(200);
  });
});

describe('RFC 6749 §2.3.1 and Appendix B: form-urlencoding before Basic', () => {
  const clientId = 'my client:é+/';
  const clientSecret = 'p@ss w%rd:+&=ü';

  async function storeClient() {
    const now = h.clock.nowSeconds();
    await h.store.saveClient({
      clientId,
      secretHash: hashClientSecret(clientSecret),
      clientName: undefined,
      registrationTokenHash: undefined,
      scope: [readScope],
      tokenEndpointAuthMethod: 'client_secret_basic',
      accessTokenLifetime: 60,
      issuedAt: now,
      expiresAt: now + 3600,
      jwks: undefined,
    });
  }

  it('decodes credentials that were form-urlencoded before base64', async () => {
    await storeClient();
    const response = await tokenRequest(
      { ...formHeaders, authorization: encodeBasicCredentials(clientId, clientSecret) },
      'grant_type=client_credentials',
    );
    expect(response.status).toBe(200);
    expect(decodeJwt((await response.json()).access_token).client_id).toBe(clientId);
  });

  it('encodes reserved characters, so the encoded header differs from the raw one', () => {
    expect(encodeBasicCredentials(clientId, clientSecret)).not.toBe(
      `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    );
  });

  it('works for generated credentials whether or not the client encoded them', async () => {
    const raw = `Basic ${Buffer.from(`${basic.client_id}:${basic.client_secret}`).toString('base64')}`;
    expect(raw).toBe(encodeBasicCredentials(basic.client_id, basic.client_secret));
    expect(
      (await tokenRequest({ ...formHeaders, authorization: raw }, 'grant_type=client_credentials')).status,
    ).toBe(200);
  });
});

describe('rate limit on failed client authentication', () => {
  const wrong = () => ({ ...formHeaders, authorization: encodeBasicCredentials(basic.client_id, 'wrong') });
  const send = (headers: Record<string, string>, address = '203.0.113.9') =>
    h.call('/oauth/token', { method: 'POST', headers, body: 'grant_type=client_credentials' }, address);

  it('allows 30 failures a minute, then answers 429 with Retry-After, even to the right secret', async () => {
    for (let i = 0; i < 30; i++) expect((await send(wrong())).status).toBe(401);
    const limited = await send(wrong());
    const { status, error } = await errorOf(limited);
    expect([status, error]).toEqual([429, 'too_many_requests']);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect((await send(basicHeader(basic))).status).toBe(429);
    expect((await send(basicHeader(basic), '203.0.113.10')).status).toBe(200);
    h.clock.advance(retryAfter * 1000);
    expect((await send(basicHeader(basic))).status).toBe(200);
  });

  it('does not count successful authentications', async () => {
    for (let i = 0; i < 40; i++) expect((await send(basicHeader(basic))).status).toBe(200);
  });

  it('is off with rateLimit: false', async () => {
    const open = await createHarness({ rateLimit: false });
    const client = await open.register();
    for (let i = 0; i < 60; i++) {
      const response = await open.call('/oauth/token', {
        method: 'POST',
        headers: { ...formHeaders, authorization: encodeBasicCredentials(client.client_id, 'x') },
        body: 'grant_type=client_credentials',
      });
      expect(response.status).toBe(401);
    }
    await open.close();
  });
});
