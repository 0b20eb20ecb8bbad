import { encodeBasicCredentials } from '../basic-auth.ts';
import type { ClientCredentials } from './client-credentials.ts';

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

/**
 * Puts the client's credentials where `method` says: an `Authorization: Basic` header (RFC 6749
 * §2.3.1: form-urlencoded first, which the helper does) or `client_id` and `client_secret` in the
 * form body. Never both: RFC 6749 §2.3 allows one method per request.
 */
export function authenticateClient(
  headers: Record<string, string>,
  form: URLSearchParams,
  credentials: ClientCredentials,
  method: ClientAuthMethod,
): void {
  if (method === 'client_secret_basic') {
    headers.authorization = encodeBasicCredentials(credentials.clientId, credentials.clientSecret);
  } else {
    form.set('client_id', credentials.clientId);
    form.set('client_secret', credentials.clientSecret);
  }
}
