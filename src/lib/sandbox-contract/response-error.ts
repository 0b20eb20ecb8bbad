/**
 * The one error every `process…Response` of the contract throws. Its `code` comes from a closed
 * list: callers switch on the code, tests assert it; the message is for people and never holds
 * a secret or a token.
 */
export const sandboxResponseErrorCodes = [
  /** No answer came: the network failed or the sandbox could not be reached. */
  'network_error',
  /** The sandbox answered with an OAuth error (RFC 6749 §5.2, RFC 6750 §3, RFC 7591 §3.2.2); see `oauthError`. */
  'oauth_error',
  /** An unexpected status without an OAuth error: a 404 page, a 502 from a proxy. */
  'unexpected_status',
  /** The expected status, but a body that breaks the contract; the message names the field. */
  'invalid_response',
] as const;

/** One of {@link sandboxResponseErrorCodes}. */
export type SandboxResponseErrorCode = (typeof sandboxResponseErrorCodes)[number];

/** Details that come with some codes. */
export interface SandboxResponseErrorDetails {
  /** The HTTP status, when the sandbox answered. */
  status?: number;
  /** The `error` code the answer carried (body or Bearer challenge); undefined for RFC 6750 §3.1's bare 401. */
  oauthError?: string;
  /** The answer's `error_description`, when it sent one. */
  description?: string;
}

/** A response that is not what the call expects; switch on {@link SandboxResponseError.code}. */
export class SandboxResponseError extends Error {
  readonly code: SandboxResponseErrorCode;
  readonly status: number | undefined;
  readonly oauthError: string | undefined;
  readonly description: string | undefined;

  constructor(code: SandboxResponseErrorCode, message: string, details: SandboxResponseErrorDetails = {}) {
    super(message);
    this.name = 'SandboxResponseError';
    this.code = code;
    this.status = details.status;
    this.oauthError = details.oauthError;
    this.description = details.description;
  }
}
