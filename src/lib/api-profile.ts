/**
 * The facts that belong to one API: a team that serves this guide as its onboarding material
 * edits this file and nothing else. Pages read it through the components in src/components;
 * the sandbox offers the same scopes.
 */
export interface ApiScope {
  /** The scope token, as sent in `scope` (RFC 6749 §3.3). */
  name: string;
  /** One sentence: what a token with this scope may do. */
  description: string;
}

/** A place a reader can go: a web page or a mailbox. */
export interface ApiContact {
  /** What the reader sees, e.g. "the API platform team". */
  label: string;
  /** An https: or mailto: URL. */
  url: string;
}

export interface ApiProfile {
  /** The API's name as readers know it. */
  name: string;
  /** The production authorization server's token endpoint (RFC 6749 §3.2). */
  productionTokenUrl: string;
  /** The production API's base URL: resource paths such as `/reports` are appended to it. */
  apiBaseUrl: string;
  /** How long a production access token lives, in seconds: the `expires_in` production answers with. */
  tokenLifetimeSeconds: number;
  /** Where a team asks for production credentials, and what the request needs. */
  productionCredentials: ApiContact & { instructions: string };
  /** Who answers questions about access, credentials and errors. */
  support: ApiContact;
  /** The scopes the API defines; the sandbox registers clients with all of them by default. */
  scopes: readonly ApiScope[];
  /**
   * The scope that lets a client read (the sandbox's `GET /api/v1/reports` needs it), and the one
   * that lets it write (`POST /api/v1/reports`): the guide's least-scope and `insufficient_scope`
   * examples are built from these two. Both must be among `scopes`, and differ.
   */
  readScope: string;
  writeScope: string;
}

/** The profile as a team writes it in this file. */
export const editedApiProfile = {
  name: 'Reports API',
  // example.com and example.net are reserved for documentation (RFC 2606): replace them.
  productionTokenUrl: 'https://auth.example.com/oauth/token',
  apiBaseUrl: 'https://api.example.com/v1',
  tokenLifetimeSeconds: 3600,
  productionCredentials: {
    label: 'the API access request form',
    url: 'https://example.com/api-access',
    instructions:
      'Name the service that will call the API, its owner, and the scopes it needs. You receive ' +
      'a client ID and a client secret, one pair per service and environment.',
  },
  support: {
    label: 'api-support@example.com',
    url: 'mailto:api-support@example.com',
  },
  scopes: [
    { name: 'reports:read', description: 'List and read reports.' },
    { name: 'reports:write', description: 'Create reports.' },
  ],
  readScope: 'reports:read',
  writeScope: 'reports:write',
} as const satisfies ApiProfile;

/**
 * The profile the build was made with: the build (astro.config.mjs) and the tests
 * (tests/vitest.config.ts) define `__API_PROFILE__` when `API_OPENAPI` names a team's OpenAPI
 * document (src/server/api-profile-source.ts reads it). Where nothing defines it (the production
 * server runs these files without a bundler), it is the profile above; the server hands the
 * sandbox the profile it loaded itself (`SandboxOptions.profile`).
 */
declare const __API_PROFILE__: ApiProfile | undefined;
export const apiProfile: ApiProfile =
  typeof __API_PROFILE__ === 'undefined' ? editedApiProfile : __API_PROFILE__;

/** The scope names of a profile, in the order it lists them. */
export function scopeNamesOf(profile: ApiProfile): string[] {
  return profile.scopes.map((scope) => scope.name);
}

/** The scope names, in the order the profile lists them. */
export const apiScopeNames: readonly string[] = scopeNamesOf(apiProfile);

/**
 * What makes a profile usable, in words a team can act on; empty when it is. Scope names follow
 * RFC 6749 §3.3 (scope-token: printable ASCII but space, `"` and `\`).
 */
export function profileProblems(profile: ApiProfile): string[] {
  const problems: string[] = [];
  const names = scopeNamesOf(profile);
  if (profile.name.trim() === '') problems.push('name is empty');
  for (const [field, value] of [
    ['productionTokenUrl', profile.productionTokenUrl],
    ['apiBaseUrl', profile.apiBaseUrl],
  ] as const) {
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
      problems.push(`${field} must be an absolute http(s) URL (got ${JSON.stringify(value)})`);
  }
  if (!Number.isInteger(profile.tokenLifetimeSeconds) || profile.tokenLifetimeSeconds <= 0)
    problems.push('tokenLifetimeSeconds must be a positive whole number of seconds');
  if (names.length === 0) problems.push('scopes is empty: the API needs at least a read and a write scope');
  for (const name of names) {
    if (!/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(name))
      problems.push(`scope ${JSON.stringify(name)} is not a valid scope token (RFC 6749 §3.3)`);
  }
  if (new Set(names).size !== names.length) problems.push('scopes lists a scope twice');
  for (const field of ['readScope', 'writeScope'] as const) {
    if (!names.includes(profile[field]))
      problems.push(`${field} ${JSON.stringify(profile[field])} is not one of scopes (${names.join(', ')})`);
  }
  if (profile.readScope === profile.writeScope) problems.push('readScope and writeScope must differ');
  return problems;
}

/** A lifetime in seconds as a reader says it: "1 hour", "15 minutes", "90 seconds". */
export function describeDuration(seconds: number): string {
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}
