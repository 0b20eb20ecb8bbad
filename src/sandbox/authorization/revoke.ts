import { epochSeconds, type Clock } from '../clock.ts';
import { emptyResponse } from '../http/json-response.ts';
import { OAuthError } from '../http/oauth-error.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import type { EndpointContext } from '../http/request-context.ts';
import type { AccessTokenVerifier } from '../resource/access-token-verifier.ts';
import type { Store } from '../store/store.ts';
import type { ClientAuthenticator } from './client-authentication.ts';
import { tokenParameterReader } from './client-form.ts';

/** What {@link createRevocationEndpoint} needs. */
export interface RevocationOptions {
  verifier: AccessTokenVerifier;
  authenticateClient: ClientAuthenticator;
  store: Store;
  clock: Clock;
  /** Revocations per client: each is a durable write and a row kept until the token expires. */
  revocationsPerClient: RateLimiter;
}

/**
 * `POST /oauth/revoke` (RFC 7009). The caller authenticates as a client (§2.1); a token issued to
 * another client is refused (§2.1: "the request is refused"), with RFC 6749 §5.2's `invalid_grant`,
 * whose definition names exactly that case. An invalid, unknown or expired token is 200 with
 * nothing done (§2.2). The revocation is kept until the token's `exp`, after which the token is
 * dead anyway, and the API refuses the token from the next request on.
 */
export function createRevocationEndpoint({
  verifier,
  authenticateClient,
  store,
  clock,
  revocationsPerClient,
}: RevocationOptions) {
  const readRequest = tokenParameterReader(authenticateClient, 'RFC 7009');
  return async function revokeToken(request: Request, context: EndpointContext): Promise<Response> {
    const { client, token } = await readRequest(request, context);
    const claims = await verifier.verifySignature(token);
    if (claims) {
      if (claims.client_id !== client.clientId) {
        throw new OAuthError(
          'invalid_grant',
          400,
          'This token was issued to another client; only that client can revoke it.',
        );
      }
      // Only a live token not yet revoked costs a write; the limit bounds the rows one client keeps.
      if (claims.exp > epochSeconds(clock) && !(await store.isRevoked(claims.jti))) {
        revocationsPerClient.spend(client.clientId);
        await store.saveRevocation(claims.jti, claims.exp);
      }
    }
    // §2.2: 200, and the body is ignored; no-store as every answer about credentials.
    return emptyResponse(200);
  };
}
