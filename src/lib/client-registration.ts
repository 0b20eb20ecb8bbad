import type { ApiProfile } from './api-profile.ts';
import type { HttpRequestDescription } from './http-message.ts';
import type { ClientAuthMethod } from './token-request.ts';

/**
 * Dynamic client registration with the sandbox (RFC 7591 §3.1): building the request and reading
 * the answer field by field, split as oauth4webapi splits them.
 */

/** The sandbox's registration endpoint, relative: islands talk to their own origin. */
export const registrationPath = '/oauth/register';

/** The sandbox's bounds for `access_token_lifetime`, in seconds (sandbox-api.md). */
export const tokenLifetimeBounds = { min: 5, max: 3600 } as const;

/**
 * The lifetime a sandbox client gets when it registers none: production's (the API profile's), so
 * the sandbox behaves like production, within the sandbox's bounds.
 */
export function sandboxDefaultLifetime(profile: Pick<ApiProfile, 'tokenLifetimeSeconds'>): number {
  return Math.min(Math.max(profile.tokenLifetimeSeconds, tokenLifetimeBounds.min), tokenLifetimeBounds.max);
}

/** The client metadata an island asks for; every field is optional for the sandbox. */
export interface RegistrationParameters {
  clientName?: string;
  /** The scopes the client may request; none leaves `scope` out (the sandbox then grants all). */
  scopes?: readonly string[];
  tokenEndpointAuthMethod?: ClientAuthMethod;
  /** The sandbox's own field: how long the client's tokens live, in seconds. */
  accessTokenLifetime?: number;
}

/** Builds `POST /oauth/register` with a JSON body of the given metadata. */
export function buildRegistrationRequest(parameters: RegistrationParameters): HttpRequestDescription {
  const metadata: Record<string, unknown> = {};
  if (parameters.clientName !== undefined) metadata.client_name = parameters.clientName;
  if (parameters.scopes && parameters.scopes.length > 0) metadata.scope = parameters.scopes.join(' ');
  if (parameters.tokenEndpointAuthMethod !== undefined)
    metadata.token_endpoint_auth_method = parameters.tokenEndpointAuthMethod;
  if (parameters.accessTokenLifetime !== undefined)
    metadata.access_token_lifetime = parameters.accessTokenLifetime;
  return {
    method: 'POST',
    target: registrationPath,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(metadata),
  };
}

/** A registered client, as the sandbox answered (RFC 7591 §3.2.1). */
export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  /** Seconds since the epoch; 0 would mean "never expires". */
  clientSecretExpiresAt: number;
  tokenEndpointAuthMethod: ClientAuthMethod;
  scopes: string[];
  accessTokenLifetime: number;
  /** RFC 7592 §3: the Bearer token for the client's configuration endpoint and its journal. */
  registrationAccessToken?: string;
  /** RFC 7592 §3: the client's configuration endpoint, `ORIGIN/oauth/clients/{client_id}`. */
  registrationClientUri?: string;
}

/** The result of {@link processRegistrationResponse}: the client, or the error with a labelled message. */
export type RegistrationResult =
  | { ok: true; client: RegisteredClient }
  | { ok: false; status: number; error: string | undefined; message: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the registration answer: 201 with every field this guide relies on, checked one by one,
 * or the RFC 7591 §3.2.2 error (`invalid_client_metadata`, ...). `body` is the parsed JSON.
 */
export function processRegistrationResponse(status: number, body: unknown): RegistrationResult {
  const invalid = (message: string): RegistrationResult => ({ ok: false, status, error: undefined, message });
  if (status !== 201) {
    const error = isObject(body) && typeof body.error === 'string' ? body.error : undefined;
    const description =
      isObject(body) && typeof body.error_description === 'string' ? body.error_description : undefined;
    return {
      ok: false,
      status,
      error,
      message: description ?? `The registration endpoint answered HTTP ${status}.`,
    };
  }
  if (!isObject(body)) return invalid('"response" body must be a JSON object');
  const {
    client_id,
    client_secret,
    client_secret_expires_at,
    token_endpoint_auth_method,
    scope,
    access_token_lifetime,
    registration_access_token,
    registration_client_uri,
  } = body;
  if (typeof client_id !== 'string' || client_id === '')
    return invalid('"response" body "client_id" must be a non-empty string');
  if (typeof client_secret !== 'string' || client_secret === '')
    return invalid('"response" body "client_secret" must be a non-empty string');
  if (typeof client_secret_expires_at !== 'number')
    return invalid('"response" body "client_secret_expires_at" must be a number');
  if (
    token_endpoint_auth_method !== 'client_secret_basic' &&
    token_endpoint_auth_method !== 'client_secret_post'
  ) {
    return invalid(
      '"response" body "token_endpoint_auth_method" must be "client_secret_basic" or "client_secret_post"',
    );
  }
  if (typeof scope !== 'string') return invalid('"response" body "scope" must be a string');
  if (
    typeof access_token_lifetime !== 'number' ||
    !Number.isInteger(access_token_lifetime) ||
    access_token_lifetime <= 0
  ) {
    return invalid('"response" body "access_token_lifetime" must be a positive whole number');
  }
  return {
    ok: true,
    client: {
      clientId: client_id,
      clientSecret: client_secret,
      clientSecretExpiresAt: client_secret_expires_at,
      tokenEndpointAuthMethod: token_endpoint_auth_method,
      scopes: scope.split(' ').filter((name) => name !== ''),
      accessTokenLifetime: access_token_lifetime,
      // Optional (RFC 7591 servers without RFC 7592 send neither): kept only when well formed.
      ...(typeof registration_access_token === 'string' && registration_access_token !== ''
        ? { registrationAccessToken: registration_access_token }
        : {}),
      ...(typeof registration_client_uri === 'string' && URL.canParse(registration_client_uri)
        ? { registrationClientUri: registration_client_uri }
        : {}),
    },
  };
}
