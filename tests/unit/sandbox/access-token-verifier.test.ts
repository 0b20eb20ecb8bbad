import { accessTokenLifetime } from '../../../src/lib/sandbox-contract/index.ts';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSigningKeys, type SigningKeys } from '../../../src/sandbox/keys/signing-keys.ts';
import {
  createAccessTokenVerifier,
  type AccessTokenVerifier,
} from '../../../src/sandbox/resource/access-token-verifier.ts';
import { openSqliteStore } from '../../../src/sandbox/store/sqlite-store.ts';
import type { Store } from '../../../src/sandbox/store/store.ts';
import { audience, frozenClock, issuer, type FrozenClock } from './harness.ts';
import { apiProfile } from '../../../src/lib/api-profile.ts';

const { readScope } = apiProfile;

/** The sandbox's keys, counting signature checks (each looks its key up) and able to unpublish every key. */
interface CountingKeys extends SigningKeys {
  lookups: number;
  withdrawn: boolean;
}

let store: Store;
let clock: FrozenClock;
let keys: CountingKeys;
let verifier: AccessTokenVerifier;

beforeEach(async () => {
  store = openSqliteStore(':memory:');
  clock = frozenClock();
  const real = await loadSigningKeys(store, clock);
  keys = {
    ...real,
    lookups: 0,
    withdrawn: false,
    verificationKey(kid) {
      keys.lookups++;
      return keys.withdrawn ? undefined : real.verificationKey(kid);
    },
    isPublished(kid) {
      return !keys.withdrawn && real.isPublished(kid);
    },
  };
  // The API refuses the tokens of a client that no longer exists (RFC 7592 §2.3): one is registered.
  await store.saveClient({
    clientId: 'client-1',
    secretHash: new Uint8Array(32),
    registrationTokenHash: undefined,
    clientName: undefined,
    scope: [readScope],
    tokenEndpointAuthMethod: 'client_secret_basic',
    accessTokenLifetime: 3600,
    issuedAt: clock.nowSeconds(),
    expiresAt: clock.nowSeconds() + 86_400,
    jwks: undefined,
  });
  verifier = createAccessTokenVerifier({ issuer, audience, keys, store, clock, maxCachedTokens: 2 });
});
afterEach(() => store.close());

/** Signs a token as the token endpoint would, with `overrides` applied to its claims. */
function sign(overrides: Record<string, unknown> = {}) {
  const now = clock.nowSeconds();
  return keys.signAccessToken({
    iss: issuer,
    sub: 'client-1',
    aud: audience,
    client_id: 'client-1',
    scope: readScope,
    iat: now,
    exp: now + 60,
    jti: randomUUID(),
    ...overrides,
  });
}

/** Signature checks one verify() call cost: 0 when the verification was remembered. */
async function checksFor(token: string) {
  const before = keys.lookups;
  const result = await verifier.verify(token);
  return { result, checks: keys.lookups - before };
}

describe('the verification cache', () => {
  it('remembers a verified token: the next call checks no signature', async () => {
    const token = await sign();
    expect((await checksFor(token)).checks).toBe(1);
    const again = await checksFor(token);
    expect(again.result.ok).toBe(true);
    expect(again.checks).toBe(0);
  });

  it('does not let an expired token push a live one out', async () => {
    const live = [await sign(), await sign()];
    const expired = await sign({ iat: clock.nowSeconds() - 120, exp: clock.nowSeconds() - 60 });
    for (const token of live) await verifier.verify(token);
    for (let i = 0; i < 3; i++) expect((await verifier.verify(expired)).ok).toBe(false);
    for (const token of live) {
      const before = keys.lookups;
      await verifier.verify(token);
      expect(keys.lookups - before, 'a remembered token needs no second signature check').toBeLessThanOrEqual(
        1,
      );
    }
  });

  it('keeps the token in use and drops the least recently used one when full', async () => {
    const [busy, idle, fresh] = [await sign(), await sign(), await sign()];
    await verifier.verify(busy);
    await verifier.verify(idle);
    await verifier.verify(busy);
    await verifier.verify(fresh); // full (2): the least recently used, idle, goes
    expect((await checksFor(busy)).checks).toBe(0);
    expect((await checksFor(idle)).checks).toBe(1);
  });

  it('refuses a remembered token once its signing key is no longer published', async () => {
    const token = await sign();
    expect((await verifier.verify(token)).ok).toBe(true);
    keys.withdrawn = true;
    expect(await verifier.verify(token)).toEqual({ ok: false, problem: 'invalid' });
  });
});

describe('claims the sandbox never issues are refused, even with a good signature', () => {
  const now = () => clock.nowSeconds();
  it.each([
    [
      'a lifetime longer than the longest the sandbox issues',
      () => ({ exp: now() + accessTokenLifetime.max + 600 }),
    ],
    ['an exp further away than the longest lifetime', () => ({ iat: now() + 7200, exp: now() + 7200 + 60 })],
    ['an nbf still in the future', () => ({ nbf: now() + 30 })],
    ['an nbf that is not a number', () => ({ nbf: 'soon' })],
  ])('%s', async (_label, claims) => {
    const token = await sign(claims());
    expect(await verifier.verify(token)).toEqual({ ok: false, problem: 'invalid' });
  });

  it('accepts the longest lifetime the sandbox issues (exp rounded up a second)', async () => {
    const token = await sign({ exp: now() + 1 + accessTokenLifetime.max });
    expect((await verifier.verify(token)).ok).toBe(true);
  });

  it('accepts a token whose nbf has passed (RFC 7519 §4.1.5)', async () => {
    const token = await sign({ nbf: now() - 5 });
    expect((await verifier.verify(token)).ok).toBe(true);
    const later = await sign({ nbf: now() + 10 });
    clock.advance(10_000);
    expect((await verifier.verify(later)).ok).toBe(true);
  });
});
