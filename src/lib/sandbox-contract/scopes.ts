import { apiProfile, apiScopeNames } from '../api-profile.ts';

/**
 * The scopes, as read from the API profile (src/lib/api-profile.ts): a team that renames its
 * scopes there renames them here, in the islands and the tests. (The sandbox itself takes the
 * profile it is given, `SandboxOptions.profile`.)
 */

/** Every scope the sandbox offers (`scopes_supported`); a client registers with all by default. */
export const sandboxScopes: readonly string[] = apiScopeNames;

/** The scope each method of the sample API needs: the profile's `readScope` and `writeScope`. */
export const reportsScopes: { readonly GET: string; readonly POST: string } = {
  GET: apiProfile.readScope,
  POST: apiProfile.writeScope,
};

/** A method the sample API answers. */
export type ReportsMethod = keyof typeof reportsScopes;

/** RFC 6749 §3.3: a scope value is space-separated names; this splits one, dropping empty names. */
export function splitScope(scope: string): string[] {
  return scope.split(' ').filter((name) => name !== '');
}
