import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { audience, createHarness, issuer, resourceMetadataUrl, type Harness } from './harness.ts';
import { apiScopeNames } from '../../../src/lib/api-profile.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe('RFC 8414 authorization server metadata', () => {
  it.each([
    ['issuer', issuer],
    ['token_endpoint', `${issuer}/oauth/token`],
    ['jwks_uri', `${issuer}/oauth/jwks`],
    ['registration_endpoint', `${issuer}/oauth/register`],
    ['introspection_endpoint', `${issuer}/oauth/introspect`],
    ['revocation_endpoint', `${issuer}/oauth/revoke`],
    ['grant_types_supported', ['client_credentials']],
    ...['token', 'introspection', 'revocation'].flatMap((endpoint): [string, string[]][] => [
      [
        `${endpoint}_endpoint_auth_methods_supported`,
        ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      ],
      [
        `${endpoint}_endpoint_auth_signing_alg_values_supported`,
        ['RS256', 'PS256', 'ES256', 'EdDSA', 'Ed25519'],
      ],
    ]),
    ['scopes_supported', [...apiScopeNames]],
    ['response_types_supported', []],
    ['service_documentation', `${issuer}/`],
  ])('%s is %j', async (field, value) => {
    const metadata = await (await h.call('/.well-known/oauth-authorization-server')).json();
    expect(metadata[field]).toEqual(value);
  });

  it('takes the issuer from the options, never from the Host the request names (RFC 8414 §3.3)', async () => {
    const response = await h.sandbox.handle(
      new Request('http://attacker.example/.well-known/oauth-authorization-server'),
    );
    expect((await response.json()).issuer).toBe(issuer);
  });

  it.each(['POST', 'PUT', 'DELETE'])('answers %s with 405 and Allow', async (method) => {
    const response = await h.call('/.well-known/oauth-authorization-server', { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers HEAD like GET', async () => {
    expect((await h.call('/.well-known/oauth-authorization-server', { method: 'HEAD' })).status).toBe(200);
  });
});

describe('RFC 9728 protected resource metadata', () => {
  it('is published at the well-known URL formed from the resource identifier (§3.1)', async () => {
    const response = await h.call('/.well-known/oauth-protected-resource/api');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      resource: audience,
      authorization_servers: [issuer],
      scopes_supported: [...apiScopeNames],
      bearer_methods_supported: ['header'],
      resource_documentation: `${issuer}/`,
    });
    expect(resourceMetadataUrl).toBe(`${issuer}/.well-known/oauth-protected-resource/api`);
  });

  it.each(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/other'])(
    'has no metadata for %s',
    async (path) => {
      expect((await h.call(path)).status).toBe(404);
    },
  );
});

describe('RFC 7517 JWKS', () => {
  it('publishes public signing keys only, each with kid, use and alg', async () => {
    const response = await h.call('/oauth/jwks');
    expect(response.status).toBe(200);
    const { keys } = await response.json();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.any(String),
      kid: expect.any(String),
      use: 'sig',
      alg: 'EdDSA',
    });
    expect(keys[0]).not.toHaveProperty('d');
  });
});
