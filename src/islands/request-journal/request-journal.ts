import type { Finding } from '../../lib/finding-catalogue.ts';
import type {
  JournalEntry as WireJournalEntry,
  ReceivedFacts,
} from '../../lib/sandbox-contract/journal-entry.ts';

/**
 * The "Watch your own code" island's logic, pure so unit tests reach it: reading server-sent
 * events from a byte stream (EventSource cannot send an Authorization header, so the island reads
 * the stream with fetch), checking each entry, and writing the environment a reader exports.
 */

/**
 * A journal entry as the island reads it (the contract's {@link WireJournalEntry}): every field
 * checked but `received`, which is only known to be an object and is shown fact by fact.
 */
export type JournalEntry = Omit<WireJournalEntry, 'received'> & {
  received: Record<string, unknown> & Partial<Pick<ReceivedFacts, 'credentials' | 'verdict'>>;
};

/** Entries the island keeps: the journal's own bound. */
export const maxShownEntries = 100;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads one entry field by field; anything malformed is dropped rather than shown half. */
export function readJournalEntry(value: unknown): JournalEntry | undefined {
  if (!isObject(value)) return undefined;
  const { id, time, method, path, status, error, received, findings } = value;
  if (typeof id !== 'string' || typeof time !== 'string' || typeof method !== 'string') return undefined;
  if (typeof path !== 'string' || typeof status !== 'number' || !isObject(received)) return undefined;
  if (!Array.isArray(findings)) return undefined;
  const checked = findings.filter(
    (finding): finding is Finding =>
      isObject(finding) &&
      typeof finding.code === 'string' &&
      typeof finding.message === 'string' &&
      typeof finding.fix === 'string' &&
      typeof finding.doc === 'string' &&
      (finding.severity === 'error' || finding.severity === 'warning'),
  );
  return {
    id,
    time,
    method,
    path,
    status,
    ...(typeof error === 'string' ? { error } : {}),
    received: received,
    findings: checked,
  };
}

/** One server-sent event (the fields the island uses). */
export interface ServerSentEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * An incremental parser of `text/event-stream` (HTML Living Standard, "Server-sent events",
 * §9.2.6): feed it text as it arrives, get whole events back. Comments (heartbeats) and `retry`
 * are skipped.
 */
export function createEventStreamParser() {
  let buffer = '';
  return (chunk: string): ServerSentEvent[] => {
    // CR LF, CR and LF all end a line; a CR at the end of a chunk may be half of a CR LF.
    buffer += chunk;
    const held = buffer.endsWith('\r') ? '\r' : '';
    buffer = (held ? buffer.slice(0, -1) : buffer).replace(/\r\n?/g, '\n') + held;
    const events: ServerSentEvent[] = [];
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let id: string | undefined;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') id = value;
        else if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) events.push({ ...(id !== undefined ? { id } : {}), event, data: data.join('\n') });
    }
    return events;
  };
}

/** Adds an entry (newest first), without a duplicate, within {@link maxShownEntries}. */
export function addEntry(entries: readonly JournalEntry[], entry: JournalEntry): JournalEntry[] {
  if (entries.some((known) => known.id === entry.id)) return [...entries];
  return [entry, ...entries].slice(0, maxShownEntries);
}

/** Shell-quotes a value for `export NAME='value'`. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The environment a reader exports to point their program at this sandbox: the variables the
 * guide's samples read. With `secret` undefined the secret is shown masked (for the page).
 */
export function environmentExports(origin: string, clientId: string, secret: string | undefined): string {
  return [
    `export SANDBOX_URL=${shellQuote(origin)}`,
    `export TOKEN_URL=${shellQuote(`${origin}/oauth/token`)}`,
    `export CLIENT_ID=${shellQuote(clientId)}`,
    `export CLIENT_SECRET=${secret === undefined ? "'…'   # your client secret" : shellQuote(secret)}`,
  ].join('\n');
}

/** What the live region says about a new entry: one short sentence, not the whole entry. */
export function announce(entry: JournalEntry): string {
  const count = entry.findings.length;
  return `${entry.method} ${entry.path}: ${entry.status}${
    count === 0 ? '' : `, ${count} finding${count === 1 ? '' : 's'}`
  }.`;
}

/** The local time of an entry, `HH:MM:SS`. */
export function shortTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toTimeString().slice(0, 8);
}

/** The facts of `received` as label/value pairs, in a stable order, for a definition list. */
/** A received fact as text: JSON for what is not a plain value (never "[object Object]"). */
function factText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}

export function receivedFacts(received: JournalEntry['received']): [string, string][] {
  const labels: [string, string][] = [
    ['credentials', 'Credentials'],
    ['content_type', 'Content-Type'],
    ['grant_type', 'grant_type'],
    ['scopes_requested', 'Scopes asked'],
    ['body_parameters', 'Body parameters'],
    ['query_parameters', 'Query parameters'],
    ['header_names', 'Headers'],
    ['token', 'Token'],
    ['issued', 'Token issued'],
  ];
  const facts: [string, string][] = [];
  for (const [key, label] of labels) {
    const value = received[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) facts.push([label, value.length === 0 ? '(none)' : value.join(', ')]);
    else if (isObject(value))
      facts.push([
        label,
        Object.entries(value)
          .map(([name, item]) => `${name} ${factText(item)}`)
          .join(' · '),
      ]);
    else facts.push([label, factText(value)]);
  }
  return facts;
}
