import { encodeBasicCredentials } from './basic-auth.ts';

/**
 * How this client authenticates at the token endpoint: with its secret (RFC 6749 §2.3.1). Spelled
 * out here rather than imported from the sandbox contract: this file is part of the reference
 * client that readers copy on its own (the token-client page lists every file it needs).
 */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** What a client credentials token request needs. */
export interface TokenRequestParameters {
  tokenEndpoint: string | URL;
  clientId: string;
  clientSecret: string;
  /** The scopes to ask for; none (or an empty list) asks for what the client is registered with (RFC 6749 §3.3). */
  scopes?: readonly string[] | undefined;
  /** Default `client_secret_basic`, the method every server must support (RFC 6749 §2.3.1). */
  authMethod?: ClientAuthMethod;
}

/** A request ready for `fetch(url, init)`; the body is a string, so the same request can be sent again. */
export interface TokenRequest {
  url: string;
  init: { method: 'POST'; headers: Record<string, string>; body: string; credentials: 'omit' };
}

/**
 * Builds the client credentials token request (RFC 6749 §4.4.2). Pure: no I/O, so tests read the
 * exact bytes a server would get.
 */
export function buildTokenRequest({
  tokenEndpoint,
  clientId,
  clientSecret,
  scopes = [],
  authMethod = 'client_secret_basic',
}: TokenRequestParameters): TokenRequest {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (scopes.length > 0) form.set('scope', scopes.join(' '));
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (authMethod === 'client_secret_basic') {
    // RFC 6749 §2.3.1: form-urlencode id and secret before Basic; the helper does both steps.
    headers.authorization = encodeBasicCredentials(clientId, clientSecret);
  } else {
    form.set('client_id', clientId);
    form.set('client_secret', clientSecret);
  }
  // credentials: 'omit': in a browser, a 401 with `WWW-Authenticate: Basic` (invalid_client) on a
  // request that may carry credentials makes Chromium hold the request for a login prompt.
  return {
    url: String(tokenEndpoint),
    init: { method: 'POST', headers, body: form.toString(), credentials: 'omit' },
  };
}

/**
 * RFC 7523 §2.2: the `client_assertion_type` of a JWT client assertion. The sandbox contract states
 * it too; this reference-client file spells it out so that it can be copied on its own.
 */
export const jwtBearerAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Builds the token request of a `private_key_jwt` client (RFC 7523 §2.2, RFC 7521 §4.2): the
 * signed assertion in the form, with its type and the client_id; no Authorization header.
 */
export function buildAssertionTokenRequest({
  tokenEndpoint,
  clientId,
  scopes = [],
  clientAssertion,
}: Omit<TokenRequestParameters, 'clientSecret' | 'authMethod'> & { clientAssertion: string }): TokenRequest {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (scopes.length > 0) form.set('scope', scopes.join(' '));
  form.set('client_id', clientId);
  form.set('client_assertion_type', jwtBearerAssertionType);
  form.set('client_assertion', clientAssertion);
  return {
    url: String(tokenEndpoint),
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      credentials: 'omit',
    },
  };
}
