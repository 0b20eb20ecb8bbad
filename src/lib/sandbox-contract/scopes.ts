import { apiProfile, apiScopeNames, type ApiScope } from '../api-profile.ts';

/**
 * The scopes, as read from the API profile (src/lib/api-profile.ts): a team that renames its
 * scopes there renames them here, in the sandbox, the islands and the tests.
 */

/** Every scope the sandbox offers (`scopes_supported`); a client registers with all by default. */
export const sandboxScopes: readonly string[] = apiScopeNames;

/**
 * The scope each method of the sample API needs: the profile's first scope reads, its second
 * writes (the profile lists reading first). A one-scope profile uses its scope for both.
 */
export const reportsScopes: { readonly GET: string; readonly POST: string } = {
  GET: profileScope(0),
  POST: profileScope(1),
};

function profileScope(index: number): string {
  const scopes: readonly ApiScope[] = apiProfile.scopes;
  const scope = scopes[Math.min(index, scopes.length - 1)];
  if (!scope) throw new Error('src/lib/api-profile.ts must list at least one scope.');
  return scope.name;
}

/** A method the sample API answers. */
export type ReportsMethod = keyof typeof reportsScopes;

/** RFC 6749 §3.3: a scope value is space-separated names; this splits one, dropping empty names. */
export function splitScope(scope: string): string[] {
  return scope.split(' ').filter((name) => name !== '');
}
