import type { HttpExchange } from '../../lib/http-exchange.ts';
import type { HttpRequestDescription } from '../../lib/http-message.ts';
import { responseJson } from '../../lib/http-message.ts';
import { explainTokenEndpointError, type ErrorExplanation } from '../../lib/oauth-error-explanations.ts';
import {
  buildClientCredentialsRequest,
  processClientCredentialsResponse,
  SandboxResponseError,
  type ClientSecretAuthMethod,
} from '../../lib/sandbox-contract/index.ts';
import type { PlaygroundCredentials, PlaygroundToken } from '../playground-shared/playground-store.ts';

/** What the reader chose for this token request. */
export interface TokenRequestChoice {
  authMethod: ClientSecretAuthMethod;
  /** The scopes to ask for; none leaves `scope` out (RFC 6749 §3.3: the client's registered scopes). */
  scopes: readonly string[];
}

/** The token request for these credentials and choices (the contract's client credentials request). */
export function buildPlaygroundTokenRequest(
  credentials: Pick<PlaygroundCredentials, 'clientId' | 'clientSecret'>,
  choice: TokenRequestChoice,
): HttpRequestDescription {
  return buildClientCredentialsRequest(credentials, choice);
}

/** A token request's outcome: the token, or the error explained. */
export type TokenRequestOutcome =
  | { ok: true; token: PlaygroundToken }
  | { ok: false; explanation: ErrorExplanation | undefined; message: string };

/**
 * Reads the token endpoint's answer with the contract's checks: a 200 field by field, an error by
 * its RFC 6749 §5.2 code, explained in plain words.
 */
export function readTokenRequestOutcome(exchange: HttpExchange, requestedAt: number): TokenRequestOutcome {
  try {
    const token = processClientCredentialsResponse(exchange);
    return {
      ok: true,
      token: {
        accessToken: token.accessToken,
        requestedAt,
        expiresInSeconds: token.expiresInSeconds,
        scope: token.scope,
      },
    };
  } catch (error) {
    if (!(error instanceof SandboxResponseError)) throw error;
    const response = exchange.response;
    if (!response || error.code === 'invalid_response')
      return { ok: false, explanation: undefined, message: error.message };
    return {
      ok: false,
      explanation: explainTokenEndpointError(response.status, responseJson(response)),
      message: error.message,
    };
  }
}
