import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from '../../../src/lib/www-authenticate.ts';
import { createHarness, errorOf, issuer, type Harness, type RegisteredClient } from './harness.ts';
import { apiProfile, apiScopeNames } from '../../../src/lib/api-profile.ts';
import { sandboxDefaultLifetime } from '../../../src/lib/sandbox-contract/index.ts';

const { readScope, writeScope } = apiProfile;

let h: Harness;
let client: RegisteredClient;
beforeEach(async () => {
  h = await createHarness();
  client = await h.register({ client_name: 'Mine', scope: readScope });
});
afterEach(() => h.close());

const managed = (c: RegisteredClient) => c.registration_client_uri as string;
const bearer = (c: RegisteredClient) => `Bearer ${c.registration_access_token as string}`;
const manage = (c: RegisteredClient, init: RequestInit = {}, suffix = '') =>
  h.call(new URL(managed(c)).pathname + suffix, {
    ...init,
    headers: { authorization: bearer(c), ...(init.headers as Record<string, string>) },
  });
const put = (c: RegisteredClient, body: unknown) =>
  manage(c, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

function bearerChallenge(response: Response) {
  const challenges = parseWwwAuthenticate(response.headers.get('www-authenticate') ?? '');
  expect(challenges).toHaveLength(1);
  expect(challenges![0]!.scheme).toBe('Bearer');
  return challenges![0]!.params;
}

describe('RFC 7592 §2.1 read', () => {
  it('answers the client information response with the registration token and URI', async () => {
    const response = await manage(client);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(body).toEqual({
      client_id: client.client_id,
      client_id_issued_at: client.client_id_issued_at,
      client_secret_expires_at: client.client_secret_expires_at,
      client_expires_at: client.client_secret_expires_at,
      client_name: 'Mine',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: readScope,
      access_token_lifetime: 3600,
      registration_access_token: client.registration_access_token,
      registration_client_uri: `${issuer}/oauth/clients/${client.client_id}`,
    });
    // The store keeps only hashes: the secret is not in the read answer.
    expect(JSON.stringify(body)).not.toContain(client.client_secret);
  });

  it('stores the registration access token as a hash', async () => {
    const stored = await h.store.findClient(client.client_id);
    expect(stored?.registrationTokenHash).toHaveLength(32);
    expect(JSON.stringify(stored)).not.toContain(client.registration_access_token as string);
  });
});

describe('RFC 7592 refusals: 401 with a Bearer challenge, never 200, never 5xx', () => {
  it.each([
    ['no Authorization header', undefined, undefined],
    ['Basic credentials', 'Basic Zm9vOmJhcg==', undefined],
    ['a wrong token', 'Bearer wrong-token', 'invalid_token'],
    ['the client secret instead of the token', 'secret', 'invalid_token'],
    ["another client's token", 'other', 'invalid_token'],
  ])('%s', async (_label, authorization, code) => {
    const other = await h.register();
    const value =
      authorization === 'other'
        ? bearer(other)
        : authorization === 'secret'
          ? `Bearer ${client.client_secret}`
          : authorization;
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await h.call(new URL(managed(client)).pathname, {
        method,
        headers: value === undefined ? {} : { authorization: value },
      });
      const { status, error } = await errorOf(response);
      expect([method, status, error]).toEqual([method, 401, code]);
      expect(bearerChallenge(response)).toMatchObject({ realm: 'sandbox', ...(code ? { error: code } : {}) });
    }
    expect((await manage(client)).status).toBe(200);
  });

  it.each([
    ['an unknown client', '/oauth/clients/unknown-client-id'],
    ['a client_id with odd characters', '/oauth/clients/%00%ff'],
  ])('answers 401 invalid_token for %s', async (_label, path) => {
    const response = await h.call(path, { headers: { authorization: bearer(client) } });
    expect((await errorOf(response)).status).toBe(401);
    expect(bearerChallenge(response).error).toBe('invalid_token');
  });

  it('answers 401 once the client has expired', async () => {
    h.clock.advance(24 * 3600 * 1000);
    expect((await manage(client)).status).toBe(401);
  });

  it('answers 400 invalid_request to a malformed Bearer header', async () => {
    const response = await h.call(new URL(managed(client)).pathname, {
      headers: { authorization: 'Bearer Bearer abc' },
    });
    expect((await errorOf(response)).error).toBe('invalid_request');
  });

  it('answers 405 with Allow to POST', async () => {
    const response = await manage(client, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, PUT, DELETE, HEAD');
  });

  it('answers 404 for /oauth/clients/ alone and for an unknown sub-resource', async () => {
    expect((await h.call('/oauth/clients/')).status).toBe(404);
    expect((await manage(client, {}, '/nothing-here')).status).toBe(404);
  });
});

describe('RFC 7592 §2.2 update', () => {
  const fullMetadata = (c: RegisteredClient, changes: Record<string, unknown>) => ({
    client_id: c.client_id,
    client_name: 'Mine',
    scope: readScope,
    token_endpoint_auth_method: 'client_secret_basic',
    access_token_lifetime: 3600,
    grant_types: ['client_credentials'],
    ...changes,
  });

  it('replaces what may change and the token endpoint honours it at once', async () => {
    const response = await put(
      client,
      fullMetadata(client, {
        client_name: 'Renamed',
        scope: `${readScope} ${writeScope}`,
        token_endpoint_auth_method: 'client_secret_post',
        access_token_lifetime: 60,
        // RFC 7592 §2.2: fields the server issued are ignored.
        client_id_issued_at: 1,
        registration_client_uri: 'https://elsewhere.example/',
      }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      client_name: 'Renamed',
      scope: `${readScope} ${writeScope}`,
      token_endpoint_auth_method: 'client_secret_post',
      access_token_lifetime: 60,
      client_id_issued_at: client.client_id_issued_at,
      registration_client_uri: managed(client),
    });
    const updated = { ...client, token_endpoint_auth_method: 'client_secret_post' };
    const token = await h.requestToken(updated);
    expect(await token.json()).toMatchObject({ expires_in: 60, scope: `${readScope} ${writeScope}` });
    // The old method is refused now, with the description that says so.
    expect((await h.requestToken(client)).status).toBe(401);
    expect(await (await manage(client)).json()).toMatchObject({ client_name: 'Renamed' });
  });

  it('treats an omitted field as a request for its default', async () => {
    const response = await put(client, { client_id: client.client_id });
    const body = await response.json();
    expect(body).toMatchObject({
      scope: apiScopeNames.join(' '),
      access_token_lifetime: sandboxDefaultLifetime(apiProfile),
    });
    expect(body.client_name).toBeUndefined();
  });

  it.each([
    ['no client_id', (c: RegisteredClient) => ({ ...fullMetadata(c, {}), client_id: undefined })],
    ['another client_id', (c: RegisteredClient) => fullMetadata(c, { client_id: 'someone-else' })],
    [
      'a client_secret of its choosing',
      (c: RegisteredClient) => fullMetadata(c, { client_secret: 'chosen' }),
    ],
    [
      'a scope the API does not define',
      (c: RegisteredClient) => fullMetadata(c, { scope: 'reports:delete' }),
    ],
    ['a lifetime out of bounds', (c: RegisteredClient) => fullMetadata(c, { access_token_lifetime: 1 })],
    ['a JSON array', () => []],
  ])('refuses %s with 400 invalid_client_metadata and changes nothing', async (_label, body) => {
    const { status, error } = await errorOf(await put(client, body(client)));
    expect([status, error]).toEqual([400, 'invalid_client_metadata']);
    expect(await (await manage(client)).json()).toMatchObject({ client_name: 'Mine', scope: readScope });
  });

  it('accepts the current client_secret in the update', async () => {
    const response = await put(client, fullMetadata(client, { client_secret: client.client_secret }));
    expect(response.status).toBe(200);
  });
});

describe('RFC 7592 §2.3 delete', () => {
  it('answers 204, and then the client, its tokens and its registration token all fail', async () => {
    const token = await h.token(client);
    const api = () => h.call('/api/v1/reports', { headers: { authorization: `Bearer ${token}` } });
    expect((await api()).status).toBe(200);

    const response = await manage(client, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');

    const refused = await api();
    expect((await errorOf(refused)).error).toBe('invalid_token');
    expect((await h.requestToken(client)).status).toBe(401);
    expect((await manage(client)).status).toBe(401);
    expect((await manage(client, { method: 'DELETE' })).status).toBe(401);
    expect(await h.store.findClient(client.client_id)).toBeUndefined();
  });

  it('leaves other clients alone', async () => {
    const other = await h.register();
    const token = await h.token(other);
    await manage(client, { method: 'DELETE' });
    expect((await h.call('/api/v1/reports', { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
    expect((await manage(other)).status).toBe(200);
  });
});
