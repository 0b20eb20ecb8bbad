import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  journalLimits,
  type ClientJwks,
  type ClientRecord,
  type JournalRecord,
  type SigningKeyRecord,
  type Store,
  type TokenEndpointAuthMethod,
} from './store.ts';
import { sqliteCheckStore } from './sqlite-check-store.ts';
import { inTransaction } from './sqlite-transaction.ts';

/**
 * The schema, version 1. STRICT tables so a wrong type is an error, not a silent conversion.
 * Times are seconds since the epoch; `expires_at` columns are indexed for the sweep.
 */
const schema = `
CREATE TABLE IF NOT EXISTS clients (
  client_id TEXT PRIMARY KEY,
  secret_hash BLOB NOT NULL,
  client_name TEXT,
  scope TEXT NOT NULL,
  token_endpoint_auth_method TEXT NOT NULL,
  access_token_lifetime INTEGER NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  registration_token_hash BLOB,
  jwks TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS clients_by_expiry ON clients (expires_at);
CREATE TABLE IF NOT EXISTS signing_keys (
  kid TEXT PRIMARY KEY,
  alg TEXT NOT NULL,
  private_jwk TEXT NOT NULL,
  public_jwk TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  retired_at INTEGER,
  publish_until INTEGER
) STRICT;
CREATE TABLE IF NOT EXISTS revocations (
  jti TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS revocations_by_expiry ON revocations (expires_at);
CREATE TABLE IF NOT EXISTS journal (
  seq INTEGER PRIMARY KEY,
  client_id TEXT NOT NULL,
  id TEXT NOT NULL,
  entry TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS journal_by_client ON journal (client_id, seq);
CREATE TABLE IF NOT EXISTS assertion_ids (
  client_id TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (client_id, jti)
) STRICT;
CREATE INDEX IF NOT EXISTS assertion_ids_by_expiry ON assertion_ids (expires_at);
`;

/**
 * Brings a store written by an older version up to date. Version 2 added
 * `clients.registration_token_hash` (RFC 7592): a version-1 file's clients keep NULL there and
 * simply cannot be managed. Version 3 added `clients.jwks` (private_key_jwt clients) and the
 * `assertion_ids` table (created above by IF NOT EXISTS).
 */
function migrate(db: DatabaseSync): void {
  const columns = db.prepare('PRAGMA table_info(clients)').all() as { name: string }[];
  if (!columns.some((column) => column.name === 'registration_token_hash')) {
    db.exec('ALTER TABLE clients ADD COLUMN registration_token_hash BLOB');
  }
  if (!columns.some((column) => column.name === 'jwks')) db.exec('ALTER TABLE clients ADD COLUMN jwks TEXT');
  db.exec('PRAGMA user_version = 3');
}

interface ClientRow {
  client_id: string;
  secret_hash: Uint8Array;
  client_name: string | null;
  scope: string;
  token_endpoint_auth_method: string;
  access_token_lifetime: number;
  issued_at: number;
  expires_at: number;
  registration_token_hash: Uint8Array | null;
  jwks: string | null;
}

interface JournalRow {
  client_id: string;
  id: string;
  entry: string;
}

interface SigningKeyRow {
  kid: string;
  alg: string;
  private_jwk: string;
  public_jwk: string;
  created_at: number;
  retired_at: number | null;
  publish_until: number | null;
}

/**
 * Opens (creating when needed) the embedded store at `path`, or an in-memory one for ':memory:'.
 * The folder is created owner-only: the file holds private signing keys.
 */
export function openSqliteStore(path: string): Store {
  if (path !== ':memory:') {
    const folder = dirname(path);
    if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 });
  }
  const db = new DatabaseSync(path);
  if (path !== ':memory:') {
    try {
      chmodSync(path, 0o600);
    } catch {
      // Not fatal: a file system without POSIX modes.
    }
  }
  // WAL: readers (token verification, client lookups) never wait for a writer. synchronous=FULL
  // fsyncs each commit, so a registration answered 201 survives a crash or power loss; writes are
  // rare (registrations, revocations), so the cost is off the hot paths.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
  db.exec(schema);
  migrate(db);

  const statements = {
    insertClient: db.prepare(
      `INSERT INTO clients (client_id, secret_hash, client_name, scope, token_endpoint_auth_method,
         access_token_lifetime, issued_at, expires_at, registration_token_hash, jwks)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateClient: db.prepare(
      `UPDATE clients SET client_name = ?, scope = ?, token_endpoint_auth_method = ?, access_token_lifetime = ?, jwks = ?
       WHERE client_id = ?`,
    ),
    deleteClient: db.prepare('DELETE FROM clients WHERE client_id = ?'),
    findClient: db.prepare('SELECT * FROM clients WHERE client_id = ?'),
    listKeys: db.prepare('SELECT * FROM signing_keys ORDER BY created_at DESC, rowid DESC'),
    activeKid: db.prepare('SELECT kid FROM signing_keys WHERE retired_at IS NULL'),
    retireActiveKeys: db.prepare(
      'UPDATE signing_keys SET retired_at = ?, publish_until = ? WHERE retired_at IS NULL',
    ),
    insertKey: db.prepare(
      `INSERT INTO signing_keys (kid, alg, private_jwk, public_jwk, created_at, retired_at, publish_until) VALUES (?, ?, ?, ?, ?, NULL, NULL)`,
    ),
    withdrawKeys: db.prepare('DELETE FROM signing_keys WHERE kid <> ? RETURNING kid'),
    insertRevocation: db.prepare(
      'INSERT INTO revocations (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING',
    ),
    findRevocation: db.prepare('SELECT 1 AS revoked FROM revocations WHERE jti = ?'),
    insertAssertionId: db.prepare(
      'INSERT INTO assertion_ids (client_id, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT (client_id, jti) DO NOTHING',
    ),
    sweepAssertionIds: db.prepare('DELETE FROM assertion_ids WHERE expires_at <= ?'),
    sweepClients: db.prepare('DELETE FROM clients WHERE expires_at <= ?'),
    sweepRevocations: db.prepare('DELETE FROM revocations WHERE expires_at <= ?'),
    insertJournal: db.prepare('INSERT INTO journal (client_id, id, entry) VALUES (?, ?, ?)'),
    trimClientJournal: db.prepare(
      `DELETE FROM journal WHERE client_id = ? AND seq < (
         SELECT seq FROM journal WHERE client_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ${journalLimits.entriesPerClient - 1})`,
    ),
    trimJournal: db.prepare(
      `DELETE FROM journal WHERE seq <= (SELECT max(seq) FROM journal) - ${journalLimits.totalEntries}`,
    ),
    listJournal: db.prepare(
      'SELECT client_id, id, entry FROM journal WHERE client_id = ? ORDER BY seq DESC LIMIT ?',
    ),
    deleteJournal: db.prepare('DELETE FROM journal WHERE client_id = ?'),
    sweepJournal: db.prepare('DELETE FROM journal WHERE client_id NOT IN (SELECT client_id FROM clients)'),
    sweepKeys: db.prepare('DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND publish_until <= ?'),
  } satisfies Record<string, StatementSync>;

  // Clients change only through this store (RFC 7592 update and delete drop the cached copy), so
  // a found client is kept in memory and the token endpoint and the API skip sqlite on the hot
  // path. Entries go when the sweep removes expired clients; the bound keeps a registration flood
  // from growing it without end.
  const clientCache = new Map<string, ClientRecord>();
  const clientCacheLimit = 10_000;

  return {
    checks: sqliteCheckStore(db),
    async saveClient(client) {
      statements.insertClient.run(
        client.clientId,
        // A private_key_jwt client has no secret: an empty hash, which no secret's hash equals.
        client.secretHash ?? new Uint8Array(0),
        client.clientName ?? null,
        client.scope.join(' '),
        client.tokenEndpointAuthMethod,
        client.accessTokenLifetime,
        client.issuedAt,
        client.expiresAt,
        client.registrationTokenHash ?? null,
        client.jwks ? JSON.stringify(client.jwks) : null,
      );
    },
    async updateClient(client) {
      statements.updateClient.run(
        client.clientName ?? null,
        client.scope.join(' '),
        client.tokenEndpointAuthMethod,
        client.accessTokenLifetime,
        client.jwks ? JSON.stringify(client.jwks) : null,
        client.clientId,
      );
      clientCache.delete(client.clientId);
    },
    async deleteClient(clientId) {
      clientCache.delete(clientId);
      return Number(statements.deleteClient.run(clientId).changes) > 0;
    },
    async findClient(clientId) {
      const cached = clientCache.get(clientId);
      if (cached) return cached;
      const row = statements.findClient.get(clientId) as ClientRow | undefined;
      if (!row) return undefined;
      const client = {
        clientId: row.client_id,
        secretHash: row.secret_hash.length > 0 ? row.secret_hash : undefined,
        clientName: row.client_name ?? undefined,
        scope: row.scope.split(' '),
        tokenEndpointAuthMethod: row.token_endpoint_auth_method as TokenEndpointAuthMethod,
        accessTokenLifetime: row.access_token_lifetime,
        issuedAt: row.issued_at,
        expiresAt: row.expires_at,
        registrationTokenHash: row.registration_token_hash ?? undefined,
        jwks: row.jwks === null ? undefined : (JSON.parse(row.jwks) as ClientJwks),
      } satisfies ClientRecord;
      if (clientCache.size >= clientCacheLimit) clientCache.clear();
      clientCache.set(clientId, client);
      return client;
    },
    async listSigningKeys() {
      return (statements.listKeys.all() as unknown as SigningKeyRow[]).map((row): SigningKeyRecord => ({
        kid: row.kid,
        alg: row.alg,
        privateJwk: JSON.parse(row.private_jwk) as JsonWebKey,
        publicJwk: JSON.parse(row.public_jwk) as JsonWebKey,
        createdAt: row.created_at,
        retiredAt: row.retired_at ?? undefined,
        publishUntil: row.publish_until ?? undefined,
      }));
    },
    async activateSigningKey(key, retiredAt, publishUntil, replacing) {
      return inTransaction(db, () => {
        // BEGIN IMMEDIATE holds the write lock: another process (npm run rotate-key) cannot
        // activate a key between this check and the insert.
        const active = statements.activeKid.get() as { kid: string } | undefined;
        if (active?.kid !== replacing) return false;
        statements.retireActiveKeys.run(retiredAt, publishUntil);
        statements.insertKey.run(
          key.kid,
          key.alg,
          JSON.stringify(key.privateJwk),
          JSON.stringify(key.publicJwk),
          key.createdAt,
        );
        return true;
      });
    },
    async withdrawSigningKeys(keepKid) {
      return (statements.withdrawKeys.all(keepKid) as { kid: string }[]).map((row) => row.kid);
    },
    async saveRevocation(jti, expiresAt) {
      statements.insertRevocation.run(jti, expiresAt);
    },
    async isRevoked(jti) {
      return statements.findRevocation.get(jti) !== undefined;
    },
    async appendJournalEntries(records) {
      if (records.length === 0) return;
      // One transaction, one fsync, for everything that arrived since the last call.
      inTransaction(db, () => {
        const clients = new Set<string>();
        for (const record of records) {
          statements.insertJournal.run(record.clientId, record.id, record.json);
          clients.add(record.clientId);
        }
        for (const clientId of clients) statements.trimClientJournal.run(clientId, clientId);
        // seq only grows, so the rows within totalEntries of the newest are at most totalEntries.
        statements.trimJournal.run();
      });
    },
    async listJournalEntries(clientId, limit) {
      return (statements.listJournal.all(clientId, limit) as unknown as JournalRow[]).map(
        (row): JournalRecord => ({ clientId: row.client_id, id: row.id, json: row.entry }),
      );
    },
    async deleteJournal(clientId) {
      statements.deleteJournal.run(clientId);
    },
    async claimAssertionId(clientId, jti, expiresAt) {
      return Number(statements.insertAssertionId.run(clientId, jti, expiresAt).changes) === 1;
    },
    async sweep(now) {
      for (const [clientId, client] of clientCache) if (client.expiresAt <= now) clientCache.delete(clientId);
      return inTransaction(db, () => ({
        clients: Number(statements.sweepClients.run(now).changes),
        revocations: Number(statements.sweepRevocations.run(now).changes),
        signingKeys: Number(statements.sweepKeys.run(now).changes),
        journalEntries: Number(statements.sweepJournal.run().changes),
        assertionIds: Number(statements.sweepAssertionIds.run(now).changes),
      }));
    },
    async close() {
      if (db.isOpen) db.close();
    },
  };
}
