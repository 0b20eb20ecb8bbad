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

/** The access token the last successful token request got. */
export interface PlaygroundToken {
  accessToken: string;
  expiresInSeconds?: number;
  scope?: string;
  /** When the request that got it was sent (page clock, ms since the epoch). */
  requestedAt: number;
}

/** The token request last sent, as "Code for this request" needs it: no secret, no token. */
export interface TokenRequestShape {
  kind: 'token';
  authMethod: ClientSecretAuthMethod;
  scopes: string[];
}

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

/** The sessionStorage keys, one a store. */
export const storageKeys = {
  credentials: 'playground:credentials',
  token: 'playground:token',
  lastTokenRequest: 'playground:last-token-request',
  lastApiCall: 'playground:last-api-call',
  lastRequestKind: 'playground:last-request-kind',
} as const;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

function parse(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads stored credentials; anything malformed (an older version, a hand edit) reads as none. */
export function readStoredCredentials(text: string | null): PlaygroundCredentials | undefined {
  const value = parse(text);
  if (!isObject(value)) return undefined;
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
  if (value.kind === 'api' && (value.method === 'GET' || value.method === 'POST')) {
    return {
      kind: 'api',
      method: value.method,
      ...(typeof value.body === 'string' ? { body: value.body } : {}),
    };
  }
  return undefined;
}

type SessionStorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function bind<T>(
  store: WritableAtom<T | undefined>,
  key: string,
  read: (text: string | null) => T | undefined,
  storage: SessionStorageLike,
) {
  store.set(read(storage.getItem(key)));
  store.listen((value) => {
    try {
      if (value === undefined) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full or disabled: the playground still works for this page.
    }
  });
}

let restored = false;

/**
 * Loads the stores from sessionStorage and keeps them there from now on. Runs once, on the
 * client, when the first island's module loads; a browser without sessionStorage keeps the
 * state for the page only.
 */
export function restorePlaygroundSession(
  storage: SessionStorageLike | undefined = typeof sessionStorage === 'undefined'
    ? undefined
    : sessionStorage,
): void {
  if (restored || storage === undefined) return;
  restored = true;
  try {
    bind($credentials, storageKeys.credentials, readStoredCredentials, storage);
    bind($token, storageKeys.token, readStoredToken, storage);
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
    // sessionStorage can throw when the browser blocks it: keep the state for this page only.
  }
}

/** "Forget": drops the credentials, the token and the request history, here and in storage. */
export function forgetPlaygroundSession(): void {
  $credentials.set(undefined);
  $token.set(undefined);
  $lastTokenRequest.set(undefined);
  $lastApiCall.set(undefined);
  $lastRequestKind.set(undefined);
}

/** Records a request for "Code for this request". */
export function recordRequestShape(shape: RequestShape): void {
  if (shape.kind === 'token') $lastTokenRequest.set(shape);
  else $lastApiCall.set(shape);
  $lastRequestKind.set(shape.kind);
}

// Each island imports this module: the first one to load restores the session, on the client only.
restorePlaygroundSession();
