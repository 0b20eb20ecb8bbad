import type { JournalEntry } from '../../lib/sandbox-contract/journal-entry.ts';
import type { CheckEntryRecord } from '../store/check-store.ts';
import type { Store } from '../store/store.ts';
import type { CheckRecord } from '../store/check-store.ts';
import { checkEntryOf } from './check-entry.ts';

/**
 * Files the journal entries of a client under check with its check. The journal keeps a client's
 * last 100 requests; a check grades its whole window, so while one runs, the facts of each entry
 * (check-entry.ts: no header names, no findings) are also written to the check, in batches about
 * once a second like the journal's, and bounded per check by the store.
 */
export function createCheckRecorder({
  store,
  running,
  flushIntervalMs = 1_000,
  onFlushError,
}: {
  store: Store;
  running: (clientId: string) => CheckRecord | undefined | Promise<CheckRecord | undefined>;
  flushIntervalMs?: number;
  onFlushError?: (error: unknown) => void;
}) {
  let pending: CheckEntryRecord[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flushing: Promise<void> = Promise.resolve();

  function file(check: CheckRecord | undefined, entry: () => JournalEntry) {
    if (!check) return;
    pending.push({ checkId: check.id, json: JSON.stringify(checkEntryOf(entry())) });
    timer ??= setTimeout(() => void flush(), flushIntervalMs);
    timer.unref?.();
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    flushing = flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await store.checks.appendEntries(batch);
      } catch (error) {
        onFlushError?.(error);
      }
    });
    return flushing;
  }

  return {
    /**
     * Files the entry with the client's running check, if it has one (then only is it made).
     * Returns a promise only when the check had to be looked up in the store.
     */
    record(clientId: string, entry: () => JournalEntry): Promise<void> | undefined {
      const check = running(clientId);
      if (check instanceof Promise) return check.then((found) => file(found, entry));
      file(check, entry);
      return undefined;
    },
    /** Writes what is pending. */
    flush,
  };
}

export type CheckRecorder = ReturnType<typeof createCheckRecorder>;
