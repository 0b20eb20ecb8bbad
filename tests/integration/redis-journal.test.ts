/**
 * The request journal's Redis half (src/redis-store/journal.ts), ready for the Store seam: a
 * client's last 100 entries, newest first, each batch announced to the other instances.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisJournal } from '../../src/redis-store/journal.ts';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.ts';

let redis: TestRedisServer;
let client: ReturnType<typeof createClient>;
let subscriber: ReturnType<typeof createClient>;

beforeAll(async () => {
  redis = await startRedisServer();
  client = createClient({ url: redis.url });
  subscriber = client.duplicate();
  await Promise.all([client.connect(), subscriber.connect()]);
}, 30_000);

afterAll(async () => {
  await Promise.allSettled([client?.close(), subscriber?.close()]);
  await redis?.stop();
});

describe('the request journal in Redis', () => {
  it('keeps each client’s last 100 entries newest first, announces each batch, and forgets a deleted client’s', async () => {
    const prefix = `journal-${randomUUID()}:`;
    const channel = `${prefix}events`;
    const journal = redisJournal(client, (command) => command(), prefix, channel);
    const announced: unknown[] = [];
    await subscriber.subscribe(channel, (message) => announced.push(JSON.parse(message)));

    const entry = (clientId: string, n: number) => ({ clientId, id: `r${n}`, json: JSON.stringify({ n }) });
    await journal.appendJournalEntries(Array.from({ length: 120 }, (_, n) => entry('a', n)));
    await journal.appendJournalEntries([entry('b', 0)]);

    const last = await journal.listJournalEntries('a', 100);
    expect(last).toHaveLength(100);
    expect(last[0]).toEqual(entry('a', 119));
    expect(last[99]).toEqual(entry('a', 20));
    expect(await journal.listJournalEntries('a', 3)).toEqual([
      entry('a', 119),
      entry('a', 118),
      entry('a', 117),
    ]);
    expect(await journal.listJournalEntries('b', 100)).toEqual([entry('b', 0)]);
    await expect.poll(() => announced.length).toBe(2);

    await journal.deleteJournal('a');
    expect(await journal.listJournalEntries('a', 100)).toEqual([]);
    expect(await journal.listJournalEntries('b', 100)).toHaveLength(1);
  });
});
