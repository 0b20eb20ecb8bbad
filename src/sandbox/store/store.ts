import type { TokenEndpointAuthMethod } from '../../lib/sandbox-contract/client-auth-methods.ts';
import type { CheckStore } from './check-store.ts';

/**
 * The seam between the sandbox and where it keeps state. The embedded implementation is
 * node:sqlite ({@link openSqliteStore}); a shared store (Redis, a SQL server) implements the same
 * interface when several instances serve one issuer. Every method is async for that reason.
 */

// RFC 7591 §2 `token_endpoint_auth_method` values the sandbox supports: the contract lists them.
export type { TokenEndpointAuthMethod };

/** A client's registered public keys (RFC 7591 §2 `jwks`): public members only, never a private one. */
export interface ClientJwks {
  keys: JsonWebKey[];
}

/** A registered client (RFC 7591 §3.2.1), as stored. Times are seconds since the epoch. */
export interface ClientRecord {
  clientId: string;
  /** SHA-256 of the client secret; the secret itself is never stored. None for a `private_key_jwt` client. */
  secretHash: Uint8Array | undefined;
  /**
   * SHA-256 of the RFC 7592 registration access token, stored like the secret. Undefined for a
   * client registered before client management existed: it cannot be managed.
   */
  registrationTokenHash: Uint8Array | undefined;
  clientName: string | undefined;
  /** The scopes the client registered with; a token request may ask for a subset. */
  scope: readonly string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** The public keys a `private_key_jwt` client signs its assertions with (RFC 7523 §2.2); none otherwise. */
  jwks: ClientJwks | undefined;
  /** Seconds an access token lives (sandbox extension, within the contract's `accessTokenLifetime`). */
  accessTokenLifetime: number;
  issuedAt: number;
  /** `client_secret_expires_at`: the client is refused from this second on, and swept later. */
  expiresAt: number;
}

/** A signing key pair, as stored. Times are seconds since the epoch. */
export interface SigningKeyRecord {
  kid: string;
  /** The JWS `alg` the key signs with (RFC 7518 / RFC 8037). */
  alg: string;
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey;
  createdAt: number;
  /** When it stopped signing; undefined for the active key. */
  retiredAt: number | undefined;
  /** Until when a retired key stays published: the expiry of the last token it can have signed. */
  publishUntil: number | undefined;
}

/** What a sweep removed. */
export interface SweepResult {
  clients: number;
  revocations: number;
  signingKeys: number;
  /** Journal entries of clients that are gone. */
  journalEntries: number;
  /** Client assertion `jti`s whose assertion has expired, so a replay is refused anyway. */
  assertionIds: number;
}

/** One request journal entry, as stored: its JSON text and what orders and finds it. */
export interface JournalRecord {
  clientId: string;
  /** The entry's id (the request's `x-request-id`). */
  id: string;
  /** The entry as JSON (journal-entry.ts), at most {@link journalLimits}.entryBytes. */
  json: string;
}

/** The bounds every store keeps the request journal within. */
export const journalLimits = {
  /** Entries kept per client: the last 100 (issue 11). */
  entriesPerClient: 100,
  /** Entries kept for all clients together; the oldest go first. */
  totalEntries: 20_000,
  /** Bytes of one entry's JSON; the journal shrinks a larger entry before it is stored. */
  entryBytes: 4_096,
} as const;

/** Where the sandbox keeps clients, signing keys, revocations and request journals. */
export interface Store {
  /** Saves a new client durably: it must survive a crash the moment after this resolves. */
  saveClient(client: ClientRecord): Promise<void>;
  /** The client with this id, expired or not; undefined when unknown, deleted or swept. */
  findClient(clientId: string): Promise<ClientRecord | undefined>;
  /** Replaces a client's metadata (RFC 7592 §2.2), its `jwks` included (the client's own key rotation), durably; the id, secret and token hashes stay. */
  updateClient(client: ClientRecord): Promise<void>;
  /** Deletes a client (RFC 7592 §2.3), durably; true when there was one. Its tokens fail from then on. */
  deleteClient(clientId: string): Promise<boolean>;
  /** Every stored signing key, newest first. */
  listSigningKeys(): Promise<SigningKeyRecord[]>;
  /**
   * Makes `key` the active signing key, if the active key is still `replacing` (undefined: there is
   * none yet); otherwise changes nothing and resolves false. The key active until now is retired at
   * `retiredAt` and stays published until `publishUntil`. Atomic: there is never a moment without
   * an active key, and when several instances rotate (or start on an empty store) at once, exactly
   * one of them wins; the others load the winner's key.
   */
  activateSigningKey(
    key: SigningKeyRecord,
    retiredAt: number,
    publishUntil: number,
    replacing: string | undefined,
  ): Promise<boolean>;
  /**
   * Removes every signing key but `keepKid` at once, published or not: the incident procedure for
   * a leaked store (every private key in it is compromised). Returns the kids removed.
   */
  withdrawSigningKeys(keepKid: string): Promise<string[]>;
  /** Records that the token `jti` is revoked; kept until `expiresAt`, when the token is dead anyway (RFC 7009 §2). */
  saveRevocation(jti: string, expiresAt: number): Promise<void>;
  /** True when the token `jti` was revoked. */
  isRevoked(jti: string): Promise<boolean>;
  /**
   * Appends journal entries, oldest first, keeping each client's last
   * {@link journalLimits}.entriesPerClient and all clients' last `totalEntries`. Not durable one by
   * one: the journal calls this about once a second with what arrived since.
   */
  appendJournalEntries(records: readonly JournalRecord[]): Promise<void>;
  /** A client's journal entries, newest first, at most `limit`. */
  listJournalEntries(clientId: string, limit: number): Promise<JournalRecord[]>;
  /** Forgets a client's journal (the client was deleted). */
  deleteJournal(clientId: string): Promise<void>;
  /**
   * The replay cache of client assertions (RFC 7523 §3 item 7, RFC 7521 §4.2): records that
   * `clientId` used the assertion `jti`, kept until `expiresAt` (the assertion's `exp`, after which
   * it is refused anyway). True on the first use; false when the pair was already recorded, a
   * replay. Atomic: of two concurrent calls with the same pair, exactly one gets true.
   */
  claimAssertionId(clientId: string, jti: string, expiresAt: number): Promise<boolean>;
  /** Removes clients, revocations, assertion ids, retired keys and journals of gone clients, at `now` (seconds). */
  sweep(now: number): Promise<SweepResult>;
  /** Client checks (the report card): their windows, injected faults and the traffic seen. */
  checks: CheckStore;
  /**
   * Rate-limit buckets counted across every instance sharing the store; left out by a store only
   * one process uses (the embedded sqlite file), where each sandbox counts in its own memory.
   */
  rateLimitBuckets?: SharedRateLimitBuckets;
  /**
   * Calls `listener` when another process sharing the store changed something this process keeps
   * in memory (a shared store's pub/sub); a store no other process can write leaves it out.
   */
  watch?(listener: (change: StoreChange) => void): void;
  /**
   * Calls `listener` with the journal entries another process sharing the store wrote (about once
   * a second, as each one flushes), so a live journal stream here shows requests served there;
   * never with this process's own. A store no other process can write leaves it out.
   */
  watchJournal?(listener: (records: readonly JournalRecord[]) => void): void;
  /**
   * Resolves when the store answers now; throws {@link StoreUnavailableError} when it cannot be
   * reached (a health check). A store in this process's own file leaves it out: it always answers.
   */
  ping?(): Promise<void>;
  /** Closes the store; nothing may be called after. */
  close(): Promise<void>;
}

/** A token bucket's size and refill time, as the sandbox's rate limits state them. */
export interface BucketRule {
  capacity: number;
  refillSeconds: number;
}

/** Token buckets shared by the instances on one store: a limit counts across all of them. */
export interface SharedRateLimitBuckets {
  /**
   * Takes one unit from `bucket` at `nowMs`, atomically across instances: 'spend' only when the
   * bucket holds one, 'record' down to zero. Resolves with what the bucket held before.
   */
  take(bucket: string, rule: BucketRule, nowMs: number, operation: 'spend' | 'record'): Promise<number>;
  /**
   * Until when (ms since the epoch) `bucket` is known to be empty at `nowMs`, as any instance last
   * found it; 0 when it is not known to be. Memory only: a check on every request costs no round trip.
   */
  emptyUntil(bucket: string, nowMs: number): number;
}

/** What {@link Store.watch} reports: the signing keys changed (a rotation elsewhere). */
export type StoreChange = 'signing-keys';

/**
 * Thrown by a store whose backend cannot be reached now (Redis down or hung). The sandbox answers
 * 503 with `Retry-After` (RFC 9110 §15.6.4, §10.2.3) rather than a 500, or a 401 for a client it
 * cannot look up.
 */
export class StoreUnavailableError extends Error {
  constructor(message = 'The store cannot be reached.') {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}
