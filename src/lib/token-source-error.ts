/**
 * The errors of the reference token client. Each carries a `code` from a closed list: callers
 * switch on the code, tests assert it; the message is for people and never holds a secret or a token.
 */

/** Every code a {@link TokenSourceError} can carry. */
export const tokenSourceErrorCodes = [
  /** The token endpoint refused the client's credentials (RFC 6749 §5.2). Never retried: it will not fix itself. */
  'invalid_client',
  /** The token endpoint refused the request for another RFC 6749 §5.2 reason (`invalid_scope`, `unauthorized_client`, ...); see `oauthError`. */
  'token_request_refused',
  /** The token endpoint answered something that is not a usable token response; the message names the field. */
  'invalid_token_response',
  /** The token endpoint answered a redirect (3xx). Never followed, since it would carry the secret elsewhere; never retried. */
  'token_endpoint_redirected',
  /** 429, 5xx, network failures or timeouts lasted through every attempt, or `Retry-After` asked for a longer wait than allowed. */
  'token_endpoint_unavailable',
] as const;

/** One of {@link tokenSourceErrorCodes}. */
export type TokenSourceErrorCode = (typeof tokenSourceErrorCodes)[number];

/** Details that come with some codes. */
export interface TokenSourceErrorDetails {
  /** The token endpoint's HTTP status, when it answered. */
  status?: number | undefined;
  /** The RFC 6749 §5.2 `error` the token endpoint sent, when it sent one. */
  oauthError?: string | undefined;
  /** The wait `Retry-After` asked for, in milliseconds, when it was too long to honour. */
  retryAfterMs?: number | undefined;
  /** The underlying failure (a network error). */
  cause?: unknown;
}

/** An error of the reference token client; switch on {@link TokenSourceError.code}. */
export class TokenSourceError extends Error {
  readonly code: TokenSourceErrorCode;
  readonly status: number | undefined;
  readonly oauthError: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: TokenSourceErrorCode, message: string, details: TokenSourceErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TokenSourceError';
    this.code = code;
    this.status = details.status;
    this.oauthError = details.oauthError;
    this.retryAfterMs = details.retryAfterMs;
  }
}
