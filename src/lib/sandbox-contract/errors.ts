/**
 * The closed list of error codes the sandbox answers with, and the status each goes with:
 * RFC 6749 §5.2 (token endpoint), RFC 6750 §3.1 (protected resource), RFC 7591 §3.2.2
 * (registration), RFC 7009 §2.2.1 (revocation), RFC 6749 §4.1.2.1's `temporarily_unavailable`
 * (shutting down), plus the HTTP-level codes for what no RFC names (unknown path, wrong method,
 * rate limit). `no_credentials` is RFC 6750 §3.1's request without any authentication: its answer
 * carries no error code at all; on the wire it has none.
 */
export const oauthErrorStatuses = {
  invalid_request: 400,
  // RFC 6749 §5.2: 401 when the client tried HTTP authentication; the sandbox always sends 401.
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  no_credentials: 401,
  invalid_client_metadata: 400,
  unsupported_token_type: 400,
  temporarily_unavailable: 503,
  not_found: 404,
  method_not_allowed: 405,
  too_many_requests: 429,
} as const;

/** One of the sandbox's error codes. */
export type OAuthErrorCode = keyof typeof oauthErrorStatuses;

/** Every error code, in the table's order. */
export const oauthErrorCodes = Object.keys(oauthErrorStatuses) as OAuthErrorCode[];

/**
 * The one exception to the table: a body over the limit is `invalid_request` with 413 (RFC 9110
 * §15.5.14), so a client sees both what it did wrong and the HTTP reason.
 */
export const bodyTooLargeStatus = 413;

/** True when `value` is one of the sandbox's error codes. */
export function isOAuthErrorCode(value: unknown): value is OAuthErrorCode {
  return typeof value === 'string' && Object.hasOwn(oauthErrorStatuses, value);
}
