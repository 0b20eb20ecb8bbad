import type { Clock } from '../clock.ts';
import { OAuthError } from './oauth-error.ts';

/** How many events one address may spend, and how fast the allowance comes back. */
export interface RateLimitRule {
  /** The burst: events allowed at once from a fresh address. */
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
 */
export const defaultRateLimits = {
  registration: { capacity: 60, refillSeconds: 60 },
  failedAuthentication: { capacity: 30, refillSeconds: 60 },
  failedAuthenticationPerAddress: { capacity: 300, refillSeconds: 60 },
} as const satisfies Record<string, RateLimitRule>;

/** A per-key token bucket: the allowance refills continuously, so a blocked key waits seconds, not a whole window. */
export interface RateLimiter {
  /** Throws 429 with `Retry-After` when `key` has no allowance left; spends nothing. */
  check(key: string): void;
  /** Spends one unit of `key`'s allowance; throws 429 when there is none. */
  spend(key: string): void;
  /** Records one event for `key` without throwing (a failure whose own error is being answered). */
  record(key: string): void;
}

/** Keys tracked before idle ones are dropped; bounds memory under an address-spraying attack. */
const maxTrackedKeys = 10_000;

/** Creates a limiter for `rule`; `enabled: false` gives one that never refuses (benchmarks, SANDBOX_RATE_LIMIT=off). */
export function createRateLimiter(
  rule: RateLimitRule,
  clock: Clock,
  enabled: boolean,
  what: string,
): RateLimiter {
  if (!enabled) return { check() {}, spend() {}, record() {} };
  const perMs = rule.capacity / (rule.refillSeconds * 1000);
  const buckets = new Map<string, { tokens: number; at: number }>();

  function current(key: string): { tokens: number; at: number } {
    const now = clock.now();
    let bucket = buckets.get(key);
    if (!bucket) {
      if (buckets.size >= maxTrackedKeys) prune(now);
      bucket = { tokens: rule.capacity, at: now };
      buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(rule.capacity, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
      bucket.at = now;
    }
    return bucket;
  }

  function prune(now: number) {
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= rule.capacity) buckets.delete(key);
    }
    // Still full of busy addresses: forget the oldest half rather than grow without bound.
    if (buckets.size >= maxTrackedKeys) {
      let drop = buckets.size / 2;
      for (const key of buckets.keys()) {
        if (drop-- <= 0) break;
        buckets.delete(key);
      }
    }
  }

  function refuse(tokens: number): never {
    // RFC 9110 §10.2.3 / RFC 6585 §4: Retry-After in whole seconds, at least 1.
    const seconds = Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
    throw new OAuthError(
      'too_many_requests',
      429,
      `Too many ${what} from this address. Retry after ${seconds} seconds.`,
      {
        headers: { 'retry-after': String(seconds) },
      },
    );
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
