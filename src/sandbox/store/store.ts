/**
 * The seam between the sandbox and where it keeps state. The embedded implementation is
 * node:sqlite ({@link openSqliteStore}); a shared store (Redis, a SQL server) implements the same
 * interface when several instances serve one issuer. Every method is async for that reason.
 */

/** RFC 7591 §2 `token_endpoint_auth_method` values the sandbox supports. */
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** A registered client (RFC 7591 §3.2.1), as stored. Times are seconds since the epoch. */
export interface ClientRecord {
  clientId: string;
  /** SHA-256 of the client secret; the secret itself is never stored. */
  secretHash: Uint8Array;
  /**
   * SHA-256 of the RFC 7592 registration access token, stored like the secret. Undefined for a
   * client registered before client management existed: it cannot be managed.
   */
  registrationTokenHash: Uint8Array | undefined;
  clientName: string | undefined;
  /** The scopes the client registered with; a token request may ask for a subset. */
  scope: readonly string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** Seconds an access token lives (sandbox extension, 5 to 3600). */
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
  /** Replaces a client's metadata (RFC 7592 §2.2), durably; the id, secret and token hashes stay. */
  updateClient(client: ClientRecord): Promise<void>;
  /** Deletes a client (RFC 7592 §2.3), durably; true when there was one. Its tokens fail from then on. */
  deleteClient(clientId: string): Promise<boolean>;
  /** Every stored signing key, newest first. */
  listSigningKeys(): Promise<SigningKeyRecord[]>;
  /**
   * Makes `key` the active signing key. Every key active until now is retired at `retiredAt` and
   * stays published until `publishUntil`. Atomic: there is never a moment without an active key.
   */
  activateSigningKey(key: SigningKeyRecord, retiredAt: number, publishUntil: number): Promise<void>;
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
  /** Removes clients, revocations, retired keys and journals whose time is over at `now` (seconds). */
  sweep(now: number): Promise<SweepResult>;
  /** Closes the store; nothing may be called after. */
  close(): Promise<void>;
}
