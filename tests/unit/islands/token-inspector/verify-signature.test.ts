import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSandboxTrust } from '../../../../src/islands/token-inspector/sandbox-trust.ts';
import { verifyAgainstSandbox } from '../../../../src/islands/token-inspector/verify-signature.ts';
import { createHarness, issuer, type Harness } from '../../sandbox/harness.ts';
import { apiProfile } from '../../../../src/lib/api-profile.ts';

const { readScope, writeScope } = apiProfile;

describe('verifyAgainstSandbox, with keys made here', () => {
  let sandboxKey: CryptoKey;
  let otherKey: CryptoKey;
  let jwks: { keys: Record<string, unknown>[] };

  beforeAll(async () => {
    const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    sandboxKey = pair.privateKey;
    otherKey = (await generateKeyPair('EdDSA', { crv: 'Ed25519' })).privateKey;
    jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'sandbox-1', use: 'sig', alg: 'EdDSA' }] };
  });

  const sign = (key: CryptoKey, kid: string | undefined, iss = issuer) =>
    new SignJWT({ scope: readScope })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', ...(kid ? { kid } : {}) })
      .setIssuer(iss)
      .setExpirationTime('1h')
      .sign(key);

  it("verifies a token signed with the sandbox's key", async () => {
    expect(await verifyAgainstSandbox(await sign(sandboxKey, 'sandbox-1'), jwks, issuer)).toEqual({
      state: 'verified',
      kid: 'sandbox-1',
      alg: 'EdDSA',
    });
  });

  it('calls a changed token invalid', async () => {
    const [header, , signature] = (await sign(sandboxKey, 'sandbox-1')).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: issuer, scope: `${readScope} ${writeScope}` })).toString(
      'base64url',
    );
    const verdict = await verifyAgainstSandbox(`${header}.${forged}.${signature}`, jwks, issuer);
    expect(verdict.state).toBe('invalid');
  });

  it("calls a token signed with another key under the sandbox's kid invalid", async () => {
    expect((await verifyAgainstSandbox(await sign(otherKey, 'sandbox-1'), jwks, issuer)).state).toBe(
      'invalid',
    );
  });

  it('does not judge a token from another issuer: not verified against the sandbox', async () => {
    const verdict = await verifyAgainstSandbox(
      await sign(otherKey, 'theirs', 'https://auth.example.com'),
      jwks,
      issuer,
    );
    expect(verdict).toEqual({
      state: 'not-sandbox',
      reason:
        'it was issued by https://auth.example.com, not by this sandbox (http://localhost:4321), whose keys cannot judge it',
    });
  });

  it('does not judge a token whose kid the sandbox does not publish', async () => {
    expect(await verifyAgainstSandbox(await sign(otherKey, 'rotated-away'), jwks, issuer)).toMatchObject({
      state: 'not-sandbox',
      reason: 'no key of the sandbox has the kid rotated-away',
    });
    expect((await verifyAgainstSandbox(await sign(otherKey, undefined), jwks, issuer)).state).toBe(
      'not-sandbox',
    );
  });

  it('has nothing to verify for alg none', async () => {
    const unsecured = new UnsecuredJWT({ scope: 'x' }).setIssuer(issuer).encode();
    expect(await verifyAgainstSandbox(unsecured, jwks, issuer)).toEqual({
      state: 'not-sandbox',
      reason: 'alg is none, so there is no signature to verify',
    });
  });

  it('refuses an alg other than the key’s, whatever the token asks for', async () => {
    const [, payload, signature] = (await sign(sandboxKey, 'sandbox-1')).split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid: 'sandbox-1' })).toString(
      'base64url',
    );
    expect(await verifyAgainstSandbox(`${header}.${payload}.${signature}`, jwks, issuer)).toMatchObject({
      state: 'invalid',
      reason: "the header says alg HS256, but the sandbox's key sandbox-1 is for EdDSA",
    });
  });

  it('says so when there is no key set to check against', async () => {
    expect(
      await verifyAgainstSandbox(await sign(sandboxKey, 'sandbox-1'), { nope: true }, issuer),
    ).toMatchObject({ state: 'not-sandbox' });
  });
});

describe('verifying a sandbox token with what the sandbox publishes', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await createHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  it('fetches the metadata and the JWKS, sends no token, and verifies the sandbox’s own token', async () => {
    const client = await harness.register({});
    const token = await harness.token(client);
    const requested: { path: string; init: RequestInit | undefined }[] = [];
    const trust = await loadSandboxTrust({
      fetch: async (path, init) => {
        requested.push({ path, init });
        return harness.call(path, init);
      },
    });
    expect(requested.map((request) => request.path).sort()).toEqual([
      '/.well-known/oauth-protected-resource/api',
      '/oauth/jwks',
    ]);
    expect(JSON.stringify(requested)).not.toContain(token);
    expect(trust.expectation).toEqual({ issuer, audience: `${issuer}/api` });
    expect((await verifyAgainstSandbox(token, trust.jwks, trust.expectation?.issuer)).state).toBe('verified');
  });

  it('leaves out what it could not fetch', async () => {
    expect(await loadSandboxTrust({ fetch: () => Promise.reject(new TypeError('offline')) })).toEqual({
      expectation: undefined,
      jwks: undefined,
    });
  });
});
