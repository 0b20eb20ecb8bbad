import { jsonResponse } from './json-response.ts';

/**
 * The closed list of error codes the sandbox answers with: RFC 6749 §5.2 (token endpoint),
 * RFC 6750 §3.1 (protected resource), RFC 7591 §3.2.2 (registration), plus the HTTP-level
 * codes the sandbox needs for things no RFC names (unknown path, rate limit).
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_client_metadata'
  | 'not_found'
  | 'method_not_allowed'
  | 'too_many_requests';

/** An error a handler throws; {@link errorResponse} is the one place it becomes a Response. */
export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(code: OAuthErrorCode, status: number, description: string, headers: Record<string, string> = {}) {
    super(description);
    this.name = 'OAuthError';
    this.code = code;
    this.status = status;
    this.headers = headers;
  }
}

/** Turns any thrown value into a response. Unknown failures become a 500 that says nothing more. */
export function errorResponse(error: unknown): Response {
  if (error instanceof OAuthError) {
    return jsonResponse({ error: error.code, error_description: error.message }, error.status, error.headers);
  }
  return jsonResponse({ error: 'server_error', error_description: 'The sandbox failed to answer this request.' }, 500);
}
