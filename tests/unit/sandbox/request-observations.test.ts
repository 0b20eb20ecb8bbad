import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from '../../../src/lib/basic-auth.ts';
import type { RequestObservations } from '../../../src/sandbox/sandbox.ts';
import { createHarness, formHeaders, issuer, type Harness, type RegisteredClient } from './harness.ts';

let h: Harness;
let client: RegisteredClient;
beforeEach(async () => {
  h = await createHarness();
  client = await h.register();
});
afterEach(() => h.close());

/** Calls handle() with an observations object, as the request log does, and returns what it holds. */
async function observe(
  path: string,
  init?: RequestInit,
): Promise<{ status: number; observed: RequestObservations }> {
  const observed: RequestObservations = {};
  const response = await h.sandbox.handle(new Request(`${issuer}${path}`, init), {
    clientAddress: '192.0.2.7',
    observed,
  });
  return { status: response.status, observed };
}
const token = (authorization: string) =>
  observe('/oauth/token', {
    method: 'POST',
    headers: { ...formHeaders, authorization },
    body: 'grant_type=client_credentials',
  });

describe('what the sandbox reports for the request log', () => {
  it('names the client it registered', async () => {
    const { status, observed } = await observe('/oauth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(status).toBe(201);
    expect(observed).toEqual({ clientId: expect.stringMatching(/^[\w-]{22}$/) });
  });

  it('names the client a token was issued to', async () => {
    expect(await token(encodeBasicCredentials(client.client_id, client.client_secret))).toEqual({
      status: 200,
      observed: { clientId: client.client_id },
    });
  });

  it('names a registered client whose authentication failed, with the error code', async () => {
    expect(await token(encodeBasicCredentials(client.client_id, 'wrong secret'))).toEqual({
      status: 401,
      observed: { clientId: client.client_id, error: 'invalid_client' },
    });
  });

  it('never names a client_id no client has: it could be a secret pasted into the wrong field', async () => {
    const pasted = client.client_secret;
    const result = await token(encodeBasicCredentials(pasted, client.client_secret));
    expect(result).toEqual({ status: 401, observed: { error: 'invalid_client' } });
    expect(JSON.stringify(result.observed)).not.toContain(pasted);
  });

  it('names the client of a verified bearer token, and nobody for a forged one', async () => {
    const accessToken = await h.token(client);
    expect(await observe('/api/v1/reports', { headers: { authorization: `Bearer ${accessToken}` } })).toEqual(
      { status: 200, observed: { clientId: client.client_id } },
    );
    const forged = `${accessToken.slice(0, -4)}AAAA`;
    expect(await observe('/api/v1/reports', { headers: { authorization: `Bearer ${forged}` } })).toEqual({
      status: 401,
      observed: { error: 'invalid_token' },
    });
  });

  it('reports the error code of any error answer', async () => {
    expect((await observe('/oauth/nothing')).observed).toEqual({ error: 'not_found' });
    expect((await observe('/oauth/token')).observed).toEqual({ error: 'method_not_allowed' });
  });
});
