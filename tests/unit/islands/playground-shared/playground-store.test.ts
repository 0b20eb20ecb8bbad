import { describe, expect, it } from 'vitest';
import {
  $credentials,
  $lastApiCall,
  $lastRequestKind,
  $lastTokenRequest,
  $token,
  forgetPlaygroundSession,
  readStoredCredentials,
  readStoredShape,
  readStoredToken,
  recordRequestShape,
  restorePlaygroundSession,
  storageKeys,
  type PlaygroundCredentials,
} from '../../../../src/islands/playground-shared/playground-store.ts';
import { apiProfile } from '../../../../src/lib/api-profile.ts';

const { readScope } = apiProfile;

const credentials: PlaygroundCredentials = {
  clientId: 'id',
  clientSecret: 'secret',
  source: 'registered',
  authMethod: 'client_secret_basic',
  scopes: [readScope],
  lifetimeSeconds: 30,
  secretExpiresAt: 5,
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

describe('reading what sessionStorage holds', () => {
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
});

describe('the session', () => {
  it('restores from storage, writes every change back, and forgets everything', () => {
    const storage = new MemoryStorage();
    storage.setItem(storageKeys.credentials, JSON.stringify(credentials));
    storage.setItem(storageKeys.token, 'not json');
    restorePlaygroundSession(storage);
    expect($credentials.get()).toEqual(credentials);
    expect($token.get()).toBeUndefined();

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
    ]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(storage.items.size).toBe(0);
  });
});
