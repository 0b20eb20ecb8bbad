import { describe, expect, it } from 'vitest';
import {
  buildRegistrationRequest,
  processRegistrationResponse,
} from '../../../src/lib/client-registration.ts';
import { apiProfile } from '../../../src/lib/api-profile.ts';

const { readScope, writeScope } = apiProfile;

describe('buildRegistrationRequest', () => {
  it('sends the chosen metadata as JSON (RFC 7591 §3.1)', () => {
    const request = buildRegistrationRequest({
      clientName: 'Playground',
      scopes: [readScope, writeScope],
      tokenEndpointAuthMethod: 'client_secret_post',
      accessTokenLifetime: 30,
    });
    expect(request).toMatchObject({
      method: 'POST',
      target: '/oauth/register',
      headers: { 'content-type': 'application/json' },
    });
    expect(JSON.parse(request.body!)).toEqual({
      client_name: 'Playground',
      scope: `${readScope} ${writeScope}`,
      token_endpoint_auth_method: 'client_secret_post',
      access_token_lifetime: 30,
    });
  });

  it('leaves out what was not chosen, so the sandbox applies its defaults', () => {
    expect(JSON.parse(buildRegistrationRequest({ scopes: [] }).body!)).toEqual({});
  });
});

describe('processRegistrationResponse', () => {
  const answer = {
    client_id: 'id-1',
    client_secret: 'secret-1',
    client_id_issued_at: 1,
    client_secret_expires_at: 86_401,
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: `${readScope} ${writeScope}`,
    access_token_lifetime: 3600,
  };

  it('reads a 201 into a client', () => {
    expect(processRegistrationResponse(201, answer)).toEqual({
      ok: true,
      client: {
        clientId: 'id-1',
        clientSecret: 'secret-1',
        clientSecretExpiresAt: 86_401,
        tokenEndpointAuthMethod: 'client_secret_basic',
        scopes: [readScope, writeScope],
        accessTokenLifetime: 3600,
      },
    });
  });

  it('reads the RFC 7592 registration access token and client URI when present', () => {
    const result = processRegistrationResponse(201, {
      ...answer,
      registration_access_token: 'rat-1',
      registration_client_uri: 'http://localhost:4321/oauth/clients/id-1',
    });
    expect(result).toMatchObject({
      ok: true,
      client: {
        registrationAccessToken: 'rat-1',
        registrationClientUri: 'http://localhost:4321/oauth/clients/id-1',
      },
    });
  });

  it('leaves out a registration_client_uri that is not a URL', () => {
    const result = processRegistrationResponse(201, { ...answer, registration_client_uri: 'not a url' });
    expect(result.ok && result.client.registrationClientUri).toBeUndefined();
  });

  it.each([
    ['client_id', { client_id: '' }, '"client_id"'],
    ['client_secret', { client_secret: 5 }, '"client_secret"'],
    ['client_secret_expires_at', { client_secret_expires_at: 'soon' }, '"client_secret_expires_at"'],
    [
      'token_endpoint_auth_method',
      { token_endpoint_auth_method: 'private_key_jwt' },
      '"token_endpoint_auth_method"',
    ],
    ['scope', { scope: [readScope] }, '"scope"'],
    ['access_token_lifetime', { access_token_lifetime: 1.5 }, '"access_token_lifetime"'],
  ])('labels a bad %s', (_field, change, label) => {
    const result = processRegistrationResponse(201, { ...answer, ...change });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(label);
  });

  it('refuses a body that is not an object', () => {
    expect(processRegistrationResponse(201, 'x')).toMatchObject({
      ok: false,
      message: '"response" body must be a JSON object',
    });
  });

  it('carries the RFC 7591 §3.2.2 error and its description', () => {
    expect(
      processRegistrationResponse(400, {
        error: 'invalid_client_metadata',
        error_description: 'access_token_lifetime must be ...',
      }),
    ).toEqual({
      ok: false,
      status: 400,
      error: 'invalid_client_metadata',
      message: 'access_token_lifetime must be ...',
    });
    expect(processRegistrationResponse(429, undefined)).toMatchObject({
      ok: false,
      status: 429,
      error: undefined,
      message: 'The registration endpoint answered HTTP 429.',
    });
  });
});
