import type { CheckFaultKind } from '../../lib/sandbox-contract/checks.ts';

/**
 * A client check (the report card, src/sandbox/checks), as stored. Times are milliseconds since
 * the epoch: the grading compares request times to the window and the faults to the millisecond.
 */
export interface CheckRecord {
  /** 128 random bits, base64url: the permalink's secret-free capability. */
  id: string;
  clientId: string;
  startedAtMs: number;
  endsAtMs: number;
  /** Once graded at the end: the criteria and score as JSON (checks/check-resource.ts). */
  result?: string;
  /** When it was graded. */
  gradedAtMs?: number;
}

/** A fault a check injected, as stored: when, what it hit, and the token it revoked. */
export interface StoredFault {
  kind: CheckFaultKind;
  atMs: number;
  detail: string;
  /** The revoked token's `jti` (token_revoked), so the grading can follow its later uses. */
  jti?: string;
}

/** A request seen during a check: the journal entry's facts, as JSON (checks/check-entry.ts). */
export interface CheckEntryRecord {
  checkId: string;
  json: string;
}

/** The bounds every store keeps checks within. */
export const checkStoreLimits = {
  /** Requests kept per check: ten a second for a 600 s window, and then some. */
  entriesPerCheck: 20_000,
  /** A finished check stays readable (its permalink) this long after its window ended. */
  retentionMs: 30 * 24 * 60 * 60 * 1000,
} as const;

/**
 * Where checks live: behind the Store seam, so a check started on one instance is graded the same
 * on any other, and survives a restart.
 */
export interface CheckStore {
  /**
   * Saves `check` unless its client has another whose window is still open at `nowMs`; returns
   * that other check then, and undefined when `check` was saved. Atomic across instances, and
   * durable once it resolves.
   */
  start(check: CheckRecord, nowMs: number): Promise<CheckRecord | undefined>;
  /** The check with this id, running or graded; undefined when unknown or past retention. */
  find(checkId: string): Promise<CheckRecord | undefined>;
  /** The client's check whose window holds `nowMs`, if any. */
  running(clientId: string, nowMs: number): Promise<CheckRecord | undefined>;
  /** Records `fault` unless the check injected one of that kind already: true for exactly one caller. */
  claimFault(checkId: string, fault: StoredFault): Promise<boolean>;
  /** The faults a check injected, oldest first. */
  faults(checkId: string): Promise<StoredFault[]>;
  /** Appends requests seen during checks, keeping each check's first {@link checkStoreLimits}.entriesPerCheck. */
  appendEntries(records: readonly CheckEntryRecord[]): Promise<void>;
  /** A check's requests as recorded (JSON), in the order they were appended. */
  entries(checkId: string): Promise<string[]>;
  /**
   * Stores the graded result once: true for the first caller, false when another instance graded
   * it first. The requests are no longer needed then and go.
   */
  finish(checkId: string, result: string, gradedAtMs: number): Promise<boolean>;
  /** Removes checks whose window ended more than {@link checkStoreLimits}.retentionMs before `nowMs`. */
  sweep(nowMs: number): Promise<number>;
}
