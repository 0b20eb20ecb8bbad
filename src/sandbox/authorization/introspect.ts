import { jsonResponse } from '../http/json-response.ts';
import type { EndpointContext } from '../http/request-context.ts';
import type { AccessTokenVerifier } from '../resource/access-token-verifier.ts';
import type { ClientAuthenticator } from './client-authentication.ts';
import { tokenParameterReader } from './client-form.ts';

/** What {@link createIntrospectionEndpoint} needs. */
export interface IntrospectionOptions {
  verifier: AccessTokenVerifier;
  authenticateClient: ClientAuthenticator;
}

/**
 * `POST /oauth/introspect` (RFC 7662). The caller authenticates as a client (§2.1). A token that
 * is unknown, forged, expired or revoked is `{"active": false}` and nothing else (§2.2). So is a
 * token issued to another client: sandbox clients are strangers to each other, and §2.2 lets the
 * server answer inactive for a token the caller may not introspect.
 */
export function createIntrospectionEndpoint({ verifier, authenticateClient }: IntrospectionOptions) {
  const readRequest = tokenParameterReader(authenticateClient, 'RFC 7662');
  return async function introspectToken(request: Request, context: EndpointContext): Promise<Response> {
    const { client, token } = await readRequest(request, context);
    const result = await verifier.verify(token);
    if (!result.ok || result.claims.client_id !== client.clientId) return jsonResponse({ active: false });
    const { claims } = result;
    return jsonResponse({
      active: true,
      scope: claims.scope,
      client_id: claims.client_id,
      token_type: 'Bearer',
      exp: claims.exp,
      iat: claims.iat,
      sub: claims.sub,
      aud: claims.aud,
      iss: claims.iss,
      jti: claims.jti,
    });
  };
}
