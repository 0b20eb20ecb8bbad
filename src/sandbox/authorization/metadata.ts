import { scopeNamesOf, type ApiProfile } from '../../lib/api-profile.ts';
import { tokenEndpointAuthMethods } from '../../lib/sandbox-contract/client-auth-methods.ts';
import { sandboxPaths } from '../../lib/sandbox-contract/paths.ts';
import { assertionSigningAlgorithms } from './client-jwks.ts';

/**
 * RFC 8414 §2: authorization server metadata. `issuer` is the public origin, byte-equal to
 * every token's `iss` (RFC 8414 §3.3).
 */
export function authorizationServerMetadata(issuer: string, profile: ApiProfile) {
  const authMethods = [...tokenEndpointAuthMethods];
  // RFC 8414 §2: required when private_key_jwt is offered; the algorithms a client assertion may use.
  const signingAlgs = [...assertionSigningAlgorithms];
  return {
    issuer,
    token_endpoint: `${issuer}${sandboxPaths.token}`,
    jwks_uri: `${issuer}${sandboxPaths.jwks}`,
    registration_endpoint: `${issuer}${sandboxPaths.registration}`,
    introspection_endpoint: `${issuer}${sandboxPaths.introspection}`,
    revocation_endpoint: `${issuer}${sandboxPaths.revocation}`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: authMethods,
    token_endpoint_auth_signing_alg_values_supported: signingAlgs,
    // RFC 8414 §2: both default to client_secret_basic alone, which would hide the other methods.
    introspection_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_signing_alg_values_supported: signingAlgs,
    revocation_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_signing_alg_values_supported: signingAlgs,
    scopes_supported: scopeNamesOf(profile),
    response_types_supported: [],
    service_documentation: `${issuer}/`,
  };
}
