import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from '../../src/lib/basic-auth.ts';
import {
  ClientCredentialsTokenSource,
  type TokenSourceEvent,
} from '../../src/lib/client-credentials-token-source.ts';
import { TokenSourceError } from '../../src/lib/token-source-error.ts';
import {
  registerClient,
  startListeningSandbox,
  type ListeningSandbox,
} from '../support/listening-sandbox.ts';
import { apiProfile } from '../../src/lib/api-profile.ts';

const { readScope } = apiProfile;

// The reference client against the real sandbox over HTTP, on the real clock: 5 s tokens,
// 20 s of API calls, a revocation near the middle. Slow on purpose (about 21 s).
const tokenLifetimeSeconds = 5;
const runMs = 20_000;
const callEveryMs = 250;
// Not on a refresh boundary (2.5 s, 5 s, 7.5 s, 10 s, ...): at 10 s the client could renew the
// token between the revocation and the next call, and the revoked token would never be sent.
const revokeAtMs = 9_000;

let sandbox: ListeningSandbox;
beforeAll(async () => {
  sandbox = await startListeningSandbox({ dataPath: ':memory:', rateLimit: false });
});
afterAll(async () => {
  await sandbox?.close();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('the token source against the sandbox', () => {
  it(
    'keeps 20 s of calls with 5 s tokens free of 401s, with one token per useful lifetime',
    { timeout: 60_000 },
    async () => {
      const client = await registerClient(sandbox.origin, {
        client_name: 'token lifecycle test',
        access_token_lifetime: tokenLifetimeSeconds,
      });
      expect(client.access_token_lifetime).toBe(tokenLifetimeSeconds);
      const events: TokenSourceEvent[] = [];
      const source = new ClientCredentialsTokenSource({
        tokenEndpoint: `${sandbox.origin}/oauth/token`,
        clientId: client.client_id,
        clientSecret: client.client_secret,
        scopes: [readScope],
        onEvent: (event) => events.push(event),
      });

      const statuses: number[] = [];
      /** When each call started, on the token source's own clock. */
      const callStarts: number[] = [];
      let revokedToken: number | undefined;
      let revokedAtCall: number | undefined;
      const start = Date.now();
      for (let call = 0; Date.now() - start < runMs; call++) {
        if (revokedToken === undefined && Date.now() - start >= revokeAtMs) {
          // RFC 7009: the client revokes the token it holds; the API refuses it from the next request on.
          const token = await source.getToken();
          revokedToken = events.filter((event) => event.type === 'token-issued').at(-1)!.token;
          const revocation = await fetch(`${sandbox.origin}/oauth/revoke`, {
            method: 'POST',
            headers: {
              authorization: encodeBasicCredentials(client.client_id, client.client_secret),
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
          });
          expect(revocation.status).toBe(200);
          revokedAtCall = statuses.length;
        }
        callStarts.push(performance.timeOrigin + performance.now());
        const response = await source.fetch(`${sandbox.origin}/api/v1/reports`, {
          headers: { accept: 'application/json' },
        });
        statuses.push(response.status);
        await response.arrayBuffer();
        await sleep(Math.max(0, start + (call + 1) * callEveryMs - Date.now()));
      }
      const elapsedSeconds = (Date.now() - start) / 1000;

      const requested = events.filter((event) => event.type === 'token-requested');
      const retries = events.filter((event) => event.type === 'retrying-after-invalid-token');
      const issued = events.filter((event) => event.type === 'token-issued');
      // How long after its token's refreshAt each proactive refresh came.
      const refreshLateness = requested.flatMap((event, index) =>
        event.reason === 'proactive-refresh' ? [event.at - issued[index - 1]!.refreshAt] : [],
      );
      // How many calls started between its token's refreshAt and each proactive refresh.
      const callsBetweenDueAndRefresh = requested.flatMap((event, index) => {
        if (event.reason !== 'proactive-refresh') return [];
        const due = issued[index - 1]!.refreshAt;
        return [callStarts.filter((started) => due <= started && started < event.at).length];
      });
      const summary = {
        calls: statuses.length,
        seconds: elapsedSeconds,
        tokenRequests: requested.length,
        reasons: requested.map((event) => event.reason),
        retriesAfter401: retries.map((event) => event.token),
        proactiveRefreshes: requested.filter((event) => event.reason === 'proactive-refresh').length,
        revokedToken,
        callsPer: Math.round((statuses.length / requested.length) * 10) / 10,
        maxRefreshLatenessMs: Math.round(Math.max(...refreshLateness)),
      };
      console.info(`token lifecycle: ${JSON.stringify(summary)}`);

      // Zero 401s reach the caller: every call succeeded, the one after the revocation included.
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      // A call every 250 ms is 80 calls; on a loaded machine each call takes longer and fewer fit.
      // At least one every half second: the loop never stalled.
      expect(statuses.length).toBeGreaterThanOrEqual(40);

      // The revoked token was refused once and replaced, and the very call after it succeeded.
      expect(revokedToken).toBeDefined();
      expect(statuses[revokedAtCall!]).toBe(200);

      // Every other token was replaced before the API refused it: the margin, min(60 s, 5 s / 2) =
      // 2.5 s, outlasts the sandbox's whole-second `exp` (up to 1 s before the client's count). So the
      // one 401 is the revocation's, and every token request but the first and the revocation's is a
      // proactive refresh: none waited for expiry.
      expect(retries.map((event) => event.token)).toEqual([revokedToken]);
      const reasons = requested.map((event) => event.reason);
      expect(reasons.filter((reason) => reason !== 'proactive-refresh')).toEqual(['no-token', 'rejected']);

      // Each token was due for refresh 2.5 s before its expiry, and was refreshed at the first call at
      // or after that moment: never before it, and at most one call later, long before the sandbox's
      // `exp` (at the earliest 1.5 s after refreshAt). Counted in calls, not in milliseconds, which a
      // loaded machine stretches.
      const refreshMarginMs = Math.min(60_000, (tokenLifetimeSeconds * 1000) / 2);
      for (const token of issued) expect(token.expiresAt - token.refreshAt).toBe(refreshMarginMs);
      for (const lateness of refreshLateness) expect(lateness).toBeGreaterThanOrEqual(0);
      expect(callsBetweenDueAndRefresh).toHaveLength(refreshLateness.length);
      for (const calls of callsBetweenDueAndRefresh) expect(calls).toBeLessThanOrEqual(1);

      // One token per useful life (2.5 s, and the refresh waits for the next call), not one per call.
      // On a quiet machine: the first token is refreshed 3 times before the revocation at 9 s (at
      // 2.5–2.75, 5–5.5, 7.5–8.25 s), its replacement 3 or 4 times by the end at 20 s: 6 or 7
      // proactive refreshes. Never more (one per 2.5 s at most); fewer when slow calls stretch each
      // life by up to a call (about a second at a load average of 20): 20 s / 3.5 s, less the
      // revocation's restart, leaves at least 4.
      expect(summary.proactiveRefreshes).toBeGreaterThanOrEqual(4);
      expect(summary.proactiveRefreshes).toBeLessThanOrEqual(7);
      expect(requested.length).toBe(summary.proactiveRefreshes + 2);
    },
  );

  it('gives ten concurrent callers one token request', async () => {
    const client = await registerClient(sandbox.origin, {
      client_name: 'token lifecycle test',
      access_token_lifetime: 60,
    });
    let tokenRequests = 0;
    const source = new ClientCredentialsTokenSource({
      tokenEndpoint: `${sandbox.origin}/oauth/token`,
      clientId: client.client_id,
      clientSecret: client.client_secret,
      fetch: (input, init) => {
        if (new Request(input).url.endsWith('/oauth/token')) tokenRequests++;
        return fetch(input, init);
      },
    });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => source.fetch(`${sandbox.origin}/api/v1/reports`)),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(tokenRequests).toBe(1);
  });

  it.each([['client_secret_basic' as const], ['client_secret_post' as const]])(
    'surfaces a wrong secret (%s) as invalid_client after one request',
    async (authMethod) => {
      const client = await registerClient(sandbox.origin, {
        client_name: 'token lifecycle test',
        access_token_lifetime: 60,
      });
      let tokenRequests = 0;
      const source = new ClientCredentialsTokenSource({
        tokenEndpoint: `${sandbox.origin}/oauth/token`,
        clientId: client.client_id,
        clientSecret: `${client.client_secret}-wrong`,
        authMethod,
        fetch: (input, init) => {
          tokenRequests++;
          return fetch(input, init);
        },
      });
      const error = await source.getToken().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TokenSourceError);
      expect((error as TokenSourceError).code).toBe('invalid_client');
      expect((error as TokenSourceError).message).not.toContain(client.client_secret);
      expect(tokenRequests).toBe(1);
    },
  );
});
