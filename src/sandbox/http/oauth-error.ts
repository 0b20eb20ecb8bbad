import { errorDocUrl } from '../../lib/error-page.ts';
import type { OAuthErrorCode } from '../../lib/sandbox-contract/errors.ts';
import { formatChallenge } from '../../lib/www-authenticate.ts';
import type { SandboxLogger } from '../logger.ts';
import { jsonResponse } from './json-response.ts';

// The closed list of codes and the status each goes with: src/lib/sandbox-contract/errors.ts.
export type { OAuthErrorCode };

/** An authentication challenge to send in `WWW-Authenticate` with the error (RFC 9110 §11.6.1). */
export interface ErrorChallenge {
  scheme: 'Basic' | 'Bearer';
  /** Params besides `error` and `error_description`, which the error supplies (`realm` first). */
  params: Record<string, string | undefined>;
}

/** Optional parts of an {@link OAuthError}. */
export interface OAuthErrorOptions {
  /** Extra response headers (`Allow`, `Retry-After`). */
  headers?: Record<string, string>;
  /** The challenge that goes with a 401 or 403. */
  challenge?: ErrorChallenge;
}

/** An error a handler throws; {@link errorResponse} is the one place it becomes a Response. */
export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly challenge: ErrorChallenge | undefined;

  constructor(code: OAuthErrorCode, status: number, description: string, options: OAuthErrorOptions = {}) {
    super(description);
    this.name = 'OAuthError';
    this.code = code;
    this.status = status;
    this.headers = options.headers ?? {};
    this.challenge = options.challenge;
  }
}

/**
 * RFC 6749 §5.2 and RFC 6750 §3: `error_description` holds only %x20-21 / %x23-5B / %x5D-7E. The
 * sandbox writes its descriptions that way; this is the safety net that keeps the rule true.
 */
function safeDescription(description: string): string {
  return description.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '?');
}

/**
 * What the log says about an unexpected error: its name and where it was thrown, not its message.
 * A message can quote the input that caused it (a parser's "unexpected token ..."), and the input
 * may be a secret.
 */
export function describeUnexpectedError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 5);
  return [error.name, ...frames.map((frame) => frame.trim())].join(' | ');
}

/** What an error answer points to: the guide's row for its code, and the request's journal entry. */
export interface ErrorAnswerContext {
  /** The site's origin (`SITE_URL`): `error_uri` is its errors page's row for the code. */
  siteUrl?: string;
  /** The request's id, sent as `x-request-id`: the key to its journal entry and its log line. */
  requestId?: string | undefined;
  /** Where an unexpected failure is reported (by name and stack, never its message). */
  logger?: SandboxLogger;
}

/**
 * Turns any thrown value into a response: the JSON body of RFC 6749 §5.2 and, for a 401/403, the
 * `WWW-Authenticate` challenge of RFC 6749 §5.2 (Basic) or RFC 6750 §3 (Bearer). Unknown
 * failures become a 500 that says nothing more. With a `siteUrl`, the body carries `error_uri`
 * (RFC 6749 §5.2), and so does a Bearer challenge with an error code (RFC 6750 §3); a Basic
 * challenge has no such parameter. A request without credentials gets no error information in
 * its challenge (RFC 6750 §3.1); its body still points to the row that explains it.
 */
export function errorResponse(error: unknown, context: ErrorAnswerContext = {}): Response {
  const idHeader: Record<string, string> =
    context.requestId !== undefined ? { 'x-request-id': context.requestId } : {};
  if (!(error instanceof OAuthError)) {
    context.logger?.error('sandbox request failed', {
      ...(context.requestId !== undefined ? { request_id: context.requestId } : {}),
      error: describeUnexpectedError(error),
    });
    return jsonResponse(
      {
        error: 'server_error',
        error_description: 'The sandbox failed to answer this request.',
        ...(context.siteUrl !== undefined ? { error_uri: errorDocUrl(context.siteUrl, 'server_error') } : {}),
      },
      500,
      idHeader,
    );
  }
  const description = safeDescription(error.message);
  const headers = { ...error.headers, ...idHeader };
  const hasCode = error.code !== 'no_credentials';
  const errorUri = context.siteUrl !== undefined ? errorDocUrl(context.siteUrl, error.code) : undefined;
  if (error.challenge) {
    const { realm, ...rest } = error.challenge.params;
    const params =
      error.challenge.scheme === 'Bearer' && hasCode
        ? { realm, error: error.code, error_description: description, error_uri: errorUri, ...rest }
        : { realm, ...rest };
    headers['www-authenticate'] = formatChallenge(error.challenge.scheme, params);
  }
  const body = hasCode
    ? { error: error.code, error_description: description, ...(errorUri ? { error_uri: errorUri } : {}) }
    : { error_description: description, ...(errorUri ? { error_uri: errorUri } : {}) };
  return jsonResponse(body, error.status, headers);
}
