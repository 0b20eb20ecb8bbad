import { encodeBasicCredentials } from '../basic-auth.ts';
import type { ClientSecretAuthMethod } from './client-auth-methods.ts';
import type { ClientCredentials } from './client-credentials.ts';

/**
 * Puts the client's credentials where `method` says: an `Authorization: Basic` header (RFC 6749
 * §2.3.1: form-urlencoded first, which the helper does) or `client_id` and `client_secret` in the
 * form body. Never both: RFC 6749 §2.3 allows one method per request.
 */
export function authenticateClient(
  headers: Record<string, string>,
  form: URLSearchParams,
  credentials: ClientCredentials,
  method: ClientSecretAuthMethod,
): void {
  if (method === 'client_secret_basic') {
    headers.authorization = encodeBasicCredentials(credentials.clientId, credentials.clientSecret);
  } else {
    form.set('client_id', credentials.clientId);
    form.set('client_secret', credentials.clientSecret);
  }
}
