import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBase64url } from '../../../../src/lib/base64url.ts';
import {
  buildApiRequest,
  readApiCallOutcome,
  tokenFacts,
} from '../../../../src/islands/api-call/api-call.ts';
import { reportBody } from '../../../../src/lib/sandbox-contract/index.ts';
import { createHarness, type Harness } from '../../sandbox/harness.ts';
import { sendToHarness } from '../support.ts';
import { apiProfile } from '../../../../src/lib/api-profile.ts';

const { readScope, writeScope } = apiProfile;

describe('buildApiRequest', () => {
  it('sends the token in the Authorization header only (RFC 6750 §2.1)', () => {
    expect(buildApiRequest('GET', 'tok')).toEqual({
      method: 'GET',
      target: '/api/v1/reports',
      headers: { authorization: 'Bearer tok', accept: 'application/json' },
    });
  });

  it('sends a JSON report with POST', () => {
    const request = buildApiRequest('POST', 'tok', 'Q3 numbers');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body!)).toEqual({
      title: 'Q3 numbers',
      summary: 'Created from the playground.',
    });
    expect(request.body).toBe(reportBody('Q3 numbers'));
  });

  it('leaves the header out without a token', () => {
    expect(buildApiRequest('GET', undefined).headers).toEqual({ accept: 'application/json' });
  });
});

describe('tokenFacts', () => {
  it("reads exp and scope from the JWT's claims", () => {
    const payload = encodeBase64url(JSON.stringify({ exp: 2_000_000_000, scope: readScope }));
    expect(tokenFacts({ accessToken: `e30.${payload}.c2ln`, requestedAt: 0 })).toEqual({
      expiresAtMs: 2_000_000_000_000,
      scopes: [readScope],
    });
  });

  it('falls back to expires_in and the response scope for a token that is not a JWT', () => {
    expect(
      tokenFacts({ accessToken: 'opaque', requestedAt: 1000, expiresInSeconds: 30, scope: 'a b' }),
    ).toEqual({ expiresAtMs: 31_000, scopes: ['a', 'b'] });
  });
});

describe('calling the sandbox API', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await createHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  async function call(method: 'GET' | 'POST', token: string | undefined) {
    const exchange = await sendToHarness(harness)(buildApiRequest(method, token));
    return readApiCallOutcome(
      exchange,
      token ? tokenFacts({ accessToken: token, requestedAt: harness.clock.now() }) : {},
      harness.clock.now(),
    );
  }

  it(`GET with a ${readScope} token is 200, POST with ${writeScope} is 201`, async () => {
    const client = await harness.register({});
    const token = await harness.token(client);
    expect(await call('GET', token)).toEqual({ ok: true, status: 200 });
    expect(await call('POST', token)).toEqual({ ok: true, status: 201 });
  });

  it(`POST without ${writeScope} is 403, explained with the missing scope`, async () => {
    const client = await harness.register({});
    const token = await harness.token(client, { scope: readScope });
    expect(await call('POST', token)).toMatchObject({
      ok: false,
      explanation: {
        row: 'insufficient_scope',
        missingScope: writeScope,
        failedCheck: 'scope',
        href: '/errors/#insufficient_scope',
      },
    });
  });

  it('an expired token is 401, explained as the expiry check', async () => {
    const client = await harness.register({ access_token_lifetime: 5 });
    const token = await harness.token(client);
    harness.clock.advance(6000);
    expect(await call('GET', token)).toMatchObject({
      ok: false,
      explanation: { row: 'invalid_token', failedCheck: 'expiry' },
    });
  });

  it('no token is 401 without an error code', async () => {
    expect(await call('GET', undefined)).toMatchObject({
      ok: false,
      explanation: { row: 'no-error-code', code: undefined, status: 401 },
    });
  });
});
