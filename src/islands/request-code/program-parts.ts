import type { RequestShape, TokenRequestShape } from '../playground-shared/playground-store.ts';

/** What "Code for this request" knows of one language: its file names and its program. */
export interface LanguageProgram {
  /** The file each program is saved as, and the command that runs it. */
  files: Record<RequestShape['kind'], { name: string; run: string }>;
  /** The program for `shape`; `origin` is the default when SANDBOX_URL is not set. */
  program(shape: RequestShape, origin: string): string;
}

/** Quotes a value for a POSIX shell: single quotes, with each ' written as '\''. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A double-quoted string literal valid in TypeScript, Python, Go, Java and C#: JSON's escapes are theirs too. */
export function literal(value: string): string {
  return JSON.stringify(value);
}

function envNames(shape: RequestShape): string {
  return shape.kind === 'token' ? 'CLIENT_ID, CLIENT_SECRET and SANDBOX_URL' : 'ACCESS_TOKEN and SANDBOX_URL';
}

/** The program's opening comment: what it does, what it reads, how to run it. */
export function header(shape: RequestShape, comment: string, run: string): string {
  const does =
    shape.kind === 'token'
      ? 'Requests an access token (RFC 6749 §4.4.2)'
      : `Calls ${shape.method} /api/v1/reports with a Bearer token (RFC 6750 §2.1)`;
  return [
    `${comment} ${does}.`,
    `${comment} Reads ${envNames(shape)} from the environment. Run: ${run}`,
  ].join('\n');
}

export const basicComment =
  'client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, then send them as HTTP Basic credentials.';

/** The token request's form fields other than the client's credentials. */
export function formEntries(shape: TokenRequestShape): [string, string][] {
  const entries: [string, string][] = [['grant_type', 'client_credentials']];
  if (shape.scopes.length > 0) entries.push(['scope', shape.scopes.join(' ')]);
  return entries;
}
