import type { HttpExchange } from '../http-exchange.ts';
import type { HttpRequestDescription } from '../http-message.ts';
import { assertBody, expectStatus, invalidField } from './assertions.ts';
import { defaultClientAuthMethod, type ClientSecretAuthMethod } from './client-auth-methods.ts';
import { authenticateClient } from './client-authentication.ts';
import type { ClientCredentials } from './client-credentials.ts';
import { sandboxPaths } from './paths.ts';

/** What the client chose for one token request. */
export interface TokenRequestChoice {
  /** Default `client_secret_basic`, the method every client registers with unless it says otherwise. */
  authMethod?: ClientSecretAuthMethod;
  /** The scopes to ask for; none leaves `scope` out (RFC 6749 §3.3: the client's registered scopes). */
  scopes?: readonly string[];
}

/**
 * The client credentials token request (RFC 6749 §4.4.2) to the sandbox's token endpoint: a form
 * body with `grant_type=client_credentials` and, if any, `scope`, the client authenticated as
 * `choice.authMethod` says.
 */
export function buildClientCredentialsRequest(
  credentials: ClientCredentials,
  choice: TokenRequestChoice = {},
): HttpRequestDescription {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (choice.scopes && choice.scopes.length > 0) form.set('scope', choice.scopes.join(' '));
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  authenticateClient(headers, form, credentials, choice.authMethod ?? defaultClientAuthMethod);
  return { method: 'POST', target: sandboxPaths.token, headers, body: form.toString() };
}

/** A token the sandbox issued (RFC 6749 §5.1). */
export interface IssuedToken {
  accessToken: string;
  /** Seconds the token lives from when the answer was generated. */
  expiresInSeconds: number;
  /** The granted scope, space-separated. */
  scope: string;
}

/**
 * Reads the token endpoint's answer: the 200 of RFC 6749 §5.1, field by field, or the §5.2 error
 * as a {@link SandboxResponseError} (`oauth_error` with `oauthError`). The sandbox always sends
 * `expires_in` and `scope`, so both are required here.
 */
export function processClientCredentialsResponse(exchange: HttpExchange): IssuedToken {
  const body = expectStatus(exchange, 200, 'The token request');
  const check = assertBody(body, 200);
  const accessToken = check.nonEmptyString('access_token');
  // RFC 6749 §7.1 / RFC 6750 §4: the token type is case-insensitive; the sandbox issues Bearer only.
  if (check.string('token_type').toLowerCase() !== 'bearer') {
    throw invalidField('token_type', '"Bearer"', 200);
  }
  return {
    accessToken,
    expiresInSeconds: check.positiveInteger('expires_in'),
    scope: check.string('scope'),
  };
}
