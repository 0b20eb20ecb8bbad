import type { Clock } from '../clock.ts';
import { LruMap } from '../lru-map.ts';
import { OAuthError } from './oauth-error.ts';
import {
  retryAfterDescription,
  sandboxRateLimits,
  type RateLimitRule,
} from '../../lib/sandbox-contract/rate-limits.ts';

export type { RateLimitRule } from '../../lib/sandbox-contract/rate-limits.ts';

/** The sandbox's limits: stated once in the contract, which the guide quotes. */
export const defaultRateLimits = sandboxRateLimits;

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
    throw new OAuthError('too_many_requests', 429, retryAfterDescription(refusal, seconds), {
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
