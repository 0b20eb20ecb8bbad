import { atom, type WritableAtom } from 'nanostores';
import {
  isClientSecretAuthMethod,
  type ClientSecretAuthMethod,
} from '../../lib/sandbox-contract/client-auth-methods.ts';

/**
 * What the playground's islands share: the credentials, the current token and the last requests
 * (for "Code for this request"). Kept in sessionStorage, so it follows the reader from page to
 * page in this tab and is gone when the tab closes. The islands read it with
 * `useStore(store, { ssr: 'initial' })`: hydration sees the server's empty state, then the stored one.
 */

/** The client the reader registered here or pasted in. */
export interface PlaygroundCredentials {
  clientId: string;
  clientSecret: string;
  /** Registered in the playground, or the reader's own ("use my own"). */
  source: 'registered' | 'own';
  /** The method the client is registered with: the token request's default. */
  authMethod: ClientSecretAuthMethod;
  /** The scopes the client is registered with; for the reader's own client, the ones they said. */
  scopes: string[];
  /** The registered `access_token_lifetime`, in seconds; unknown for the reader's own client. */
  lifetimeSeconds?: number;
  /** When the sandbox stops accepting the client, in seconds since the epoch. */
  secretExpiresAt?: number;
  /** RFC 7592: the token that reads the client's configuration and journal ("Watch your own code"). */
  registrationAccessToken?: string;
  /** RFC 7592: the client's configuration endpoint; its `/requests` is the journal. */
  registrationClientUri?: string;
}

/** How long the reader's own client is kept when the page cannot know when it expires: a sandbox client's life. */
export const ownClientKeptMs = 24 * 3600 * 1000;

/** The access token the last successful token request got. */
export interface PlaygroundToken {
  accessToken: string;
  expiresInSeconds?: number;
  scope?: string;
  /** When the request that got it was sent (page clock, ms since the epoch). */
  requestedAt: number;
}

/** The token request last sent, as "Code for this request" needs it: no secret, no token. */
export interface SecretTokenRequestShape {
  kind: 'token';
  authMethod: ClientSecretAuthMethod;
  scopes: string[];
}

/** A token request with a key pair's assertion (private_key_jwt): the key's algorithm, never the key. */
export interface KeyTokenRequestShape {
  kind: 'token';
  authMethod: 'private_key_jwt';
  alg: 'EdDSA' | 'ES256';
  scopes: string[];
}

export type TokenRequestShape = SecretTokenRequestShape | KeyTokenRequestShape;

/** The API call last made, the same way. */
export interface ApiCallShape {
  kind: 'api';
  method: 'GET' | 'POST';
  /** The JSON body of a POST. */
  body?: string;
}

export type RequestShape = TokenRequestShape | ApiCallShape;

export const $credentials = atom<PlaygroundCredentials | undefined>(undefined);
export const $token = atom<PlaygroundToken | undefined>(undefined);
export const $lastTokenRequest = atom<TokenRequestShape | undefined>(undefined);
export const $lastApiCall = atom<ApiCallShape | undefined>(undefined);
/** Which of the two came last. */
export const $lastRequestKind = atom<'token' | 'api' | undefined>(undefined);
/** Auto-renew: a new token is requested by the reference client's rule before the current one expires. */
export const $autoRenew = atom<boolean | undefined>(undefined);

/** The sessionStorage keys, one a store. */
export const storageKeys = {
  credentials: 'playground:credentials',
  token: 'playground:token',
  lastTokenRequest: 'playground:last-token-request',
  lastApiCall: 'playground:last-api-call',
  lastRequestKind: 'playground:last-request-kind',
  lastTokenExchange: 'playground:last-token-exchange',
  lastApiExchange: 'playground:last-api-exchange',
  autoRenew: 'playground:auto-renew',
} as const;

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

export function parse(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads stored credentials; anything malformed (an older version, a hand edit) reads as none. */
export function readStoredCredentials(
  text: string | null,
  nowMs: number = Date.now(),
): PlaygroundCredentials | undefined {
  const value = parse(text);
  if (!isObject(value)) return undefined;
  // Never keep a secret past its client's life (RFC 7591 §3.2.1 client_secret_expires_at).
  if (typeof value.keepUntil === 'number' && nowMs >= value.keepUntil) return undefined;
  if (
    typeof value.secretExpiresAt === 'number' &&
    value.secretExpiresAt > 0 &&
    nowMs >= value.secretExpiresAt * 1000
  )
    return undefined;
  const {
    clientId,
    clientSecret,
    source,
    authMethod,
    scopes,
    lifetimeSeconds,
    secretExpiresAt,
    registrationAccessToken,
    registrationClientUri,
  } = value;
  if (
    typeof clientId !== 'string' ||
    clientId === '' ||
    typeof clientSecret !== 'string' ||
    clientSecret === ''
  )
    return undefined;
  if (
    (source !== 'registered' && source !== 'own') ||
    !isClientSecretAuthMethod(authMethod) ||
    !isStringArray(scopes)
  )
    return undefined;
  return {
    clientId,
    clientSecret,
    source,
    authMethod,
    scopes,
    ...(typeof lifetimeSeconds === 'number' ? { lifetimeSeconds } : {}),
    ...(typeof secretExpiresAt === 'number' ? { secretExpiresAt } : {}),
    ...(typeof registrationAccessToken === 'string' ? { registrationAccessToken } : {}),
    ...(typeof registrationClientUri === 'string' ? { registrationClientUri } : {}),
  };
}

/** Reads a stored token the same way. */
export function readStoredToken(text: string | null): PlaygroundToken | undefined {
  const value = parse(text);
  if (!isObject(value)) return undefined;
  const { accessToken, expiresInSeconds, scope, requestedAt } = value;
  if (typeof accessToken !== 'string' || accessToken === '' || typeof requestedAt !== 'number')
    return undefined;
  return {
    accessToken,
    requestedAt,
    ...(typeof expiresInSeconds === 'number' ? { expiresInSeconds } : {}),
    ...(typeof scope === 'string' ? { scope } : {}),
  };
}

/** Reads a stored request shape. */
export function readStoredShape(text: string | null): RequestShape | undefined {
  const value = parse(text);
  if (!isObject(value)) return undefined;
  if (value.kind === 'token' && isClientSecretAuthMethod(value.authMethod) && isStringArray(value.scopes)) {
    return { kind: 'token', authMethod: value.authMethod, scopes: value.scopes };
  }
  if (
    value.kind === 'token' &&
    value.authMethod === 'private_key_jwt' &&
    (value.alg === 'EdDSA' || value.alg === 'ES256') &&
    isStringArray(value.scopes)
  ) {
    return { kind: 'token', authMethod: 'private_key_jwt', alg: value.alg, scopes: value.scopes };
  }
  if (value.kind === 'api' && (value.method === 'GET' || value.method === 'POST')) {
    return {
      kind: 'api',
      method: value.method,
      ...(typeof value.body === 'string' ? { body: value.body } : {}),
    };
  }
  return undefined;
}

export type SessionStorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function bind<T>(
  store: WritableAtom<T | undefined>,
  key: string,
  read: (text: string | null) => T | undefined,
  storage: SessionStorageLike,
  write: (value: T) => unknown = (value) => value,
) {
  const initial = read(storage.getItem(key));
  if (initial === undefined) storage.removeItem(key);
  store.set(initial);
  store.listen((value) => {
    try {
      if (value === undefined) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify(write(value)));
    } catch {
      // Storage full or disabled: the playground still works for this page.
    }
  });
}

/** The stores other tabs share, and how each is read back. */
const sharedBindings = () =>
  [
    [$credentials, storageKeys.credentials, (text: string | null) => readStoredCredentials(text)],
    [$token, storageKeys.token, readStoredToken],
    [$autoRenew, storageKeys.autoRenew, (text: string | null) => (parse(text) === true ? true : undefined)],
  ] as const;

/** The credentials as stored: with the moment they must be forgotten. */
function credentialsToKeep(credentials: PlaygroundCredentials, nowMs: number) {
  const keepUntil =
    credentials.secretExpiresAt !== undefined && credentials.secretExpiresAt > 0
      ? credentials.secretExpiresAt * 1000
      : nowMs + ownClientKeptMs;
  return { ...credentials, keepUntil };
}

let restored = false;

export function browserStorage(kind: 'sessionStorage' | 'localStorage'): SessionStorageLike | undefined {
  try {
    return typeof globalThis[kind] === 'undefined' ? undefined : globalThis[kind];
  } catch {
    // A browser that blocks storage throws on access.
    return undefined;
  }
}

/**
 * Loads the stores and keeps them from now on. The credentials, the token and Auto-renew live in
 * localStorage, so they follow the reader to every page and to tabs opened from the page, and a
 * change in one tab reaches the others (the `storage` event); the credentials are dropped when
 * their client expires (24 h for a registered client; the same for the reader's own). The request
 * history and the last results are this tab's (sessionStorage). Runs once, on the client, when the
 * first island's module loads; without storage the state lasts for the page only.
 */
export function restorePlaygroundSession(
  storage: SessionStorageLike | undefined = browserStorage('sessionStorage'),
  // A storage handed in (tests) holds both; the browser's sessionStorage pairs with its localStorage.
  shared: SessionStorageLike | undefined = storage === browserStorage('sessionStorage')
    ? (browserStorage('localStorage') ?? storage)
    : storage,
  nowMs: () => number = Date.now,
): void {
  if (restored || storage === undefined || shared === undefined) return;
  restored = true;
  try {
    bind(
      $credentials,
      storageKeys.credentials,
      (text) => readStoredCredentials(text, nowMs()),
      shared,
      (value) => credentialsToKeep(value, nowMs()),
    );
    bind($token, storageKeys.token, readStoredToken, shared);
    bind($autoRenew, storageKeys.autoRenew, (text) => (parse(text) === true ? true : undefined), shared);
    bind(
      $lastTokenRequest,
      storageKeys.lastTokenRequest,
      (text) => {
        const shape = readStoredShape(text);
        return shape?.kind === 'token' ? shape : undefined;
      },
      storage,
    );
    bind(
      $lastApiCall,
      storageKeys.lastApiCall,
      (text) => {
        const shape = readStoredShape(text);
        return shape?.kind === 'api' ? shape : undefined;
      },
      storage,
    );
    bind(
      $lastRequestKind,
      storageKeys.lastRequestKind,
      (text) => {
        const value = parse(text);
        return value === 'token' || value === 'api' ? value : undefined;
      },
      storage,
    );
  } catch {
    // Storage can throw when the browser blocks it: keep the state for this page only.
  }
  if (typeof addEventListener === 'function') {
    // Another tab registered, got a token or forgot: this tab follows.
    addEventListener('storage', (event: StorageEvent) => {
      for (const [store, key, read] of sharedBindings()) {
        if (event.key !== key && event.key !== null) continue;
        const next = read(event.key === null ? null : event.newValue);
        if (JSON.stringify(next) !== JSON.stringify(store.get())) (store as WritableAtom<unknown>).set(next);
      }
    });
  }
}

/** "Forget": drops the credentials, the token and the request history, here and in storage. */
export function forgetPlaygroundSession(): void {
  $credentials.set(undefined);
  $token.set(undefined);
  $lastTokenRequest.set(undefined);
  $lastApiCall.set(undefined);
  $lastRequestKind.set(undefined);
  $autoRenew.set(undefined);
}

/** Records a request for "Code for this request". */
export function recordRequestShape(shape: RequestShape): void {
  if (shape.kind === 'token') $lastTokenRequest.set(shape);
  else $lastApiCall.set(shape);
  $lastRequestKind.set(shape.kind);
}

// Each island imports this module: the first one to load restores the session, on the client only.
restorePlaygroundSession();
