import { expect } from 'vitest';
import type { JournalEntry } from '../../../../src/lib/sandbox-contract/journal-entry.ts';
import type { Harness, RegisteredClient } from '../harness.ts';

/** The path of a client's journal. */
export const journalPath = (client: RegisteredClient) =>
  `${new URL(client.registration_client_uri as string).pathname}/requests`;

/** Reads a client's journal as its owner would (JSON, newest first). */
export async function readJournal(h: Harness, client: RegisteredClient): Promise<JournalEntry[]> {
  const response = await h.call(journalPath(client), {
    headers: { authorization: `Bearer ${client.registration_access_token as string}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { requests: JournalEntry[] }).requests;
}

/** The newest entry of a client's journal. */
export async function newestEntry(h: Harness, client: RegisteredClient): Promise<JournalEntry> {
  const entries = await readJournal(h, client);
  expect(entries.length).toBeGreaterThan(0);
  return entries[0]!;
}
