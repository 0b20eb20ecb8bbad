import type { CredentialsLocation, JournalEntry } from '../../lib/sandbox-contract/journal-entry.ts';

/**
 * A request seen during a check: the facts of its journal entry that the grading reads (the
 * request inspector made them; nothing is inspected twice), without the header names, findings
 * and verdict, so a long check's traffic stays small in the store. Never a secret or a token.
 */
export interface CheckEntry {
  /** When the request arrived (ms since the epoch). */
  atMs: number;
  method: string;
  path: string;
  status: number;
  error?: string;
  credentials: CredentialsLocation;
  scopes_requested?: string[];
  query_parameters?: string[];
  /** The Bearer token an API call carried, when its signature verified. */
  token?: { jti?: string | undefined; exp?: number | undefined; scope?: string | undefined };
  /** The token a token request was answered with. */
  issued?: { jti: string; exp: number; scope: string };
}

/** The grading's view of a journal entry. */
export function checkEntryOf(entry: JournalEntry): CheckEntry {
  const { received } = entry;
  return {
    atMs: Date.parse(entry.time),
    method: entry.method,
    path: entry.path,
    status: entry.status,
    ...(entry.error === undefined ? {} : { error: entry.error }),
    credentials: received.credentials,
    ...(received.scopes_requested ? { scopes_requested: received.scopes_requested } : {}),
    ...(received.query_parameters ? { query_parameters: received.query_parameters } : {}),
    ...(received.token
      ? { token: { jti: received.token.jti, exp: received.token.exp, scope: received.token.scope } }
      : {}),
    ...(received.issued ? { issued: received.issued } : {}),
  };
}
