/**
 * Where each endpoint of the sandbox lives, as a path on the origin that serves the guide. Islands
 * call these same-origin; the sandbox routes them; the server hands them to the sandbox.
 */

/** The protected API's path: appended to the origin, it is the API's resource identifier (RFC 9728 §1.2). */
export const apiResourcePath = '/api';

/** Every endpoint the sandbox answers, by what it is. */
export const sandboxPaths = {
  /** RFC 8414 §3: authorization server metadata. */
  authorizationServerMetadata: '/.well-known/oauth-authorization-server',
  /** RFC 9728 §3.1: the well-known prefix, then the resource's path. */
  protectedResourceMetadata: `/.well-known/oauth-protected-resource${apiResourcePath}`,
  /** RFC 7517 §5: the public signing keys (`jwks_uri`). */
  jwks: '/oauth/jwks',
  /** RFC 7591 §3: open dynamic client registration. */
  registration: '/oauth/register',
  /** RFC 6749 §3.2: the token endpoint. */
  token: '/oauth/token',
  /** RFC 7662 §2: token introspection. */
  introspection: '/oauth/introspect',
  /** RFC 7009 §2: token revocation. */
  revocation: '/oauth/revoke',
  /** The sample protected API's one resource. */
  reports: `${apiResourcePath}/v1/reports`,
  /** The sandbox described in OpenAPI 3.1, generated from this contract and the API profile. */
  openApi: '/openapi.json',
} as const;

/**
 * RFC 7592 §1.2: a client's configuration endpoint is this prefix and its `client_id`
 * (`registration_client_uri`); its request journal is that URL plus `/requests`.
 */
export const clientConfigurationPathPrefix = '/oauth/clients/';

/** A client's request journal: its configuration endpoint plus this (JSON, or server-sent events). */
export const clientJournalPathSuffix = '/requests';

/** The path of a client's request journal: `/oauth/clients/{client_id}/requests`. */
export function clientJournalPath(clientId: string): string {
  return `${clientConfigurationPathPrefix}${encodeURIComponent(clientId)}${clientJournalPathSuffix}`;
}

/** One of {@link sandboxPaths}. */
export type SandboxPath = (typeof sandboxPaths)[keyof typeof sandboxPaths];

/**
 * The path prefixes the sandbox owns; everything else belongs to the docs site. A host routes
 * these to the sandbox, so an unknown path under them is answered by the sandbox (404 JSON).
 */
export const sandboxPathPrefixes = [
  '/.well-known/oauth-authorization-server',
  '/.well-known/oauth-protected-resource',
  '/oauth/',
  `${apiResourcePath}/`,
  '/openapi.json',
] as const;

/** True when `pathname` is the sandbox's to answer. */
export function isSandboxPath(pathname: string): boolean {
  return sandboxPathPrefixes.some(
    (prefix) => pathname === prefix.replace(/\/$/, '') || pathname.startsWith(prefix),
  );
}

/** An endpoint's absolute URL: the public origin (no trailing slash), then the path. */
export function sandboxUrl(origin: string, path: SandboxPath): string {
  return `${origin}${path}`;
}
