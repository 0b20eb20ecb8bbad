import { formParameter, readForm, refuseSecretsInUrl } from '../http/form.ts';
import { jsonResponse } from '../http/json-response.ts';
import { allowMethods } from '../http/methods.ts';
import { OAuthError } from '../http/oauth-error.ts';
import type { EndpointContext } from '../http/request-context.ts';
import type { AccessTokenVerifier } from '../resource/access-token-verifier.ts';
import type { ClientAuthenticator } from './client-authentication.ts';

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
  return async function introspectToken(request: Request, context: EndpointContext): Promise<Response> {
    allowMethods(request, ['POST']);
    refuseSecretsInUrl(request);
    const form = await readForm(request);
    if (context.trace) context.trace.form = form;
    const client = await authenticateClient(request, form, context);
    const token = formParameter(form, 'token');
    if (token === undefined)
      throw new OAuthError('invalid_request', 400, 'The token parameter is missing (RFC 7662 section 2.1).');
    // token_type_hint is optional and only a hint (§2.1); the sandbox has one kind of token.
    formParameter(form, 'token_type_hint');
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
