/** The scopes the sample API knows; the guide's config names the same ones. */
export const supportedScopes = ['reports:read', 'reports:write'] as const;

/**
 * RFC 8414 §2: authorization server metadata. `issuer` is the public origin, byte-equal to
 * every token's `iss` (RFC 8414 §3.3).
 */
export function authorizationServerMetadata(issuer: string) {
  return {
    issuer,
    token_endpoint: `${issuer}/oauth/token`,
    jwks_uri: `${issuer}/oauth/jwks`,
    registration_endpoint: `${issuer}/oauth/register`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: [...supportedScopes],
    response_types_supported: [],
    service_documentation: `${issuer}/`,
  };
}
