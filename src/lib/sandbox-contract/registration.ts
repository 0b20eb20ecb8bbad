import type { HttpExchange } from '../http-exchange.ts';
import type { HttpRequestDescription } from '../http-message.ts';
import { assertBody, expectStatus } from './assertions.ts';
import { clientSecretAuthMethods, type ClientSecretAuthMethod } from './client-auth-methods.ts';
import type { ClientCredentials } from './client-credentials.ts';
import { sandboxPaths } from './paths.ts';
import { splitScope } from './scopes.ts';

/** The client metadata a caller asks for (RFC 7591 §2); every field is optional for the sandbox. */
export interface RegistrationParameters {
  clientName?: string;
  /** The scopes the client may request; none leaves `scope` out (the sandbox then grants all). */
  scopes?: readonly string[];
  tokenEndpointAuthMethod?: ClientSecretAuthMethod;
  /** The sandbox's own field: how long the client's tokens live, in seconds (see `accessTokenLifetime`). */
  accessTokenLifetime?: number;
}

/** `POST /oauth/register` with a JSON body of the given metadata (RFC 7591 §3.1). */
export function buildRegistrationRequest(parameters: RegistrationParameters): HttpRequestDescription {
  const metadata: Record<string, unknown> = {};
  if (parameters.clientName !== undefined) metadata.client_name = parameters.clientName;
  if (parameters.scopes && parameters.scopes.length > 0) metadata.scope = parameters.scopes.join(' ');
  if (parameters.tokenEndpointAuthMethod !== undefined)
    metadata.token_endpoint_auth_method = parameters.tokenEndpointAuthMethod;
  if (parameters.accessTokenLifetime !== undefined)
    metadata.access_token_lifetime = parameters.accessTokenLifetime;
  return {
    method: 'POST',
    target: sandboxPaths.registration,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(metadata),
  };
}

/** A registered client, as the sandbox answered (RFC 7591 §3.2.1). */
export interface RegisteredClient extends ClientCredentials {
  /** Seconds since the epoch; 0 would mean "never expires". */
  clientSecretExpiresAt: number;
  tokenEndpointAuthMethod: ClientSecretAuthMethod;
  scopes: string[];
  accessTokenLifetime: number;
  /** RFC 7592 §3: the Bearer token for the client's configuration endpoint and its journal. */
  registrationAccessToken?: string;
  /** RFC 7592 §3: the client's configuration endpoint, `ORIGIN/oauth/clients/{client_id}`. */
  registrationClientUri?: string;
}

/**
 * Reads the registration answer: 201 with every field this guide relies on, checked one by one,
 * or the RFC 7591 §3.2.2 error (`invalid_client_metadata`, ...) as a `SandboxResponseError`.
 */
export function processRegistrationResponse(exchange: HttpExchange): RegisteredClient {
  const check = assertBody(expectStatus(exchange, 201, 'The registration'), 201);
  const { registration_access_token: token, registration_client_uri: uri } = check.object();
  return {
    clientId: check.nonEmptyString('client_id'),
    clientSecret: check.nonEmptyString('client_secret'),
    clientSecretExpiresAt: check.number('client_secret_expires_at'),
    tokenEndpointAuthMethod: check.oneOf('token_endpoint_auth_method', clientSecretAuthMethods),
    scopes: splitScope(check.string('scope')),
    accessTokenLifetime: check.positiveInteger('access_token_lifetime'),
    // Optional (RFC 7591 servers without RFC 7592 send neither): kept only when well formed.
    ...(typeof token === 'string' && token !== '' ? { registrationAccessToken: token } : {}),
    ...(typeof uri === 'string' && URL.canParse(uri) ? { registrationClientUri: uri } : {}),
  };
}
