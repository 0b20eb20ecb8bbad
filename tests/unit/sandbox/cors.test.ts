import { afterEach, describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from '../../../src/lib/basic-auth.ts';
import { createSandbox } from '../../../src/sandbox/sandbox.ts';
import { createHarness, formHeaders, issuer, type Harness } from './harness.ts';

const allowed = 'https://app.example.com';
const other = 'https://evil.example.net';

let h: Harness;
afterEach(() => h.close());

const corsEndpoints = [
  ['/.well-known/oauth-authorization-server', 'GET'],
  ['/.well-known/oauth-protected-resource/api', 'GET'],
  ['/oauth/jwks', 'GET'],
  ['/oauth/token', 'POST'],
] as const;
const sameOriginEndpoints = [
  ['/oauth/register', 'POST'],
  ['/oauth/introspect', 'POST'],
  ['/oauth/revoke', 'POST'],
  ['/api/v1/reports', 'GET'],
] as const;

const preflight = (path: string, origin: string, method: string) =>
  h.call(path, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization, content-type',
    },
  });
const actual = (path: string, origin: string, method: string) =>
  h.call(
    path,
    method === 'POST'
      ? { method, headers: { ...formHeaders, origin }, body: 'grant_type=client_credentials' }
      : { headers: { origin } },
  );

describe('CORS off by default', () => {
  it.each([...corsEndpoints, ...sameOriginEndpoints])('%s sends no CORS header', async (path, method) => {
    h = await createHarness();
    const response = await actual(path, allowed, method);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('vary')).toBeNull();
    const pre = await preflight(path, allowed, method);
    expect(pre.status).toBe(405);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS with a list of origins', () => {
  it.each(corsEndpoints)(
    '%s (%s): a listed origin may call it and read the answer, errors included',
    async (path, method) => {
      h = await createHarness({ corsOrigins: [allowed, 'http://localhost:5173'] });
      const response = await actual(path, allowed, method);
      expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(response.headers.get('access-control-expose-headers')).toBe('www-authenticate, retry-after');
      expect(response.headers.get('vary')).toMatch(/Origin/);
    },
  );

  it.each(corsEndpoints)('%s (%s): a listed origin gets its preflight answered', async (path, method) => {
    h = await createHarness({ corsOrigins: [allowed] });
    const response = await preflight(path, allowed, method);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(response.headers.get('access-control-allow-methods')).toContain(method);
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe('');
  });

  it.each(corsEndpoints)(
    '%s (%s): an origin not listed gets no CORS header, and no preflight',
    async (path, method) => {
      h = await createHarness({ corsOrigins: [allowed] });
      const response = await actual(path, other, method);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('vary')).toMatch(/Origin/);
      const pre = await preflight(path, other, method);
      expect(pre.status).toBe(405);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    },
  );

  it.each(sameOriginEndpoints)('%s (%s) stays same-origin even for a listed origin', async (path, method) => {
    h = await createHarness({ corsOrigins: [allowed] });
    const response = await actual(path, allowed, method);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await preflight(path, allowed, method);
    expect(pre.status).toBe(405);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each([
    ['/oauth/jwks', 'DELETE'],
    ['/oauth/token', 'GET'],
  ])(
    'refuses a preflight for %s %s, a method the endpoint does not take (a preflight must be 2xx)',
    async (path, method) => {
      h = await createHarness({ corsOrigins: [allowed] });
      const response = await preflight(path, allowed, method);
      expect(response.status).toBe(405);
      expect(response.headers.get('access-control-allow-methods')).toBeNull();
    },
  );

  it('issues a token to a cross-origin client of a listed origin', async () => {
    h = await createHarness({ corsOrigins: [allowed] });
    const client = await h.register();
    const response = await h.call('/oauth/token', {
      method: 'POST',
      headers: {
        ...formHeaders,
        origin: allowed,
        authorization: encodeBasicCredentials(client.client_id, client.client_secret),
      },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
  });
});

describe('CORS for any origin', () => {
  it('answers * and never allows credentials with it', async () => {
    h = await createHarness({ corsOrigins: ['*'] });
    for (const [path, method] of corsEndpoints) {
      const response = await actual(path, other, method);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      // The same answer for every origin: nothing to vary on.
      expect(response.headers.get('vary')).toBeNull();
      const pre = await preflight(path, other, method);
      expect(pre.headers.get('access-control-allow-origin')).toBe('*');
      expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });
});

describe('CORS configuration', () => {
  it.each([
    'https://app.example.com/',
    'https://app.example.com/path',
    'app.example.com',
    'ftp://app.example.com',
    'null',
    '',
  ])('refuses %j as an origin', async (origin) => {
    await expect(createSandbox({ issuer, corsOrigins: [origin] })).rejects.toThrow(/CORS origin/);
  });
});
