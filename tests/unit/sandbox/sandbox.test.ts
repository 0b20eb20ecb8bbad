import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, isSandboxPath, type Sandbox } from '../../../src/sandbox/sandbox.ts';
import { apiProfile } from '../../../src/lib/api-profile.ts';

const { readScope, writeScope } = apiProfile;

const issuer = 'http://localhost:4321';
let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await createSandbox({ issuer });
});
afterEach(async () => {
  await sandbox.close();
});

describe('routing', () => {
  it.each([
    ['/.well-known/oauth-authorization-server', true],
    ['/.well-known/oauth-protected-resource/api', true],
    ['/oauth/token', true],
    ['/oauth', true],
    ['/api/v1/reports', true],
    ['/', false],
    ['/sandbox/', false],
    ['/oauthx', false],
    ['/apix/', false],
    ['/.well-known/security.txt', false],
  ])('isSandboxPath(%s) is %s', (path, expected) => {
    expect(isSandboxPath(path)).toBe(expected);
  });

  it('answers an unknown sandbox path with 404 JSON', async () => {
    const response = await sandbox.handle(new Request(`${issuer}/oauth/nothing`));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('RFC 8414 authorization server metadata', () => {
  it('publishes the issuer and endpoints on the public origin', async () => {
    const response = await sandbox.handle(new Request(`${issuer}/.well-known/oauth-authorization-server`));
    expect(response.status).toBe(200);
    const metadata = await response.json();
    expect(metadata).toMatchObject({
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/oauth/jwks`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      response_types_supported: [],
    });
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining([readScope, writeScope]));
  });
});
