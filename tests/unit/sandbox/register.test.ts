import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, errorOf, type Harness } from './harness.ts';
import { apiProfile, apiScopeNames } from '../../../src/lib/api-profile.ts';
import { sandboxDefaultLifetime } from '../../../src/lib/sandbox-contract/index.ts';

const { readScope, writeScope } = apiProfile;

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const unreserved = /^[A-Za-z0-9\-._~]+$/;

describe('RFC 7591 §3.2.1 client information response', () => {
  it('answers 201 with credentials, their lifetimes and the registered metadata', async () => {
    const response = await h.call('/oauth/register', json({ client_name: 'My app' }));
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const client = await response.json();
    const now = h.clock.nowSeconds();
    expect(client).toEqual({
      client_id: expect.stringMatching(unreserved),
      client_secret: expect.stringMatching(unreserved),
      client_id_issued_at: now,
      client_secret_expires_at: now + 24 * 3600,
      client_expires_at: now + 24 * 3600,
      client_name: 'My app',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: apiScopeNames.join(' '),
      access_token_lifetime: sandboxDefaultLifetime(apiProfile),
      registration_access_token: expect.stringMatching(unreserved),
      registration_client_uri: `http://localhost:4321/oauth/clients/${client.client_id}`,
    });
    expect(client.client_secret.length).toBeGreaterThanOrEqual(43);
    expect(client.registration_access_token.length).toBeGreaterThanOrEqual(43);
    expect(client.registration_access_token).not.toBe(client.client_secret);
  });

  it.each([
    ['an empty body', { method: 'POST' }],
    ['an empty object', json({})],
  ])('accepts %s: every field is optional', async (_label, init) => {
    expect((await h.call('/oauth/register', init)).status).toBe(201);
  });

  it.each([
    [{ scope: readScope }, { scope: readScope }],
    [{ scope: `${writeScope} ${readScope}` }, { scope: `${writeScope} ${readScope}` }],
    [
      { token_endpoint_auth_method: 'client_secret_post' },
      { token_endpoint_auth_method: 'client_secret_post' },
    ],
    [{ access_token_lifetime: 5 }, { access_token_lifetime: 5 }],
    [{ access_token_lifetime: 3600 }, { access_token_lifetime: 3600 }],
    [{ grant_types: ['client_credentials'] }, { grant_types: ['client_credentials'] }],
    [{ response_types: [] }, { grant_types: ['client_credentials'] }],
    // RFC 7591 §2: metadata the server does not understand is ignored.
    [{ logo_uri: 'https://example.com/logo.png', software_id: 'x' }, { scope: apiScopeNames.join(' ') }],
  ])('registers %j', async (metadata, expected) => {
    const response = await h.call('/oauth/register', json(metadata));
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject(expected);
  });

  it('stores a hash of the secret, never the secret', async () => {
    const client = await h.register();
    const stored = await h.store.findClient(client.client_id);
    expect(stored?.secretHash).toHaveLength(32);
    expect(Buffer.from(stored!.secretHash!).toString('latin1')).not.toContain(client.client_secret);
  });

  it('gives every client different credentials', async () => {
    const [a, b] = [await h.register(), await h.register()];
    expect(a.client_id).not.toBe(b.client_id);
    expect(a.client_secret).not.toBe(b.client_secret);
  });
});

describe('RFC 7591 §3.2.2 client registration error response', () => {
  it.each([
    ['a scope the API does not define', { scope: 'reports:delete' }],
    ['an empty scope', { scope: '' }],
    ['a scope with two spaces', { scope: `${readScope}  ${writeScope}` }],
    ['a scope that is not a string', { scope: [readScope] }],
    ['an absurd scope', { scope: 'a'.repeat(5000) }],
    ['auth method none', { token_endpoint_auth_method: 'none' }],
    ['auth method private_key_jwt without jwks', { token_endpoint_auth_method: 'private_key_jwt' }],
    ['a lifetime below 5', { access_token_lifetime: 4 }],
    ['a lifetime above 3600', { access_token_lifetime: 3601 }],
    ['a fractional lifetime', { access_token_lifetime: 60.5 }],
    ['a lifetime as a string', { access_token_lifetime: '60' }],
    ['another grant type', { grant_types: ['authorization_code'] }],
    ['grant types that are not an array', { grant_types: 'client_credentials' }],
    ['a response type', { response_types: ['code'] }],
    ['a client_name that is not a string', { client_name: 42 }],
    ['a client_name too long', { client_name: 'x'.repeat(201) }],
    ['a JSON array', []],
    ['a JSON string', 'client'],
    ['JSON null', null],
  ])('refuses %s with 400 invalid_client_metadata', async (_label, body) => {
    const { status, error } = await errorOf(await h.call('/oauth/register', json(body)));
    expect([status, error]).toEqual([400, 'invalid_client_metadata']);
  });

  it.each([
    ['text that is not JSON', { 'content-type': 'application/json' }, '{"client_name":'],
    ['a wrong content type', { 'content-type': 'text/plain' }, '{}'],
    ['a form body', { 'content-type': 'application/x-www-form-urlencoded' }, 'client_name=x'],
    [
      'bytes that are not UTF-8',
      { 'content-type': 'application/json' },
      new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    ],
  ])('refuses %s with 400 invalid_request', async (_label, headers, body) => {
    const { status, error } = await errorOf(
      await h.call('/oauth/register', { method: 'POST', headers, body }),
    );
    expect([status, error]).toEqual([400, 'invalid_request']);
  });

  it('refuses a deeply nested JSON array with 400 invalid_client_metadata, not a stack overflow', async () => {
    const body = '['.repeat(8000) + ']'.repeat(8000);
    const { status, error } = await errorOf(
      await h.call('/oauth/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }),
    );
    expect([status, error]).toEqual([400, 'invalid_client_metadata']);
  });

  it('refuses a body over 16 KiB with 413 invalid_request', async () => {
    const body = JSON.stringify({ client_name: 'x', padding: 'y'.repeat(17 * 1024) });
    const { status, error } = await errorOf(
      await h.call('/oauth/register', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }),
    );
    expect([status, error]).toEqual([413, 'invalid_request']);
  });

  it('refuses a streamed body over 16 KiB that declares no length', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(4096));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 10) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await h.call('/oauth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('never echoes what the client sent', async () => {
    const marker = 'MARKER-8f3a';
    for (const body of [
      { scope: marker },
      { token_endpoint_auth_method: marker },
      { client_name: marker.repeat(100) },
    ]) {
      const response = await h.call('/oauth/register', json(body));
      expect(await response.text()).not.toContain(marker);
    }
  });

  it('answers GET with 405', async () => {
    expect((await h.call('/oauth/register')).status).toBe(405);
  });
});

describe('registration rate limit', () => {
  it('allows 60 registrations a minute from one address, then 429 with Retry-After', async () => {
    for (let i = 0; i < 60; i++) await h.register({}, '198.51.100.7');
    const response = await h.call('/oauth/register', json({}), '198.51.100.7');
    const { status, error } = await errorOf(response);
    expect([status, error]).toEqual([429, 'too_many_requests']);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another address is not affected; the limited one recovers as the allowance refills.
    expect((await h.call('/oauth/register', json({}), '198.51.100.8')).status).toBe(201);
    h.clock.advance(Number(response.headers.get('retry-after')) * 1000);
    expect((await h.call('/oauth/register', json({}), '198.51.100.7')).status).toBe(201);
  });

  it('is off with rateLimit: false', async () => {
    const open = await createHarness({ rateLimit: false });
    for (let i = 0; i < 100; i++) await open.register({}, '198.51.100.7');
    await open.close();
  });
});
