/**
 * The Store contract: one suite, run against every store the sandbox can use (the embedded sqlite
 * file and Redis). Each case opens two connections to one backend, as two instances (or a server
 * and `npm run rotate-key`) would, so what one writes the other must see.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRedisStore } from '../../src/redis-store/redis-store.ts';
import { openSqliteStore } from '../../src/sandbox/store/sqlite-store.ts';
import type { ClientRecord, SigningKeyRecord, Store, StoreChange } from '../../src/sandbox/store/store.ts';
import { startRedisServer, type TestRedisServer } from '../support/redis-server.ts';
import { apiProfile } from '../../src/lib/api-profile.ts';

const { readScope, writeScope } = apiProfile;

/** One backend: `open` gives a new connection to it; a `shared` store tells other connections of changes. */
interface Backend {
  open(): Promise<Store>;
  shared: boolean;
}

interface StoreKind {
  name: string;
  /** A fresh, empty backend for one test. */
  backend(): Backend;
}

let redis: TestRedisServer | undefined;
const temporaryFolders: string[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
}, 30_000);

afterAll(async () => {
  await redis?.stop();
  for (const folder of temporaryFolders) rmSync(folder, { recursive: true, force: true });
});

const kinds: StoreKind[] = [
  {
    name: 'sqlite',
    backend() {
      const folder = mkdtempSync(join(tmpdir(), 'sandbox-store-'));
      temporaryFolders.push(folder);
      const path = join(folder, 'sandbox.db');
      return { open: async () => openSqliteStore(path), shared: false };
    },
  },
  {
    name: 'redis',
    backend() {
      // Each test gets its own key prefix on the suite's redis-server: an empty store of its own.
      const prefix = `contract-${randomUUID()}:`;
      return { open: () => openRedisStore({ url: redis!.url, prefix }), shared: true };
    },
  },
];

const now = () => Math.floor(Date.now() / 1000);

function clientRecord(overrides: Partial<ClientRecord> = {}): ClientRecord {
  return {
    clientId: randomUUID(),
    secretHash: new Uint8Array(Array.from({ length: 32 }, (_, index) => index * 7)),
    registrationTokenHash: new Uint8Array(Array.from({ length: 32 }, (_, index) => 255 - index)),
    clientName: 'contract test',
    jwks: undefined,
    scope: [readScope, writeScope],
    tokenEndpointAuthMethod: 'client_secret_basic',
    accessTokenLifetime: 300,
    issuedAt: now(),
    expiresAt: now() + 86_400,
    ...overrides,
  };
}

function keyRecord(kid: string, createdAt = now()): SigningKeyRecord {
  return {
    kid,
    alg: 'EdDSA',
    privateJwk: { kty: 'OKP', crv: 'Ed25519', x: `x-${kid}`, d: `d-${kid}` },
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: `x-${kid}` },
    createdAt,
    retiredAt: undefined,
    publishUntil: undefined,
  };
}

async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(kinds)('Store contract: $name', (kind) => {
  const open: Store[] = [];
  async function connect(backend: Backend): Promise<Store> {
    const store = await backend.open();
    open.push(store);
    return store;
  }
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
  });

  it('keeps a client as registered, secret hash byte for byte, and sees it from another connection', async () => {
    const backend = kind.backend();
    const [a, b] = [await connect(backend), await connect(backend)];
    const client = clientRecord({ clientName: undefined, tokenEndpointAuthMethod: 'client_secret_post' });
    await a.saveClient(client);
    for (const store of [a, b]) {
      const found = await store.findClient(client.clientId);
      expect(found).toEqual({
        ...client,
        secretHash: expect.any(Uint8Array),
        registrationTokenHash: expect.any(Uint8Array),
      });
      expect(Buffer.from(found!.secretHash!).equals(Buffer.from(client.secretHash!))).toBe(true);
      expect(
        Buffer.from(found!.registrationTokenHash!).equals(Buffer.from(client.registrationTokenHash!)),
      ).toBe(true);
    }
    expect(await b.findClient('no-such-client')).toBeUndefined();
  });

  it('keeps a client after the connection that saved it closed (durable once saveClient resolved)', async () => {
    const backend = kind.backend();
    const a = await connect(backend);
    const client = clientRecord();
    await a.saveClient(client);
    await a.close();
    const b = await connect(backend);
    expect((await b.findClient(client.clientId))?.clientId).toBe(client.clientId);
  });

  it('keeps a client without a registration access token (registered before RFC 7592) as such', async () => {
    const store = await connect(kind.backend());
    const client = clientRecord({ registrationTokenHash: undefined });
    await store.saveClient(client);
    expect((await store.findClient(client.clientId))?.registrationTokenHash).toBeUndefined();
  });

  it("updates a client's metadata (RFC 7592 §2.2) for every connection, keeping its id, hashes and times", async () => {
    const backend = kind.backend();
    // The sqlite file has one server process (its memory copy of clients is its own): a shared
    // store must keep every instance's copy true.
    const a = await connect(backend);
    const b = backend.shared ? await connect(backend) : a;
    const client = clientRecord();
    await a.saveClient(client);
    expect((await b.findClient(client.clientId))?.clientName).toBe('contract test'); // b has it in memory now
    await a.updateClient({
      ...client,
      clientName: 'renamed',
      scope: [readScope],
      tokenEndpointAuthMethod: 'client_secret_post',
      accessTokenLifetime: 60,
    });
    for (const store of [a, b]) {
      expect(
        await eventually(
          async () => (await store.findClient(client.clientId))?.clientName === 'renamed',
          1_000,
        ),
      ).toBe(true);
      const found = (await store.findClient(client.clientId))!;
      expect(found).toMatchObject({
        clientId: client.clientId,
        scope: [readScope],
        tokenEndpointAuthMethod: 'client_secret_post',
        accessTokenLifetime: 60,
        issuedAt: client.issuedAt,
        expiresAt: client.expiresAt,
      });
      expect(Buffer.from(found.secretHash!).equals(Buffer.from(client.secretHash!))).toBe(true);
    }
  });

  it('deletes a client (RFC 7592 §2.3) for every connection, within 1 s, once', async () => {
    const backend = kind.backend();
    // The sqlite file has one server process (its memory copy of clients is its own): a shared
    // store must keep every instance's copy true.
    const a = await connect(backend);
    const b = backend.shared ? await connect(backend) : a;
    const client = clientRecord();
    await a.saveClient(client);
    expect(await b.findClient(client.clientId)).toBeDefined(); // b has it in memory now
    expect(await a.deleteClient(client.clientId)).toBe(true);
    expect(await a.findClient(client.clientId)).toBeUndefined();
    expect(await eventually(async () => (await b.findClient(client.clientId)) === undefined, 1_000)).toBe(
      true,
    );
    expect(await b.deleteClient(client.clientId)).toBe(false);
  });

  it('keeps a private_key_jwt client: its public keys, and no secret', async () => {
    const backend = kind.backend();
    const store = await connect(backend);
    const jwks = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'public-part', kid: 'k1' }] };
    const client = clientRecord({ secretHash: undefined, tokenEndpointAuthMethod: 'private_key_jwt', jwks });
    await store.saveClient(client);
    const found = await (await connect(backend)).findClient(client.clientId);
    expect(found).toMatchObject({ secretHash: undefined, tokenEndpointAuthMethod: 'private_key_jwt', jwks });
  });

  it('lets a client assertion id be used once (RFC 7523 §3), by any instance, and sweeps it after its exp', async () => {
    const backend = kind.backend();
    const a = await connect(backend);
    const b = backend.shared ? await connect(backend) : a;
    const t = now();
    const claims = await Promise.all([
      a.claimAssertionId('client-1', 'jti-1', t + 60),
      b.claimAssertionId('client-1', 'jti-1', t + 60),
    ]);
    expect(claims.sort()).toEqual([false, true]);
    expect(await b.claimAssertionId('client-1', 'jti-1', t + 60)).toBe(false);
    // The same jti from another client is another assertion.
    expect(await b.claimAssertionId('client-2', 'jti-1', t + 60)).toBe(true);
    expect((await a.sweep(t + 60)).assertionIds).toBe(2);
  });

  it('withdraws every signing key but the active one at once (rotate-key --withdraw-now)', async () => {
    const backend = kind.backend();
    const store = await connect(backend);
    const t = now();
    await store.activateSigningKey(keyRecord('old'), 0, 0, undefined);
    await store.activateSigningKey(keyRecord('current'), t, t + 3600, 'old');
    expect(await store.withdrawSigningKeys('current')).toEqual(['old']);
    expect((await (await connect(backend)).listSigningKeys()).map((key) => key.kid)).toEqual(['current']);
  });

  it('refuses to save a second client under an existing client_id', async () => {
    const store = await connect(kind.backend());
    const client = clientRecord();
    await store.saveClient(client);
    await expect(store.saveClient({ ...client, clientName: 'impostor' })).rejects.toThrow();
    expect((await store.findClient(client.clientId))?.clientName).toBe(client.clientName);
  });

  it('activates the first key once, then rotates only from the key it names', async () => {
    const backend = kind.backend();
    const [a, b] = [await connect(backend), await connect(backend)];
    expect(await a.listSigningKeys()).toEqual([]);
    expect(await a.activateSigningKey(keyRecord('first'), 0, 0, undefined)).toBe(true);
    // Another instance that also found the store empty loses: there is one first key.
    expect(await b.activateSigningKey(keyRecord('rival'), 0, 0, undefined)).toBe(false);
    const t = now();
    expect(await b.activateSigningKey(keyRecord('second', t + 1), t, t + 3600, 'first')).toBe(true);
    // A rotation decided on stale knowledge (the active key is no longer "first") changes nothing.
    expect(await a.activateSigningKey(keyRecord('stale'), t, t + 3600, 'first')).toBe(false);
    for (const store of [a, b]) {
      const keys = await store.listSigningKeys();
      expect(keys.map((key) => key.kid)).toEqual(['second', 'first']);
      expect(keys[0]).toEqual(keyRecord('second', t + 1));
      expect(keys[1]).toMatchObject({ kid: 'first', retiredAt: t, publishUntil: t + 3600 });
      expect(keys[1]!.privateJwk).toEqual(keyRecord('first').privateJwk);
    }
  });

  it('lets exactly one of many instances starting together on an empty store activate its key', async () => {
    const backend = kind.backend();
    const stores = await Promise.all(Array.from({ length: 5 }, () => connect(backend)));
    const results = await Promise.all(
      stores.map((store, index) => store.activateSigningKey(keyRecord(`key-${index}`), 0, 0, undefined)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await stores[0]!.listSigningKeys()).toHaveLength(1);
  });

  it('refuses a revoked token everywhere, within 1 s', async () => {
    const backend = kind.backend();
    const [a, b] = [await connect(backend), await connect(backend)];
    const jti = randomUUID();
    expect(await b.isRevoked(jti)).toBe(false);
    await a.saveRevocation(jti, now() + 600);
    await a.saveRevocation(jti, now() + 600); // twice is once
    expect(await a.isRevoked(jti)).toBe(true);
    expect(await eventually(() => b.isRevoked(jti), 1_000)).toBe(true);
    expect(await b.isRevoked(randomUUID())).toBe(false);
    // A connection opened later knows it too.
    expect(await (await connect(backend)).isRevoked(jti)).toBe(true);
  });

  it('keeps each client its last 100 journal entries, newest first, for every connection; forgets them on delete', async () => {
    const backend = kind.backend();
    const [a, b] = [await connect(backend), await connect(backend)];
    const [one, two] = [clientRecord(), clientRecord()];
    const records = (clientId: string, from: number, count: number) =>
      Array.from({ length: count }, (_, index) => ({
        clientId,
        id: `r${from + index}`,
        json: JSON.stringify({ id: `r${from + index}` }),
      }));
    await a.appendJournalEntries([...records(one.clientId, 0, 60), ...records(two.clientId, 0, 3)]);
    await a.appendJournalEntries(records(one.clientId, 60, 60));
    const listed = await b.listJournalEntries(one.clientId, 100);
    expect(listed).toHaveLength(100);
    expect(listed[0]).toEqual({ clientId: one.clientId, id: 'r119', json: '{"id":"r119"}' });
    expect(listed.at(-1)!.id).toBe('r20');
    expect((await b.listJournalEntries(two.clientId, 2)).map((record) => record.id)).toEqual(['r2', 'r1']);
    await b.deleteJournal(one.clientId);
    expect(await a.listJournalEntries(one.clientId, 100)).toEqual([]);
    expect(await a.listJournalEntries(two.clientId, 100)).toHaveLength(3);
  });

  it('starts one check per client at a time, atomically, and every connection sees it', async () => {
    const backend = kind.backend();
    const [a, b] = [await connect(backend), await connect(backend)];
    const t = Date.now();
    const client = randomUUID();
    const check = (id: string, startedAtMs: number) => ({
      id,
      clientId: client,
      startedAtMs,
      endsAtMs: startedAtMs + 60_000,
    });
    // Two instances start a check of the same client at once: exactly one wins.
    const outcomes = await Promise.all([
      a.checks.start(check('one', t), t),
      b.checks.start(check('two', t), t),
    ]);
    expect(outcomes.filter((open) => open === undefined)).toHaveLength(1);
    const winner = outcomes[0] === undefined ? 'one' : 'two';
    expect(outcomes.find((open) => open !== undefined)?.id).toBe(winner);
    for (const store of [a, b]) {
      expect((await store.checks.find(winner))?.endsAtMs).toBe(t + 60_000);
      expect((await store.checks.running(client, t + 30_000))?.id).toBe(winner);
      expect(await store.checks.running(client, t + 60_000)).toBeUndefined();
      expect(await store.checks.running(randomUUID(), t)).toBeUndefined();
    }
    expect(await a.checks.find(winner === 'one' ? 'two' : 'one')).toBeUndefined();
    // Once the window is over, the client may start another.
    expect(await b.checks.start(check('three', t + 60_000), t + 60_000)).toBeUndefined();
    expect((await a.checks.running(client, t + 61_000))?.id).toBe('three');
  });

  it('injects each fault of a check once across connections, and keeps its requests in order', async () => {
    const backend = kind.backend();
    const [a, b] = [await connect(backend), await connect(backend)];
    const t = Date.now();
    await a.checks.start({ id: 'c', clientId: 'x', startedAtMs: t, endsAtMs: t + 60_000 }, t);
    const fault = (atMs: number) => ({ kind: 'token_revoked' as const, atMs, detail: 'revoked', jti: 'j' });
    const claims = await Promise.all([
      a.checks.claimFault('c', fault(t + 1)),
      b.checks.claimFault('c', fault(t + 2)),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await a.checks.claimFault('c', { kind: 'api_rate_limited', atMs: t + 5, detail: '429' })).toBe(
      true,
    );
    const faults = await b.checks.faults('c');
    expect(faults.map((stored) => stored.kind)).toEqual(['token_revoked', 'api_rate_limited']);
    expect(faults[0]!.jti).toBe('j');

    await a.checks.appendEntries([
      { checkId: 'c', json: '{"n":1}' },
      { checkId: 'c', json: '{"n":2}' },
    ]);
    await b.checks.appendEntries([{ checkId: 'c', json: '{"n":3}' }]);
    expect(await a.checks.entries('c')).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);

    // Graded once: the first result stands, and the requests go.
    const results = await Promise.all([
      a.checks.finish('c', '{"score":100}', t + 62_000),
      b.checks.finish('c', '{"score":0}', t + 62_001),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const graded = await (await connect(backend)).checks.find('c');
    expect(graded?.result).toBe(results[0] ? '{"score":100}' : '{"score":0}');
    expect(await b.checks.entries('c')).toEqual([]);
  });

  it('keeps a running check, its faults and its requests after the connection closed (a restart)', async () => {
    const backend = kind.backend();
    const a = await connect(backend);
    const t = Date.now();
    await a.checks.start({ id: 'kept', clientId: 'y', startedAtMs: t, endsAtMs: t + 60_000 }, t);
    await a.checks.claimFault('kept', { kind: 'api_rate_limited', atMs: t + 1, detail: '429' });
    await a.checks.appendEntries([{ checkId: 'kept', json: '{"n":1}' }]);
    await a.close();
    const b = await connect(backend);
    expect((await b.checks.running('y', t + 1_000))?.id).toBe('kept');
    expect((await b.checks.faults('kept')).map((stored) => stored.kind)).toEqual(['api_rate_limited']);
    expect(await b.checks.entries('kept')).toEqual(['{"n":1}']);
  });

  it('sweeps what is over and only that', async () => {
    const backend = kind.backend();
    const store = await connect(backend);
    const t = now();
    const expired = clientRecord({ expiresAt: t + 10 });
    const current = clientRecord({ expiresAt: t + 1000 });
    await store.saveClient(expired);
    await store.saveClient(current);
    await store.saveRevocation('old', t + 10);
    await store.saveRevocation('young', t + 1000);
    await store.appendJournalEntries([
      { clientId: expired.clientId, id: 'gone', json: '{"id":"gone"}' },
      { clientId: current.clientId, id: 'kept', json: '{"id":"kept"}' },
    ]);
    await store.activateSigningKey(keyRecord('k1'), 0, 0, undefined);
    await store.activateSigningKey(keyRecord('k2'), t, t + 10, 'k1');
    await store.activateSigningKey(keyRecord('k3'), t, t + 1000, 'k2');

    expect(await store.sweep(t + 10)).toEqual({
      clients: 1,
      revocations: 1,
      signingKeys: 1,
      assertionIds: 0,
      journalEntries: 1,
    });
    expect(await store.listJournalEntries(expired.clientId, 100)).toEqual([]);
    expect((await store.listJournalEntries(current.clientId, 100)).map((record) => record.id)).toEqual([
      'kept',
    ]);
    expect(await store.findClient(expired.clientId)).toBeUndefined();
    expect((await store.findClient(current.clientId))?.clientId).toBe(current.clientId);
    expect(await store.isRevoked('old')).toBe(false);
    expect(await store.isRevoked('young')).toBe(true);
    expect((await store.listSigningKeys()).map((key) => key.kid)).toEqual(['k3', 'k2']);
    // Another connection sees the same state.
    const other = await connect(backend);
    expect(await other.findClient(expired.clientId)).toBeUndefined();
    expect((await other.listSigningKeys()).map((key) => key.kid)).toEqual(['k3', 'k2']);
  });
});

describe('Redis store: what a shared store adds', () => {
  it('tells the other instances when the signing keys change', async () => {
    const backend = kinds[1]!.backend();
    expect(backend.shared).toBe(true);
    const [a, b] = [await backend.open(), await backend.open()];
    try {
      const changes: StoreChange[] = [];
      b.watch!((change) => changes.push(change));
      await a.activateSigningKey(keyRecord('announced'), 0, 0, undefined);
      expect(await eventually(async () => changes.includes('signing-keys'), 1_000)).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('hands the journal entries one instance wrote to the others, never back to itself, and answers a ping', async () => {
    const backend = kinds[1]!.backend();
    const [a, b] = [await backend.open(), await backend.open()];
    try {
      const heardByA: string[] = [];
      const heardByB: string[] = [];
      a.watchJournal!((records) => heardByA.push(...records.map((record) => record.id)));
      b.watchJournal!((records) => heardByB.push(...records.map((record) => record.id)));
      await a.appendJournalEntries([
        { clientId: 'c1', id: 'r1', json: '{"id":"r1"}' },
        { clientId: 'c2', id: 'r2', json: '{"id":"r2"}' },
      ]);
      expect(await eventually(async () => heardByB.length === 2, 1_000)).toBe(true);
      expect(heardByB).toEqual(['r1', 'r2']);
      expect(heardByA).toEqual([]);
      await expect(a.ping!()).resolves.toBeUndefined();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('counts a rate limit across instances, and tells every instance when a bucket is empty', async () => {
    const backend = kinds[1]!.backend();
    const [a, b] = [await backend.open(), await backend.open()];
    try {
      const rule = { capacity: 4, refillSeconds: 60 };
      const t = Date.now();
      const before: number[] = [];
      for (const store of [a, b, a, b])
        before.push(await store.rateLimitBuckets!.take('failures 192.0.2.1', rule, t, 'record'));
      expect(before).toEqual([4, 3, 2, 1]);
      // Empty now: a spend is refused (nothing taken), and both instances know it without asking Redis.
      expect(await a.rateLimitBuckets!.take('failures 192.0.2.1', rule, t, 'spend')).toBe(0);
      expect(a.rateLimitBuckets!.emptyUntil('failures 192.0.2.1', t)).toBe(t + 15_000);
      expect(
        await eventually(
          async () => b.rateLimitBuckets!.emptyUntil('failures 192.0.2.1', t) === t + 15_000,
          1_000,
        ),
      ).toBe(true);
      expect(b.rateLimitBuckets!.emptyUntil('failures 192.0.2.1', t + 15_000)).toBe(0);
      // The allowance comes back continuously: one unit every 15 s here.
      expect(await b.rateLimitBuckets!.take('failures 192.0.2.1', rule, t + 15_000, 'spend')).toBeCloseTo(1);
      expect(await b.rateLimitBuckets!.take('another bucket', rule, t, 'spend')).toBe(4);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
