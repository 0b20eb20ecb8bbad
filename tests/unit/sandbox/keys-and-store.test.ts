import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from '../../../src/lib/basic-auth.ts';
import { openSqliteStore } from '../../../src/sandbox/store/sqlite-store.ts';
import { audience, createHarness, formHeaders, frozenClock, issuer, type Harness } from './harness.ts';
import { createSandbox } from '../../../src/sandbox/sandbox.ts';
import { apiProfile } from '../../../src/lib/api-profile.ts';

const { readScope } = apiProfile;

const folder = mkdtempSync(join(tmpdir(), 'sandbox-store-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const api = (harness: Harness, token: string) =>
  harness.call('/api/v1/reports', { headers: { authorization: `Bearer ${token}` } });
const kids = async (harness: Harness) =>
  ((await (await harness.call('/oauth/jwks')).json()).keys as { kid: string }[]).map((key) => key.kid);

describe('signing key rotation', () => {
  it('signs new tokens with the new key and keeps the old one published until its tokens expire', async () => {
    const client = await h.register();
    const before = await h.token(client);
    const oldKid = decodeProtectedHeader(before).kid;
    await h.sandbox.rotateSigningKey();

    const after = await h.token(client);
    const newKid = decodeProtectedHeader(after).kid;
    expect(newKid).not.toBe(oldKid);
    expect(await kids(h)).toEqual([newKid, oldKid]);
    expect((await api(h, before)).status).toBe(200);
    expect((await api(h, after)).status).toBe(200);

    // One second before the last old token expires, the old key is still there; after, it is gone.
    h.clock.advance(3599 * 1000);
    await h.call('/oauth/jwks');
    expect(await kids(h)).toContain(oldKid);
    h.clock.advance(61 * 1000);
    await h.call('/.well-known/oauth-authorization-server');
    expect(await kids(h)).toEqual([newKid]);
  });

  it('rotates by itself once the active key is older than signingKeyMaxAge', async () => {
    const aging = await createHarness({ signingKeyMaxAge: 3600 });
    const [first] = await kids(aging);
    aging.clock.advance(3600 * 1000);
    await aging.call('/oauth/jwks');
    const now = await kids(aging);
    expect(now).toHaveLength(2);
    expect(now[1]).toBe(first);
    await aging.close();
  });
});

describe('persistence across a restart (same sqlite file)', () => {
  it('keeps clients, keys and revocations; tokens issued before still verify, revoked ones stay refused', async () => {
    const path = join(folder, 'restart', 'sandbox.db');
    const clock = frozenClock();
    const first = await createSandbox({ issuer, dataPath: path, clock });
    const call = (sandbox: typeof first, path: string, init?: RequestInit) =>
      sandbox.handle(new Request(`${issuer}${path}`, init), { clientAddress: '192.0.2.1' });
    const client = await (await call(first, '/oauth/register', { method: 'POST' })).json();
    const auth = {
      ...formHeaders,
      authorization: encodeBasicCredentials(client.client_id, client.client_secret),
    };
    const kept = (
      await (
        await call(first, '/oauth/token', {
          method: 'POST',
          headers: auth,
          body: 'grant_type=client_credentials',
        })
      ).json()
    ).access_token;
    const revoked = (
      await (
        await call(first, '/oauth/token', {
          method: 'POST',
          headers: auth,
          body: 'grant_type=client_credentials',
        })
      ).json()
    ).access_token;
    expect(
      (await call(first, '/oauth/revoke', { method: 'POST', headers: auth, body: `token=${revoked}` }))
        .status,
    ).toBe(200);
    const jwksBefore = await (await call(first, '/oauth/jwks')).json();
    await first.close();

    const second = await createSandbox({ issuer, dataPath: path, clock });
    expect(await (await call(second, '/oauth/jwks')).json()).toEqual(jwksBefore);
    expect(
      (await call(second, '/api/v1/reports', { headers: { authorization: `Bearer ${kept}` } })).status,
    ).toBe(200);
    expect(
      (await call(second, '/api/v1/reports', { headers: { authorization: `Bearer ${revoked}` } })).status,
    ).toBe(401);
    expect(
      (
        await call(second, '/oauth/token', {
          method: 'POST',
          headers: auth,
          body: 'grant_type=client_credentials',
        })
      ).status,
    ).toBe(200);
    await second.close();
  });

  it('creates the folder, uses WAL, and keeps the file private to its owner', async () => {
    const path = join(folder, 'fresh', 'nested', 'sandbox.db');
    const store = openSqliteStore(path);
    await store.close();
    const db = new DatabaseSync(path);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    db.close();
    expect(statSync(path).mode & 0o077).toBe(0);
  });
});

describe('schema migration', () => {
  it('opens a version-1 file: its clients keep working, without a registration access token', async () => {
    const path = join(folder, 'v1.db');
    const db = new DatabaseSync(path);
    db.exec(`CREATE TABLE clients (client_id TEXT PRIMARY KEY, secret_hash BLOB NOT NULL, client_name TEXT,
      scope TEXT NOT NULL, token_endpoint_auth_method TEXT NOT NULL, access_token_lifetime INTEGER NOT NULL,
      issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) STRICT; PRAGMA user_version = 1;`);
    db.prepare('INSERT INTO clients VALUES (?, ?, NULL, ?, ?, 60, 1, 4102444800)').run(
      'old',
      new Uint8Array(32),
      readScope,
      'client_secret_basic',
    );
    db.close();
    const store = openSqliteStore(path);
    const client = await store.findClient('old');
    expect(client).toMatchObject({ clientId: 'old', registrationTokenHash: undefined });
    await store.close();
    const reopened = new DatabaseSync(path);
    expect(reopened.prepare('PRAGMA user_version').get()).toEqual({ user_version: 3 });
    reopened.close();
  });
});

describe('store sweep', () => {
  it('sweeps clients 24 hours after registration', async () => {
    const client = await h.register();
    expect(await h.store.findClient(client.client_id)).toBeDefined();
    h.clock.advance(24 * 3600 * 1000 + 60_000);
    await h.call('/.well-known/oauth-authorization-server');
    expect(await h.store.findClient(client.client_id)).toBeUndefined();
  });

  it.each([
    [-1, 'swept'],
    [0, 'swept'],
    [1, 'kept'],
  ])('a client whose expiry is now%+i s is %s', async (offset, outcome) => {
    const now = h.clock.nowSeconds();
    await h.store.saveClient({
      clientId: 'c',
      secretHash: new Uint8Array(32),
      clientName: undefined,
      registrationTokenHash: undefined,
      scope: [readScope],
      tokenEndpointAuthMethod: 'client_secret_basic',
      accessTokenLifetime: 60,
      issuedAt: now - 10,
      expiresAt: now + offset,
      jwks: undefined,
    });
    const result = await h.store.sweep(now);
    expect(result.clients).toBe(outcome === 'swept' ? 1 : 0);
  });
});

describe('close', () => {
  it('closes the store and answers 503 after', async () => {
    const closing = await createHarness();
    await closing.close();
    expect((await closing.call('/oauth/jwks')).status).toBe(503);
    await expect(closing.store.findClient('x')).rejects.toThrow();
  });
});

describe('issued tokens verify with a plain jose resource server', () => {
  it('verifies against the JWKS with issuer, audience and typ', async () => {
    const client = await h.register();
    const token = await h.token(client);
    const jwks = createLocalJWKSet(await (await h.call('/oauth/jwks')).json());
    const { payload } = await jwtVerify(token, jwks, {
      issuer,
      audience,
      typ: 'at+jwt',
      algorithms: ['EdDSA'],
      currentDate: new Date(h.clock.now()),
    });
    expect(payload.client_id).toBe(client.client_id);
  });
});
