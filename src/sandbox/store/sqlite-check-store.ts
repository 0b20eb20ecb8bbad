import type { DatabaseSync } from 'node:sqlite';
import { checkStoreLimits, type CheckRecord, type CheckStore, type StoredFault } from './check-store.ts';
import { inTransaction } from './sqlite-transaction.ts';

/** The check tables; created with the rest of the schema (IF NOT EXISTS, so older files gain them). */
const schema = `
CREATE TABLE IF NOT EXISTS checks (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  started_at_ms INTEGER NOT NULL,
  ends_at_ms INTEGER NOT NULL,
  result TEXT,
  graded_at_ms INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS checks_by_client ON checks (client_id, ends_at_ms);
CREATE INDEX IF NOT EXISTS checks_by_end ON checks (ends_at_ms);
CREATE TABLE IF NOT EXISTS check_faults (
  check_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  fault TEXT NOT NULL,
  PRIMARY KEY (check_id, kind)
) STRICT;
CREATE TABLE IF NOT EXISTS check_entries (
  seq INTEGER PRIMARY KEY,
  check_id TEXT NOT NULL,
  entry TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS check_entries_by_check ON check_entries (check_id, seq);
`;

interface CheckRow {
  id: string;
  client_id: string;
  started_at_ms: number;
  ends_at_ms: number;
  result: string | null;
  graded_at_ms: number | null;
}

function toRecord(row: CheckRow): CheckRecord {
  return {
    id: row.id,
    clientId: row.client_id,
    startedAtMs: row.started_at_ms,
    endsAtMs: row.ends_at_ms,
    ...(row.result === null ? {} : { result: row.result }),
    ...(row.graded_at_ms === null ? {} : { gradedAtMs: row.graded_at_ms }),
  };
}

/** The checks of the embedded store, in its database (one writer: this process). */
export function sqliteCheckStore(db: DatabaseSync): CheckStore {
  db.exec(schema);
  const statements = {
    running: db.prepare(
      'SELECT * FROM checks WHERE client_id = ? AND started_at_ms <= ? AND ends_at_ms > ? ORDER BY ends_at_ms DESC LIMIT 1',
    ),
    insert: db.prepare('INSERT INTO checks (id, client_id, started_at_ms, ends_at_ms) VALUES (?, ?, ?, ?)'),
    find: db.prepare('SELECT * FROM checks WHERE id = ?'),
    claimFault: db.prepare(
      'INSERT INTO check_faults (check_id, kind, fault) VALUES (?, ?, ?) ON CONFLICT (check_id, kind) DO NOTHING',
    ),
    faults: db.prepare('SELECT fault FROM check_faults WHERE check_id = ?'),
    count: db.prepare('SELECT count(*) AS n FROM check_entries WHERE check_id = ?'),
    insertEntry: db.prepare('INSERT INTO check_entries (check_id, entry) VALUES (?, ?)'),
    entries: db.prepare('SELECT entry FROM check_entries WHERE check_id = ? ORDER BY seq'),
    finish: db.prepare('UPDATE checks SET result = ?, graded_at_ms = ? WHERE id = ? AND result IS NULL'),
    deleteEntries: db.prepare('DELETE FROM check_entries WHERE check_id = ?'),
    sweepChecks: db.prepare('DELETE FROM checks WHERE ends_at_ms <= ? RETURNING id'),
    deleteFaults: db.prepare('DELETE FROM check_faults WHERE check_id = ?'),
  };

  return {
    async start(check, nowMs) {
      return inTransaction(db, () => {
        const open = statements.running.get(check.clientId, nowMs, nowMs) as CheckRow | undefined;
        if (open) return toRecord(open);
        statements.insert.run(check.id, check.clientId, check.startedAtMs, check.endsAtMs);
        return undefined;
      });
    },
    async find(checkId) {
      const row = statements.find.get(checkId) as CheckRow | undefined;
      return row ? toRecord(row) : undefined;
    },
    async running(clientId, nowMs) {
      const row = statements.running.get(clientId, nowMs, nowMs) as CheckRow | undefined;
      return row ? toRecord(row) : undefined;
    },
    async claimFault(checkId, fault) {
      return Number(statements.claimFault.run(checkId, fault.kind, JSON.stringify(fault)).changes) === 1;
    },
    async faults(checkId) {
      return (statements.faults.all(checkId) as { fault: string }[])
        .map((row) => JSON.parse(row.fault) as StoredFault)
        .sort((a, b) => a.atMs - b.atMs);
    },
    async appendEntries(records) {
      if (records.length === 0) return;
      inTransaction(db, () => {
        const counts = new Map<string, number>();
        for (const { checkId, json } of records) {
          let count = counts.get(checkId);
          if (count === undefined) count = Number((statements.count.get(checkId) as { n: number }).n);
          if (count >= checkStoreLimits.entriesPerCheck) continue;
          statements.insertEntry.run(checkId, json);
          counts.set(checkId, count + 1);
        }
      });
    },
    async entries(checkId) {
      return (statements.entries.all(checkId) as { entry: string }[]).map((row) => row.entry);
    },
    async finish(checkId, result, gradedAtMs) {
      return inTransaction(db, () => {
        const changed = Number(statements.finish.run(result, gradedAtMs, checkId).changes) === 1;
        if (changed) statements.deleteEntries.run(checkId);
        return changed;
      });
    },
    async sweep(nowMs) {
      return inTransaction(db, () => {
        const gone = statements.sweepChecks.all(nowMs - checkStoreLimits.retentionMs) as { id: string }[];
        for (const { id } of gone) {
          statements.deleteFaults.run(id);
          statements.deleteEntries.run(id);
        }
        return gone.length;
      });
    },
  };
}
