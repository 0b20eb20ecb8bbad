import { compactVerify, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  assertionAlgorithm,
  clientAssertionParameters,
  createClientAssertion,
} from '../../../src/lib/client-assertion.ts';
import { jwtBearerAssertionType } from '../../../src/lib/sandbox-contract/client-auth-methods.ts';

describe('createClientAssertion (RFC 7523 §3), signed with WebCrypto', () => {
  it.each([
    ['Ed25519', 'EdDSA'],
    ['ES256', 'ES256'],
    ['RS256', 'RS256'],
    ['PS256', 'PS256'],
  ] as const)('signs with a %s key as %s, verifiable by jose', async (joseAlg, alg) => {
    const { privateKey, publicKey } = await generateKeyPair(joseAlg);
    expect(assertionAlgorithm(privateKey)).toBe(alg);
    const assertion = await createClientAssertion({
      clientId: 'c1',
      audience: 'https://as.example',
      key: privateKey,
      kid: 'k1',
      now: 1_900_000_000,
      jti: 'j1',
    });
    await compactVerify(assertion, publicKey);
    expect(decodeProtectedHeader(assertion)).toEqual({ alg, kid: 'k1' });
    expect(decodeJwt(assertion)).toEqual({
      iss: 'c1',
      sub: 'c1',
      aud: 'https://as.example',
      iat: 1_900_000_000,
      exp: 1_900_000_060,
      jti: 'j1',
    });
  });

  it('gives every assertion a new jti by default', async () => {
    const { privateKey } = await generateKeyPair('Ed25519');
    const make = () => createClientAssertion({ clientId: 'c', audience: 'a', key: privateKey, now: 1 });
    expect(decodeJwt(await make()).jti).not.toBe(decodeJwt(await make()).jti);
  });

  it('refuses a key it cannot sign with', async () => {
    const { privateKey } = await generateKeyPair('ES384');
    await expect(
      createClientAssertion({ clientId: 'c', audience: 'a', key: privateKey, now: 1 }),
    ).rejects.toThrow(TypeError);
  });

  it('names the form parameters of RFC 7521 §4.2', () => {
    expect(clientAssertionParameters('c', 'x.y.z')).toEqual({
      client_id: 'c',
      client_assertion_type: jwtBearerAssertionType,
      client_assertion: 'x.y.z',
    });
  });
});
