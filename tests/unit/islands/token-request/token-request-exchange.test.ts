import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseBasicCredentials } from '../../../../src/lib/basic-auth.ts';
import type { HttpExchange } from '../../../../src/lib/http-exchange.ts';
import {
  buildPlaygroundTokenRequest,
  readTokenRequestOutcome,
} from '../../../../src/islands/token-request/token-request-exchange.ts';
import { createHarness, type Harness } from '../../sandbox/harness.ts';
import { sendToHarness } from '../support.ts';
import { apiProfile } from '../../../../src/lib/api-profile.ts';

const { readScope, writeScope } = apiProfile;

const credentials = { clientId: 'client-1', clientSecret: 'secret-1' };

describe('buildPlaygroundTokenRequest', () => {
  it('puts the credentials in a Basic header for client_secret_basic', () => {
    const request = buildPlaygroundTokenRequest(credentials, {
      authMethod: 'client_secret_basic',
      scopes: [readScope],
    });
    expect(request).toMatchObject({
      method: 'POST',
      target: '/oauth/token',
      body: 'grant_type=client_credentials&scope=reports%3Aread',
    });
    expect(parseBasicCredentials(request.headers.authorization!)).toEqual({ ok: true, credentials });
  });

  it('puts them in the form body for client_secret_post, and never in both places', () => {
    const request = buildPlaygroundTokenRequest(credentials, {
      authMethod: 'client_secret_post',
      scopes: [],
    });
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toBe('grant_type=client_credentials&client_id=client-1&client_secret=secret-1');
  });
});

describe('readTokenRequestOutcome against the sandbox', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await createHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  it.each(['client_secret_basic', 'client_secret_post'] as const)(
    'gets a token with %s, the registered method',
    async (method) => {
      const client = await harness.register({
        token_endpoint_auth_method: method,
        scope: `${readScope} ${writeScope}`,
        access_token_lifetime: 30,
      });
      const exchange = await sendToHarness(harness)(
        buildPlaygroundTokenRequest(
          { clientId: client.client_id, clientSecret: client.client_secret },
          { authMethod: method, scopes: [readScope] },
        ),
      );
      const outcome = readTokenRequestOutcome(exchange, 42);
      expect(outcome).toMatchObject({
        ok: true,
        token: { expiresInSeconds: 30, scope: readScope, requestedAt: 42 },
      });
      expect(outcome.ok && outcome.token.accessToken.split('.')).toHaveLength(3);
    },
  );

  it('explains the other method as invalid_client, with the row of the errors page', async () => {
    const client = await harness.register({});
    const exchange = await sendToHarness(harness)(
      buildPlaygroundTokenRequest(
        { clientId: client.client_id, clientSecret: client.client_secret },
        { authMethod: 'client_secret_post', scopes: [] },
      ),
    );
    const outcome = readTokenRequestOutcome(exchange, 0);
    expect(outcome).toMatchObject({
      ok: false,
      explanation: { row: 'invalid_client', status: 401, href: '/errors/#invalid_client' },
    });
    expect(!outcome.ok && outcome.explanation?.description).toMatch(/client_secret_basic/);
  });

  it('explains a scope the client is not registered with as invalid_scope', async () => {
    const client = await harness.register({ scope: readScope });
    const exchange = await sendToHarness(harness)(
      buildPlaygroundTokenRequest(
        { clientId: client.client_id, clientSecret: client.client_secret },
        { authMethod: 'client_secret_basic', scopes: [writeScope] },
      ),
    );
    expect(readTokenRequestOutcome(exchange, 0)).toMatchObject({
      ok: false,
      explanation: { row: 'invalid_scope', status: 400 },
    });
  });
});

describe('readTokenRequestOutcome on answers a sandbox never gives', () => {
  const exchange = (status: number, bodyText: string): HttpExchange => ({
    request: { method: 'POST', target: '/oauth/token', headers: {} },
    response: { status, statusText: '', headers: [['content-type', 'application/json']], bodyText },
    networkError: undefined,
    elapsedMs: 1,
  });

  it('labels a 200 without a token by its field, and explains nothing', () => {
    expect(readTokenRequestOutcome(exchange(200, '{"token_type":"Bearer"}'), 0)).toEqual({
      ok: false,
      explanation: undefined,
      message: '"response" body "access_token" must be a non-empty string',
    });
  });

  it('reports a network failure', () => {
    expect(
      readTokenRequestOutcome(
        { ...exchange(200, ''), response: undefined, networkError: 'Failed to fetch' },
        0,
      ),
    ).toMatchObject({ ok: false, message: 'No answer: Failed to fetch.' });
  });
});
