import { TokenSourceError } from './token-source-error.ts';

/** A successful token response, validated (RFC 6749 §5.1). */
export interface TokenResponse {
  accessToken: string;
  /** Seconds the token lives from when the response was generated; undefined when the server did not say. */
  expiresInSeconds: number | undefined;
  /** The granted scope; undefined means "what was asked for" (RFC 6749 §5.1). */
  scope: string | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string, status: number): TokenSourceError {
  return new TokenSourceError('invalid_token_response', message, { status });
}

/**
 * Processes a token endpoint answer that is not 429 or 5xx (those are retried before this is
 * called): the 200 of RFC 6749 §5.1, field by field with a labelled message, or the §5.2 error,
 * as a {@link TokenSourceError}. `body` is the parsed JSON, or undefined when it was not JSON.
 * Messages quote no token and no value the server sent except its `error_description`.
 */
export function processTokenResponse(status: number, body: unknown): TokenResponse {
  if (status !== 200) {
    const error = isObject(body) && typeof body.error === 'string' ? body.error : undefined;
    const description =
      isObject(body) && typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
    // RFC 6749 §5.2: invalid_client is 401 when the client used Basic; a 401 says the same without a body.
    if (error === 'invalid_client' || (status === 401 && error === undefined)) {
      throw new TokenSourceError(
        'invalid_client',
        `The token endpoint refused the client credentials (HTTP ${status} ` +
          `invalid_client${description}). Check the client ID, the secret and the authentication ` +
          `method; this is not retried.`,
        { status, oauthError: 'invalid_client' },
      );
    }
    if (error === undefined)
      throw invalid(`"response" body "error" must be a string (HTTP ${status})`, status);
    throw new TokenSourceError(
      'token_request_refused',
      `The token endpoint refused the request (HTTP ${status} ${error}${description}).`,
      { status, oauthError: error },
    );
  }

  if (!isObject(body)) throw invalid('"response" body must be a JSON object', status);
  const { access_token, token_type, expires_in, scope } = body;
  if (typeof access_token !== 'string' || access_token === '')
    throw invalid('"response" body "access_token" must be a non-empty string', status);
  // RFC 6749 §7.1 / RFC 6750 §4: the token type is case-insensitive; this client speaks Bearer only.
  if (typeof token_type !== 'string') throw invalid('"response" body "token_type" must be a string', status);
  if (token_type.toLowerCase() !== 'bearer')
    throw invalid('"response" body "token_type" must be "Bearer"', status);
  // RFC 6749 §5.1: expires_in is RECOMMENDED, so it may be absent; when present it must make sense.
  if (
    expires_in !== undefined &&
    (typeof expires_in !== 'number' || !Number.isFinite(expires_in) || expires_in <= 0)
  ) {
    throw invalid('"response" body "expires_in" must be a positive number', status);
  }
  if (scope !== undefined && typeof scope !== 'string')
    throw invalid('"response" body "scope" must be a string', status);
  return { accessToken: access_token, expiresInSeconds: expires_in, scope };
}
