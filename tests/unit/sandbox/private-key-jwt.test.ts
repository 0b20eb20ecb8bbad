import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBase64url } from '../../../src/lib/base64url.ts';
import { encodeBasicCredentials } from '../../../src/lib/basic-auth.ts';
import { jwtBearerAssertionType } from '../../../src/lib/sandbox-contract/client-auth-methods.ts';
import type { RequestObservations } from '../../../src/sandbox/sandbox.ts';
import { openSqliteStore } from '../../../src/sandbox/store/sqlite-store.ts';
import {
  createHarness,
  errorOf,
  formHeaders,
  issuer,
  type Harness,
  type RegisteredClient,
} from './harness.ts';
import { apiProfile } from '../../../src/lib/api-profile.ts';

const { readScope } = apiProfile;

// RFC 7523 §3 and RFC 7521 §4.2: private_key_jwt client authentication. The attack table breaks
// one rule at a time, and after each refusal a genuine assertion of the same client still works.

const tokenEndpoint = `${issuer}/oauth/token`;

interface KeyPair {
  privateKey: CryptoKey;
  publicJwk: JWK;
  alg: string;
}

async function keyPair(alg: string, kid?: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(
    alg === 'Ed25519' || alg === 'EdDSA' ? 'Ed25519' : alg,
  );
  const publicJwk = await exportJWK(publicKey);
  if (kid !== undefined) publicJwk.kid = kid;
  return { privateKey, publicJwk, alg };
}

let h: Harness;
let key: KeyPair;
let client: RegisteredClient;

async function registerKeyClient(keys: JWK[], extra: Record<string, unknown> = {}) {
  return h.register({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys }, ...extra });
}

beforeEach(async () => {
  h = await createHarness();
  key = await keyPair('ES256', 'k1');
  client = await registerKeyClient([key.publicJwk]);
});
afterEach(() => h.close());

/** The claims a genuine assertion carries, as oauth4webapi sends them. */
function genuineClaims(clientId = client.client_id): JWTPayload {
  const now = h.clock.nowSeconds();
  return { iss: clientId, sub: clientId, aud: issuer, iat: now, nbf: now, exp: now + 60, jti: randomUUID() };
}

interface AssertionOptions {
  claims?: JWTPayload;
  /** Claims to drop from the genuine set. */
  without?: string[];
  header?: Record<string, unknown>;
  signer?: KeyPair;
}

async function assertion({ claims = {}, without = [], header = {}, signer = key }: AssertionOptions = {}) {
  const payload: JWTPayload = { ...genuineClaims(), ...claims };
  for (const name of without) delete payload[name];
  return new SignJWT(payload)
    .setProtectedHeader({
      alg: signer.alg,
      ...(signer.publicJwk.kid === undefined ? {} : { kid: signer.publicJwk.kid }),
      ...header,
    })
    .sign(signer.privateKey);
}

function sendAssertion(
  value: string,
  { clientId = client.client_id, headers = {}, extra = {} } = {},
  observed: RequestObservations = {},
) {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: jwtBearerAssertionType,
    client_assertion: value,
    ...extra,
  });
  if (clientId !== undefined) form.set('client_id', clientId);
  return h.sandbox.handle(
    new Request(tokenEndpoint, { method: 'POST', headers: { ...formHeaders, ...headers }, body: form }),
    { clientAddress: '192.0.2.1', observed },
  );
}

async function expectGenuineStillWorks() {
  const response = await sendAssertion(await assertion());
  expect(response.status).toBe(200);
}

const unsigned = (payload: JWTPayload) =>
  `${encodeBase64url(JSON.stringify({ alg: 'none' }))}.${encodeBase64url(JSON.stringify(payload))}.`;

describe('RFC 7523 §3: the attack table, one rule broken at a time', () => {
  const now = () => h.clock.nowSeconds();
  it.each<[string, string, () => Promise<string>]>([
    ['alg none (unsigned)', 'assertion_alg_not_allowed', async () => unsigned(genuineClaims())],
    [
      'HS256 (a shared secret, client_secret_jwt)',
      'assertion_alg_not_allowed',
      () =>
        new SignJWT(genuineClaims())
          .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
          .sign(new TextEncoder().encode('a shared secret of at least 32 bytes!!')),
    ],
    [
      'an alg outside the accepted list (ES384)',
      'assertion_alg_not_allowed',
      async () => assertion({ signer: await keyPair('ES384', 'k1') }),
    ],
    [
      'an alg that does not fit the named key (EdDSA header, EC key k1)',
      'assertion_alg_not_allowed',
      async () => assertion({ signer: await keyPair('EdDSA', 'k1') }),
    ],
    [
      'a kid the client never registered',
      'assertion_unknown_key',
      () => assertion({ header: { kid: 'k9' } }),
    ],
    [
      'a signature by another private key under the registered kid',
      'assertion_bad_signature',
      async () => assertion({ signer: await keyPair('ES256', 'k1') }),
    ],
    [
      'claims changed after signing',
      'assertion_bad_signature',
      async () => {
        const [header, , signature] = (await assertion()).split('.');
        const forged = encodeBase64url(JSON.stringify({ ...genuineClaims(), exp: now() + 3000 }));
        return `${header}.${forged}.${signature}`;
      },
    ],
    ['iss another client', 'assertion_issuer_mismatch', () => assertion({ claims: { iss: 'someone-else' } })],
    ['iss missing', 'assertion_issuer_mismatch', () => assertion({ without: ['iss'] })],
    ['sub another client', 'assertion_issuer_mismatch', () => assertion({ claims: { sub: 'someone-else' } })],
    [
      'aud another server',
      'assertion_audience',
      () => assertion({ claims: { aud: 'https://other.example' } }),
    ],
    [
      'aud the API, not the server',
      'assertion_audience',
      () => assertion({ claims: { aud: `${issuer}/api` } }),
    ],
    [
      'aud with an extra audience',
      'assertion_audience',
      () => assertion({ claims: { aud: [issuer, 'https://other.example'] } }),
    ],
    ['aud missing', 'assertion_audience', () => assertion({ without: ['aud'] })],
    ['exp missing', 'assertion_exp_missing', () => assertion({ without: ['exp'] })],
    ['exp passed', 'assertion_expired', () => assertion({ claims: { exp: now() - 1 } })],
    ['exp now', 'assertion_expired', () => assertion({ claims: { exp: now() } })],
    [
      'exp 10 minutes ahead',
      'assertion_lifetime_too_long',
      () => assertion({ claims: { exp: now() + 600 } }),
    ],
    ['iat 60 s in the future', 'assertion_clock_skew', () => assertion({ claims: { iat: now() + 60 } })],
    ['nbf 60 s in the future', 'assertion_clock_skew', () => assertion({ claims: { nbf: now() + 60 } })],
    ['jti missing', 'assertion_jti_missing', () => assertion({ without: ['jti'] })],
    ['jti empty', 'assertion_jti_missing', () => assertion({ claims: { jti: '' } })],
    ['not a JWT', 'assertion_malformed', async () => 'not-a-jwt'],
    ['an encrypted JWT (JWE)', 'assertion_malformed', async () => 'a.b.c.d.e'],
  ])('refuses %s: invalid_client, %s', async (_label, code, build) => {
    const observed: RequestObservations = {};
    const response = await sendAssertion(await build(), {}, observed);
    const { status, error, description } = await errorOf(response);
    expect([status, error]).toEqual([401, 'invalid_client']);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect(description).toBeTruthy();
    expect(observed.assertionProblem?.code).toBe(code);
    expect(observed.error).toBe('invalid_client');
    await expectGenuineStillWorks();
  });

  it('refuses a replayed assertion (same jti), and the first use got its token', async () => {
    const once = await assertion();
    expect((await sendAssertion(once)).status).toBe(200);
    const observed: RequestObservations = {};
    const { status, error, description } = await errorOf(await sendAssertion(once, {}, observed));
    expect([status, error]).toEqual([401, 'invalid_client']);
    expect(description).toMatch(/already used/);
    expect(observed.assertionProblem?.code).toBe('assertion_replayed');
    await expectGenuineStillWorks();
  });

  it('refuses a new assertion that reuses a jti', async () => {
    const jti = randomUUID();
    expect((await sendAssertion(await assertion({ claims: { jti } }))).status).toBe(200);
    const observed: RequestObservations = {};
    await sendAssertion(await assertion({ claims: { jti } }), {}, observed);
    expect(observed.assertionProblem?.code).toBe('assertion_replayed');
  });

  it('measures the clock skew it reports', async () => {
    const observed: RequestObservations = {};
    const response = await sendAssertion(await assertion({ claims: { iat: now() + 75 } }), {}, observed);
    expect(observed.assertionProblem).toEqual({ code: 'assertion_clock_skew', skewSeconds: 75 });
    expect((await errorOf(response)).description).toMatch(/75 s in the future/);
  });

  it('refuses a form client_id that is not the assertion subject', async () => {
    const other = await registerKeyClient([(await keyPair('ES256', 'k1')).publicJwk]);
    const observed: RequestObservations = {};
    const response = await sendAssertion(await assertion(), { clientId: other.client_id }, observed);
    expect((await errorOf(response)).error).toBe('invalid_client');
    expect(observed.assertionProblem?.code).toBe('assertion_issuer_mismatch');
    await expectGenuineStillWorks();
  });

  it('refuses several keys and no kid to choose', async () => {
    const [a, b] = [await keyPair('ES256', 'a'), await keyPair('ES256', 'b')];
    client = await registerKeyClient([a.publicJwk, b.publicJwk]);
    const observed: RequestObservations = {};
    await sendAssertion(await assertion({ signer: a, header: { kid: undefined } }), {}, observed);
    expect(observed.assertionProblem?.code).toBe('assertion_unknown_key');
    expect((await sendAssertion(await assertion({ signer: a }))).status).toBe(200);
  });
});

describe('RFC 7521 §4.2 and RFC 6749 §2.3: the parameters and the method', () => {
  it.each<[string, Record<string, string>, number, string]>([
    [
      'a client_assertion_type that is not jwt-bearer',
      { client_assertion_type: 'urn:example:saml' },
      401,
      'invalid_client',
    ],
    ['a client_assertion without its type', { client_assertion_type: '' }, 401, 'invalid_client'],
    ['a client_secret beside the assertion', { client_secret: 'x' }, 400, 'invalid_request'],
  ])('refuses %s', async (_label, change, status, error) => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.client_id,
      client_assertion_type: jwtBearerAssertionType,
      client_assertion: await assertion(),
      ...change,
    });
    if (change.client_assertion_type === '') form.delete('client_assertion_type');
    const response = await h.call('/oauth/token', { method: 'POST', headers: formHeaders, body: form });
    expect([response.status, (await errorOf(response)).error]).toEqual([status, error]);
  });

  it('refuses a client_assertion_type without an assertion', async () => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: jwtBearerAssertionType,
    });
    const response = await h.call('/oauth/token', { method: 'POST', headers: formHeaders, body: form });
    expect((await errorOf(response)).error).toBe('invalid_client');
  });

  it('refuses an assertion sent beside an HTTP Basic header', async () => {
    const response = await sendAssertion(await assertion(), {
      headers: { authorization: encodeBasicCredentials(client.client_id, 'x') },
    });
    expect((await errorOf(response)).error).toBe('invalid_request');
  });

  it('tells a key client that sends a secret what to send instead', async () => {
    for (const headers of [
      { ...formHeaders, authorization: encodeBasicCredentials(client.client_id, 'guess') },
    ]) {
      const response = await h.call('/oauth/token', {
        method: 'POST',
        headers,
        body: 'grant_type=client_credentials',
      });
      const { status, error, description } = await errorOf(response);
      expect([status, error]).toEqual([401, 'invalid_client']);
      expect(description).toMatch(/registered for private_key_jwt/);
    }
    const post = await h.call('/oauth/token', {
      method: 'POST',
      headers: formHeaders,
      body: `grant_type=client_credentials&client_id=${client.client_id}&client_secret=guess`,
    });
    expect((await errorOf(post)).description).toMatch(/registered for private_key_jwt/);
  });

  it('tells a secret client that sends an assertion that it has no key', async () => {
    const secretClient = await h.register();
    const signed = await assertion({ claims: genuineClaims(secretClient.client_id) });
    const response = await sendAssertion(signed, { clientId: secretClient.client_id });
    const { status, error, description } = await errorOf(response);
    expect([status, error]).toEqual([401, 'invalid_client']);
    expect(description).toMatch(/registered with a client secret, not a key/);
  });

  it('refuses an unknown client and an expired one', async () => {
    const unknown = await sendAssertion(await assertion({ claims: genuineClaims('nobody') }), {
      clientId: 'nobody',
    });
    expect((await errorOf(unknown)).description).toMatch(/Unknown client_id/);
    h.clock.advance(24 * 3600 * 1000);
    // The client is swept the moment it expires, so it is unknown from then on.
    const expired = await sendAssertion(await assertion());
    expect((await errorOf(expired)).description).toMatch(/expire 24 hours after registration/);
  });
});

describe('genuine assertions', () => {
  it.each([
    ['ES256', 'ES256'],
    ['Ed25519 key, alg EdDSA (RFC 8037)', 'EdDSA'],
    ['Ed25519 key, alg Ed25519 (RFC 9864, as oauth4webapi sends)', 'Ed25519'],
    ['RSA key, RS256', 'RS256'],
    ['RSA key, PS256', 'PS256'],
  ])('issues a token for %s', async (_label, alg) => {
    const signer = await keyPair(alg);
    client = await registerKeyClient([signer.publicJwk]);
    const response = await sendAssertion(await assertion({ signer }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ token_type: 'Bearer', scope: client.scope });
  });

  it.each([
    ['aud the issuer', { aud: issuer }],
    ['aud the token endpoint URL (older libraries)', { aud: tokenEndpoint }],
    ['aud a one-element array', { aud: [issuer] }],
    ['no iat nor nbf', {}],
    ['exp 5 minutes ahead', { exp: Date.UTC(2030, 0, 1) / 1000 + 300 }],
    ['iat 5 s ahead (within the leeway)', { iat: Date.UTC(2030, 0, 1) / 1000 + 5 }],
  ])('accepts %s', async (label, claims) => {
    const without = label === 'no iat nor nbf' ? ['iat', 'nbf'] : [];
    expect((await sendAssertion(await assertion({ claims, without }))).status).toBe(200);
  });

  it('accepts an assertion without the form client_id (RFC 7521 §4.2: optional)', async () => {
    expect((await sendAssertion(await assertion(), { clientId: undefined })).status).toBe(200);
  });

  it('rotates without downtime: two keys by kid, each works', async () => {
    const [current, next] = [await keyPair('ES256', '2030-01'), await keyPair('Ed25519', '2030-02')];
    client = await registerKeyClient([current.publicJwk, next.publicJwk]);
    expect((await sendAssertion(await assertion({ signer: current }))).status).toBe(200);
    expect((await sendAssertion(await assertion({ signer: next }))).status).toBe(200);
  });

  it('authenticates introspection and revocation too', async () => {
    const { access_token } = (await (await sendAssertion(await assertion())).json()) as {
      access_token: string;
    };
    for (const path of ['/oauth/introspect', '/oauth/revoke']) {
      const form = new URLSearchParams({
        token: access_token,
        client_id: client.client_id,
        client_assertion_type: jwtBearerAssertionType,
        client_assertion: await assertion(),
      });
      const response = await h.call(path, { method: 'POST', headers: formHeaders, body: form });
      expect(response.status, path).toBe(200);
    }
  });

  it('keeps a jti until the assertion expires, then sweeps it', async () => {
    const jti = randomUUID();
    const exp = h.clock.nowSeconds() + 60;
    expect(await h.store.claimAssertionId(client.client_id, jti, exp)).toBe(true);
    expect(await h.store.claimAssertionId(client.client_id, jti, exp)).toBe(false);
    // Another client's jti is its own.
    expect(await h.store.claimAssertionId('another client', jti, exp)).toBe(true);
    expect((await h.store.sweep(exp - 1)).assertionIds).toBe(0);
    expect((await h.store.sweep(exp)).assertionIds).toBe(2);
  });
});

describe('RFC 7591: registering a private_key_jwt client', () => {
  const register = (metadata: Record<string, unknown>) =>
    h.call('/oauth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(metadata),
    });

  it('answers with the public keys and no secret', async () => {
    const now = h.clock.nowSeconds();
    expect(client).toEqual({
      client_id: expect.any(String),
      client_id_issued_at: now,
      client_expires_at: now + 24 * 3600,
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'private_key_jwt',
      scope: expect.any(String),
      access_token_lifetime: 3600,
      jwks: { keys: [key.publicJwk] },
      registration_access_token: expect.any(String),
      registration_client_uri: `${issuer}/oauth/clients/${client.client_id}`,
    });
    expect((await h.store.findClient(client.client_id))?.secretHash).toBeUndefined();
  });

  it('keeps only the public members it knows', async () => {
    const withExtras = { ...key.publicJwk, use: 'sig', alg: 'ES256', x5u: 'https://example.com' };
    const registered = await registerKeyClient([withExtras]);
    expect(registered.jwks).toEqual({ keys: [{ ...key.publicJwk, use: 'sig', alg: 'ES256' }] });
  });

  const ec = async () => (await keyPair('ES256')).publicJwk;
  it.each<[string, () => Promise<Record<string, unknown>>, RegExp]>([
    [
      'a private key (d)',
      async () => {
        const { privateKey } = await generateKeyPair('ES256', { extractable: true });
        return {
          token_endpoint_auth_method: 'private_key_jwt',
          jwks: { keys: [await exportJWK(privateKey)] },
        };
      },
      /private key material \(d\)/,
    ],
    [
      'a symmetric key',
      async () => ({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] },
      }),
      /private key material/,
    ],
    [
      'jwks_uri',
      async () => ({ token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://example.com/jwks' }),
      /fetches nothing from the network/,
    ],
    [
      'no jwks',
      async () => ({ token_endpoint_auth_method: 'private_key_jwt' }),
      /must register its public keys/,
    ],
    ['jwks for a secret client', async () => ({ jwks: { keys: [await ec()] } }), /jwks is for/],
    [
      'jwks not a set',
      async () => ({ token_endpoint_auth_method: 'private_key_jwt', jwks: [await ec()] }),
      /JWK Set/,
    ],
    [
      'an empty set',
      async () => ({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [] } }),
      /1 to 4/,
    ],
    [
      'five keys',
      async () => ({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: {
          keys: await Promise.all([1, 2, 3, 4, 5].map(async (n) => ({ ...(await ec()), kid: `${n}` }))),
        },
      }),
      /1 to 4/,
    ],
    [
      'two keys without kids',
      async () => ({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [await ec(), await ec()] },
      }),
      /its own kid/,
    ],
    [
      'two keys with the same kid',
      async () => ({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: {
          keys: [
            { ...(await ec()), kid: 'a' },
            { ...(await ec()), kid: 'a' },
          ],
        },
      }),
      /its own kid/,
    ],
    [
      'a P-384 key',
      async () => ({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [(await keyPair('ES384')).publicJwk] },
      }),
      /P-256/,
    ],
    [
      'a 1024-bit RSA key',
      async () => {
        const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
        return {
          token_endpoint_auth_method: 'private_key_jwt',
          jwks: { keys: [publicKey.export({ format: 'jwk' })] },
        };
      },
      /shorter than 2048 bits/,
    ],
    [
      'an alg that does not fit the key',
      async () => ({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ ...(await ec()), alg: 'RS256' }] },
      }),
      /does not fit/,
    ],
    [
      'use enc',
      async () => ({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ ...(await ec()), use: 'enc' }] },
      }),
      /use must be sig/,
    ],
    [
      'a point not on the curve',
      async () => ({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ ...(await ec()), y: encodeBase64url(new Uint8Array(32).fill(1)) }] },
      }),
      /not a usable public key/,
    ],
  ])('refuses %s with invalid_client_metadata', async (_label, metadata, explanation) => {
    const { status, error, description } = await errorOf(await register(await metadata()));
    expect([status, error]).toEqual([400, 'invalid_client_metadata']);
    expect(description).toMatch(explanation);
  });
});

describe('RFC 8414 metadata', () => {
  it('advertises private_key_jwt and its signing algorithms', async () => {
    const metadata = await (await h.call('/.well-known/oauth-authorization-server')).json();
    expect(metadata.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    expect(metadata.token_endpoint_auth_signing_alg_values_supported).toEqual([
      'RS256',
      'PS256',
      'ES256',
      'EdDSA',
      'Ed25519',
    ]);
  });
});

describe('a store written before private_key_jwt', () => {
  it('gains the jwks column and the replay cache when opened', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'store-v1-'));
    const path = join(folder, 'sandbox.db');
    const old = new DatabaseSync(path);
    old.exec(`CREATE TABLE clients (client_id TEXT PRIMARY KEY, secret_hash BLOB NOT NULL, client_name TEXT,
      scope TEXT NOT NULL, token_endpoint_auth_method TEXT NOT NULL, access_token_lifetime INTEGER NOT NULL,
      issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) STRICT; PRAGMA user_version = 1;`);
    old.exec(
      `INSERT INTO clients VALUES ('old', x'00', NULL, '${readScope}', 'client_secret_basic', 60, 1, 9999999999)`,
    );
    old.close();
    const store = openSqliteStore(path);
    try {
      expect(await store.findClient('old')).toMatchObject({ clientId: 'old', jwks: undefined });
      const jwks = { keys: [key.publicJwk as JsonWebKey] };
      await store.saveClient({
        ...(await store.findClient('old'))!,
        clientId: 'new',
        secretHash: undefined,
        jwks,
      });
      const reopened = openSqliteStore(path);
      expect(await reopened.findClient('new')).toMatchObject({ jwks, secretHash: undefined });
      await reopened.close();
      expect(await store.claimAssertionId('new', 'j', 9999999999)).toBe(true);
    } finally {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('RFC 7592 §2.2: PUT replaces the keys (the client rotates its own key)', () => {
  const put = (body: Record<string, unknown>) =>
    h.call(new URL(client.registration_client_uri as string).pathname, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${client.registration_access_token as string}`,
      },
      body: JSON.stringify({ client_id: client.client_id, ...body }),
    });

  it('adds the next key beside the current one, then drops the old one', async () => {
    const next = await keyPair('Ed25519', 'k2');
    const both = await put({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [key.publicJwk, next.publicJwk] },
    });
    expect(both.status).toBe(200);
    expect((await both.json()).jwks.keys).toHaveLength(2);
    expect((await sendAssertion(await assertion())).status).toBe(200);
    expect((await sendAssertion(await assertion({ signer: next }))).status).toBe(200);

    expect(
      (await put({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [next.publicJwk] } })).status,
    ).toBe(200);
    const observed: RequestObservations = {};
    await sendAssertion(await assertion(), {}, observed);
    expect(observed.assertionProblem?.code).toBe('assertion_unknown_key');
    expect((await sendAssertion(await assertion({ signer: next }))).status).toBe(200);
  });

  it('refuses to turn a key client into a secret client: it has no secret', async () => {
    const { status, error, description } = await errorOf(
      await put({ token_endpoint_auth_method: 'client_secret_basic' }),
    );
    expect([status, error]).toEqual([400, 'invalid_client_metadata']);
    expect(description).toMatch(/has no secret/);
    expect((await sendAssertion(await assertion())).status).toBe(200);
  });

  it('refuses an update that drops the keys or sends a private one', async () => {
    expect((await errorOf(await put({ token_endpoint_auth_method: 'private_key_jwt' }))).error).toBe(
      'invalid_client_metadata',
    );
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const withPrivate = await put({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [await exportJWK(privateKey)] },
    });
    expect((await errorOf(withPrivate)).description).toMatch(/private key material/);
    expect((await sendAssertion(await assertion())).status).toBe(200);
  });

  it('lets a secret client move to private_key_jwt', async () => {
    client = await h.register();
    const response = await put({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [key.publicJwk] },
    });
    expect(response.status).toBe(200);
    expect((await sendAssertion(await assertion({ claims: genuineClaims(client.client_id) }))).status).toBe(
      200,
    );
  });
});
