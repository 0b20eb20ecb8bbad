import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from '../../../src/lib/basic-auth.ts';
import { defaultRateLimits } from '../../../src/sandbox/http/rate-limit.ts';
import { createHarness, errorOf, formHeaders, type Harness, type RegisteredClient } from './harness.ts';

const address = '198.51.100.20';
let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const tokenFor = (clientId: string, secret: string, from = address) =>
  h.call(
    '/oauth/token',
    {
      method: 'POST',
      headers: { ...formHeaders, authorization: encodeBasicCredentials(clientId, secret) },
      body: 'grant_type=client_credentials',
    },
    from,
  );
const good = (client: RegisteredClient, from = address) =>
  tokenFor(client.client_id, client.client_secret, from);

describe('the limits keep the contract minimums', () => {
  it('allows at least 20 failed authentications and 30 registrations a minute from one address', () => {
    expect(
      defaultRateLimits.failedAuthentication.capacity /
        (defaultRateLimits.failedAuthentication.refillSeconds / 60),
    ).toBeGreaterThanOrEqual(20);
    expect(
      defaultRateLimits.registration.capacity / (defaultRateLimits.registration.refillSeconds / 60),
    ).toBeGreaterThanOrEqual(30);
    expect(defaultRateLimits.failedAuthenticationPerAddress.capacity).toBeGreaterThan(
      defaultRateLimits.failedAuthentication.capacity,
    );
  });
});

describe('failed authentications are limited per (address, client)', () => {
  it('cuts brute force on one client to 429 while other clients at the same address keep working', async () => {
    const victim = await h.register({}, address);
    const neighbour = await h.register({}, address);
    const { capacity } = defaultRateLimits.failedAuthentication;
    for (let i = 0; i < capacity; i++)
      expect((await tokenFor(victim.client_id, `guess-${i}`)).status).toBe(401);
    const limited = await tokenFor(victim.client_id, 'one more guess');
    expect((await errorOf(limited)).error).toBe('too_many_requests');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Even the right secret waits: a guesser must learn nothing while limited.
    expect((await good(victim)).status).toBe(429);
    // The neighbour at the same address, and the victim from elsewhere, are untouched.
    expect((await good(neighbour)).status).toBe(200);
    expect((await good(victim, '203.0.113.50')).status).toBe(200);
  });

  it('gives invented client_ids one shared allowance per address, not one each', async () => {
    const honest = await h.register({}, address);
    const { capacity } = defaultRateLimits.failedAuthentication;
    for (let i = 0; i < capacity; i++) expect((await tokenFor(`invented-${i}`, 'x')).status).toBe(401);
    expect((await tokenFor('invented-next', 'x')).status).toBe(429);
    // Malformed or missing credentials count against the same allowance.
    const noCredentials = await h.call(
      '/oauth/token',
      { method: 'POST', headers: formHeaders, body: 'grant_type=client_credentials' },
      address,
    );
    expect(noCredentials.status).toBe(429);
    expect((await good(honest)).status).toBe(200);
  });

  it('bounds failures per address across all clients, against guessing spread over many', async () => {
    const { capacity: perClient } = defaultRateLimits.failedAuthentication;
    const { capacity: perAddress } = defaultRateLimits.failedAuthenticationPerAddress;
    const clients = [];
    for (let i = 0; i <= perAddress / perClient; i++)
      clients.push(await h.register({}, `192.0.2.${100 + i}`));
    let failures = 0;
    for (const client of clients) {
      for (let i = 0; i < perClient && failures < perAddress; i++, failures++)
        expect((await tokenFor(client.client_id, 'wrong')).status).toBe(401);
    }
    const fresh = clients.at(-1)!;
    expect((await tokenFor(fresh.client_id, 'wrong')).status).toBe(429);
    expect((await good(fresh)).status).toBe(429);
    expect((await good(fresh, '203.0.113.51')).status).toBe(200);
  });
});

describe('successful operations are limited per client, above honest use', () => {
  const revoke = (client: RegisteredClient, token: string) =>
    h.call('/oauth/revoke', {
      method: 'POST',
      headers: {
        ...formHeaders,
        authorization: encodeBasicCredentials(client.client_id, client.client_secret),
      },
      body: new URLSearchParams({ token }).toString(),
    });

  it('refuses token requests past the per-client allowance, for that client only', async () => {
    const busy = await h.register();
    const other = await h.register();
    const { capacity, refillSeconds } = defaultRateLimits.tokenIssuancePerClient;
    // Honest use (a token every few seconds) never comes near it.
    expect(capacity / refillSeconds).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < capacity; i++) expect((await good(busy)).status).toBe(200);
    const limited = await good(busy);
    expect((await errorOf(limited)).error).toBe('too_many_requests');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // From another address too: the limit is the client's.
    expect((await good(busy, '203.0.113.60')).status).toBe(429);
    expect((await good(other)).status).toBe(200);
    h.clock.advance(refillSeconds * 1000);
    expect((await good(busy)).status).toBe(200);
  });

  it('refuses revocations past the per-client allowance; a repeated revocation costs nothing', async () => {
    const client = await h.register();
    const { capacity } = defaultRateLimits.revocationPerClient;
    const tokens = [];
    for (let i = 0; i <= capacity; i++) tokens.push(await h.token(client));
    for (const token of tokens.slice(0, capacity)) expect((await revoke(client, token)).status).toBe(200);
    // Revoking a token already revoked writes nothing, so it is not counted.
    expect((await revoke(client, tokens[0]!)).status).toBe(200);
    const limited = await revoke(client, tokens[capacity]!);
    expect((await errorOf(limited)).error).toBe('too_many_requests');
    // The refused revocation did nothing: that token still works.
    const api = await h.call('/api/v1/reports', { headers: { authorization: `Bearer ${tokens[capacity]}` } });
    expect(api.status).toBe(200);
  });
});
