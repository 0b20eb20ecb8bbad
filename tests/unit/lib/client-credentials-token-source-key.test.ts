import { decodeProtectedHeader, exportJWK, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ClientCredentialsTokenSource } from '../../../src/lib/client-credentials-token-source.ts';
import { apiProfile } from '../../../src/lib/api-profile.ts';
import { clientId, createHarness, oauthError, tokenEndpoint, tokenResponse } from './token-source-harness.ts';

// The reference client with a private key instead of a secret (private_key_jwt, RFC 7523 §2.2):
// each token request carries an assertion of its own, checked here with jose against the public key.

const issuer = 'https://auth.example.test';

async function keyPair(alg: 'EdDSA' | 'ES256' | 'RS256') {
  return generateKeyPair(alg, { extractable: true });
}

/** The form of a recorded token request. */
const formOf = (body: string) => Object.fromEntries(new URLSearchParams(body));

describe('a token source with a private key', () => {
  it.each(['EdDSA', 'ES256', 'RS256'] as const)(
    'sends a %s assertion that the public key verifies, with the claims RFC 7523 §3 asks for',
    async (alg) => {
      const { privateKey, publicKey } = await keyPair(alg);
      const h = createHarness({
        options: { clientSecret: undefined, privateKey, keyId: 'key-1', issuer },
      });
      const start = h.clock.now;
      expect(await h.source.getToken()).toBe('token-1');
      const [request] = h.tokenRequests;
      expect(request!.headers.get('authorization')).toBeNull();
      const form = formOf(request!.body);
      expect(form).toMatchObject({
        grant_type: 'client_credentials',
        scope: apiProfile.readScope,
        client_id: clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      });
      expect(form).not.toHaveProperty('client_secret');
      const { payload, protectedHeader } = await jwtVerify(form.client_assertion!, publicKey, {
        currentDate: new Date(start),
        audience: issuer,
        issuer: clientId,
        subject: clientId,
      });
      expect(protectedHeader).toEqual({ alg, kid: 'key-1' });
      expect(payload.iat).toBe(Math.floor(start / 1000));
      expect(payload.exp! - payload.iat!).toBe(60);
      expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    },
  );

  it('signs a new assertion, with a new jti, for every request: renewals and retries after a 5xx', async () => {
    const { privateKey } = await keyPair('EdDSA');
    const h = createHarness({
      expiresIn: 10,
      tokenAnswer: (n) =>
        n === 2 ? oauthError(503, 'temporarily_unavailable') : tokenResponse(`token-${n}`, 10),
      options: { clientSecret: undefined, privateKey, issuer },
    });
    await h.source.getToken();
    h.advance(6_000);
    await h.source.getToken(); // a renewal: the first attempt answered 503, the retry a token
    const jtis = h.tokenRequests.map(
      (request) => JSON.parse(atob(formOf(request.body).client_assertion!.split('.')[1]!)).jti as string,
    );
    expect(jtis).toHaveLength(3);
    expect(new Set(jtis).size).toBe(3);
  });

  it('takes a private JWK (its kid goes in the header) and a PKCS#8 PEM', async () => {
    const { privateKey } = await keyPair('ES256');
    const jwk = { ...(await exportJWK(privateKey)), kid: 'from-the-jwk' };
    const fromJwk = createHarness({ options: { clientSecret: undefined, privateKey: jwk, issuer } });
    await fromJwk.source.getToken();
    const assertion = formOf(fromJwk.tokenRequests[0]!.body).client_assertion!;
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'ES256', kid: 'from-the-jwk' });

    const pem = await exportPKCS8((await keyPair('EdDSA')).privateKey);
    const fromPem = createHarness({
      options: { clientSecret: undefined, privateKey: pem, keyId: 'k', issuer },
    });
    await fromPem.source.getToken();
    expect(decodeProtectedHeader(formOf(fromPem.tokenRequests[0]!.body).client_assertion!)).toEqual({
      alg: 'EdDSA',
      kid: 'k',
    });
  });

  it('fails without retrying when the key cannot sign (a public JWK)', async () => {
    const { publicKey } = await keyPair('ES256');
    const h = createHarness({
      options: { clientSecret: undefined, privateKey: await exportJWK(publicKey), issuer },
    });
    await expect(h.source.getToken()).rejects.toThrow(/public JWK/);
    expect(h.tokenRequests).toHaveLength(0);
  });

  it.each([
    ['neither a secret nor a key', { clientSecret: undefined }, /Give clientSecret, or privateKey/],
    ['a secret and a key', { issuer }, /not both/],
    ['a key without its issuer', { clientSecret: undefined }, /needs issuer/],
    [
      'a key with a secret method',
      { clientSecret: undefined, issuer, authMethod: 'client_secret_post' },
      /authMethod/,
    ],
    [
      'a ten-minute assertion',
      { clientSecret: undefined, issuer, assertionLifetimeSeconds: 600 },
      /1 to 300/,
    ],
  ] as const)('refuses %s at construction', async (_, options, message) => {
    const { privateKey } = await keyPair('EdDSA');
    const withKey = _ === 'neither a secret nor a key' ? {} : { privateKey };
    expect(
      () =>
        new ClientCredentialsTokenSource({
          tokenEndpoint,
          clientId,
          clientSecret: 'secret',
          ...withKey,
          ...options,
        }),
    ).toThrow(message);
  });
});
