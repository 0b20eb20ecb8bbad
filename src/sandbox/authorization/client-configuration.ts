import { timingSafeEqual } from 'node:crypto';
import { epochSeconds, type Clock } from '../clock.ts';
import { readJsonBody } from '../http/json-body.ts';
import { emptyResponse, jsonResponse } from '../http/json-response.ts';
import { allowMethods } from '../http/limits.ts';
import { OAuthError, type ErrorChallenge } from '../http/oauth-error.ts';
import type { EndpointContext } from '../http/request-context.ts';
import type { ClientRecord, Store } from '../store/store.ts';
import { hashClientSecret } from './client-authentication.ts';
import { clientConfigurationPathPrefix, clientInformation } from './client-information.ts';
import { readMetadata } from './register.ts';
import type { ApiProfile } from '../../lib/api-profile.ts';

/** The realm of the configuration endpoint's Bearer challenges (RFC 6750 §3). */
export const clientConfigurationRealm = 'sandbox';

/** Generated client_ids are base64url; anything else names no client and is refused unread. */
const clientIdSegment = /^[A-Za-z0-9\-._~]{1,128}$/;
/** RFC 6750 §2.1 b64token after "Bearer ". */
const bearerCredentials = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

/** A client whose registration access token the request presented, and that token. */
export interface ManagedClient {
  client: ClientRecord;
  registrationAccessToken: string;
}

/**
 * Authenticates a request to a client's configuration endpoint (RFC 7592 §2) or anything under
 * it: `Authorization: Bearer <registration_access_token>` of exactly that client.
 */
export type RegistrationTokenAuthenticator = (
  request: Request,
  clientId: string,
  context: EndpointContext,
) => Promise<ManagedClient>;

function challenge(): ErrorChallenge {
  return { scheme: 'Bearer', params: { realm: clientConfigurationRealm } };
}

/** What {@link createRegistrationTokenAuthenticator} needs. */
export interface RegistrationTokenOptions {
  store: Store;
  clock: Clock;
}

/**
 * RFC 7592 §2: the registration access token is a Bearer token (RFC 6750). No token is 401 with a
 * challenge and no error code (RFC 6750 §3.1); a wrong token, another client's, or a client that
 * does not exist (any more) is 401 `invalid_token` (RFC 7592 §2.1: "If the client does not exist
 * on this server, the server MUST respond with HTTP 401"), so the answer never tells which.
 * The token is compared by its SHA-256 hash, in constant time, as secrets are.
 */
export function createRegistrationTokenAuthenticator({
  store,
  clock,
}: RegistrationTokenOptions): RegistrationTokenAuthenticator {
  return async (request, clientId, { observed }) => {
    const header = request.headers.get('authorization');
    if (header === null || !/^bearer(?:[ \t]|$)/i.test(header.trim())) {
      throw new OAuthError(
        'no_credentials',
        401,
        'This endpoint needs the registration access token: send Authorization: Bearer followed by it (RFC 7592 section 2).',
        { challenge: challenge() },
      );
    }
    const match = bearerCredentials.exec(header.trim());
    if (!match) {
      throw new OAuthError(
        'invalid_request',
        400,
        'The Authorization header must be Bearer, one space, then the registration access token (RFC 6750 section 2.1).',
        { challenge: challenge() },
      );
    }
    const presented = match[1]!;
    const client = clientIdSegment.test(clientId) ? await store.findClient(clientId) : undefined;
    const expected = client?.registrationTokenHash;
    const matches = expected !== undefined && timingSafeEqual(hashClientSecret(presented), expected);
    if (!client || !matches || epochSeconds(clock) >= client.expiresAt) {
      throw new OAuthError(
        'invalid_token',
        401,
        'The registration access token is not valid for this client, or the client no longer exists.',
        { challenge: challenge() },
      );
    }
    observed.clientId = client.clientId;
    return { client, registrationAccessToken: presented };
  };
}

/** A handler of something under a client's configuration endpoint (`/requests`, `/checks`). */
export type ClientSubresourceHandler = (
  request: Request,
  managed: ManagedClient,
  context: EndpointContext,
  rest: string,
) => Promise<Response> | Response;

/**
 * A sub-resource anyone may read (a check's permalink, whose id is 128 random bits): it answers
 * without authentication, or returns undefined to leave the request to the authenticated handler.
 */
export type PublicSubresourceHandler = (
  request: Request,
  clientId: string,
  context: EndpointContext,
  rest: string,
) => Promise<Response | undefined>;

/** What {@link createClientConfigurationEndpoint} needs. */
export interface ClientConfigurationOptions {
  issuer: string;
  store: Store;
  authenticate: RegistrationTokenAuthenticator;
  /** The API profile: the scopes an update may ask for, the default lifetime. */
  profile: ApiProfile;
  /** Sub-resources by their first path segment (`requests` → the journal). */
  subresources?: ReadonlyMap<string, ClientSubresourceHandler>;
  /** Sub-resources whose reads need no credentials, by their first path segment (`checks`). */
  publicSubresources?: ReadonlyMap<string, PublicSubresourceHandler>;
  /** Called after a client was deleted, so what is kept about it goes too (its journal). */
  onDelete?: (clientId: string) => Promise<void> | void;
}

function notFound(): OAuthError {
  return new OAuthError('not_found', 404, 'No sandbox endpoint at this path.');
}

/**
 * The client configuration endpoint of RFC 7592 at `ORIGIN/oauth/clients/{client_id}`:
 * GET reads the client's metadata (§2.1), PUT replaces it (§2.2), DELETE removes the client
 * (§2.3), after which every token it was issued fails at the API.
 */
export function createClientConfigurationEndpoint({
  issuer,
  store,
  authenticate,
  profile,
  subresources = new Map(),
  publicSubresources = new Map(),
  onDelete,
}: ClientConfigurationOptions) {
  return async function manageClient(request: Request, context: EndpointContext, pathname: string) {
    const path = pathname.slice(clientConfigurationPathPrefix.length);
    const slash = path.indexOf('/');
    const clientId = slash < 0 ? path : path.slice(0, slash);
    if (clientId === '') throw notFound();
    if (slash >= 0) {
      const rest = path.slice(slash + 1);
      const name = rest.split('/', 1)[0]!;
      const handler = subresources.get(name);
      if (!handler) throw notFound();
      const answered = await publicSubresources.get(name)?.(
        request,
        clientId,
        context,
        rest.slice(name.length),
      );
      if (answered) return answered;
      const managed = await authenticate(request, clientId, context);
      return handler(request, managed, context, rest.slice(name.length));
    }

    allowMethods(request, ['GET', 'PUT', 'DELETE']);
    const managed = await authenticate(request, clientId, context);
    const { client } = managed;
    const secrets = { registrationAccessToken: managed.registrationAccessToken };

    if (request.method === 'DELETE') {
      await store.deleteClient(client.clientId);
      await onDelete?.(client.clientId);
      // RFC 7592 §2.3: 204 No Content.
      return emptyResponse(204);
    }
    if (request.method === 'PUT') {
      const updated = { ...client, ...(await readUpdate(await readJsonBody(request), client, profile)) };
      await store.updateClient(updated);
      return jsonResponse(clientInformation(updated, issuer, secrets));
    }
    return jsonResponse(clientInformation(client, issuer, secrets));
  };
}

/**
 * RFC 7592 §2.2: the update carries every metadata field; `client_id` must be the client's own, a
 * `client_secret` must be the current one (a client may not choose its secret), and the fields
 * the server issued (`registration_access_token`, `registration_client_uri`,
 * `client_secret_expires_at`, `client_id_issued_at`) are ignored. What may change: `client_name`,
 * `scope`, `token_endpoint_auth_method`, `access_token_lifetime`; an omitted one takes its default.
 */
async function readUpdate(body: unknown, client: ClientRecord, profile: ApiProfile) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OAuthError(
      'invalid_client_metadata',
      400,
      'The update must be a JSON object with every metadata field, client_id included (RFC 7592 section 2.2).',
    );
  }
  const { client_id, client_secret } = body as Record<string, unknown>;
  if (client_id !== client.clientId) {
    throw new OAuthError(
      'invalid_client_metadata',
      400,
      "The update must include client_id, equal to this client's (RFC 7592 section 2.2).",
    );
  }
  if (
    client_secret !== undefined &&
    (typeof client_secret !== 'string' ||
      client.secretHash === undefined ||
      !timingSafeEqual(hashClientSecret(client_secret), client.secretHash))
  ) {
    throw new OAuthError(
      'invalid_client_metadata',
      400,
      'The client_secret in an update must be the current one: a client cannot choose its secret (RFC 7592 section 2.2).',
    );
  }
  const metadata = await readMetadata(body, profile);
  // A key client was never issued a secret, so it cannot switch to a secret method; a secret
  // client may move to private_key_jwt (its jwks then replace the secret, which stays unused).
  if (client.secretHash === undefined && metadata.tokenEndpointAuthMethod !== 'private_key_jwt') {
    throw new OAuthError(
      'invalid_client_metadata',
      400,
      'This private_key_jwt client has no secret, so it cannot switch to a secret method. Register a new client for that.',
    );
  }
  return metadata;
}
