import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from '../../../src/lib/basic-auth.ts';
import { createHarness, errorOf, formHeaders, type Harness, type RegisteredClient } from './harness.ts';

let h: Harness;
let client: RegisteredClient;
beforeEach(async () => {
  h = await createHarness();
  client = await h.register();
});
afterEach(() => h.close());

describe('secrets never travel in a URL (RFC 6749 §2.3.1)', () => {
  it.each([
    ['/oauth/token', 'client_secret'],
    ['/oauth/token', 'access_token'],
    ['/oauth/introspect', 'token'],
    ['/oauth/revoke', 'token'],
    ['/oauth/revoke', 'client_secret'],
  ])('%s refuses a %s in the query, without repeating it', async (path, name) => {
    const secret = 'S3cr3t-value-that-must-not-echo';
    const response = await h.call(`${path}?client_id=${client.client_id}&${name}=${secret}`, {
      method: 'POST',
      headers: {
        ...formHeaders,
        authorization: encodeBasicCredentials(client.client_id, client.client_secret),
      },
      body: path === '/oauth/token' ? 'grant_type=client_credentials' : 'token=x',
    });
    const { status, error, body } = await errorOf(response);
    expect([status, error]).toEqual([400, 'invalid_request']);
    expect(JSON.stringify(body)).not.toContain(secret);
  });

  it('lets a query without secrets through', async () => {
    const response = await h.call('/oauth/token?lang=en', {
      method: 'POST',
      headers: {
        ...formHeaders,
        authorization: encodeBasicCredentials(client.client_id, client.client_secret),
      },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(200);
  });
});

describe('error descriptions never echo what the client sent', () => {
  it.each([
    [
      'a wrong secret',
      (marker: string) =>
        h.call('/oauth/token', {
          method: 'POST',
          headers: { ...formHeaders, authorization: encodeBasicCredentials(client.client_id, marker) },
          body: 'grant_type=client_credentials',
        }),
    ],
    [
      'an unknown client_id',
      (marker: string) =>
        h.call('/oauth/token', {
          method: 'POST',
          headers: { ...formHeaders, authorization: encodeBasicCredentials(marker, marker) },
          body: 'grant_type=client_credentials',
        }),
    ],
    [
      'a bad scope',
      (marker: string) =>
        h.call('/oauth/token', {
          method: 'POST',
          headers: {
            ...formHeaders,
            authorization: encodeBasicCredentials(client.client_id, client.client_secret),
          },
          body: `grant_type=client_credentials&scope=${marker}`,
        }),
    ],
    [
      'a bad grant type',
      (marker: string) =>
        h.call('/oauth/token', { method: 'POST', headers: formHeaders, body: `grant_type=${marker}` }),
    ],
    [
      'a bad registration',
      (marker: string) =>
        h.call('/oauth/register', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ scope: marker, token_endpoint_auth_method: marker }),
        }),
    ],
    [
      'a bad bearer token',
      (marker: string) => h.call('/api/v1/reports', { headers: { authorization: `Bearer ${marker}` } }),
    ],
  ])('%s', async (_name, send) => {
    const marker = 'Marker7f3a9c';
    const response = await send(marker);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toContain(marker);
    expect(response.headers.get('www-authenticate') ?? '').not.toContain(marker);
  });
});
