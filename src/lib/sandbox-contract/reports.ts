import type { HttpExchange } from '../http-exchange.ts';
import type { HttpRequestDescription } from '../http-message.ts';
import { assertBody, expectStatus, type JsonObject } from './assertions.ts';
import { sandboxPaths } from './paths.ts';
import type { ReportsMethod } from './scopes.ts';

/** How a report call carries its token. */
export interface ReportsRequestOptions {
  /** The title of the report POST creates. */
  title?: string;
  /**
   * `query` puts the token in the URL as `access_token`, which RFC 6750 §2.3 allows servers to
   * refuse and this API does (400 `invalid_request`): only the errors page does that, on purpose.
   */
  tokenIn?: 'header' | 'query';
}

/** The JSON body the sample API's POST takes: a report with this title. */
export function reportBody(title: string): string {
  return JSON.stringify({ title, summary: 'Created from the playground.' });
}

/**
 * A call to the sample API: the token in the `Authorization` header (RFC 6750 §2.1), the only
 * place this API takes it. Without a token the header is left out, and the API answers 401
 * without an error code (RFC 6750 §3.1).
 */
export function buildReportsRequest(
  method: ReportsMethod,
  accessToken: string | undefined,
  options: ReportsRequestOptions = {},
): HttpRequestDescription {
  const inQuery = options.tokenIn === 'query' && accessToken !== undefined;
  const headers: Record<string, string> = {};
  if (accessToken !== undefined && !inQuery) headers.authorization = `Bearer ${accessToken}`;
  headers.accept = 'application/json';
  const target = inQuery
    ? `${sandboxPaths.reports}?access_token=${encodeURIComponent(accessToken)}`
    : sandboxPaths.reports;
  if (method === 'GET') return { method, target, headers };
  headers['content-type'] = 'application/json';
  return { method, target, headers, body: reportBody(options.title ?? 'Made in the playground') };
}

/**
 * Reads the API's answer: 200 with `reports` for GET, 201 with the created report for POST, or
 * the RFC 6750 §3 refusal (its code from the `WWW-Authenticate` challenge) as a `SandboxResponseError`.
 */
export function processReportsResponse(exchange: HttpExchange, method: ReportsMethod): JsonObject {
  const status = method === 'GET' ? 200 : 201;
  const check = assertBody(expectStatus(exchange, status, `${method} ${sandboxPaths.reports}`), status);
  if (method === 'GET') check.objectArray('reports');
  else check.nonEmptyString('id');
  return check.object();
}
