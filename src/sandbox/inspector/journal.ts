import { journalLimits, type JournalRecord, type Store } from '../store/store.ts';
import type { JournalEntry } from '../../lib/sandbox-contract/journal-entry.ts';

/** Receives each new entry of one client's journal as it is recorded. */
export type JournalListener = (entry: JournalEntry, json: string) => void;

/** The request journal: each client's last requests, kept in the store, streamed as they happen. */
export interface Journal {
  /**
   * Records an entry now (listeners hear it at once); the store gets it with the next flush. The
   * entry is made (`entry()`) only if a listener hears it or the flush keeps it.
   */
  record(clientId: string, entry: () => JournalEntry): void;
  /** A client's entries, newest first, at most {@link journalLimits}.entriesPerClient. */
  list(clientId: string): Promise<JournalEntry[]>;
  /** Listens to a client's new entries; returns the function that stops listening. */
  subscribe(clientId: string, listener: JournalListener): () => void;
  /** Forgets a client's journal (the client was deleted). */
  forget(clientId: string): Promise<void>;
  /** Writes what is pending to the store. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  close(): Promise<void>;
}

/** What {@link createJournal} needs. */
export interface JournalOptions {
  store: Store;
  /**
   * How long entries wait before they are written, together (default 1 s). Losing the last second
   * of a journal in a crash is acceptable (issue 11); an fsync per API call is not.
   */
  flushIntervalMs?: number;
  /** Called when a flush fails (the entries are dropped) or an entry cannot be made (it is): the sandbox goes on. */
  onFlushError?: (error: unknown) => void;
}

/** Entries waiting for a flush at most; reaching it starts a flush at once (a flood of requests). */
const maxPendingEntries = 5_000;

/**
 * The JSON of an entry within {@link journalLimits}.entryBytes: a larger entry loses its header
 * names and parameter names first, then its findings' fixes (the errors page has them), then the
 * verdict details.
 */
export function boundedEntryJson(entry: JournalEntry): string {
  let json = JSON.stringify(entry);
  if (json.length <= journalLimits.entryBytes) return json;
  const smaller: JournalEntry = {
    ...entry,
    received: { ...entry.received, header_names: entry.received.header_names.slice(0, 8) },
  };
  delete smaller.received.body_parameters;
  delete smaller.received.query_parameters;
  json = JSON.stringify(smaller);
  if (json.length <= journalLimits.entryBytes) return json;
  smaller.findings = smaller.findings.map((finding) => ({ ...finding, fix: '' }));
  delete smaller.received.verdict;
  json = JSON.stringify(smaller);
  if (json.length <= journalLimits.entryBytes) return json;
  // Last resort, always within the bound: the request line, the credentials' location, and three
  // findings with short messages.
  return JSON.stringify({
    ...smaller,
    received: { credentials: smaller.received.credentials, header_names: [] },
    findings: smaller.findings
      .slice(0, 3)
      .map((finding) => ({ ...finding, message: finding.message.slice(0, 200) })),
  } satisfies JournalEntry);
}

/** Creates the journal over `store`. */
export function createJournal({ store, flushIntervalMs = 1_000, onFlushError }: JournalOptions): Journal {
  // Each client's entries waiting for the flush, oldest first. Only a client's last
  // entriesPerClient can survive the store's trim, so older ones are dropped as new ones arrive:
  // an entry holds what it needs to describe its request until it is made, and a busy client
  // sends thousands of requests between two flushes.
  let pending = new Map<string, (() => JournalEntry)[]>();
  let pendingCount = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flushing: Promise<void> = Promise.resolve();
  const listeners = new Map<string, Set<JournalListener>>();
  const limit = journalLimits.entriesPerClient;

  // Entries another instance served (a shared store's pub/sub): to the live streams of this one.
  store.watchJournal?.((records) => {
    for (const record of records) {
      const heard = listeners.get(record.clientId);
      if (!heard) continue;
      let entry: JournalEntry;
      try {
        entry = JSON.parse(record.json) as JournalEntry;
      } catch {
        continue;
      }
      for (const listener of heard) listener(entry, record.json);
    }
  });

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const waiting = pending;
    pending = new Map();
    pendingCount = 0;
    flushing = flushing.then(async () => {
      if (waiting.size === 0) return;
      const batch: JournalRecord[] = [];
      for (const [clientId, entries] of waiting)
        for (const made of entries.slice(-limit)) {
          let entry: JournalEntry;
          try {
            entry = made();
          } catch (error) {
            onFlushError?.(error);
            continue;
          }
          batch.push({ clientId, id: entry.id, json: boundedEntryJson(entry) });
        }
      try {
        await store.appendJournalEntries(batch);
      } catch (error) {
        onFlushError?.(error);
      }
    });
    return flushing;
  }

  return {
    record(clientId, entry) {
      let entries = pending.get(clientId);
      if (!entries) pending.set(clientId, (entries = []));
      entries.push(entry);
      pendingCount += 1;
      // Twice the bound, then back to the bound: one copy per `limit` entries, not one per entry.
      if (entries.length >= 2 * limit) {
        entries.splice(0, entries.length - limit);
        pendingCount -= limit;
      }
      // A flood from many clients between two timer ticks: write now rather than let the batch grow.
      if (pendingCount >= maxPendingEntries) void flush();
      timer ??= setTimeout(() => void flush(), flushIntervalMs);
      // A timer must not keep a stopping process alive: the close() flush writes what is left.
      timer.unref?.();
      const heard = listeners.get(clientId);
      if (heard) {
        const made = entry();
        const json = boundedEntryJson(made);
        for (const listener of heard) listener(made, json);
      }
    },
    async list(clientId) {
      await flush();
      const records = await store.listJournalEntries(clientId, journalLimits.entriesPerClient);
      return records.flatMap((record) => {
        try {
          return [JSON.parse(record.json) as JournalEntry];
        } catch {
          return [];
        }
      });
    },
    subscribe(clientId, listener) {
      let set = listeners.get(clientId);
      if (!set) listeners.set(clientId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(clientId) === set) listeners.delete(clientId);
      };
    },
    async forget(clientId) {
      pendingCount -= pending.get(clientId)?.length ?? 0;
      pending.delete(clientId);
      await flushing;
      await store.deleteJournal(clientId);
    },
    flush,
    async close() {
      await flush();
    },
  };
}
