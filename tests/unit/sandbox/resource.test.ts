import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, type JWK, type JWTPayload } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBase64url } from '../../../src/lib/base64url.ts';
import { encodeBasicCredentials } from '../../../src/lib/basic-auth.ts';
import { parseWwwAuthenticate } from '../../../src/lib/www-authenticate.ts';
import {
  audience,
  createHarness,
  errorOf,
  formHeaders,
  issuer,
  resourceMetadataUrl,
  type Harness,
  type RegisteredClient,
} from './harness.ts';
import { apiProfile } from '../../../src/lib/api-profile.ts';

const { readScope, writeScope } = apiProfile;

let h: Harness;
let client: RegisteredClient;
let token: string;
beforeEach(async () => {
  h = await createHarness();
  client = await h.register();
  token = await h.token(client);
});
afterEach(() => h.close());

const getReports = (authorization?: string, path = '/api/v1/reports') =>
  h.call(path, authorization === undefined ? {} : { headers: { authorization } });

/** The Bearer challenge of a response, parsed with the same lib islands use. */
function bearerChallenge(response: Response) {
  const header = response.headers.get('www-authenticate');
  expect(header).not.toBeNull();
  const challenges = parseWwwAuthenticate(header!);
  expect(challenges).toHaveLength(1);
  expect(challenges![0]!.scheme).toBe('Bearer');
  return challenges![0]!.params;
}

describe('protected API, happy path', () => {
  it(`GET /api/v1/reports answers 200 with ${readScope}`, async () => {
    const response = await getReports(`Bearer ${token}`);
    expect(response.status).toBe(200);
    expect((await response.json()).reports.length).toBeGreaterThan(0);
  });

  it(`POST /api/v1/reports creates a report with ${writeScope}, and GET lists it`, async () => {
    const response = await h.call('/api/v1/reports', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Mine', summary: 'Made in a test.' }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ title: 'Mine', created_by: client.client_id });
    const list = await (await getReports(`Bearer ${token}`)).json();
    expect(list.reports.map((report: { title: string }) => report.title)).toContain('Mine');
  });

  it.each(['bearer', 'BEARER'])('takes the scheme %s case-insensitively', async (scheme) => {
    expect((await getReports(`${scheme} ${token}`)).status).toBe(200);
  });
});

describe('RFC 6750 §3 and RFC 9728 §5.1 challenges', () => {
  it('answers a request without credentials with 401 and a challenge without an error code (§3.1)', async () => {
    const response = await getReports();
    expect(response.status).toBe(401);
    const params = bearerChallenge(response);
    expect(params).toEqual({ realm: 'sandbox', resource_metadata: resourceMetadataUrl });
    expect(await response.json()).not.toHaveProperty('error');
  });

  it('says "expired" for an expired token, also one the API never saw before it expired', async () => {
    const shortLived = await h.register({ access_token_lifetime: 5 });
    const token = await h.token(shortLived);
    h.clock.advance(6000);
    const response = await getReports(`Bearer ${token}`);
    const { status, error, description } = await errorOf(response);
    expect([status, error]).toEqual([401, 'invalid_token']);
    expect(description).toMatch(/expired/);
  });

  it('treats another scheme as no Bearer credentials', async () => {
    const response = await getReports(encodeBasicCredentials(client.client_id, client.client_secret));
    expect(response.status).toBe(401);
    expect(bearerChallenge(response)).not.toHaveProperty('error');
  });

  it.each([
    ['Bearer with no token', 'Bearer'],
    ['Bearer with a space only', 'Bearer  '],
    ['two tokens', () => `Bearer ${token} ${token}`],
    ['a token with a character outside b64token', 'Bearer abc,def'],
    ['a quoted token', () => `Bearer "${token}"`],
    ['two Bearer credentials', () => `Bearer ${token}, Bearer ${token}`],
  ])('answers %s with 400 invalid_request', async (_label, value) => {
    const response = await getReports(typeof value === 'function' ? value() : value);
    const { status, error } = await errorOf(response);
    expect([status, error]).toEqual([400, 'invalid_request']);
    expect(bearerChallenge(response)).toMatchObject({
      error: 'invalid_request',
      resource_metadata: resourceMetadataUrl,
    });
  });

  it('refuses a token in the query string (only the header method is supported)', async () => {
    const response = await getReports(undefined, `/api/v1/reports?access_token=${token}`);
    expect((await errorOf(response)).error).toBe('invalid_request');
    expect(response.status).toBe(400);
  });

  it.each([
    ['GET', writeScope, readScope],
    ['POST', readScope, writeScope],
  ])('answers %s with only %s with 403 insufficient_scope naming %s', async (method, granted, needed) => {
    const narrow = await h.register({ scope: granted });
    const narrowToken = await h.token(narrow);
    const response = await h.call('/api/v1/reports', {
      method,
      headers: { authorization: `Bearer ${narrowToken}`, 'content-type': 'application/json' },
      body: method === 'POST' ? '{"title":"x"}' : null,
    });
    const { status, error } = await errorOf(response);
    expect([status, error]).toEqual([403, 'insufficient_scope']);
    expect(bearerChallenge(response)).toEqual({
      realm: 'sandbox',
      error: 'insufficient_scope',
      error_description: expect.any(String),
      error_uri: `${issuer}/errors/#insufficient_scope`,
      scope: needed,
      resource_metadata: resourceMetadataUrl,
    });
  });

  it.each([
    ['a JSON array', 'application/json', '[]'],
    ['text that is not JSON', 'application/json', '{'],
    ['no title', 'application/json', '{}'],
    ['an empty title', 'application/json', '{"title":"  "}'],
    ['a title too long', 'application/json', JSON.stringify({ title: 'x'.repeat(201) })],
    ['a summary that is not a string', 'application/json', '{"title":"x","summary":1}'],
    ['a form body', 'application/x-www-form-urlencoded', 'title=x'],
  ])('answers a POST with %s with 400 invalid_request', async (_label, type, body) => {
    const response = await h.call('/api/v1/reports', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body,
    });
    expect((await errorOf(response)).error).toBe('invalid_request');
    expect(response.status).toBe(400);
  });

  it('answers DELETE with 405', async () => {
    expect(
      (await h.call('/api/v1/reports', { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(405);
  });
});

/** Signs with the sandbox's own private key: the only way to forge claims and still pass the signature check. */
async function signWithSandboxKey(header: Record<string, unknown>, payload: JWTPayload): Promise<string> {
  const [key] = await h.store.listSigningKeys();
  const privateKey = createPrivateKey({ key: key!.privateJwk as JWK & { kty: string }, format: 'jwk' });
  // Signed by hand, not with SignJWT: jose rightly refuses to sign some of the headers under test.
  const input = `${encodeBase64url(JSON.stringify({ alg: 'EdDSA', kid: key!.kid, ...header }))}.${encodeBase64url(JSON.stringify(payload))}`;
  return `${input}.${encodeBase64url(sign(null, Buffer.from(input), privateKey))}`;
}

/** The claims without one of them: a token that lacks it. */
function withoutClaim(claims: JWTPayload, name: keyof JWTPayload): JWTPayload {
  const { [name]: _left, ...rest } = claims;
  return rest;
}

function genuineClaims(): JWTPayload {
  return decodeJwt(token);
}

function unsigned(header: Record<string, unknown>, payload: JWTPayload, signature = ''): string {
  return `${encodeBase64url(JSON.stringify(header))}.${encodeBase64url(JSON.stringify(payload))}.${signature}`;
}

async function attackerSigned(header: Record<string, unknown>, payload: JWTPayload): Promise<string> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = await exportJWK(publicKey);
  const resolved = { ...header };
  if (resolved.jwk === true) resolved.jwk = jwk;
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', ...resolved }).sign(privateKey);
}

describe('JWT attack table: each is 401 invalid_token, and a genuine token still works after', () => {
  const sandboxKid = () => decodeProtectedHeader(token).kid as string;
  const attacks: [string, () => Promise<string> | string][] = [
    ['alg none', () => unsigned({ alg: 'none', typ: 'at+jwt', kid: sandboxKid() }, genuineClaims())],
    [
      'alg none, signature kept',
      () => unsigned({ alg: 'none', typ: 'at+jwt', kid: sandboxKid() }, genuineClaims(), token.split('.')[2]),
    ],
    ['a stripped signature', () => token.split('.').slice(0, 2).join('.') + '.'],
    [
      'a signature from another token',
      async () => token.split('.').slice(0, 2).join('.') + '.' + (await h.token(client)).split('.')[2],
    ],
    [
      'a tampered payload (scope widened)',
      () => {
        const [header, , signature] = token.split('.');
        return `${header}.${encodeBase64url(JSON.stringify({ ...genuineClaims(), scope: `admin ${readScope}` }))}.${signature}`;
      },
    ],
    [
      'HS256 signed with the public key as the secret',
      async () => {
        const { keys } = await (await h.call('/oauth/jwks')).json();
        const pem = createPublicKey({ key: keys[0], format: 'jwk' })
          .export({ type: 'spki', format: 'pem' })
          .toString();
        const header = { alg: 'HS256', typ: 'at+jwt', kid: keys[0].kid };
        const input = `${encodeBase64url(JSON.stringify(header))}.${encodeBase64url(JSON.stringify(genuineClaims()))}`;
        return `${input}.${encodeBase64url(createHmac('sha256', pem).update(input).digest())}`;
      },
    ],
    [
      'HS256 signed with the JWK x as the secret',
      async () => {
        const { keys } = await (await h.call('/oauth/jwks')).json();
        return new SignJWT(genuineClaims())
          .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: keys[0].kid })
          .sign(new TextEncoder().encode(keys[0].x));
      },
    ],
    ['an unknown kid', () => attackerSigned({ typ: 'at+jwt', kid: 'unknown-kid' }, genuineClaims())],
    ['no kid', () => attackerSigned({ typ: 'at+jwt' }, genuineClaims())],
    [
      'an attacker key under the sandbox kid',
      () => attackerSigned({ typ: 'at+jwt', kid: sandboxKid() }, genuineClaims()),
    ],
    [
      'an embedded jwk header',
      () => attackerSigned({ typ: 'at+jwt', kid: sandboxKid(), jwk: true }, genuineClaims()),
    ],
    [
      'a jku header',
      () =>
        attackerSigned(
          { typ: 'at+jwt', kid: sandboxKid(), jku: 'https://attacker.example/jwks' },
          genuineClaims(),
        ),
    ],
    [
      'a jwk header on a genuinely signed token',
      async () =>
        signWithSandboxKey(
          { typ: 'at+jwt', jwk: (await (await h.call('/oauth/jwks')).json()).keys[0] },
          genuineClaims(),
        ),
    ],
    [
      'a jku header on a genuinely signed token',
      () => signWithSandboxKey({ typ: 'at+jwt', jku: `${issuer}/oauth/jwks` }, genuineClaims()),
    ],
    [
      'a wrong aud',
      () => signWithSandboxKey({ typ: 'at+jwt' }, { ...genuineClaims(), aud: 'https://other.example/api' }),
    ],
    [
      'aud of the issuer instead of the API',
      () => signWithSandboxKey({ typ: 'at+jwt' }, { ...genuineClaims(), aud: issuer }),
    ],
    [
      'a wrong iss',
      () => signWithSandboxKey({ typ: 'at+jwt' }, { ...genuineClaims(), iss: 'https://attacker.example' }),
    ],
    [
      'an iss with a trailing slash',
      () => signWithSandboxKey({ typ: 'at+jwt' }, { ...genuineClaims(), iss: `${issuer}/` }),
    ],
    ['typ JWT', () => signWithSandboxKey({ typ: 'JWT' }, genuineClaims())],
    ['no typ', () => signWithSandboxKey({}, genuineClaims())],
    [
      'expired an hour ago',
      () =>
        signWithSandboxKey(
          { typ: 'at+jwt' },
          { ...genuineClaims(), iat: h.clock.nowSeconds() - 7200, exp: h.clock.nowSeconds() - 3600 },
        ),
    ],
    [
      'exp equal to now (no leeway)',
      () => signWithSandboxKey({ typ: 'at+jwt' }, { ...genuineClaims(), exp: h.clock.nowSeconds() }),
    ],
    [
      'nbf in the future',
      () => signWithSandboxKey({ typ: 'at+jwt' }, { ...genuineClaims(), nbf: h.clock.nowSeconds() + 60 }),
    ],
    ['no exp', () => signWithSandboxKey({ typ: 'at+jwt' }, withoutClaim(genuineClaims(), 'exp'))],
    ['no jti', () => signWithSandboxKey({ typ: 'at+jwt' }, withoutClaim(genuineClaims(), 'jti'))],
    [
      'sub different from client_id',
      () => signWithSandboxKey({ typ: 'at+jwt' }, { ...genuineClaims(), sub: 'someone-else' }),
    ],
    [
      'a crit header the sandbox does not know',
      () => signWithSandboxKey({ typ: 'at+jwt', crit: ['x-unknown'], 'x-unknown': 1 }, genuineClaims()),
    ],
    [
      'revoked',
      async () => {
        const victim = await h.token(client);
        const response = await h.call('/oauth/revoke', {
          method: 'POST',
          headers: {
            ...formHeaders,
            authorization: encodeBasicCredentials(client.client_id, client.client_secret),
          },
          body: `token=${victim}`,
        });
        expect(response.status).toBe(200);
        return victim;
      },
    ],
    ['garbage', () => 'not.a.jwt'],
    ['one segment', () => 'abcdef'],
    ['four segments', () => `${token}.extra`],
    [
      'a header that is not JSON',
      () => `${encodeBase64url('nope')}.${token.split('.')[1]}.${token.split('.')[2]}`,
    ],
  ];

  it.each(attacks)('%s', async (_label, build) => {
    const forged = await build();
    const response = await getReports(`Bearer ${forged}`);
    const { status, error } = await errorOf(response);
    expect([status, error]).toEqual([401, 'invalid_token']);
    expect(bearerChallenge(response)).toMatchObject({
      realm: 'sandbox',
      error: 'invalid_token',
      resource_metadata: resourceMetadataUrl,
    });
    expect((await getReports(`Bearer ${token}`)).status).toBe(200);
  });

  it('accepts a token the sandbox key signed with the right claims (the table above is not refusing everything)', async () => {
    const reissued = await signWithSandboxKey({ typ: 'at+jwt' }, { ...genuineClaims(), jti: 'another-jti' });
    expect((await getReports(`Bearer ${reissued}`)).status).toBe(200);
  });
});

describe('verified-token cache: expiry and revocation are checked on every call', () => {
  it('refuses a remembered token from its exp second on', async () => {
    const short = await h.register({ access_token_lifetime: 5 });
    const shortToken = await h.token(short);
    expect((await getReports(`Bearer ${shortToken}`)).status).toBe(200);
    h.clock.advance(4999);
    expect((await getReports(`Bearer ${shortToken}`)).status).toBe(200);
    h.clock.advance(1);
    const { status, error } = await errorOf(await getReports(`Bearer ${shortToken}`));
    expect([status, error]).toEqual([401, 'invalid_token']);
  });

  it('refuses a remembered token once it is revoked', async () => {
    expect((await getReports(`Bearer ${token}`)).status).toBe(200);
    await h.call('/oauth/revoke', {
      method: 'POST',
      headers: {
        ...formHeaders,
        authorization: encodeBasicCredentials(client.client_id, client.client_secret),
      },
      body: `token=${token}`,
    });
    expect((await getReports(`Bearer ${token}`)).status).toBe(401);
  });

  it('does not remember a near miss: one changed byte of a remembered token is refused', async () => {
    expect((await getReports(`Bearer ${token}`)).status).toBe(200);
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    const altered = `${token.slice(0, -2)}${last}${token.at(-1)}`;
    expect((await getReports(`Bearer ${altered}`)).status).toBe(401);
  });

  it('accepts the token for the audience it names', () => {
    expect(decodeJwt(token).aud).toBe(audience);
  });
});
