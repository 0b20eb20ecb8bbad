import { parseRetryAfter } from './retry-after.ts';
import type { AssertionSigner, AssertionSigningAlgorithm, PrivateKeyInput } from './private-key-assertion.ts';
import {
  buildAssertionTokenRequest,
  buildTokenRequest,
  type ClientAuthMethod,
  type TokenRequest,
} from './token-request.ts';
import { processTokenResponse } from './token-response.ts';
import { TokenSourceError, type TokenSourceErrorCode } from './token-source-error.ts';
import { parseWwwAuthenticate } from './www-authenticate.ts';
import { refreshMomentMs } from './token-refresh-moment.ts';

/** Why the source asked the token endpoint for a token. */
export type TokenRequestReason =
  /** Nothing was cached: the first call, or the call after a failed request. */
  | 'no-token'
  /** The cached token is still valid but inside its safety margin: refreshed before it expires. */
  | 'proactive-refresh'
  /** The cached token's lifetime has run out by this source's clock. */
  | 'expired'
  /** The API answered 401 invalid_token to the cached token (revoked, or expired early). */
  | 'rejected';

/** Why a token request is being retried. */
export type BackoffCause = 'rate-limited' | 'server-error' | 'network-error';

/**
 * What the source reports as it works, for a timeline or metrics. Times are the source's clock
 * (`now()`), in milliseconds. No event carries a secret or any part of a token: tokens are
 * numbered 1, 2, 3, ... in the order this source received them.
 */
export type TokenSourceEvent =
  | { type: 'token-requested'; at: number; reason: TokenRequestReason }
  | {
      type: 'token-issued';
      at: number;
      token: number;
      /** When the token expires by this source's clock. */
      expiresAt: number;
      /** When the source will refresh it: `expiresAt` minus the smaller of 60 s and half its lifetime. */
      refreshAt: number;
      /** True when the server sent no `expires_in` and the lifetime is `defaultExpiresInSeconds`. */
      lifetimeAssumed?: boolean;
    }
  | {
      type: 'backing-off';
      at: number;
      attempt: number;
      delayMs: number;
      cause: BackoffCause;
      status: number | undefined;
    }
  | { type: 'token-request-failed'; at: number; code: TokenSourceErrorCode }
  /**
   * A refresh before expiry failed, and the cached token, still valid, goes on being served until
   * `expiresAt`; the next refresh is tried no sooner than `retryAt` (halfway to expiry).
   */
  | {
      type: 'early-refresh-failed';
      at: number;
      token: number;
      code: TokenSourceErrorCode;
      expiresAt: number;
      retryAt: number;
    }
  | { type: 'retrying-after-invalid-token'; at: number; token: number };

/**
 * What {@link ClientCredentialsTokenSource} needs: the token endpoint, the client_id, and either
 * `clientSecret` or `privateKey` (with `issuer`); everything after `scopes` has a default.
 */
export interface ClientCredentialsTokenSourceOptions {
  /** The authorization server's token endpoint (RFC 6749 §3.2). */
  tokenEndpoint: string | URL;
  clientId: string;
  /** The client secret (`client_secret_basic` or `client_secret_post`). */
  clientSecret?: string;
  /**
   * The client's private key, for `private_key_jwt` (RFC 7523 §2.2) instead of a secret: a
   * WebCrypto key (it may be non-extractable), a private JWK, or a PKCS#8 PEM; Ed25519, P-256 or
   * RSA. Every token request then carries a new assertion signed with it (iss = sub = clientId,
   * aud = `issuer`, a fresh jti, `assertionLifetimeSeconds` of life). Needs the `jose` package.
   */
  privateKey?: PrivateKeyInput;
  /** The `kid` of the registered public key; default the private JWK's `kid`, if any. */
  keyId?: string;
  /** The JWS `alg`; default EdDSA for Ed25519, ES256 for P-256, RS256 for RSA. */
  signingAlgorithm?: AssertionSigningAlgorithm;
  /**
   * With `privateKey`, required: the authorization server's issuer identifier (its metadata's
   * `issuer`), the one `aud` of every assertion (RFC 7523 §3 item 3; RFC 8414 §2).
   */
  issuer?: string | URL;
  /** How long each assertion lives, in seconds. Default 60: it is used at once, and only once. */
  assertionLifetimeSeconds?: number;
  /** Scopes to ask for; none asks for every scope the client is registered with. */
  scopes?: readonly string[];
  /** Default `client_secret_basic`; not with `privateKey`. */
  authMethod?: ClientAuthMethod;
  /** Token requests sent at most, the first included, when the endpoint answers 429, 5xx or not at all. Default 4. */
  maxAttempts?: number;
  /** The first back-off step; each next one doubles. Default 500 ms. */
  baseDelayMs?: number;
  /** The longest single wait, and the longest `Retry-After` honoured (a longer one fails at once). Default 30 s. */
  maxDelayMs?: number;
  /**
   * How long one attempt at the token endpoint may take, answer and body included; a slower one
   * is abandoned and retried like a network failure. Default 10 s.
   */
  attemptTimeoutMs?: number;
  /**
   * The lifetime assumed when a token answer has no `expires_in` (RFC 6749 §5.1 makes it
   * RECOMMENDED only). Default {@link defaultExpiresInSeconds}: short, so a token that lives
   * less is rarely used past its end (and a 401 `invalid_token` still replaces it).
   */
  defaultExpiresInSeconds?: number;
  /**
   * The clock, in milliseconds since the epoch. Default: monotonic (`performance.timeOrigin +
   * performance.now()`), so a change of the wall clock cannot expire or revive a token.
   */
  now?: () => number;
  /** Waits `ms` milliseconds. Default a `setTimeout` promise. */
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1) for the back-off jitter. Default `Math.random`. */
  random?: () => number;
  /** The HTTP client, for the token endpoint and for the API calls of {@link ClientCredentialsTokenSource.fetch}. Default the global `fetch`. */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Called synchronously with each {@link TokenSourceEvent}; it must not throw. */
  onEvent?: (event: TokenSourceEvent) => void;
}

/** How a private_key_jwt client signs: everything but the moment and the jti, fixed at construction. */
interface KeyCredentials {
  privateKey: PrivateKeyInput;
  keyId: string | undefined;
  signingAlgorithm: AssertionSigningAlgorithm | undefined;
  issuer: string;
  lifetimeSeconds: number;
  scopes: readonly string[];
  /** Imported once, on the first token request. */
  signer?: Promise<AssertionSigner>;
}

/** Checks the credentials options: a secret or a key, never both, and a key goes with its issuer. */
function keyCredentialsOf(options: ClientCredentialsTokenSourceOptions): KeyCredentials | undefined {
  const { privateKey, clientSecret } = options;
  if (privateKey === undefined) {
    if (typeof clientSecret !== 'string')
      throw new TypeError('Give clientSecret, or privateKey (private_key_jwt) with issuer.');
    return undefined;
  }
  if (clientSecret !== undefined)
    throw new TypeError('Give clientSecret or privateKey, not both: a client has one authentication method.');
  if (options.authMethod !== undefined)
    throw new TypeError('authMethod is for a secret; a privateKey authenticates with private_key_jwt.');
  if (options.issuer === undefined)
    throw new TypeError(
      "privateKey needs issuer: the authorization server's issuer identifier, the aud of each assertion (RFC 7523 section 3).",
    );
  const lifetimeSeconds = options.assertionLifetimeSeconds ?? 60;
  if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds < 1 || lifetimeSeconds > 300)
    throw new TypeError('assertionLifetimeSeconds must be a whole number of seconds from 1 to 300.');
  return {
    privateKey,
    keyId: options.keyId,
    signingAlgorithm: options.signingAlgorithm,
    issuer: String(options.issuer),
    lifetimeSeconds,
    scopes: options.scopes ?? [],
  };
}

interface CachedToken {
  accessToken: string;
  number: number;
  expiresAt: number;
  refreshAt: number;
}

/** The lifetime assumed for a token answered without `expires_in`: 5 minutes. */
export const defaultExpiresInSeconds = 300;

/** Thrown inside an attempt that ran out of time; retried as a network failure. */
class AttemptTimeout extends Error {
  constructor(ms: number) {
    super(`The token endpoint did not answer within ${ms} ms.`);
    this.name = 'TimeoutError';
  }
}

/** True when the API refused the token itself (RFC 6750 §3.1 `invalid_token`), not the request. */
function refusedAsInvalidToken(response: Response): boolean {
  if (response.status !== 401) return false;
  const challenges = parseWwwAuthenticate(response.headers.get('www-authenticate') ?? '');
  return (
    challenges?.some(
      (challenge) =>
        challenge.scheme.toLowerCase() === 'bearer' && challenge.params.error === 'invalid_token',
    ) ?? false
  );
}

/** A 3xx, or what a browser's fetch gives for one under `redirect: 'manual'` (status 0, type opaqueredirect). */
function isRedirect(response: Response): boolean {
  return (response.status >= 300 && response.status < 400) || response.type === 'opaqueredirect';
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/**
 * A client credentials grant client (RFC 6749 §4.4) that always has a valid access token:
 *
 * - `getToken()` returns the cached token, and requests a new one before the cached one expires:
 *   60 s before, or halfway through its life when it lives less than 2 minutes (the margin is
 *   the smaller of 60 s and half the lifetime, so the later of the two moments), so normal calls
 *   never carry an expired token; a token answered without `expires_in` is given
 *   {@link defaultExpiresInSeconds};
 * - when that early refresh fails, the cached token, still valid, goes on being served until it
 *   expires (the failure is an `early-refresh-failed` event), and the refresh is tried again
 *   halfway to expiry;
 * - concurrent callers share one token request (single flight);
 * - `fetch()` adds `Authorization: Bearer` and, when the API answers 401 `invalid_token`, drops
 *   the token and retries once with a new one, never more;
 * - 429, 5xx and network failures of the token endpoint are retried with exponential back-off and
 *   jitter, never sooner than `Retry-After`, a bounded number of times; each attempt has a
 *   timeout (`attemptTimeoutMs`) and one that runs out counts as a network failure;
 *   `invalid_client` is never retried;
 * - token requests never follow a redirect (`redirect: 'manual'`): the form carries the secret,
 *   and a 3xx is the error `token_endpoint_redirected`.
 *
 * It logs nothing. The secret lives in a private field and is sent only to the token endpoint.
 */
export class ClientCredentialsTokenSource {
  readonly #clientId: string;
  readonly #tokenEndpoint: string;
  /** The request of a secret client, built once; undefined for a key client, which signs per request. */
  readonly #tokenRequest: TokenRequest | undefined;
  readonly #keyCredentials: KeyCredentials | undefined;
  readonly #wallClockMs: () => number;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #attemptTimeoutMs: number;
  readonly #defaultExpiresInMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  readonly #onEvent: ((event: TokenSourceEvent) => void) | undefined;

  #cached: CachedToken | undefined;
  #inFlight: Promise<CachedToken> | undefined;
  #rejected = false;
  #tokensIssued = 0;

  constructor(options: ClientCredentialsTokenSourceOptions) {
    this.#clientId = options.clientId;
    this.#tokenEndpoint = String(options.tokenEndpoint);
    this.#keyCredentials = keyCredentialsOf(options);
    this.#tokenRequest = this.#keyCredentials
      ? undefined
      : buildTokenRequest({ ...options, clientSecret: options.clientSecret! });
    // An assertion's iat and exp are read against the server's clock: the wall clock, unless a
    // test gives its own clock (the default monotonic one may drift from it over days).
    this.#wallClockMs = options.now ?? Date.now;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.#baseDelayMs = options.baseDelayMs ?? 500;
    this.#maxDelayMs = options.maxDelayMs ?? 30_000;
    this.#attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
    this.#defaultExpiresInMs = (options.defaultExpiresInSeconds ?? defaultExpiresInSeconds) * 1000;
    this.#now = options.now ?? (() => performance.timeOrigin + performance.now());
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
    // Wrapped: a browser's fetch throws "Illegal invocation" when called as a method of another object.
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#onEvent = options.onEvent;
  }

  /** A valid access token: the cached one, or a new one when it is missing, expired or about to expire. */
  async getToken(): Promise<string> {
    return (await this.#currentToken()).accessToken;
  }

  /**
   * Forgets `accessToken` when it is the cached one, so the next {@link getToken} requests a new
   * one. For callers that send the token with their own HTTP client and get 401 `invalid_token`.
   */
  invalidate(accessToken: string): void {
    if (this.#cached?.accessToken !== accessToken) return;
    this.#cached = undefined;
    this.#rejected = true;
  }

  /**
   * `fetch` with `Authorization: Bearer <token>`. A 401 `invalid_token` drops the token and the
   * request is sent once more with a fresh one; whatever the second answer is, it is returned.
   * A `Request` is cloned so its body can be sent twice; a `ReadableStream` body in `init` cannot be.
   */
  async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const retryInput = input instanceof Request ? input.clone() : input;
    const token = await this.#currentToken();
    const response = await this.#fetch(input, this.#withBearer(input, init, token.accessToken));
    if (!refusedAsInvalidToken(response)) return response;

    this.#emit({ type: 'retrying-after-invalid-token', at: this.#now(), token: token.number });
    await response.body?.cancel();
    this.invalidate(token.accessToken);
    const fresh = await this.#currentToken();
    return this.#fetch(retryInput, this.#withBearer(retryInput, init, fresh.accessToken));
  }

  #withBearer(
    input: string | URL | Request,
    init: RequestInit | undefined,
    accessToken: string,
  ): RequestInit {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    // RFC 6750 §2.1: the header method, the one every resource server must support.
    headers.set('authorization', `Bearer ${accessToken}`);
    return { ...init, headers };
  }

  #currentToken(): Promise<CachedToken> {
    const cached = this.#cached;
    const now = this.#now();
    if (cached && now < cached.refreshAt) return Promise.resolve(cached);
    // Single flight: callers that arrive while a request runs wait for that same request.
    if (!this.#inFlight) {
      const reason: TokenRequestReason = this.#rejected
        ? 'rejected'
        : !cached
          ? 'no-token'
          : now >= cached.expiresAt
            ? 'expired'
            : 'proactive-refresh';
      this.#rejected = false;
      const request = this.#requestToken(reason);
      this.#inFlight = (
        reason === 'proactive-refresh' && cached
          ? request.catch((error) => this.#keepServing(cached, error))
          : request
      ).finally(() => {
        this.#inFlight = undefined;
      });
    }
    return this.#inFlight;
  }

  /**
   * An early refresh failed: the cached token is still valid, so it is served until it expires
   * rather than failing callers who could still use it. The next try is halfway to expiry.
   */
  #keepServing(cached: CachedToken, error: unknown): CachedToken {
    const now = this.#now();
    if (this.#cached !== cached || now >= cached.expiresAt) throw error;
    const retryAt = now + (cached.expiresAt - now) / 2;
    cached.refreshAt = retryAt;
    this.#emit({
      type: 'early-refresh-failed',
      at: now,
      token: cached.number,
      code: error instanceof TokenSourceError ? error.code : 'token_endpoint_unavailable',
      expiresAt: cached.expiresAt,
      retryAt,
    });
    return cached;
  }

  /**
   * One attempt: the answer and its body within `attemptTimeoutMs`. The race does not rely on
   * the fetch honouring the abort signal; the signal frees the connection when it does.
   */
  async #attempt({ url, init }: TokenRequest): Promise<{ response: Response; body: unknown }> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new AttemptTimeout(this.#attemptTimeoutMs);
        controller.abort(error);
        reject(error);
      }, this.#attemptTimeoutMs);
    });
    try {
      return await Promise.race([
        (async () => {
          // RFC 6749 §3.2 gives the token endpoint's URL; a redirect would carry the form (and
          // the secret in it, or in the Basic header) to wherever it points: never followed.
          const response = await this.#fetch(url, {
            ...init,
            headers: { ...init.headers },
            redirect: 'manual',
            signal: controller.signal,
          });
          if (response.status === 429 || response.status >= 500 || isRedirect(response)) {
            await response.body?.cancel().catch(() => {});
            return { response, body: undefined };
          }
          return { response, body: await readJson(response) };
        })(),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A private_key_jwt token request with an assertion of its own: a new jti for each attempt,
   * retries included, since the server may have used up the jti of an attempt it answered 5xx.
   */
  async #assertionTokenRequest(): Promise<TokenRequest> {
    const credentials = this.#keyCredentials!;
    credentials.signer ??= import('./private-key-assertion.ts').then(({ createAssertionSigner }) =>
      createAssertionSigner(credentials.privateKey, {
        algorithm: credentials.signingAlgorithm,
        keyId: credentials.keyId,
      }),
    );
    const { signClientAssertion } = await import('./private-key-assertion.ts');
    const clientAssertion = await signClientAssertion(await credentials.signer, {
      clientId: this.#clientId,
      audience: credentials.issuer,
      now: Math.floor(this.#wallClockMs() / 1000),
      lifetimeSeconds: credentials.lifetimeSeconds,
    });
    return buildAssertionTokenRequest({
      tokenEndpoint: this.#tokenEndpoint,
      clientId: this.#clientId,
      scopes: credentials.scopes,
      clientAssertion,
    });
  }

  async #requestToken(reason: TokenRequestReason): Promise<CachedToken> {
    this.#emit({ type: 'token-requested', at: this.#now(), reason });
    for (let attempt = 1; ; attempt++) {
      // expires_in counts from when the server answered; counting from the send errs on the safe side.
      const sentAt = this.#now();
      let response: Response;
      let body: unknown;
      // Outside the try: a key that cannot sign is the caller's error, not a network failure to retry.
      const request = this.#tokenRequest ?? (await this.#assertionTokenRequest());
      try {
        ({ response, body } = await this.#attempt(request));
      } catch (error) {
        await this.#waitBeforeRetry(attempt, 'network-error', undefined, undefined, error);
        continue;
      }
      if (isRedirect(response)) {
        throw this.#failed(
          new TokenSourceError(
            'token_endpoint_redirected',
            `The token endpoint answered HTTP ${response.status || 'redirect'}, a redirect. Token requests are never redirected, since the request carries the client secret: configure the token endpoint's own URL (from the authorization server's metadata).`,
            { status: response.status || undefined },
          ),
        );
      }
      if (response.status === 429 || response.status >= 500) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.#now());
        await this.#waitBeforeRetry(
          attempt,
          response.status === 429 ? 'rate-limited' : 'server-error',
          response.status,
          retryAfterMs,
        );
        continue;
      }

      let token;
      try {
        token = processTokenResponse(response.status, body);
      } catch (error) {
        if (error instanceof TokenSourceError)
          this.#emit({ type: 'token-request-failed', at: this.#now(), code: error.code });
        throw error;
      }
      const lifetimeAssumed = token.expiresInSeconds === undefined;
      const lifetimeMs =
        token.expiresInSeconds === undefined ? this.#defaultExpiresInMs : token.expiresInSeconds * 1000;
      const expiresAt = sentAt + lifetimeMs;
      // The margin is the smaller of 60 s and half the lifetime: the refresh is the later moment.
      const refreshAt = refreshMomentMs(expiresAt, lifetimeMs);
      const cached: CachedToken = {
        accessToken: token.accessToken,
        number: ++this.#tokensIssued,
        expiresAt,
        refreshAt,
      };
      this.#cached = cached;
      this.#rejected = false;
      this.#emit({
        type: 'token-issued',
        at: this.#now(),
        token: cached.number,
        expiresAt,
        refreshAt,
        lifetimeAssumed,
      });
      return cached;
    }
  }

  /**
   * Waits before the next attempt, or throws `token_endpoint_unavailable` when the attempts are
   * spent or `Retry-After` asks for more than `maxDelayMs`. The wait is exponential with "equal
   * jitter" (between half and all of the step), or `Retry-After` (RFC 9110 §10.2.3) plus up to half
   * a step, so clients told the same time do not all come back at once.
   */
  async #waitBeforeRetry(
    attempt: number,
    cause: BackoffCause,
    status: number | undefined,
    retryAfterMs?: number,
    error?: unknown,
  ): Promise<void> {
    const what = status === undefined ? 'could not be reached' : `answered HTTP ${status}`;
    if (attempt >= this.#maxAttempts) {
      throw this.#failed(
        new TokenSourceError(
          'token_endpoint_unavailable',
          `The token endpoint ${what} on each of ${attempt} attempts.`,
          { status, cause: error },
        ),
      );
    }
    if (retryAfterMs !== undefined && retryAfterMs > this.#maxDelayMs) {
      throw this.#failed(
        new TokenSourceError(
          'token_endpoint_unavailable',
          `The token endpoint ${what} and asked to wait ${Math.ceil(retryAfterMs / 1000)} s (Retry-After), longer than this client waits (${this.#maxDelayMs / 1000} s).`,
          { status, retryAfterMs },
        ),
      );
    }
    const step = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1));
    const delayMs = Math.round(
      retryAfterMs !== undefined
        ? retryAfterMs + this.#random() * (step / 2)
        : step / 2 + this.#random() * (step / 2),
    );
    this.#emit({ type: 'backing-off', at: this.#now(), attempt, delayMs, cause, status });
    await this.#sleep(delayMs);
  }

  #failed(error: TokenSourceError): TokenSourceError {
    this.#emit({ type: 'token-request-failed', at: this.#now(), code: error.code });
    return error;
  }

  #emit(event: TokenSourceEvent): void {
    this.#onEvent?.(event);
  }
}
