import { randomUUID } from 'node:crypto';
import { createClient, ErrorReply } from 'redis';
import {
  StoreUnavailableError,
  journalLimits,
  type ClientJwks,
  type JournalRecord,
  type ClientRecord,
  type SigningKeyRecord,
  type Store,
  type StoreChange,
  type TokenEndpointAuthMethod,
} from '../sandbox/store/store.ts';
import { redisCheckStore } from './check-store.ts';
import { activateSigningKeyScript, takeFromBucketScript, withdrawSigningKeysScript } from './scripts.ts';

/** Options of {@link openRedisStore}. */
export interface RedisStoreOptions {
  /** `redis://[user:pass@]host:port[/db]` or `rediss://` (TLS). */
  url: string;
  /** Prefix of every key and of the channel; tests give each store its own. Default `sandbox:`. */
  prefix?: string;
  /** How long start-up waits for Redis before it gives up. Default 10 s. */
  connectTimeoutMs?: number | undefined;
  /** Called with connection events (lost, back), for the host's log. */
  log?: (event: { level: 'info' | 'error'; message: string }) => void;
}

/**
 * A command that takes longer fails, and the request answers 503: the issue asks for an answer
 * within 2 s when Redis hangs, and a request makes at most two commands in a row (a rate-limit
 * count and the write), each bounded by this.
 */
const commandTimeoutMs = 700;
/**
 * After a failed command, calls fail at once for this long instead of each waiting for its own
 * timeout: a hung Redis then costs one timeout, not one per request in the queue.
 */
const failFastMs = 500;
/** Clients kept in memory; like the sqlite store's cache, a bound against registration floods. */
const clientCacheLimit = 10_000;
/** Empty buckets remembered at once; bounds memory under address spraying (each entry ends by itself). */
const emptyBucketLimit = 10_000;
/** A journal list lives this long after its last entry: past the 24 h of any sandbox client. */
const journalTtlSeconds = 25 * 60 * 60;

/** A client's key outlives its expiry by this much, in case no sweep runs (every instance stopped). */
const clientBackstopSeconds = 24 * 60 * 60;

/** The JSON a client is stored as: the record with its secret hash in base64. */
interface StoredClient {
  clientId: string;
  /** None for a private_key_jwt client. */
  secretHash?: string | undefined;
  registrationTokenHash?: string | undefined;
  jwks?: ClientJwks | undefined;
  clientName?: string | undefined;
  scope: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  accessTokenLifetime: number;
  issuedAt: number;
  expiresAt: number;
}

/** A message on the store's channel: what another instance changed. */
type StoreEvent =
  | { type: 'revoked'; jti: string; expiresAt: number }
  | { type: 'client-changed'; clientId: string }
  | { type: 'signing-keys' }
  | { type: 'rate-limited'; bucket: string; until: number }
  /** A batch of request journal entries, from the instance `from` (which has shown them already). */
  | { type: 'journal'; from: string; records: JournalRecord[] };

/**
 * Opens the shared store on Redis (node-redis, the official client): the sandbox's state lives in
 * Redis, so N instances on one Redis behave as one sandbox.
 *
 * - Writes are acknowledged only once Redis has them (with `appendfsync always`, once on disk).
 * - Reads on hot paths are served from memory, kept true by pub/sub: the revocation list (the API
 *   checks it on every call: no round trip per call for a token already verified), clients (they
 *   change only through this store, which announces it) and the signing keys (reloaded on a
 *   `signing-keys` message). While the subscription is down, the memory copy is not trusted: reads
 *   go to Redis, and once the subscription is back the copy is reloaded whole (nothing published
 *   while it was down is missed).
 * - An unreachable or hung Redis makes calls throw {@link StoreUnavailableError} within
 *   {@link commandTimeoutMs} (503 for the request); the client reconnects by itself.
 */
export async function openRedisStore(options: RedisStoreOptions): Promise<Store> {
  const prefix = options.prefix ?? 'sandbox:';
  const keys = {
    client: (clientId: string) => `${prefix}client:${clientId}`,
    clientsByExpiry: `${prefix}clients-by-expiry`,
    revocations: `${prefix}revocations`,
    assertionIds: `${prefix}assertion-ids`,
    signingKeys: `${prefix}signing-keys`,
    signingKeysRetired: `${prefix}signing-keys:retired`,
    signingKeysOrder: `${prefix}signing-keys:order`,
    activeSigningKey: `${prefix}signing-keys:active`,
    /** A client's request journal: a list, newest first, trimmed to its bound. */
    journal: (clientId: string) => `${prefix}journal:${clientId}`,
  };
  const channel = `${prefix}events`;
  /** This store's name on the channel, so it skips the journal batches it published itself. */
  const instanceId = randomUUID();
  /**
   * How this store's own journal batches begin on the channel (the event's first two keys, in the
   * order appendJournalEntries writes them). Redis hands a subscriber its own messages too; these
   * are skipped before parsing, since a batch holds every entry it carries and they arrive at the
   * rate requests are served.
   */
  const ownJournalBatch = JSON.stringify({ type: 'journal', from: instanceId }).slice(0, -1);
  const journalWatchers: ((records: readonly JournalRecord[]) => void)[] = [];
  const log = options.log ?? (() => {});

  const client = createClient({
    url: options.url,
    // Commands are refused at once while the connection is down, rather than queued: the
    // request answers 503 now instead of hanging until Redis returns.
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 500) },
  });
  const subscriber = client.duplicate();

  // The memory copy, trusted only while `live`.
  let live = false;
  const revoked = new Map<string, number>();
  const clients = new Map<string, ClientRecord>();
  const emptyBuckets = new Map<string, number>();
  const watchers: ((change: StoreChange) => void)[] = [];
  let unavailableUntil = 0;
  let closed = false;

  function isUnavailability(error: unknown): boolean {
    if (!(error instanceof ErrorReply)) return true;
    // Redis answers these while it loads its data, lacks disk (appendfsync), or is a replica.
    return /^(LOADING|BUSY|MISCONF|READONLY|TRYAGAIN|MASTERDOWN)\b/.test(error.message);
  }

  /**
   * Runs a command; every way Redis can be unreachable becomes a StoreUnavailableError. The
   * deadline is ours: node-redis's own command timeout ends once a command is written, and a hung
   * Redis (stopped, or a network path that drops packets) never answers a written one. A late reply
   * still reaches the abandoned command, so the connection's replies stay in order.
   */
  async function run<T>(command: () => Promise<T>): Promise<T> {
    if (closed || !client.isReady || Date.now() < unavailableUntil) throw new StoreUnavailableError();
    let timer: NodeJS.Timeout | undefined;
    const pending = command();
    pending.catch(() => {
      // Answered after the deadline, or failed: the caller has its answer already.
    });
    try {
      return await Promise.race([
        pending,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('Redis did not answer in time')), commandTimeoutMs);
        }),
      ]);
    } catch (error) {
      if (!isUnavailability(error)) throw error;
      unavailableUntil = Date.now() + failFastMs;
      throw new StoreUnavailableError();
    } finally {
      clearTimeout(timer);
    }
  }

  function markEmpty(bucket: string, until: number) {
    if (emptyBuckets.size >= emptyBucketLimit) {
      const now = Date.now();
      for (const [name, end] of emptyBuckets) if (end <= now) emptyBuckets.delete(name);
      if (emptyBuckets.size >= emptyBucketLimit) emptyBuckets.delete(emptyBuckets.keys().next().value!);
    }
    emptyBuckets.set(bucket, Math.max(until, emptyBuckets.get(bucket) ?? 0));
  }

  function notify(change: StoreChange) {
    for (const watcher of watchers) watcher(change);
  }

  function apply(event: StoreEvent) {
    if (event.type === 'revoked') revoked.set(event.jti, event.expiresAt);
    else if (event.type === 'client-changed') clients.delete(event.clientId);
    else if (event.type === 'rate-limited') markEmpty(event.bucket, event.until);
    else if (event.type === 'signing-keys') notify('signing-keys');
    else if (event.type === 'journal' && event.from !== instanceId && Array.isArray(event.records))
      for (const watcher of journalWatchers) watcher(event.records);
  }

  /** After (re)subscribing: reload the copy whole, since messages published meanwhile are lost. */
  async function resynchronize() {
    const now = Math.floor(Date.now() / 1000);
    const entries = await client.zRangeByScoreWithScores(keys.revocations, now + 1, '+inf');
    revoked.clear();
    for (const { value, score } of entries) revoked.set(value, score);
    clients.clear();
    live = true;
    notify('signing-keys');
  }

  for (const [name, connection] of [
    ['commands', client],
    ['subscription', subscriber],
  ] as const) {
    let down = false;
    connection.on('error', (error: unknown) => {
      if (connection === subscriber) live = false;
      if (!down && !closed) {
        down = true;
        log({
          level: 'error',
          message: `Redis ${name} connection lost: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    });
    connection.on('ready', () => {
      if (down) log({ level: 'info', message: `Redis ${name} connection back` });
      down = false;
      if (connection === subscriber && !closed) {
        live = false;
        resynchronize().catch(() => {
          // Redis went away again; the next 'ready' resynchronizes.
        });
      }
    });
  }
  subscriber.on('end', () => (live = false));

  // Start-up waits for Redis a while (instances and Redis starting together), then gives up
  // with a message naming it, rather than serving 503s forever from a wrong URL.
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.all([client.connect(), subscriber.connect()]),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer from Redis within ${connectTimeoutMs / 1000} s`)),
          connectTimeoutMs,
        );
      }),
    ]);
    await subscriber.subscribe(channel, (message) => {
      if (message.startsWith(ownJournalBatch)) return;
      try {
        apply(JSON.parse(message) as StoreEvent);
      } catch {
        // Not one of ours: ignore.
      }
    });
    await resynchronize();
  } catch (error) {
    closed = true;
    for (const connection of [client, subscriber]) if (connection.isOpen) connection.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  function toRecord(stored: StoredClient): ClientRecord {
    return {
      clientId: stored.clientId,
      secretHash:
        stored.secretHash === undefined
          ? undefined
          : new Uint8Array(Buffer.from(stored.secretHash, 'base64')),
      registrationTokenHash:
        stored.registrationTokenHash === undefined
          ? undefined
          : new Uint8Array(Buffer.from(stored.registrationTokenHash, 'base64')),
      clientName: stored.clientName,
      jwks: stored.jwks,
      scope: stored.scope,
      tokenEndpointAuthMethod: stored.tokenEndpointAuthMethod,
      accessTokenLifetime: stored.accessTokenLifetime,
      issuedAt: stored.issuedAt,
      expiresAt: stored.expiresAt,
    };
  }

  function toStored(record: ClientRecord): StoredClient {
    return {
      clientId: record.clientId,
      secretHash:
        record.secretHash === undefined ? undefined : Buffer.from(record.secretHash).toString('base64'),
      registrationTokenHash:
        record.registrationTokenHash === undefined
          ? undefined
          : Buffer.from(record.registrationTokenHash).toString('base64'),
      clientName: record.clientName,
      jwks: record.jwks,
      scope: [...record.scope],
      tokenEndpointAuthMethod: record.tokenEndpointAuthMethod,
      accessTokenLifetime: record.accessTokenLifetime,
      issuedAt: record.issuedAt,
      expiresAt: record.expiresAt,
    };
  }

  function remember(record: ClientRecord) {
    if (clients.size >= clientCacheLimit) clients.clear();
    clients.set(record.clientId, record);
  }

  return {
    checks: redisCheckStore(client, run, prefix),
    async saveClient(record) {
      const stored = toStored(record);
      // One transaction: the client and its place in the sweep's index. NX: a client_id is never reused.
      const [saved] = await run(() =>
        client
          .multi()
          .set(keys.client(record.clientId), JSON.stringify(stored), {
            condition: 'NX',
            expiration: { type: 'EXAT', value: record.expiresAt + clientBackstopSeconds },
          })
          .zAdd(keys.clientsByExpiry, { score: record.expiresAt, value: record.clientId })
          .exec(),
      );
      // SET NX answers OK, or null when the key exists (typed as a reply union, a string at run time).
      if ((saved as unknown) !== 'OK') throw new Error('A client with this client_id already exists.');
    },
    async updateClient(record) {
      const json = await run(() => client.get(keys.client(record.clientId)));
      if (json === null) return;
      const current = JSON.parse(json) as StoredClient;
      // RFC 7592 §2.2 changes the metadata; the id, the hashes and the times stay as registered.
      const updated: StoredClient = {
        ...toStored(record),
        secretHash: current.secretHash,
        registrationTokenHash: current.registrationTokenHash,
        issuedAt: current.issuedAt,
        expiresAt: current.expiresAt,
      };
      clients.delete(record.clientId);
      await run(() =>
        client
          .multi()
          .set(keys.client(record.clientId), JSON.stringify(updated), {
            condition: 'XX',
            expiration: 'KEEPTTL',
          })
          .publish(
            channel,
            JSON.stringify({ type: 'client-changed', clientId: record.clientId } satisfies StoreEvent),
          )
          .exec(),
      );
      clients.delete(record.clientId);
    },
    async deleteClient(clientId) {
      clients.delete(clientId);
      const [deleted] = await run(() =>
        client
          .multi()
          .del(keys.client(clientId))
          .zRem(keys.clientsByExpiry, clientId)
          .publish(channel, JSON.stringify({ type: 'client-changed', clientId } satisfies StoreEvent))
          .exec(),
      );
      clients.delete(clientId);
      return Number(deleted) > 0;
    },
    async findClient(clientId) {
      if (live) {
        const cached = clients.get(clientId);
        if (cached) return cached;
      }
      const json = await run(() => client.get(keys.client(clientId)));
      if (json === null) return undefined;
      const record = toRecord(JSON.parse(json) as StoredClient);
      if (live) remember(record);
      return record;
    },
    async listSigningKeys() {
      const [order, records, retired] = await run(() =>
        client
          .multi()
          .lRange(keys.signingKeysOrder, 0, -1)
          .hGetAll(keys.signingKeys)
          .hGetAll(keys.signingKeysRetired)
          .exec(),
      );
      const byKid = records as unknown as Record<string, string>;
      const retirement = retired as unknown as Record<string, string>;
      return (order as unknown as string[])
        .filter((kid) => byKid[kid] !== undefined)
        .map((kid): SigningKeyRecord => {
          const stored = JSON.parse(byKid[kid]!) as Omit<SigningKeyRecord, 'retiredAt' | 'publishUntil'>;
          const [retiredAt, publishUntil] = (retirement[kid] ?? '').split(':').map(Number);
          return {
            ...stored,
            retiredAt: retirement[kid] ? retiredAt : undefined,
            publishUntil: retirement[kid] ? publishUntil : undefined,
          };
        });
    },
    async activateSigningKey(key, retiredAt, publishUntil, replacing) {
      const stored = {
        kid: key.kid,
        alg: key.alg,
        privateJwk: key.privateJwk,
        publicJwk: key.publicJwk,
        createdAt: key.createdAt,
      };
      // A Lua script runs alone in Redis: compare-and-set of the active key, the rotation lock.
      const activated = await run(() =>
        client.eval(activateSigningKeyScript, {
          keys: [keys.activeSigningKey, keys.signingKeys, keys.signingKeysRetired, keys.signingKeysOrder],
          arguments: [
            replacing ?? '',
            key.kid,
            JSON.stringify(stored),
            `${retiredAt}:${publishUntil}`,
            channel,
            JSON.stringify({ type: 'signing-keys' } satisfies StoreEvent),
          ],
        }),
      );
      return activated === 1;
    },
    async withdrawSigningKeys(keepKid) {
      const removed = await run(() =>
        client.eval(withdrawSigningKeysScript, {
          keys: [keys.signingKeys, keys.signingKeysRetired, keys.signingKeysOrder],
          arguments: [keepKid, channel, JSON.stringify({ type: 'signing-keys' } satisfies StoreEvent)],
        }),
      );
      return (removed as unknown as string[]).map(String);
    },
    async claimAssertionId(clientId, jti, expiresAt) {
      // ZADD NX is atomic: of two instances seeing the same assertion at once, one adds it.
      const added = await run(() =>
        client.zAdd(
          keys.assertionIds,
          { score: expiresAt, value: `${clientId} ${jti}` },
          { condition: 'NX' },
        ),
      );
      return Number(added) === 1;
    },
    async saveRevocation(jti, expiresAt) {
      // Recorded here before the answer leaves, so this instance refuses the token at once; the
      // others hear it on the channel within milliseconds.
      await run(() =>
        client
          .multi()
          .zAdd(keys.revocations, { score: expiresAt, value: jti })
          .publish(channel, JSON.stringify({ type: 'revoked', jti, expiresAt } satisfies StoreEvent))
          .exec(),
      );
      revoked.set(jti, expiresAt);
    },
    async appendJournalEntries(records) {
      if (records.length === 0) return;
      // One round trip for the batch: each client's list gets its entries newest first, is cut
      // to its bound, and lives a day past the longest client lifetime (the sweep deletes it
      // with its client before that).
      const transaction = client.multi();
      const touched = new Set<string>();
      for (const record of records) {
        transaction.lPush(keys.journal(record.clientId), record.json);
        touched.add(record.clientId);
      }
      for (const clientId of touched) {
        transaction.lTrim(keys.journal(clientId), 0, journalLimits.entriesPerClient - 1);
        transaction.expire(keys.journal(clientId), journalTtlSeconds);
      }
      // The other instances' live streams show these entries too (issue 13): in the same
      // transaction, so a batch is announced only once it is stored.
      transaction.publish(
        channel,
        JSON.stringify({ type: 'journal', from: instanceId, records: [...records] } satisfies StoreEvent),
      );
      await run(() => transaction.exec());
    },
    async listJournalEntries(clientId, limit) {
      const texts = await run(() => client.lRange(keys.journal(clientId), 0, limit - 1));
      return texts.flatMap((json): JournalRecord[] => {
        try {
          const { id } = JSON.parse(json) as { id?: unknown };
          return typeof id === 'string' ? [{ clientId, id, json }] : [];
        } catch {
          return [];
        }
      });
    },
    async deleteJournal(clientId) {
      await run(() => client.del(keys.journal(clientId)));
    },
    async isRevoked(jti) {
      if (live) return revoked.has(jti);
      const score = await run(() => client.zScore(keys.revocations, jti));
      return score !== null;
    },
    async sweep(now) {
      for (const [jti, expiresAt] of revoked) if (expiresAt <= now) revoked.delete(jti);
      for (const [clientId, record] of clients) if (record.expiresAt <= now) clients.delete(clientId);
      const expiredClients = await run(() => client.zRangeByScore(keys.clientsByExpiry, '-inf', now));
      const [retired] = await run(() => client.multi().hGetAll(keys.signingKeysRetired).exec());
      const expiredKids = Object.entries(retired as unknown as Record<string, string>)
        .filter(([, value]) => Number(value.split(':')[1]) <= now)
        .map(([kid]) => kid);
      const transaction = client.multi();
      for (const clientId of expiredClients) transaction.del(keys.client(clientId));
      transaction.zRemRangeByScore(keys.clientsByExpiry, '-inf', now);
      transaction.zRemRangeByScore(keys.revocations, '-inf', now);
      transaction.zRemRangeByScore(keys.assertionIds, '-inf', now);
      for (const kid of expiredKids) {
        transaction.hDel(keys.signingKeys, kid);
        transaction.hDel(keys.signingKeysRetired, kid);
        transaction.lRem(keys.signingKeysOrder, 0, kid);
      }
      // Last, so the replies above keep their places: the journals of the swept clients.
      for (const clientId of expiredClients) transaction.del(keys.journal(clientId));
      const replies = await run(() => transaction.exec());
      const journalReplies = replies.slice(replies.length - expiredClients.length);
      // Several instances sweep the same entries; each counts what it removed itself.
      const clientCount = replies
        .slice(0, expiredClients.length)
        .reduce<number>((sum, n) => sum + Number(n), 0);
      return {
        clients: clientCount,
        revocations: Number(replies[expiredClients.length + 1]),
        assertionIds: Number(replies[expiredClients.length + 2]),
        signingKeys: expiredKids.filter(
          (_, index) => Number(replies[expiredClients.length + 3 + index * 3]) === 1,
        ).length,
        journalEntries: journalReplies.reduce<number>((sum, n) => sum + Number(n), 0),
      };
    },
    rateLimitBuckets: {
      async take(bucket, rule, nowMs, operation) {
        const before = await run(() =>
          client.eval(takeFromBucketScript, {
            keys: [`${prefix}rate:${bucket}`],
            arguments: [
              String(rule.capacity),
              String(rule.refillSeconds * 1000),
              String(nowMs),
              operation,
              channel,
              bucket,
            ],
          }),
        );
        const tokens = Number(before);
        const after = operation === 'spend' && tokens < 1 ? tokens : Math.max(0, tokens - 1);
        // This instance knows at once; the others from the script's message.
        if (after < 1)
          markEmpty(bucket, nowMs + Math.ceil(((1 - after) * rule.refillSeconds * 1000) / rule.capacity));
        return tokens;
      },
      emptyUntil(bucket, nowMs) {
        const until = emptyBuckets.get(bucket);
        if (until === undefined) return 0;
        if (until <= nowMs) {
          emptyBuckets.delete(bucket);
          return 0;
        }
        return until;
      },
    },
    watch(listener) {
      watchers.push(listener);
    },
    watchJournal(listener) {
      journalWatchers.push(listener);
    },
    async ping() {
      await run(() => client.ping());
    },
    async close() {
      if (closed) return;
      closed = true;
      live = false;
      // QUIT waits for replies in flight; a dead Redis would make it wait forever.
      const quit = Promise.allSettled([client.close(), subscriber.close()]);
      const timeout = new Promise((resolve) => setTimeout(resolve, 1_000).unref());
      await Promise.race([quit, timeout]);
      for (const connection of [client, subscriber]) if (connection.isOpen) connection.destroy();
    },
  };
}
