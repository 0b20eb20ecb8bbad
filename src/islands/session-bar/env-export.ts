import type { PlaygroundCredentials, PlaygroundToken } from '../playground-shared/playground-store.ts';

/** A value in single quotes for a POSIX shell: nothing inside is expanded (POSIX §2.2.2). */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The variables "Code for this request" and the guide's samples read, as one `export` line for a
 * terminal: the sandbox's URLs, the client ID and the token. The secret is added only when the
 * reader asks for it, so a copied line pasted into a chat or a ticket leaks nothing lasting.
 */
export function envExportLine({
  origin,
  credentials,
  token,
  includeSecret,
}: {
  origin: string;
  credentials: Pick<PlaygroundCredentials, 'clientId' | 'clientSecret'> | undefined;
  token: Pick<PlaygroundToken, 'accessToken'> | undefined;
  includeSecret: boolean;
}): string {
  const variables: [string, string][] = [
    ['SANDBOX_URL', origin],
    ['TOKEN_URL', `${origin}/oauth/token`],
    ['API_BASE_URL', `${origin}/api/v1`],
  ];
  if (credentials) {
    variables.push(['CLIENT_ID', credentials.clientId]);
    if (includeSecret) variables.push(['CLIENT_SECRET', credentials.clientSecret]);
  }
  if (token) variables.push(['ACCESS_TOKEN', token.accessToken]);
  return `export ${variables.map(([name, value]) => `${name}=${shellQuote(value)}`).join(' ')}`;
}
