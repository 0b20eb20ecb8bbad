import type { createClient } from 'redis';

/** One request journal entry as stored (the shape of the sandbox's `JournalRecord`). */
export interface StoredJournalRecord {
  clientId: string;
  /** The entry's id (the request's `x-request-id`). */
  id: string;
  /** The entry as JSON. */
  json: string;
}

/** How many entries a client's journal keeps (the request journal issue: the last 100). */
const entriesPerClient = 100;
/** A journal outlives its client (24 h) by this much at most, in case no sweep removes it. */
const journalTtlSeconds = 25 * 60 * 60;

type RedisClient = ReturnType<typeof createClient>;

/**
 * The request journal in Redis: one list per client, newest first, trimmed to its last
 * {@link entriesPerClient} entries and expiring a day after its last entry. Each batch is also
 * published on `channel`, so a live stream on one instance can show requests another served.
 * `run` is the store's command runner (deadline, 503 on an unreachable Redis).
 */
export function redisJournal(
  client: RedisClient,
  run: <T>(command: () => Promise<T>) => Promise<T>,
  prefix: string,
  channel: string,
) {
  const key = (clientId: string) => `${prefix}journal:${clientId}`;
  return {
    async appendJournalEntries(records: readonly StoredJournalRecord[]): Promise<void> {
      if (records.length === 0) return;
      const transaction = client.multi();
      const touched = new Set<string>();
      for (const record of records) {
        transaction.lPush(key(record.clientId), JSON.stringify(record));
        touched.add(record.clientId);
      }
      for (const clientId of touched) {
        transaction.lTrim(key(clientId), 0, entriesPerClient - 1);
        transaction.expire(key(clientId), journalTtlSeconds);
      }
      transaction.publish(channel, JSON.stringify({ type: 'journal', records }));
      await run(() => transaction.exec());
    },
    async listJournalEntries(clientId: string, limit: number): Promise<StoredJournalRecord[]> {
      const entries = await run(() => client.lRange(key(clientId), 0, Math.max(0, limit - 1)));
      return entries.map((entry) => JSON.parse(entry) as StoredJournalRecord);
    },
    async deleteJournal(clientId: string): Promise<void> {
      await run(() => client.del(key(clientId)));
    },
  };
}
