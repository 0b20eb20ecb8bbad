import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from '../../src/lib/basic-auth.ts';
import { ClientCredentialsTokenSource, type TokenSourceEvent } from '../../src/lib/client-credentials-token-source.ts';
import { TokenSourceError } from '../../src/lib/token-source-error.ts';
import { registerClient, startInProcessSandbox, type InProcessSandbox } from '../support/in-process-sandbox.ts';

// The reference client against the real sandbox over HTTP, on the real clock: 5 s tokens,
// 20 s of API calls, a revocation halfway. Slow on purpose (about 21 s).
const tokenLifetimeSeconds = 5;
const runMs = 20_000;
const callEveryMs = 250;
const revokeAtMs = 10_000;

let sandbox: InProcessSandbox;
beforeAll(async () => {
  sandbox = await startInProcessSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('the token source against the sandbox', () => {
  it('keeps 20 s of calls with 5 s tokens free of 401s, with one token per useful lifetime', { timeout: 60_000 }, async () => {
    const client = await registerClient(sandbox.origin, tokenLifetimeSeconds);
    expect(client.access_token_lifetime).toBe(tokenLifetimeSeconds);
    const events: TokenSourceEvent[] = [];
    const source = new ClientCredentialsTokenSource({
      tokenEndpoint: `${sandbox.origin}/oauth/token`,
      clientId: client.client_id,
      clientSecret: client.client_secret,
      scopes: ['reports:read'],
      onEvent: (event) => events.push(event),
    });

    const statuses: number[] = [];
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
          headers: { authorization: encodeBasicCredentials(client.client_id, client.client_secret), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
        });
        expect(revocation.status).toBe(200);
        revokedAtCall = statuses.length;
      }
      const response = await source.fetch(`${sandbox.origin}/api/v1/reports`, { headers: { accept: 'application/json' } });
      statuses.push(response.status);
      await response.arrayBuffer();
      await sleep(Math.max(0, start + (call + 1) * callEveryMs - Date.now()));
    }
    const elapsedSeconds = (Date.now() - start) / 1000;

    const requested = events.filter((event) => event.type === 'token-requested');
    const retries = events.filter((event) => event.type === 'retrying-after-invalid-token');
    const usefulLifeSeconds = tokenLifetimeSeconds * 0.9; // refreshed 10 % (0.5 s) before expiry
    const summary = {
      calls: statuses.length,
      seconds: elapsedSeconds,
      tokenRequests: requested.length,
      reasons: requested.map((event) => event.reason),
      retriesAfter401: retries.map((event) => event.token),
      proactiveRefreshes: requested.filter((event) => event.reason === 'proactive-refresh').length,
      revokedToken,
      callsPer: Math.round((statuses.length / requested.length) * 10) / 10,
    };
    console.info(`token lifecycle: ${JSON.stringify(summary)}`);

    // Zero 401s reach the caller: every call succeeded, the one after the revocation included.
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(statuses.length).toBeGreaterThanOrEqual(70);

    // The revoked token was refused once and replaced, and the very call after it succeeded.
    expect(revokedToken).toBeDefined();
    expect(retries.map((event) => event.token)).toContain(revokedToken);
    expect(statuses[revokedAtCall!]).toBe(200);
    expect(requested.map((event) => event.reason)).toContain('rejected');

    // One token per useful life, not one per call: two runs of 10 s, each needing
    // 1 + floor(10 / 4.5) = 3 tokens, so 6; one more is allowed for the sandbox's whole-second
    // exp (a token can end up to 1 s before the client's count; see the report of issue 6).
    const expected = 2 * (1 + Math.floor(revokeAtMs / 1000 / usefulLifeSeconds));
    expect(requested.length).toBeGreaterThanOrEqual(expected - 1);
    expect(requested.length).toBeLessThanOrEqual(expected + 1);

    // Any other 401 came in the last second of a token's counted life: the sandbox rounds `iat`
    // down to the second and sends expires_in = lifetime, so a token can die up to 1 s early,
    // before the 0.5 s margin. Such a token is replaced at the end of its life all the same.
    const issued = new Map(events.flatMap((event) => (event.type === 'token-issued' ? [[event.token, event]] : [])));
    const earlyDeaths = retries.filter((event) => event.token !== revokedToken);
    for (const retry of earlyDeaths) expect(retry.at).toBeGreaterThanOrEqual(issued.get(retry.token)!.expiresAt! - 1_000);
    // Each 10 s half replaces its token twice at the end of its life (at 4.5 s and 9 s).
    const endOfLifeReplacements = requested.filter((event) => event.reason === 'proactive-refresh').length + earlyDeaths.length;
    expect(endOfLifeReplacements).toBeGreaterThanOrEqual(3);
    expect(endOfLifeReplacements).toBeLessThanOrEqual(5);
  });

  it('gives ten concurrent callers one token request', async () => {
    const client = await registerClient(sandbox.origin, 60);
    let tokenRequests = 0;
    const source = new ClientCredentialsTokenSource({
      tokenEndpoint: `${sandbox.origin}/oauth/token`,
      clientId: client.client_id,
      clientSecret: client.client_secret,
      fetch: (input, init) => {
        if (String(input).endsWith('/oauth/token')) tokenRequests++;
        return fetch(input, init);
      },
    });
    const responses = await Promise.all(Array.from({ length: 10 }, () => source.fetch(`${sandbox.origin}/api/v1/reports`)));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(tokenRequests).toBe(1);
  });

  it.each([['client_secret_basic' as const], ['client_secret_post' as const]])('surfaces a wrong secret (%s) as invalid_client after one request', async (authMethod) => {
    const client = await registerClient(sandbox.origin, 60);
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
  });
});
