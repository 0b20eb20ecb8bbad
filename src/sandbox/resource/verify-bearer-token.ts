import { OAuthError, type ErrorChallenge } from '../http/oauth-error.ts';
import type { InspectionTrace, RequestObservations } from '../http/request-context.ts';
import type { AccessTokenClaims, AccessTokenVerifier } from './access-token-verifier.ts';

/** The realm the protected API names in its challenges (RFC 6750 §3). */
export const apiRealm = 'sandbox';

/** What the API knows about the caller once its bearer token is verified. */
export interface BearerCaller {
  claims: AccessTokenClaims;
  scopes: ReadonlySet<string>;
}

/**
 * A function that authenticates one API request, needing `scope`; it throws the RFC 6750 §3 error
 * otherwise. A verified token's client_id goes into `observed`, for the request log.
 */
export type BearerAuthenticator = (
  request: Request,
  scope: string,
  observed?: RequestObservations,
  trace?: InspectionTrace,
) => Promise<BearerCaller>;

/** RFC 6750 §2.1: `b64token`, the only thing allowed after "Bearer ". */
const b64token = /^[A-Za-z0-9\-._~+/]+=*$/;
const authScheme = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?:[ \t]+(.*))?$/;

/**
 * Creates the resource server's check. Every failure carries a `WWW-Authenticate: Bearer`
 * challenge with `realm` and RFC 9728 §5.1 `resource_metadata`, so a client that knows nothing
 * can find the authorization server from the 401 alone.
 */
export function createBearerAuthenticator(
  verifier: AccessTokenVerifier,
  resourceMetadataUrl: string,
): BearerAuthenticator {
  const challenge = (scope?: string): ErrorChallenge => ({
    scheme: 'Bearer',
    params: { realm: apiRealm, scope, resource_metadata: resourceMetadataUrl },
  });
  const fail = (
    code: 'invalid_request' | 'invalid_token' | 'no_credentials',
    status: number,
    description: string,
  ) => new OAuthError(code, status, description, { challenge: challenge() });

  return async (request, scope, observed, trace) => {
    if (trace) trace.requiredScope = scope;
    const header = request.headers.get('authorization');
    // RFC 6750 §2: the sandbox supports the header method only (bearer_methods_supported).
    if (request.url.includes('access_token=') && new URL(request.url).searchParams.has('access_token')) {
      throw fail(
        'invalid_request',
        400,
        'Send the access token in the Authorization header (RFC 6750 section 2.1), not in the URL.',
      );
    }
    if (header === null)
      throw fail(
        'no_credentials',
        401,
        'This API needs an access token: send Authorization: Bearer followed by the token.',
      );
    const match = authScheme.exec(header.trim());
    // RFC 6750 §3.1: a request with no Bearer credentials gets a challenge without an error code.
    if (!match || match[1]!.toLowerCase() !== 'bearer') {
      throw fail(
        'no_credentials',
        401,
        'This API takes a Bearer access token in the Authorization header, not another scheme.',
      );
    }
    const token = match[2]?.trim() ?? '';
    if (!b64token.test(token)) {
      throw fail(
        'invalid_request',
        400,
        'The Authorization header must be Bearer, one space, then the token (RFC 6750 section 2.1).',
      );
    }
    const result = await verifier.verify(token);
    // An expired or revoked token still names its client (its signature verified): the request
    // inspector files the failure in that client's journal.
    if (!result.ok && result.claims && result.problem !== 'client_deleted' && observed)
      observed.clientId = result.claims.client_id;
    if (trace && (result.ok || result.claims)) trace.tokenClaims = result.claims;
    if (!result.ok) {
      const description =
        result.problem === 'expired'
          ? 'The access token has expired. Request a new one.'
          : result.problem === 'revoked'
            ? 'The access token was revoked.'
            : result.problem === 'client_deleted'
              ? 'The client this access token was issued to has been deleted.'
              : 'The access token is not one this sandbox issued for this API, or it was altered.';
      throw fail('invalid_token', 401, description);
    }
    if (observed) observed.clientId = result.claims.client_id;
    if (!result.scopes.has(scope)) {
      // RFC 6750 §3.1: 403 and the scope the request needs.
      throw new OAuthError('insufficient_scope', 403, `This request needs the scope ${scope}.`, {
        challenge: challenge(scope),
      });
    }
    return result;
  };
}
