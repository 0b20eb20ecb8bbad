import type { Clock } from '../clock.ts';
import { LruMap } from '../lru-map.ts';
import { OAuthError } from './oauth-error.ts';

/** How many events one key (an address, a client) may spend, and how fast the allowance comes back. */
export interface RateLimitRule {
  /** The burst: events allowed at once from a fresh key. */
  capacity: number;
  /** Seconds for an empty allowance to refill completely. */
  refillSeconds: number;
}

/**
 * The sandbox's limits. sandbox-api.md asks for room for at least 30 registrations and 20 failed
 * authentications a minute from one address; these allow twice and one and a half times that,
 * since a classroom behind one NAT address shares them. Failed authentications are counted per
 * (address, client), so guessing one client's secret is cut off while the other clients used from
 * the same address keep working, and per address with a ten times higher bound, against guessing
 * spread over many clients.
 *
 * Successful operations are limited per client, far above what a reader does by hand or with a
 * sample program (a token every few seconds), but far below what a loop can do: token issuance
 * costs a signature, and every revocation a durable write and a row kept until the token expires,
 * so revocations per client also bound the revocation storage one client can fill (at most
 * capacity + 60 minutes × 60 a minute rows, since a token lives an hour at most).
 */
export const defaultRateLimits = {
  registration: { capacity: 60, refillSeconds: 60 },
  failedAuthentication: { capacity: 30, refillSeconds: 60 },
  failedAuthenticationPerAddress: { capacity: 300, refillSeconds: 60 },
  tokenIssuancePerClient: { capacity: 600, refillSeconds: 60 },
  revocationPerClient: { capacity: 60, refillSeconds: 60 },
} as const satisfies Record<string, RateLimitRule>;

/** One key's allowance: `tokens` left at the moment `at` (milliseconds since the epoch). */
export interface TokenBucket {
  tokens: number;
  at: number;
}

/**
 * The token-bucket arithmetic, pure so that any store can hold the buckets: the allowance of
 * `bucket` (none yet: a full one) at `now`, refilled continuously at capacity per refillSeconds.
 */
export function refilledBucket(
  bucket: TokenBucket | undefined,
  rule: RateLimitRule,
  now: number,
): TokenBucket {
  if (!bucket) return { tokens: rule.capacity, at: now };
  const perMs = rule.capacity / (rule.refillSeconds * 1000);
  return { tokens: Math.min(rule.capacity, bucket.tokens + Math.max(0, now - bucket.at) * perMs), at: now };
}

/** RFC 9110 §10.2.3 / RFC 6585 §4: whole seconds, at least 1, until a bucket with `tokens` has one to spend. */
export function retryAfterSeconds(tokens: number, rule: RateLimitRule): number {
  const perMs = rule.capacity / (rule.refillSeconds * 1000);
  return Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
}

/** A per-key token bucket: the allowance refills continuously, so a blocked key waits seconds, not a whole window. */
export interface RateLimiter {
  /** Throws 429 with `Retry-After` when `key` has no allowance left; spends nothing. */
  check(key: string): void;
  /** Spends one unit of `key`'s allowance; throws 429 when there is none. */
  spend(key: string): void;
  /** Records one event for `key` without throwing (a failure whose own error is being answered). */
  record(key: string): void;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Buckets kept at most; the least recently used goes first. Bounds memory under address spraying. */
  maxTrackedKeys?: number;
}

/**
 * Creates a limiter for `rule`; `enabled: false` gives one that never refuses (benchmarks,
 * SANDBOX_RATE_LIMIT=off). `refusal` begins the 429's description ("Too many registrations from
 * this address").
 *
 * The buckets live in an {@link LruMap} (a touched key becomes the most recent), so eviction is
 * O(1) amortised: buckets at the old end that have refilled completely (a fresh
 * bucket is the same) are dropped as new keys arrive, and past `maxTrackedKeys` the least recently
 * used one is, never a scan of every key. A key still being refused stays, since it is in use.
 */
export function createRateLimiter(
  rule: RateLimitRule,
  clock: Clock,
  enabled: boolean,
  refusal: string,
  { maxTrackedKeys = 10_000 }: RateLimiterOptions = {},
): RateLimiter {
  if (!enabled) return { check() {}, spend() {}, record() {} };
  const buckets = new LruMap<string, TokenBucket>();

  function evictBefore(now: number) {
    for (let oldest = buckets.oldest(); oldest; oldest = buckets.oldest()) {
      const [key, bucket] = oldest;
      const stale =
        buckets.size >= maxTrackedKeys || refilledBucket(bucket, rule, now).tokens >= rule.capacity;
      if (!stale) return;
      buckets.delete(key);
    }
  }

  function current(key: string): TokenBucket {
    const now = clock.now();
    const previous = buckets.get(key);
    if (!previous) evictBefore(now);
    const bucket = refilledBucket(previous, rule, now);
    buckets.set(key, bucket);
    return bucket;
  }

  function refuse(tokens: number): never {
    const seconds = retryAfterSeconds(tokens, rule);
    throw new OAuthError('too_many_requests', 429, `${refusal}. Retry after ${seconds} seconds.`, {
      headers: { 'retry-after': String(seconds) },
    });
  }

  return {
    check(key) {
      const bucket = current(key);
      if (bucket.tokens < 1) refuse(bucket.tokens);
    },
    spend(key) {
      const bucket = current(key);
      if (bucket.tokens < 1) refuse(bucket.tokens);
      bucket.tokens -= 1;
    },
    record(key) {
      const bucket = current(key);
      bucket.tokens = Math.max(0, bucket.tokens - 1);
    },
  };
}
