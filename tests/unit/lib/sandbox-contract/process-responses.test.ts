import { describe, expect, it } from 'vitest';
import type { HttpExchange } from '../../../../src/lib/http-exchange.ts';
import {
  buildClientCredentialsRequest,
  buildRegistrationRequest,
  buildReportsRequest,
  buildRevocationRequest,
  processAuthorizationServerMetadataResponse,
  processClientCredentialsResponse,
  processJwksResponse,
  processProtectedResourceMetadataResponse,
  processRegistrationResponse,
  processReportsResponse,
  reportsScopes,
  sandboxPaths,
  SandboxResponseError,
} from '../../../../src/lib/sandbox-contract/index.ts';

/** An exchange whose answer is `status` with `body` as JSON (a string body is sent as is). */
function answered(status: number, body: unknown, headers: [string, string][] = []): HttpExchange {
  return {
    request: { method: 'GET', target: '/', headers: {} },
    response: {
      status,
      statusText: '',
      headers: [['content-type', 'application/json'], ...headers],
      bodyText: typeof body === 'string' ? body : JSON.stringify(body),
    },
    networkError: undefined,
    elapsedMs: 1,
  };
}

/** The coded error `process` throws on `exchange`. */
function thrown(process: (exchange: HttpExchange) => unknown, exchange: HttpExchange): SandboxResponseError {
  try {
    process(exchange);
  } catch (error) {
    if (error instanceof SandboxResponseError) return error;
    throw error;
  }
  throw new Error('expected a SandboxResponseError');
}

const [readScope, writeScope] = [reportsScopes.GET, reportsScopes.POST];

describe('building requests', () => {
  it('registration: the chosen metadata as JSON (RFC 7591 §3.1), nothing that was not chosen', () => {
    const request = buildRegistrationRequest({
      clientName: 'Playground',
      scopes: [readScope, writeScope],
      tokenEndpointAuthMethod: 'client_secret_post',
      accessTokenLifetime: 30,
    });
    expect(request).toMatchObject({
      method: 'POST',
      target: sandboxPaths.registration,
      headers: { 'content-type': 'application/json' },
    });
    expect(JSON.parse(request.body!)).toEqual({
      client_name: 'Playground',
      scope: `${readScope} ${writeScope}`,
      token_endpoint_auth_method: 'client_secret_post',
      access_token_lifetime: 30,
    });
    expect(JSON.parse(buildRegistrationRequest({ scopes: [] }).body!)).toEqual({});
  });

  it.each([
    ['client_secret_basic', { authorization: 'Basic aWQlM0ExOnMrcg==' }, 'grant_type=client_credentials'],
    ['client_secret_post', {}, 'grant_type=client_credentials&client_id=id%3A1&client_secret=s+r'],
  ] as const)('token request with %s puts the credentials in one place only', (authMethod, auth, body) => {
    const request = buildClientCredentialsRequest({ clientId: 'id:1', clientSecret: 's r' }, { authMethod });
    expect(request).toEqual({
      method: 'POST',
      target: sandboxPaths.token,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...auth },
      body,
    });
  });

  it('revocation: the token with its hint (RFC 7009 §2.1), the client as at the token endpoint', () => {
    const request = buildRevocationRequest({ clientId: 'a', clientSecret: 'b' }, 'tok', 'client_secret_post');
    expect(request.target).toBe(sandboxPaths.revocation);
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toBe('token=tok&token_type_hint=access_token&client_id=a&client_secret=b');
  });

  it.each([
    ['GET', 'header', sandboxPaths.reports, 'Bearer tok'],
    ['GET', 'query', `${sandboxPaths.reports}?access_token=t%2Bk`, undefined],
    ['POST', 'header', sandboxPaths.reports, 'Bearer tok'],
  ] as const)('API call %s with the token in the %s', (method, tokenIn, target, authorization) => {
    const request = buildReportsRequest(method, tokenIn === 'query' ? 't+k' : 'tok', { tokenIn });
    expect(request.target).toBe(target);
    expect(request.headers.authorization).toBe(authorization);
    expect(request.body === undefined).toBe(method === 'GET');
  });
});

describe('processing answers', () => {
  const registration = {
    client_id: 'id-1',
    client_secret: 'secret-1',
    client_id_issued_at: 1,
    client_secret_expires_at: 86_401,
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: `${readScope} ${writeScope}`,
    access_token_lifetime: 3600,
  };

  it('reads a 201 registration into a client', () => {
    expect(processRegistrationResponse(answered(201, registration))).toEqual({
      clientId: 'id-1',
      clientSecret: 'secret-1',
      clientSecretExpiresAt: 86_401,
      tokenEndpointAuthMethod: 'client_secret_basic',
      scopes: [readScope, writeScope],
      accessTokenLifetime: 3600,
    });
  });

  it('reads the RFC 7592 registration access token and client URI when present, a bad URI not', () => {
    const uri = 'http://localhost:4321/oauth/clients/id-1';
    const extended = { ...registration, registration_access_token: 'rat-1', registration_client_uri: uri };
    expect(processRegistrationResponse(answered(201, extended))).toMatchObject({
      registrationAccessToken: 'rat-1',
      registrationClientUri: uri,
    });
    const badUri = { ...registration, registration_client_uri: 'not a url' };
    expect(processRegistrationResponse(answered(201, badUri)).registrationClientUri).toBeUndefined();
  });

  const token = { access_token: 'a.b.c', token_type: 'bearer', expires_in: 60, scope: readScope };

  it('reads a 200 token answer, the token type case-insensitively (RFC 6749 §7.1)', () => {
    expect(processClientCredentialsResponse(answered(200, token))).toEqual({
      accessToken: 'a.b.c',
      expiresInSeconds: 60,
      scope: readScope,
    });
  });

  // Each row: the call, the answer, and the message that names what is wrong.
  it.each([
    [
      processRegistrationResponse,
      201,
      { ...registration, client_id: '' },
      '"client_id" must be a non-empty string',
    ],
    [
      processRegistrationResponse,
      201,
      { ...registration, client_secret: 5 },
      '"client_secret" must be a non-empty',
    ],
    [
      processRegistrationResponse,
      201,
      { ...registration, client_secret_expires_at: 'soon' },
      '"client_secret_expires_at" must be a number',
    ],
    [
      processRegistrationResponse,
      201,
      { ...registration, token_endpoint_auth_method: 'x' },
      '"token_endpoint_auth_method" must be "client_secret_basic" or',
    ],
    [processRegistrationResponse, 201, { ...registration, scope: [readScope] }, '"scope" must be a string'],
    [
      processRegistrationResponse,
      201,
      { ...registration, access_token_lifetime: 1.5 },
      '"access_token_lifetime" must be a positive whole number',
    ],
    [processRegistrationResponse, 201, 'x', '"response" body must be a JSON object'],
    [
      processClientCredentialsResponse,
      200,
      { token_type: 'Bearer' },
      '"access_token" must be a non-empty string',
    ],
    [processClientCredentialsResponse, 200, { ...token, token_type: 'mac' }, '"token_type" must be "Bearer"'],
    [
      processClientCredentialsResponse,
      200,
      { ...token, expires_in: -1 },
      '"expires_in" must be a positive whole number',
    ],
    [
      processAuthorizationServerMetadataResponse,
      200,
      { issuer: 'x', token_endpoint: 'y', grant_types_supported: 'z' },
      '"grant_types_supported" must be an array of strings',
    ],
    [
      processProtectedResourceMetadataResponse,
      200,
      { resource: 'x', authorization_servers: [] },
      '"authorization_servers" must be a non-empty array',
    ],
    [processJwksResponse, 200, { keys: [1] }, '"keys" must be an array of objects'],
    [
      (exchange: HttpExchange) => processReportsResponse(exchange, 'GET'),
      200,
      { items: [] },
      '"reports" must be an array of objects',
    ],
  ] as const)('labels the field that is wrong: %#', (process, status, body, message) => {
    const error = thrown(process, answered(status, body));
    expect(error).toMatchObject({ code: 'invalid_response', status });
    expect(error.message).toContain(message);
  });

  it('carries an OAuth error from the body (RFC 6749 §5.2) with its description', () => {
    const error = thrown(
      processRegistrationResponse,
      answered(400, { error: 'invalid_client_metadata', error_description: 'lifetime' }),
    );
    expect(error).toMatchObject({
      code: 'oauth_error',
      status: 400,
      oauthError: 'invalid_client_metadata',
      description: 'lifetime',
    });
  });

  it('takes the error of an API refusal from its Bearer challenge (RFC 6750 §3)', () => {
    const challenge = 'Bearer realm="api", error="insufficient_scope", scope="x"';
    const error = thrown(
      (exchange) => processReportsResponse(exchange, 'POST'),
      answered(403, { error_description: 'no' }, [['www-authenticate', challenge]]),
    );
    expect(error).toMatchObject({ code: 'oauth_error', status: 403, oauthError: 'insufficient_scope' });
  });

  it('reads a 401 challenge without an error code as a refusal with none (RFC 6750 §3.1)', () => {
    const error = thrown(
      (exchange) => processReportsResponse(exchange, 'GET'),
      answered(401, '', [['www-authenticate', 'Bearer realm="api"']]),
    );
    expect(error).toMatchObject({ code: 'oauth_error', status: 401, oauthError: undefined });
  });

  it('calls any other status unexpected, and no answer a network error', () => {
    expect(thrown(processJwksResponse, answered(502, '<html>'))).toMatchObject({
      code: 'unexpected_status',
      status: 502,
    });
    const offline = { ...answered(200, {}), response: undefined, networkError: 'Failed to fetch' };
    expect(thrown(processJwksResponse, offline)).toMatchObject({
      code: 'network_error',
      message: 'No answer: Failed to fetch.',
    });
  });
});
