import { parseWwwAuthenticate, type Challenge } from './www-authenticate.ts';

/**
 * OAuth errors in plain words, each with the row of the guide's errors page that covers it. The
 * token endpoint's errors come from the JSON body (RFC 6749 §5.2); the API's from the
 * `WWW-Authenticate: Bearer` challenge (RFC 6750 §3), parsed with the same code the sandbox writes
 * it with.
 */

/** The errors page, where every code has an anchor of its own. */
export const errorsPagePath = '/errors/';

/** Every row of the errors page an explanation can point at. */
export type ExplainedError =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'no-error-code'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_request-at-the-api'
  | 'invalid_client_metadata'
  | 'too_many_requests'
  | 'unknown';

/** Which of the API's checks refused a token (the table in "What the API checks"). */
export type FailedCheck = 'expiry' | 'revocation' | 'signature-issuer-audience' | 'scope';

/** An error answer, explained. */
export interface ErrorExplanation {
  /** The errors page row. */
  row: ExplainedError;
  /** The `error` code as sent; undefined when the answer had none (RFC 6750 §3.1). */
  code: string | undefined;
  status: number;
  /** What happened, in plain words. */
  summary: string;
  /** What to do about it. */
  fix: string;
  /** The API check that failed, when the API refused a token. */
  failedCheck?: FailedCheck;
  /** The scope the API asked for in its challenge (`insufficient_scope`). */
  missingScope?: string;
  /** The server's `error_description`, as it sent it. */
  description: string | undefined;
  /** The errors page row, e.g. `/errors/#invalid_client`; undefined for an unknown code. */
  href: string | undefined;
  /** The `Bearer` challenge's parameters, when the answer had one. */
  challenge?: Record<string, string>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bodyField(body: unknown, field: 'error' | 'error_description'): string | undefined {
  return isObject(body) && typeof body[field] === 'string' ? body[field] : undefined;
}

function href(row: ExplainedError): string | undefined {
  return row === 'unknown' ? undefined : `${errorsPagePath}#${row}`;
}

const tokenEndpointWords: Record<string, { summary: string; fix: string }> = {
  invalid_request: {
    summary:
      'The token endpoint could not read the request: a parameter is missing or sent twice, the ' +
      'body is not form-encoded, or the credentials were sent in two places at once.',
    fix: 'Send grant_type=client_credentials in a form body, each parameter once, and the credentials in one place only.',
  },
  invalid_client: {
    summary:
      "The token endpoint did not accept the client's credentials: the client ID is unknown or " +
      'expired, the secret is wrong, or the client used another authentication method than the ' +
      'one it registered.',
    fix: 'Check the client ID, the secret and the authentication method. Retrying the same request gets the same answer.',
  },
  invalid_grant: {
    summary: 'The grant or token in the request is not one this client may use.',
    fix: 'Use only tokens your own client received.',
  },
  unauthorized_client: {
    summary: 'The client is known, but it may not use this grant type.',
    fix: 'Use a client that is allowed the client credentials grant.',
  },
  unsupported_grant_type: {
    summary: 'The token endpoint does not support the grant_type that was sent.',
    fix: 'Send grant_type=client_credentials, exactly.',
  },
  invalid_scope: {
    summary:
      'The scope asks for something the client may not have: a scope it was not registered with, or one the API does not define.',
    fix: 'Ask only for scopes the client is registered with, or leave scope out to get all of them.',
  },
  invalid_client_metadata: {
    summary: 'The registration had a value the sandbox cannot accept.',
    fix: 'Fix the field the description names.',
  },
  too_many_requests: {
    summary: 'Your address sent too many failed authentications or registrations in a short time.',
    fix: 'Wait the number of seconds in Retry-After, then fix the request before trying again.',
  },
};

function explainByCode(
  status: number,
  code: string | undefined,
  description: string | undefined,
): ErrorExplanation {
  const row: ExplainedError =
    status === 429
      ? 'too_many_requests'
      : code !== undefined && code in tokenEndpointWords
        ? (code as ExplainedError)
        : 'unknown';
  const words = tokenEndpointWords[row] ?? {
    summary: `The server refused the request with HTTP ${status}${code ? ` and the error code ${code}` : ''}.`,
    fix: 'Read the description the server sent.',
  };
  return {
    row,
    code: code ?? (status === 429 ? 'too_many_requests' : undefined),
    status,
    ...words,
    description,
    href: href(row),
  };
}

/** Explains a token endpoint error answer (RFC 6749 §5.2): `body` is its parsed JSON, if any. */
export function explainTokenEndpointError(status: number, body: unknown): ErrorExplanation {
  return explainByCode(status, bodyField(body, 'error'), bodyField(body, 'error_description'));
}

/** Explains a registration error answer (RFC 7591 §3.2.2). */
export function explainRegistrationError(status: number, body: unknown): ErrorExplanation {
  return explainByCode(status, bodyField(body, 'error'), bodyField(body, 'error_description'));
}

/** What the caller knows about the token it sent, to say more than the challenge does. */
export interface SentTokenFacts {
  /** The token's `exp` in milliseconds, when it is a JWT with one. */
  expiresAtMs?: number;
  /** The token's scopes, when known (its `scope` claim or the token response's `scope`). */
  scopes?: readonly string[];
}

/** What {@link explainApiError} reads. */
export interface ApiErrorAnswer {
  status: number;
  /** The `WWW-Authenticate` header, if sent. */
  wwwAuthenticate: string | undefined;
  /** The parsed JSON body, if any. */
  body: unknown;
}

function bearerChallenge(header: string | undefined): Challenge | undefined {
  if (header === undefined) return undefined;
  return parseWwwAuthenticate(header)?.find((challenge) => challenge.scheme.toLowerCase() === 'bearer');
}

/**
 * Explains the protected API's refusal from its `WWW-Authenticate: Bearer` challenge (RFC 6750 §3):
 * which check failed and, for `insufficient_scope`, which scope is missing. `token` and `nowMs`
 * (the caller's clock) let it name an expired token even when the description is terse.
 */
export function explainApiError(
  answer: ApiErrorAnswer,
  token: SentTokenFacts = {},
  nowMs?: number,
  formatTime: (ms: number) => string = (ms) => new Date(ms).toISOString(),
): ErrorExplanation {
  const challenge = bearerChallenge(answer.wwwAuthenticate);
  const code = challenge?.params.error ?? bodyField(answer.body, 'error');
  const description = challenge?.params.error_description ?? bodyField(answer.body, 'error_description');
  const base = {
    code,
    status: answer.status,
    description,
    ...(challenge ? { challenge: challenge.params } : {}),
  };

  if (answer.status === 401 && code === undefined) {
    return {
      ...base,
      row: 'no-error-code',
      summary:
        'The request carried no access token (or credentials of another scheme), so the API checked nothing: its challenge names no error (RFC 6750 §3.1).',
      fix: 'Request a token and send it as Authorization: Bearer followed by the token.',
      href: href('no-error-code'),
    };
  }
  if (code === 'invalid_token') {
    const expired = token.expiresAtMs !== undefined && nowMs !== undefined && nowMs >= token.expiresAtMs;
    const failedCheck: FailedCheck =
      expired || /expired/i.test(description ?? '')
        ? 'expiry'
        : /revoked/i.test(description ?? '')
          ? 'revocation'
          : 'signature-issuer-audience';
    const expiredAt =
      token.expiresAtMs !== undefined ? ` (its exp was ${formatTime(token.expiresAtMs)})` : '';
    const summaries: Record<typeof failedCheck, string> = {
      expiry:
        `The expiry check failed: the token has expired${expiredAt}. ` +
        'The API allows no leeway: a token is expired from its exp on.',
      revocation:
        'The revocation check failed: someone revoked this token, and the API refuses it from then on.',
      'signature-issuer-audience':
        'The signature, type, issuer or audience check failed: the token was not issued by this sandbox for this API, or it was changed on the way.',
    };
    return {
      ...base,
      row: 'invalid_token',
      failedCheck,
      summary: summaries[failedCheck],
      fix:
        failedCheck === 'signature-issuer-audience'
          ? 'Request a new token from this sandbox and send it unchanged.'
          : 'Request a new token and retry the call once.',
      href: href('invalid_token'),
    };
  }
  if (code === 'insufficient_scope') {
    const missingScope = challenge?.params.scope;
    const has =
      token.scopes && token.scopes.length > 0 ? ` The token carries ${token.scopes.join(' ')}.` : '';
    return {
      ...base,
      row: 'insufficient_scope',
      failedCheck: 'scope',
      ...(missingScope ? { missingScope } : {}),
      summary:
        `The token is valid, but the scope check failed: this endpoint needs ` +
        `${missingScope ? `the scope ${missingScope}` : 'a scope the token lacks'}.${has}`,
      fix:
        `Request a token with ${missingScope ?? 'the needed scope'}; the client must be registered ` +
        `with it. A new token with the same scope gets the same answer.`,
      href: href('insufficient_scope'),
    };
  }
  if (code === 'invalid_request') {
    return {
      ...base,
      row: 'invalid_request-at-the-api',
      summary:
        'The API could not read the request: the token was sent in the URL, or the Authorization header is not Bearer, one space, then the token.',
      fix: 'Send the token in the Authorization header only.',
      href: href('invalid_request-at-the-api'),
    };
  }
  return explainByCode(answer.status, code, description);
}
