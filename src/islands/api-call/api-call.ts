import { apiProfile } from '../../lib/api-profile.ts';
import type { HttpExchange } from '../../lib/http-exchange.ts';
import { responseHeader, responseJson, type HttpRequestDescription } from '../../lib/http-message.ts';
import { decodeJwt, numericDateMs } from '../../lib/jwt.ts';
import {
  explainApiError,
  type ErrorExplanation,
  type SentTokenFacts,
} from '../../lib/oauth-error-explanations.ts';
import type { PlaygroundToken } from '../playground-shared/playground-store.ts';

/** The sample API's one resource, relative: islands talk to their own origin only. */
export const reportsPath = '/api/v1/reports';

/** The scope each method needs: the API profile says which scope reads and which writes. */
export const scopeForMethod = { GET: apiProfile.readScope, POST: apiProfile.writeScope } as const;

export type ApiMethod = keyof typeof scopeForMethod;

/** The JSON body the playground sends with POST: a report with this title. */
export function reportBody(title: string): string {
  return JSON.stringify({ title, summary: 'Created from the playground.' });
}

/**
 * The API request: the token in the `Authorization` header (RFC 6750 §2.1), the only place this
 * API takes it. Without a token the header is left out, and the API answers 401 without an error.
 */
export function buildApiRequest(
  method: ApiMethod,
  accessToken: string | undefined,
  title = 'Made in the playground',
): HttpRequestDescription {
  const headers: Record<string, string> = {};
  if (accessToken !== undefined) headers.authorization = `Bearer ${accessToken}`;
  headers.accept = 'application/json';
  if (method === 'GET') return { method, target: reportsPath, headers };
  headers['content-type'] = 'application/json';
  return { method, target: reportsPath, headers, body: reportBody(title) };
}

/**
 * What the caller knows of its token: `exp` and `scope` from the JWT when it is one, else the
 * token response's `expires_in` (counted from the request) and `scope`.
 */
export function tokenFacts(token: PlaygroundToken): SentTokenFacts {
  const decoded = decodeJwt(token.accessToken);
  const payload = decoded.ok ? decoded.jwt.payload : {};
  const expiresAtMs =
    numericDateMs(payload, 'exp') ??
    (token.expiresInSeconds !== undefined ? token.requestedAt + token.expiresInSeconds * 1000 : undefined);
  const scope = typeof payload.scope === 'string' ? payload.scope : token.scope;
  return {
    ...(expiresAtMs !== undefined ? { expiresAtMs } : {}),
    ...(scope !== undefined ? { scopes: scope.split(' ').filter((name) => name !== '') } : {}),
  };
}

/** An API call's outcome: success, or the refusal explained. */
export type ApiCallOutcome =
  { ok: true; status: number } | { ok: false; explanation: ErrorExplanation | undefined; message: string };

/** Reads the API's answer; a 4xx is explained from its `WWW-Authenticate` challenge (RFC 6750 §3). */
export function readApiCallOutcome(
  exchange: HttpExchange,
  facts: SentTokenFacts,
  nowMs: number,
  formatTime?: (ms: number) => string,
): ApiCallOutcome {
  const response = exchange.response;
  if (!response)
    return {
      ok: false,
      explanation: undefined,
      message: `No answer: ${exchange.networkError ?? 'the sandbox could not be reached'}.`,
    };
  if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
  const explanation = explainApiError(
    {
      status: response.status,
      wwwAuthenticate: responseHeader(response, 'www-authenticate'),
      body: responseJson(response),
    },
    facts,
    nowMs,
    formatTime,
  );
  return { ok: false, explanation, message: explanation.summary };
}
