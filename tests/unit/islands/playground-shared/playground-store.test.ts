import { describe, expect, it } from 'vitest';
import {
  $credentials,
  $lastApiCall,
  $lastRequestKind,
  $lastTokenRequest,
  $token,
  forgetPlaygroundSession,
  ownClientKeptMs,
  readStoredCredentials,
  readStoredShape,
  readStoredToken,
  recordRequestShape,
  restorePlaygroundSession,
  storageKeys,
  type PlaygroundCredentials,
} from '../../../../src/islands/playground-shared/playground-store.ts';
import {
  $lastTokenExchange,
  readStoredExchange,
  restorePlaygroundResults,
} from '../../../../src/islands/playground-shared/playground-results.ts';
import { apiProfile } from '../../../../src/lib/api-profile.ts';

const { readScope } = apiProfile;

const credentials: PlaygroundCredentials = {
  clientId: 'id',
  clientSecret: 'secret',
  source: 'registered',
  authMethod: 'client_secret_basic',
  scopes: [readScope],
  lifetimeSeconds: 30,
  secretExpiresAt: 4_000_000_000,
};

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

describe('reading what storage holds', () => {
  it('reads credentials back as they were stored', () => {
    expect(readStoredCredentials(JSON.stringify(credentials))).toEqual(credentials);
  });

  it.each([
    null,
    '',
    '{',
    '[]',
    JSON.stringify({ ...credentials, clientSecret: '' }),
    JSON.stringify({ ...credentials, source: 'other' }),
    JSON.stringify({ ...credentials, authMethod: 'none' }),
    JSON.stringify({ ...credentials, scopes: readScope }),
  ])('reads %j as no credentials', (text) => expect(readStoredCredentials(text)).toBeUndefined());

  it('never keeps a secret past its client: an expired client, or a kept-until in the past, reads as none', () => {
    const now = Date.UTC(2030, 0, 1);
    expect(readStoredCredentials(JSON.stringify({ ...credentials, secretExpiresAt: now / 1000 }), now)).toBe(
      undefined,
    );
    expect(
      readStoredCredentials(JSON.stringify({ ...credentials, secretExpiresAt: now / 1000 + 1 }), now),
    ).toBeDefined();
    const own = { ...credentials, source: 'own', secretExpiresAt: undefined };
    expect(readStoredCredentials(JSON.stringify({ ...own, keepUntil: now }), now)).toBeUndefined();
    expect(readStoredCredentials(JSON.stringify({ ...own, keepUntil: now + 1 }), now)).toMatchObject({
      source: 'own',
    });
  });

  it.each([
    [
      'a complete exchange',
      {
        request: { method: 'POST', target: '/oauth/token', headers: { a: 'b' }, body: 'x=1' },
        response: {
          status: 200,
          statusText: 'OK',
          headers: [['content-type', 'application/json']],
          bodyText: '{}',
        },
        elapsedMs: 12,
      },
      true,
    ],
    [
      'a network failure',
      {
        request: { method: 'GET', target: '/api/v1/reports', headers: {} },
        networkError: 'Failed to fetch',
        elapsedMs: 3,
      },
      true,
    ],
    ['no request', { elapsedMs: 1 }, false],
    [
      'a header list that is not pairs',
      {
        request: { method: 'GET', target: '/', headers: {} },
        response: { status: 200, statusText: '', headers: [['a']], bodyText: '' },
        elapsedMs: 1,
      },
      false,
    ],
    [
      'a method the islands never send',
      { request: { method: 'DELETE', target: '/', headers: {} }, elapsedMs: 1 },
      false,
    ],
  ])('reads back %s: %s', (_name, value, ok) => {
    const read = readStoredExchange(JSON.stringify(value));
    if (ok) expect(read).toMatchObject(value);
    else expect(read).toBeUndefined();
  });

  it('reads a token, and refuses one without its fields', () => {
    expect(
      readStoredToken(
        JSON.stringify({ accessToken: 'a.b.c', requestedAt: 1, expiresInSeconds: 30, scope: 'x' }),
      ),
    ).toEqual({ accessToken: 'a.b.c', requestedAt: 1, expiresInSeconds: 30, scope: 'x' });
    expect(readStoredToken(JSON.stringify({ accessToken: 'a.b.c' }))).toBeUndefined();
  });

  it('reads request shapes of both kinds', () => {
    expect(
      readStoredShape(JSON.stringify({ kind: 'token', authMethod: 'client_secret_post', scopes: [] })),
    ).toEqual({ kind: 'token', authMethod: 'client_secret_post', scopes: [] });
    expect(readStoredShape(JSON.stringify({ kind: 'api', method: 'POST', body: '{}' }))).toEqual({
      kind: 'api',
      method: 'POST',
      body: '{}',
    });
    expect(readStoredShape(JSON.stringify({ kind: 'api', method: 'DELETE' }))).toBeUndefined();
  });

  it('reads a key pair token request (private_key_jwt) with its algorithm, and no other algorithm', () => {
    const shape = { kind: 'token', authMethod: 'private_key_jwt', alg: 'ES256', scopes: [] };
    expect(readStoredShape(JSON.stringify(shape))).toEqual(shape);
    expect(readStoredShape(JSON.stringify({ ...shape, alg: 'HS256' }))).toBeUndefined();
    expect(readStoredShape(JSON.stringify({ ...shape, alg: undefined }))).toBeUndefined();
  });
});

describe('the session', () => {
  it('restores from storage, writes every change back, and forgets everything', () => {
    const storage = new MemoryStorage();
    storage.setItem(storageKeys.credentials, JSON.stringify(credentials));
    storage.setItem(storageKeys.token, 'not json');
    restorePlaygroundSession(storage);
    restorePlaygroundResults(storage);
    expect($credentials.get()).toEqual(credentials);
    expect($token.get()).toBeUndefined();
    // Written back with the moment it must be forgotten: the client's own expiry.
    $credentials.set({ ...credentials, clientId: 'id2' });
    expect(JSON.parse(storage.getItem(storageKeys.credentials)!)).toMatchObject({
      clientId: 'id2',
      keepUntil: credentials.secretExpiresAt! * 1000,
    });
    // The reader's own client has no known expiry: kept for a sandbox client's life at most.
    const before = Date.now();
    $credentials.set({ ...credentials, source: 'own', secretExpiresAt: undefined });
    const { keepUntil } = JSON.parse(storage.getItem(storageKeys.credentials)!) as { keepUntil: number };
    expect(keepUntil).toBeGreaterThanOrEqual(before + ownClientKeptMs);
    expect(keepUntil).toBeLessThanOrEqual(Date.now() + ownClientKeptMs);
    $lastTokenExchange.set({
      request: { method: 'POST', target: '/oauth/token', headers: {} },
      response: undefined,
      networkError: 'Failed to fetch',
      elapsedMs: 1,
    });
    expect(storage.getItem(storageKeys.lastTokenExchange)).toContain('Failed to fetch');

    $token.set({ accessToken: 't', requestedAt: 2 });
    expect(JSON.parse(storage.getItem(storageKeys.token)!)).toEqual({ accessToken: 't', requestedAt: 2 });
    recordRequestShape({ kind: 'api', method: 'GET' });
    recordRequestShape({ kind: 'token', authMethod: 'client_secret_basic', scopes: [readScope] });
    expect($lastApiCall.get()).toEqual({ kind: 'api', method: 'GET' });
    expect($lastTokenRequest.get()).toEqual({
      kind: 'token',
      authMethod: 'client_secret_basic',
      scopes: [readScope],
    });
    expect($lastRequestKind.get()).toBe('token');
    expect(storage.getItem(storageKeys.lastRequestKind)).toBe('"token"');

    forgetPlaygroundSession();
    expect([
      $credentials.get(),
      $token.get(),
      $lastApiCall.get(),
      $lastTokenRequest.get(),
      $lastRequestKind.get(),
      $lastTokenExchange.get(),
    ]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(storage.items.size).toBe(0);
  });
});
