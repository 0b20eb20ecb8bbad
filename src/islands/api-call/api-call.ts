import type { HttpExchange } from '../../lib/http-exchange.ts';
import { responseHeader, responseJson, type HttpRequestDescription } from '../../lib/http-message.ts';
import { decodeJwt, numericDateMs } from '../../lib/jwt.ts';
import {
  explainApiError,
  type ErrorExplanation,
  type SentTokenFacts,
} from '../../lib/oauth-error-explanations.ts';
import {
  buildReportsRequest,
  processReportsResponse,
  SandboxResponseError,
  type ReportsMethod,
} from '../../lib/sandbox-contract/index.ts';
import type { PlaygroundToken } from '../playground-shared/playground-store.ts';

/** The API request the playground sends: the contract's, with the reader's title for POST. */
export function buildApiRequest(
  method: ReportsMethod,
  accessToken: string | undefined,
  title = 'Made in the playground',
): HttpRequestDescription {
  return buildReportsRequest(method, accessToken, { title });
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
  const method: ReportsMethod = exchange.request.method;
  try {
    processReportsResponse(exchange, method);
    return { ok: true, status: exchange.response?.status ?? 0 };
  } catch (error) {
    if (!(error instanceof SandboxResponseError)) throw error;
    if (!exchange.response || error.code === 'invalid_response')
      return { ok: false, explanation: undefined, message: error.message };
  }
  const response = exchange.response;
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
