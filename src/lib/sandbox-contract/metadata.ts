import type { HttpExchange } from '../http-exchange.ts';
import type { HttpRequestDescription } from '../http-message.ts';
import { assertBody, expectStatus, invalidField } from './assertions.ts';
import { sandboxPaths } from './paths.ts';

/** A GET for one of the sandbox's public JSON documents. */
function getJson(target: string): HttpRequestDescription {
  return { method: 'GET', target, headers: { accept: 'application/json' } };
}

/** `GET /.well-known/oauth-authorization-server` (RFC 8414 §3.1). */
export function buildAuthorizationServerMetadataRequest(): HttpRequestDescription {
  return getJson(sandboxPaths.authorizationServerMetadata);
}

/** The parts of the authorization server metadata (RFC 8414 §2) the islands use. */
export interface AuthorizationServerMetadata {
  issuer: string;
  tokenEndpoint: string;
  grantTypesSupported: string[];
  scopesSupported: string[];
}

/** Reads the RFC 8414 §3.2 answer field by field; anything else throws a `SandboxResponseError`. */
export function processAuthorizationServerMetadataResponse(
  exchange: HttpExchange,
): AuthorizationServerMetadata {
  const check = assertBody(expectStatus(exchange, 200, 'The authorization server metadata'), 200);
  return {
    issuer: check.nonEmptyString('issuer'),
    tokenEndpoint: check.nonEmptyString('token_endpoint'),
    grantTypesSupported: check.stringArray('grant_types_supported'),
    scopesSupported: check.stringArray('scopes_supported'),
  };
}

/** `GET /.well-known/oauth-protected-resource/api` (RFC 9728 §3.1). */
export function buildProtectedResourceMetadataRequest(): HttpRequestDescription {
  return getJson(sandboxPaths.protectedResourceMetadata);
}

/** What the sample API trusts, from its RFC 9728 §2 metadata. */
export interface ProtectedResourceMetadata {
  /** The API's identifier: every access token's `aud` (RFC 9068 §3). */
  resource: string;
  authorizationServers: string[];
}

/** Reads the RFC 9728 §3.2 answer field by field; anything else throws a `SandboxResponseError`. */
export function processProtectedResourceMetadataResponse(exchange: HttpExchange): ProtectedResourceMetadata {
  const check = assertBody(expectStatus(exchange, 200, 'The protected resource metadata'), 200);
  const resource = check.nonEmptyString('resource');
  const authorizationServers = check.stringArray('authorization_servers');
  if (authorizationServers.length === 0)
    throw invalidField('authorization_servers', 'a non-empty array', 200);
  return { resource, authorizationServers };
}

/** `GET /oauth/jwks` (RFC 7517 §5), the `jwks_uri`. */
export function buildJwksRequest(): HttpRequestDescription {
  return getJson(sandboxPaths.jwks);
}

/** A JWK Set: the public keys that verify the sandbox's tokens. */
export interface JsonWebKeySet {
  keys: Record<string, unknown>[];
}

/** Reads the RFC 7517 §5 key set: `keys`, an array of objects. */
export function processJwksResponse(exchange: HttpExchange): JsonWebKeySet {
  const check = assertBody(expectStatus(exchange, 200, 'The JWKS'), 200);
  return { keys: check.objectArray('keys') };
}
