/**
 * The facts that belong to one API: a team that serves this guide as its onboarding material
 * edits this file and nothing else. Pages read it; the sandbox offers the same scopes.
 */
export interface ApiScope {
  /** The scope token, as sent in `scope` (RFC 6749 §3.3). */
  name: string;
  /** One sentence: what a token with this scope may do. */
  description: string;
}

export interface ApiProfile {
  /** The API's name as readers know it. */
  name: string;
  /** The scopes the API defines; the sandbox registers clients with all of them by default. */
  scopes: readonly ApiScope[];
}

export const apiProfile = {
  name: 'Reports API',
  scopes: [
    { name: 'reports:read', description: 'List and read reports.' },
    { name: 'reports:write', description: 'Create reports.' },
  ],
} as const satisfies ApiProfile;

/** The scope names, in the order the profile lists them. */
export const apiScopeNames: readonly string[] = apiProfile.scopes.map((scope) => scope.name);
