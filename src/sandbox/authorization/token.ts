import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { formParameter } from '../http/form.ts';
import { jsonTextResponse } from '../http/json-response.ts';
import { OAuthError } from '../http/oauth-error.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import type { EndpointContext } from '../http/request-context.ts';
import type { SigningKeys } from '../keys/signing-keys.ts';
import type { ClientRecord } from '../store/store.ts';
import type { ClientAuthenticator } from './client-authentication.ts';
import { readClientForm } from './client-form.ts';
import { parseScope } from './scope.ts';

/** What {@link createTokenEndpoint} needs. */
export interface TokenEndpointOptions {
  issuer: string;
  /** The protected resource's identifier, every token's `aud` (RFC 9068 §3, RFC 8707). */
  audience: string;
  keys: SigningKeys;
  clock: Clock;
  authenticateClient: ClientAuthenticator;
  /** The scope names the API defines (the API profile's). */
  scopeNames: readonly string[];
  /** Tokens issued per client: far above honest use, far below a loop (defaultRateLimits). */
  tokensPerClient: RateLimiter;
  /**
   * Called once the request would get a token: a client check (checks/) may answer it 503 instead
   * (it throws), or give the token a shorter life (seconds; undefined for no limit).
   */
  beforeIssue?: (clientId: string) => Promise<number | undefined>;
}

/**
 * The scopes a token request gets (RFC 6749 §3.3): none asked means everything the client
 * registered; otherwise exactly what was asked, which must be defined by the API and registered
 * by the client. No silent narrowing: a scope outside the client's set is `invalid_scope`.
 */
function grantedScopes(
  requested: string | undefined,
  client: ClientRecord,
  scopeNames: readonly string[],
): readonly string[] {
  if (requested === undefined) return client.scope;
  const scopes = parseScope(requested);
  if (!scopes)
    throw new OAuthError(
      'invalid_scope',
      400,
      'The scope parameter is malformed: scope names separated by single spaces (RFC 6749 section 3.3).',
    );
  if (!scopes.every((scope) => scopeNames.includes(scope))) {
    throw new OAuthError(
      'invalid_scope',
      400,
      `The scope names a scope this API does not define. The scopes are: ${scopeNames.join(' ')}.`,
    );
  }
  if (!scopes.every((scope) => client.scope.includes(scope))) {
    throw new OAuthError(
      'invalid_scope',
      400,
      `The scope asks for more than this client registered: ${client.scope.join(' ')}.`,
    );
  }
  return scopes;
}

/**
 * `POST /oauth/token`: the client credentials grant (RFC 6749 §4.4). The grant type is checked
 * before the client is, so a reader who sends the wrong grant learns that first; then the client
 * is authenticated (§4.4.2: it must be), then the scope. The answer (§5.1) has no refresh token
 * (§4.4.3).
 */
export function createTokenEndpoint({
  issuer,
  audience,
  keys,
  clock,
  authenticateClient,
  scopeNames,
  tokensPerClient,
  beforeIssue,
}: TokenEndpointOptions) {
  return async function issueAccessToken(request: Request, context: EndpointContext): Promise<Response> {
    const form = await readClientForm(request, context);
    const grantType = formParameter(form, 'grant_type');
    if (grantType === undefined)
      throw new OAuthError(
        'invalid_request',
        400,
        'The grant_type parameter is missing; this endpoint takes grant_type=client_credentials.',
      );
    if (grantType !== 'client_credentials') {
      throw new OAuthError(
        'unsupported_grant_type',
        400,
        'The sandbox supports only grant_type=client_credentials.',
      );
    }
    const requestedScope = formParameter(form, 'scope');
    const client = await authenticateClient(request, form, context);
    const scopes = grantedScopes(requestedScope, client, scopeNames);
    tokensPerClient.spend(client.clientId);
    const lifetimeLimit = (await beforeIssue?.(client.clientId)) ?? Infinity;

    const nowMs = clock.now();
    const now = Math.floor(nowMs / 1000);
    // RFC 6749 §5.1: expires_in counts from the moment of the response. exp is whole seconds
    // (RFC 7519 NumericDate) and the API refuses a token from exp on, so exp is rounded up: the
    // token then lives at least expires_in seconds, never up to a second less. A token never
    // outlives its client: sandbox clients expire 24 h after registration.
    const lifetime = Math.min(client.accessTokenLifetime, client.expiresAt - now, lifetimeLimit);
    const exp = Math.ceil(nowMs / 1000) + lifetime;
    const scope = scopes.join(' ');
    // RFC 9068 §2.2: the claims of a JWT access token; sub is the client itself in this grant.
    const jti = randomUUID();
    const accessToken = await keys.signAccessToken({
      iss: issuer,
      sub: client.clientId,
      aud: audience,
      client_id: client.clientId,
      scope,
      iat: now,
      exp,
      jti,
    });
    if (context.trace) context.trace.issued = { jti, iat: now, exp, scope };
    // RFC 6749 §5.1, written as JSON.stringify would write this object: the token is base64url
    // and dots, the lifetime an integer; only the scope goes through JSON.stringify.
    return jsonTextResponse(
      `{"access_token":"${accessToken}","token_type":"Bearer","expires_in":${lifetime},"scope":${JSON.stringify(scope)}}`,
    );
  };
}
