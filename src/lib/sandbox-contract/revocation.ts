import type { HttpExchange } from '../http-exchange.ts';
import type { HttpRequestDescription } from '../http-message.ts';
import { expectStatus } from './assertions.ts';
import { defaultClientAuthMethod, type ClientSecretAuthMethod } from './client-auth-methods.ts';
import { authenticateClient } from './client-authentication.ts';
import type { ClientCredentials } from './client-credentials.ts';
import { sandboxPaths } from './paths.ts';

/**
 * `POST /oauth/revoke` for an access token (RFC 7009 §2.1): the client authenticates as it does
 * at the token endpoint.
 */
export function buildRevocationRequest(
  credentials: ClientCredentials,
  token: string,
  authMethod: ClientSecretAuthMethod = defaultClientAuthMethod,
): HttpRequestDescription {
  const form = new URLSearchParams({ token, token_type_hint: 'access_token' });
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  authenticateClient(headers, form, credentials, authMethod);
  return { method: 'POST', target: sandboxPaths.revocation, headers, body: form.toString() };
}

/**
 * Reads the revocation answer: RFC 7009 §2.2's 200 (also for a token that was already invalid),
 * or the error (`invalid_client`, `invalid_grant` for another client's token) as a `SandboxResponseError`.
 */
export function processRevocationResponse(exchange: HttpExchange): void {
  expectStatus(exchange, 200, 'The revocation');
}
