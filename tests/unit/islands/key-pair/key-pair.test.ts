import { compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  buildAssertionTokenRequest,
  buildKeyRegistrationRequest,
  generateClientKeyPair,
  readKeyRegistration,
  remainingSeconds,
  signAssertion,
  variantClaims,
} from '../../../../src/islands/key-pair/key-pair.ts';

describe('the playground key pair', () => {
  it.each(['Ed25519', 'ES256'] as const)(
    'makes a non-extractable %s private key and a public JWK',
    async (choice) => {
      const key = await generateClientKeyPair(choice);
      expect(key.privateKey.extractable).toBe(false);
      expect(key.publicJwk).not.toHaveProperty('d');
      expect(key.publicJwk).toMatchObject({ kid: key.kid, alg: key.alg, use: 'sig' });
      const client = {
        clientId: 'c',
        issuer: 'https://as.example',
        kid: key.kid,
        alg: key.alg,
        privateKey: key.privateKey,
        publicJwk: key.publicJwk,
        scopes: [],
      };
      const assertion = await signAssertion(client, variantClaims('genuine', client, 100));
      await compactVerify(
        assertion,
        await importJWK(key.publicJwk as Parameters<typeof importJWK>[0], key.alg),
      );
    },
  );

  it.each([
    ['genuine', { aud: 'https://as.example', exp: 160 }],
    ['wrong-aud', { aud: 'https://auth.example.com', exp: 160 }],
    ['long-exp', { aud: 'https://as.example', exp: 700 }],
  ] as const)('builds the %s claims', (variant, expected) => {
    expect(variantClaims(variant, { clientId: 'c', issuer: 'https://as.example' }, 100)).toMatchObject({
      iss: 'c',
      sub: 'c',
      iat: 100,
      ...expected,
    });
  });

  it('registers the public key for private_key_jwt and sends the assertion without a secret', () => {
    const registration = buildKeyRegistrationRequest({ kty: 'OKP', crv: 'Ed25519', x: 'x' });
    expect(JSON.parse(registration.body!)).toMatchObject({
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [{ kty: 'OKP' }] },
    });
    const token = buildAssertionTokenRequest('c', 'a.b.c');
    expect(Object.fromEntries(new URLSearchParams(token.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'c',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: 'a.b.c',
    });
    expect(token.headers).not.toHaveProperty('authorization');
  });

  it('reads the registration answer', () => {
    expect(
      readKeyRegistration(201, {
        client_id: 'c',
        token_endpoint_auth_method: 'private_key_jwt',
        scope: 'a b',
      }),
    ).toEqual({
      ok: true,
      clientId: 'c',
      scopes: ['a', 'b'],
    });
    expect(readKeyRegistration(400, { error: 'invalid_client_metadata', error_description: 'no' })).toEqual({
      ok: false,
      message: 'HTTP 400 invalid_client_metadata: no',
    });
    expect(
      readKeyRegistration(201, { client_id: 'c', token_endpoint_auth_method: 'client_secret_basic' }).ok,
    ).toBe(false);
  });

  it('counts the remaining life down to zero, never below', () => {
    expect(remainingSeconds(160, 100_000)).toBe(60);
    expect(remainingSeconds(160, 200_000)).toBe(0);
  });
});
