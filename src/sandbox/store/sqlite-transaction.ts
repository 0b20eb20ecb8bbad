import type { DatabaseSync } from 'node:sqlite';

/**
 * Runs `work` as one transaction on `db`: all of its writes commit, or none do. BEGIN IMMEDIATE
 * takes the write lock at the start, so a transaction that reads and then writes never has to
 * upgrade its lock halfway (where SQLite answers SQLITE_BUSY instead of waiting).
 */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
