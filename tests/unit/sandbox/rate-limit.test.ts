import { describe, expect, it } from 'vitest';
import { rateLimitAddress } from '../../../src/sandbox/http/client-address.ts';
import { OAuthError } from '../../../src/sandbox/http/oauth-error.ts';
import { createRateLimiter, type RateLimitRule } from '../../../src/sandbox/http/rate-limit.ts';
import { createHarness, frozenClock } from './harness.ts';
import { retryAfterDescription } from '../../../src/lib/sandbox-contract/rate-limits.ts';

const rule: RateLimitRule = { capacity: 2, refillSeconds: 60 };
const refused = (action: () => void) => {
  try {
    action();
    return false;
  } catch (error) {
    if (error instanceof OAuthError && error.status === 429) return true;
    throw error;
  }
};

describe('the limiter keeps at most maxTrackedKeys buckets, dropping the least recently used', () => {
  it('keeps a spent bucket that is still in use when new keys push old ones out', () => {
    const clock = frozenClock();
    const limiter = createRateLimiter(rule, clock, true, 'attempts', { maxTrackedKeys: 3 });
    limiter.spend('attacker');
    limiter.spend('attacker');
    limiter.spend('b');
    limiter.spend('c');
    // The attacker keeps trying: its bucket is the most recently used, not the oldest.
    expect(refused(() => limiter.check('attacker'))).toBe(true);
    limiter.spend('d');
    limiter.spend('e');
    expect(refused(() => limiter.check('attacker'))).toBe(true);
  });

  it('forgets the least recently used bucket once the bound is reached', () => {
    const clock = frozenClock();
    const limiter = createRateLimiter(rule, clock, true, 'attempts', { maxTrackedKeys: 3 });
    limiter.spend('old');
    limiter.spend('old');
    for (const key of ['b', 'c', 'd']) limiter.spend(key);
    // 'old' was the least recently used: forgotten, so it starts afresh (memory stays bounded).
    expect(refused(() => limiter.check('old'))).toBe(false);
  });

  it('keeps per-key state exact below the bound', () => {
    const clock = frozenClock();
    const limiter = createRateLimiter(rule, clock, true, 'attempts', { maxTrackedKeys: 100 });
    for (let i = 0; i < 50; i++) limiter.spend(`k${i}`);
    limiter.spend('k0');
    expect(refused(() => limiter.spend('k0'))).toBe(true);
    clock.advance(30_000); // one token back (2 per 60 s)
    expect(refused(() => limiter.spend('k0'))).toBe(false);
    expect(refused(() => limiter.spend('k0'))).toBe(true);
  });
});

describe('rateLimitAddress: IPv6 clients are counted by their /64', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['::FFFF:c633:6407', '198.51.100.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:0:0:0:9', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['unknown', 'unknown'],
  ])('%s counts as %s', (address, key) => {
    expect(rateLimitAddress(address)).toBe(key);
  });
});

describe('per-address limits apply to the /64 of an IPv6 client', () => {
  it('refuses registrations from a fresh address in the same /64, not in the next /64', async () => {
    const h = await createHarness();
    try {
      const register = (from: string) =>
        h.call(
          '/oauth/register',
          { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
          from,
        );
      // Each registration from another address of the same /64: one allowance for all of them.
      let last = 0;
      for (let i = 1; i <= 61; i++) last = (await register(`2001:db8:1:2::${i.toString(16)}`)).status;
      expect(last).toBe(429);
      expect((await register('2001:db8:1:3::1')).status).toBe(201);
      // An IPv4 client that arrives as an IPv4-mapped IPv6 address is the same client.
      for (let i = 0; i < 60; i++) expect((await register('203.0.113.9')).status).toBe(201);
      expect((await register('::ffff:203.0.113.9')).status).toBe(429);
    } finally {
      await h.close();
    }
  });
});

describe('a 429 says how long to wait in words that agree in number', () => {
  it.each([
    [1, 'Too many registrations from this address. Retry after 1 second.'],
    [2, 'Too many registrations from this address. Retry after 2 seconds.'],
  ])('%i s', (seconds, description) => {
    expect(retryAfterDescription('Too many registrations from this address', seconds)).toBe(description);
  });

  it('the limiter refuses with "1 second" when one second is left', () => {
    const clock = frozenClock();
    const limiter = createRateLimiter({ capacity: 60, refillSeconds: 60 }, clock, true, 'Too many');
    for (let i = 0; i < 60; i++) limiter.spend('a');
    clock.advance(10);
    expect(() => limiter.spend('a')).toThrow('Too many. Retry after 1 second.');
  });
});
