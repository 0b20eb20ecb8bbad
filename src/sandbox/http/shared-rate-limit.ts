import type { Clock } from '../clock.ts';
import type { SharedRateLimitBuckets } from '../store/store.ts';
import { OAuthError } from './oauth-error.ts';
import { retryAfterDescription } from '../../lib/sandbox-contract/rate-limits.ts';
import type { RateLimiter, RateLimitRule } from './rate-limit.ts';

/** A rate limiter whose counts live in a shared store; {@link SharedRateLimiter.settled} waits for them. */
export interface SharedRateLimiter extends RateLimiter {
  /** Resolves once every count this limiter started has reached the store. */
  settled(): Promise<void>;
}

/**
 * A limiter whose buckets several instances share (the Redis store): 30 failed authentications a
 * minute means 30 across every instance, not 30 on each. Refusing costs no round trip: whether a
 * bucket is empty is known in memory, from the store's announcements (any instance that empties a
 * bucket tells every other one). Counting is one round trip, started without waiting; the sandbox
 * waits for it (`settled`) before answering a failure, a registration or a revocation, so the next
 * request, to whichever instance, is counted against it, and does not wait on the token path.
 */
export function createSharedRateLimiter(
  rule: RateLimitRule,
  clock: Clock,
  buckets: SharedRateLimitBuckets,
  name: string,
  refusal: string,
): SharedRateLimiter {
  const pending = new Set<Promise<unknown>>();

  function count(key: string, operation: 'spend' | 'record') {
    const taken = buckets.take(`${name} ${key}`, rule, clock.now(), operation).catch(() => {
      // The store is unreachable: this event goes uncounted. The request it belongs to was
      // answered already, and every request that needs the store is answered 503 meanwhile.
    });
    pending.add(taken);
    void taken.finally(() => pending.delete(taken));
  }

  function refuseWhenEmpty(key: string) {
    const now = clock.now();
    const until = buckets.emptyUntil(`${name} ${key}`, now);
    if (until === 0) return;
    // RFC 9110 §10.2.3 / RFC 6585 §4: whole seconds, at least 1.
    const seconds = Math.max(1, Math.ceil((until - now) / 1000));
    throw new OAuthError('too_many_requests', 429, retryAfterDescription(refusal, seconds), {
      headers: { 'retry-after': String(seconds) },
    });
  }

  return {
    check: refuseWhenEmpty,
    spend(key) {
      refuseWhenEmpty(key);
      count(key, 'spend');
    },
    record(key) {
      count(key, 'record');
    },
    async settled() {
      if (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
