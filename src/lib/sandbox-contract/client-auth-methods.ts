/**
 * How a client authenticates at the token, introspection and revocation endpoints: a shared
 * secret (RFC 6749 §2.3.1) or a signed assertion (RFC 7523 §2.2). Names from RFC 7591 §2
 * `token_endpoint_auth_method`.
 */

/** The methods that send the client secret itself, in the order the playground offers them. */
export const clientSecretAuthMethods = ['client_secret_basic', 'client_secret_post'] as const;

/** One of {@link clientSecretAuthMethods}. */
export type ClientSecretAuthMethod = (typeof clientSecretAuthMethods)[number];

/** Every method the sandbox accepts (`token_endpoint_auth_methods_supported`). */
export const tokenEndpointAuthMethods = [...clientSecretAuthMethods, 'private_key_jwt'] as const;

/** One of {@link tokenEndpointAuthMethods}. */
export type TokenEndpointAuthMethod = (typeof tokenEndpointAuthMethods)[number];

/** RFC 7523 §2.2: the `client_assertion_type` of a JWT used for client authentication (private_key_jwt). */
export const jwtBearerAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** RFC 7591 §2: a client that registers without a method uses `client_secret_basic`. */
export const defaultClientAuthMethod: ClientSecretAuthMethod = 'client_secret_basic';

/** True when `value` names a method the sandbox accepts. */
export function isTokenEndpointAuthMethod(value: unknown): value is TokenEndpointAuthMethod {
  return (tokenEndpointAuthMethods as readonly unknown[]).includes(value);
}

/** True when `value` names a method that sends the client secret. */
export function isClientSecretAuthMethod(value: unknown): value is ClientSecretAuthMethod {
  return (clientSecretAuthMethods as readonly unknown[]).includes(value);
}
