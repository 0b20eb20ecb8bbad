import type { HttpExchange } from '../../lib/http-exchange.ts';
import type { HttpRequestDescription } from '../../lib/http-message.ts';
import { responseJson } from '../../lib/http-message.ts';
import { explainTokenEndpointError, type ErrorExplanation } from '../../lib/oauth-error-explanations.ts';
import { buildTokenRequest, type ClientAuthMethod } from '../../lib/token-request.ts';
import { processTokenResponse } from '../../lib/token-response.ts';
import { TokenSourceError } from '../../lib/token-source-error.ts';
import type { PlaygroundCredentials, PlaygroundToken } from '../playground-shared/playground-store.ts';

/** The sandbox's token endpoint, relative: islands talk to their own origin only. */
export const tokenEndpointPath = '/oauth/token';

/** What the reader chose for this token request. */
export interface TokenRequestChoice {
  authMethod: ClientAuthMethod;
  /** The scopes to ask for; none leaves `scope` out (RFC 6749 §3.3: the client's registered scopes). */
  scopes: readonly string[];
}

/** The token request for these credentials and choices, built by the guide's reference code (src/lib/token-request.ts). */
export function buildPlaygroundTokenRequest(
  credentials: Pick<PlaygroundCredentials, 'clientId' | 'clientSecret'>,
  choice: TokenRequestChoice,
): HttpRequestDescription {
  const request = buildTokenRequest({
    tokenEndpoint: tokenEndpointPath,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    scopes: choice.scopes,
    authMethod: choice.authMethod,
  });
  return { method: 'POST', target: request.url, headers: request.init.headers, body: request.init.body };
}

/** A token request's outcome: the token, or the error explained. */
export type TokenRequestOutcome =
  | { ok: true; token: PlaygroundToken }
  | { ok: false; explanation: ErrorExplanation | undefined; message: string };

/**
 * Reads the token endpoint's answer with the reference client's checks (src/lib/token-response.ts):
 * a 200 field by field, an error by its RFC 6749 §5.2 code, explained in plain words.
 */
export function readTokenRequestOutcome(exchange: HttpExchange, requestedAt: number): TokenRequestOutcome {
  const response = exchange.response;
  if (!response)
    return {
      ok: false,
      explanation: undefined,
      message: `No answer: ${exchange.networkError ?? 'the sandbox could not be reached'}.`,
    };
  const body = responseJson(response);
  try {
    const token = processTokenResponse(response.status, body);
    return {
      ok: true,
      token: {
        accessToken: token.accessToken,
        requestedAt,
        ...(token.expiresInSeconds !== undefined ? { expiresInSeconds: token.expiresInSeconds } : {}),
        ...(token.scope !== undefined ? { scope: token.scope } : {}),
      },
    };
  } catch (error) {
    if (!(error instanceof TokenSourceError)) throw error;
    if (error.code === 'invalid_token_response' && response.status === 200)
      return { ok: false, explanation: undefined, message: error.message };
    return {
      ok: false,
      explanation: explainTokenEndpointError(response.status, body),
      message: error.message,
    };
  }
}
