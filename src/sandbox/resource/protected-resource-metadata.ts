import { scopeNamesOf, type ApiProfile } from '../../lib/api-profile.ts';
import { apiResourcePath, sandboxPaths } from '../../lib/sandbox-contract/paths.ts';

/** The API's resource identifier (RFC 9728 §1.2): every access token's `aud`. */
export function apiResource(issuer: string): string {
  return `${issuer}${apiResourcePath}`;
}

/**
 * RFC 9728 §3.1: the metadata URL is the resource's origin, then `/.well-known/oauth-protected-resource`,
 * then the resource's path.
 */
export function protectedResourceMetadataUrl(issuer: string): string {
  return `${issuer}${sandboxPaths.protectedResourceMetadata}`;
}

/** RFC 9728 §2: protected resource metadata for the sample API. */
export function protectedResourceMetadata(issuer: string, profile: ApiProfile) {
  return {
    resource: apiResource(issuer),
    authorization_servers: [issuer],
    scopes_supported: scopeNamesOf(profile),
    // RFC 6750 §2.1 only: the query and form-body methods are not accepted.
    bearer_methods_supported: ['header'],
    resource_name: profile.name,
    resource_documentation: `${issuer}/`,
  };
}
