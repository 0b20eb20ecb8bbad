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
}

export const apiProfile = {
  name: 'Reports API',
  // example.com and example.net are reserved for documentation (RFC 2606): replace them.
  productionTokenUrl: 'https://auth.example.com/oauth/token',
  apiBaseUrl: 'https://api.example.com/v1',
  tokenLifetimeSeconds: 3600,
  productionCredentials: {
    label: 'the API access request form',
    url: 'https://example.com/api-access',
    instructions:
      'Name the service that will call the API, its owner, and the scopes it needs. You receive a client ID and a client secret, one pair per service and environment.',
  },
  support: {
    label: 'api-support@example.com',
    url: 'mailto:api-support@example.com',
  },
  scopes: [
    { name: 'reports:read', description: 'List and read reports.' },
    { name: 'reports:write', description: 'Create reports.' },
  ],
} as const satisfies ApiProfile;

/** The scope names, in the order the profile lists them. */
export const apiScopeNames: readonly string[] = apiProfile.scopes.map((scope) => scope.name);

/** A lifetime in seconds as a reader says it: "1 hour", "15 minutes", "90 seconds". */
export function describeDuration(seconds: number): string {
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}
