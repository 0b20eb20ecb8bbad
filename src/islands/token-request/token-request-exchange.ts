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

/** What the page knows about a refusal that the error code alone does not say, and the fix it can apply. */
export interface TokenRefusalDiagnosis {
  /** The specific cause, first thing the reader sees. */
  lead: string;
  /** A one-click fix: the same request with this change. */
  retry?: { label: string; choice: TokenRequestChoice };
}

/**
 * Leads with the cause this page can name, before the error code's generic list: the method the
 * client is registered for (RFC 7591 §2 `token_endpoint_auth_method`) when the request used the
 * other one, or the scopes it was registered with when the request asked for more (RFC 6749 §3.3).
 */
export function diagnoseTokenRefusal(
  code: string | undefined,
  credentials: Pick<PlaygroundCredentials, 'authMethod' | 'scopes' | 'source'>,
  choice: TokenRequestChoice,
  labels: Record<ClientSecretAuthMethod, string>,
): TokenRefusalDiagnosis | undefined {
  if (code === 'invalid_client' && choice.authMethod !== credentials.authMethod) {
    const registered = labels[credentials.authMethod];
    return {
      lead:
        `This client is registered for ${credentials.authMethod} (${registered.toLowerCase()}), ` +
        `and this request sent its credentials in the ${labels[choice.authMethod].toLowerCase()}: ` +
        `the sandbox accepts only the registered method.`,
      retry: {
        label: `Switch to ${registered} and retry`,
        choice: { ...choice, authMethod: credentials.authMethod },
      },
    };
  }
  if (code === 'invalid_client' && credentials.source === 'own') {
    return {
      lead:
        'The sandbox does not know this client ID, or the secret is not the one it was given. A ' +
        'lost secret cannot be shown again (the sandbox keeps only its hash): register a new ' +
        'client.',
    };
  }
  if (code === 'invalid_scope' && credentials.source === 'registered') {
    const extra = choice.scopes.filter((scope) => !credentials.scopes.includes(scope));
    if (extra.length > 0)
      return {
        lead:
          `This client is registered for ${credentials.scopes.join(' ')} only, and the request also ` +
          `asked for ${extra.join(' ')}: the sandbox refuses rather than hand out less than was ` +
          `asked for.`,
        retry: {
          label: 'Ask for its registered scopes and retry',
          choice: { ...choice, scopes: choice.scopes.filter((scope) => credentials.scopes.includes(scope)) },
        },
      };
  }
  return undefined;
}
