import { randomBytes } from 'node:crypto';
import { scopeNamesOf, type ApiProfile } from '../../lib/api-profile.ts';
import { encodeBase64url } from '../../lib/base64url.ts';
import {
  accessTokenLifetime,
  clientLifetimeSeconds,
  sandboxDefaultLifetime,
} from '../../lib/sandbox-contract/bounds.ts';
import {
  defaultClientAuthMethod,
  isTokenEndpointAuthMethod,
  tokenEndpointAuthMethods,
} from '../../lib/sandbox-contract/client-auth-methods.ts';
import { epochSeconds, type Clock } from '../clock.ts';
import { readJsonBody } from '../http/json-body.ts';
import { jsonResponse } from '../http/json-response.ts';
import { allowMethods } from '../http/methods.ts';
import { OAuthError } from '../http/oauth-error.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import type { EndpointContext } from '../http/request-context.ts';
import type { ClientJwks, ClientRecord, Store, TokenEndpointAuthMethod } from '../store/store.ts';
import { hashClientSecret } from './client-authentication.ts';
import { ClientJwksError, readClientJwks } from './client-jwks.ts';
import { clientInformation } from './client-information.ts';
import { parseScope } from './scope.ts';

const maxClientNameLength = 200;

/**
 * A random identifier of `bytes` bytes, base64url: only unreserved characters (RFC 3986 §2.3), so
 * clients that skip the RFC 6749 §2.3.1 form-encoding before Basic still send the right value.
 */
function randomIdentifier(bytes: number): string {
  return encodeBase64url(randomBytes(bytes));
}

function invalidMetadata(description: string): OAuthError {
  return new OAuthError('invalid_client_metadata', 400, description);
}

/** The registration request's metadata, validated field by field (RFC 7591 §2). */
export interface RequestedMetadata {
  clientName: string | undefined;
  scope: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  accessTokenLifetime: number;
  jwks: ClientJwks | undefined;
}

/** RFC 7591 §2 `jwks` / `jwks_uri`: the public keys of a private_key_jwt client, checked. */
async function readKeys(
  method: TokenEndpointAuthMethod,
  jwks: unknown,
  jwksUri: unknown,
): Promise<ClientJwks | undefined> {
  if (jwksUri !== undefined) {
    throw invalidMetadata(
      'jwks_uri is not supported: the sandbox fetches nothing from the network, so it cannot read keys from a URL. Send the public keys themselves in jwks.',
    );
  }
  if (method !== 'private_key_jwt') {
    if (jwks !== undefined)
      throw invalidMetadata(
        'jwks is for token_endpoint_auth_method private_key_jwt; this registration asks for a client secret.',
      );
    return undefined;
  }
  if (jwks === undefined)
    throw invalidMetadata(
      'A private_key_jwt client must register its public keys in jwks (a JWK Set), so the sandbox can verify its assertions.',
    );
  try {
    return await readClientJwks(jwks);
  } catch (error) {
    if (error instanceof ClientJwksError) throw invalidMetadata(error.message);
    throw error;
  }
}

/**
 * Reads client metadata (RFC 7591 §2) from a registration or an RFC 7592 §2.2 update: an omitted
 * field takes its default, as §2.2 says an omitted field is a request to delete the value.
 */
export async function readMetadata(body: unknown, profile: ApiProfile): Promise<RequestedMetadata> {
  const apiScopeNames = scopeNamesOf(profile);
  if (body === undefined) body = {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidMetadata('The client metadata must be a JSON object (RFC 7591 section 2).');
  }
  // RFC 7591 §2: metadata the server does not understand is ignored, not refused.
  const {
    client_name,
    scope,
    token_endpoint_auth_method,
    access_token_lifetime,
    grant_types,
    response_types,
    jwks,
    jwks_uri,
  } = body as Record<string, unknown>;

  if (
    client_name !== undefined &&
    (typeof client_name !== 'string' || client_name.length > maxClientNameLength)
  ) {
    throw invalidMetadata(`client_name must be a string of at most ${maxClientNameLength} characters.`);
  }

  let scopes = [...apiScopeNames];
  if (scope !== undefined) {
    const parsed = typeof scope === 'string' ? parseScope(scope) : undefined;
    if (!parsed)
      throw invalidMetadata('scope must be scope names separated by single spaces (RFC 6749 section 3.3).');
    if (!parsed.every((name) => apiScopeNames.includes(name))) {
      throw invalidMetadata(
        `scope names a scope this API does not define. The scopes are: ${apiScopeNames.join(' ')}.`,
      );
    }
    scopes = parsed;
  }

  let method: TokenEndpointAuthMethod = defaultClientAuthMethod;
  if (token_endpoint_auth_method !== undefined) {
    if (!isTokenEndpointAuthMethod(token_endpoint_auth_method)) {
      throw invalidMetadata(
        `token_endpoint_auth_method must be one of: ${tokenEndpointAuthMethods.join(', ')}.`,
      );
    }
    method = token_endpoint_auth_method;
  }

  // Production's lifetime by default, so the sandbox behaves like the API it stands in for.
  let lifetime = sandboxDefaultLifetime(profile);
  if (access_token_lifetime !== undefined) {
    if (
      typeof access_token_lifetime !== 'number' ||
      !Number.isInteger(access_token_lifetime) ||
      access_token_lifetime < accessTokenLifetime.min ||
      access_token_lifetime > accessTokenLifetime.max
    ) {
      throw invalidMetadata(
        `access_token_lifetime must be a whole number of seconds from ${accessTokenLifetime.min} to ${accessTokenLifetime.max}.`,
      );
    }
    lifetime = access_token_lifetime;
  }

  // RFC 7591 §2.1: grant_types and response_types must agree with what the server can do. The
  // sandbox does client_credentials only, which uses no response type.
  if (
    grant_types !== undefined &&
    (!Array.isArray(grant_types) ||
      grant_types.length === 0 ||
      grant_types.some((grant) => grant !== 'client_credentials'))
  ) {
    throw invalidMetadata(
      'grant_types may only list client_credentials: the sandbox supports no other grant.',
    );
  }
  if (response_types !== undefined && (!Array.isArray(response_types) || response_types.length > 0)) {
    throw invalidMetadata(
      'response_types must be empty: the client credentials grant uses no response type.',
    );
  }

  return {
    clientName: client_name,
    scope: scopes,
    tokenEndpointAuthMethod: method,
    accessTokenLifetime: lifetime,
    jwks: await readKeys(method, jwks, jwks_uri),
  };
}

/** What {@link createRegistrationEndpoint} needs. */
export interface RegistrationOptions {
  /** The public origin, the base of `registration_client_uri`. */
  issuer: string;
  store: Store;
  clock: Clock;
  /** Registrations per client address. */
  registrations: RateLimiter;
  /** The API profile: its scopes and token lifetime are the registration defaults. */
  profile: ApiProfile;
}

/**
 * `POST /oauth/register`: open dynamic client registration (RFC 7591 §3). The 201 is sent only
 * after the store has the client durably, and carries the secret this once: the store keeps only
 * its hash.
 */
export function createRegistrationEndpoint({
  issuer,
  store,
  clock,
  registrations,
  profile,
}: RegistrationOptions) {
  return async function registerClient(
    request: Request,
    { addressKey, observed }: EndpointContext,
  ): Promise<Response> {
    allowMethods(request, ['POST']);
    registrations.spend(addressKey);
    const metadata = await readMetadata(await readJsonBody(request), profile);
    // A private_key_jwt client proves itself with its key: it gets no secret at all.
    const clientSecret = metadata.jwks ? undefined : randomIdentifier(32);
    const registrationAccessToken = randomIdentifier(32);
    const issuedAt = epochSeconds(clock);
    const client: ClientRecord = {
      clientId: randomIdentifier(16),
      secretHash: clientSecret === undefined ? undefined : hashClientSecret(clientSecret),
      clientName: metadata.clientName,
      scope: metadata.scope,
      tokenEndpointAuthMethod: metadata.tokenEndpointAuthMethod,
      accessTokenLifetime: metadata.accessTokenLifetime,
      issuedAt,
      expiresAt: issuedAt + clientLifetimeSeconds,
      jwks: metadata.jwks,
      registrationTokenHash: hashClientSecret(registrationAccessToken),
    };
    await store.saveClient(client);
    observed.clientId = client.clientId;
    // RFC 7591 §3.2.1: the client information response, with every registered metadata value,
    // the secret this once, and RFC 7592 §3's registration_access_token and registration_client_uri.
    return jsonResponse(clientInformation(client, issuer, { clientSecret, registrationAccessToken }), 201);
  };
}
