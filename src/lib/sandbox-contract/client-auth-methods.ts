/**
 * How a client authenticates at the token, introspection and revocation endpoints (RFC 6749
 * §2.3.1; names from RFC 7591 §2 `token_endpoint_auth_method`).
 */

/** Every method the sandbox accepts, in the order the playground offers them. */
export const clientAuthMethods = ['client_secret_basic', 'client_secret_post'] as const;

/** One of {@link clientAuthMethods}. */
export type ClientAuthMethod = (typeof clientAuthMethods)[number];

/** RFC 7591 §2: a client that registers without a method uses `client_secret_basic`. */
export const defaultClientAuthMethod: ClientAuthMethod = 'client_secret_basic';

/** True when `value` names a method the sandbox accepts. */
export function isClientAuthMethod(value: unknown): value is ClientAuthMethod {
  return (clientAuthMethods as readonly unknown[]).includes(value);
}
