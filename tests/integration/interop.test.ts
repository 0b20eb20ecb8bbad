import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  registerClient,
  startListeningSandbox,
  type ListeningSandbox,
} from '../support/listening-sandbox.ts';
import { apiProfile } from '../../src/lib/api-profile.ts';
import { sandboxDefaultLifetime } from '../../src/lib/sandbox-contract/index.ts';

const { readScope, writeScope } = apiProfile;

const run = promisify(execFile);
let server: ListeningSandbox;
let origin: string;
beforeAll(async () => {
  server = await startListeningSandbox({ dataPath: ':memory:' });
  origin = server.origin;
});
afterAll(() => server.close());

async function callApi(token: string, method = 'GET') {
  return fetch(`${origin}/api/v1/reports`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: method === 'POST' ? JSON.stringify({ title: 'interop' }) : null,
  });
}

describe('openid-client v6', () => {
  it.each([
    ['client_secret_post', (secret: string) => client.ClientSecretPost(secret)],
    ['client_secret_basic', (secret: string) => client.ClientSecretBasic(secret)],
  ])('discovers the server (RFC 8414) and gets a token with %s', async (method, auth) => {
    const registered = await registerClient(origin, { token_endpoint_auth_method: method });
    const config = await client.discovery(
      new URL(origin),
      registered.client_id,
      undefined,
      auth(registered.client_secret),
      {
        algorithm: 'oauth2',
        execute: [client.allowInsecureRequests],
      },
    );
    expect(config.serverMetadata().issuer).toBe(origin);
    const tokens = await client.clientCredentialsGrant(config, { scope: readScope });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope).toBe(readScope);
    expect(tokens.expires_in).toBe(sandboxDefaultLifetime(apiProfile));
    expect((await callApi(tokens.access_token)).status).toBe(200);

    const introspection = await client.tokenIntrospection(config, tokens.access_token);
    expect(introspection.active).toBe(true);
    await client.tokenRevocation(config, tokens.access_token);
    expect((await callApi(tokens.access_token)).status).toBe(401);
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
  });

  it('surfaces invalid_client as a ResponseBodyError', async () => {
    const registered = await registerClient(origin);
    const config = await client.discovery(
      new URL(origin),
      registered.client_id,
      undefined,
      client.ClientSecretBasic('wrong'),
      {
        algorithm: 'oauth2',
        execute: [client.allowInsecureRequests],
      },
    );
    // RFC 6749 §5.2: a 401 with a Basic challenge; openid-client reports the challenge it parsed.
    const failure = await client.clientCredentialsGrant(config).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(client.WWWAuthenticateChallengeError);
    const challenge = failure as client.WWWAuthenticateChallengeError;
    expect(challenge.status).toBe(401);
    expect(challenge.cause[0]).toMatchObject({ scheme: 'basic', parameters: { realm: 'sandbox' } });
    expect(await challenge.response.json()).toMatchObject({ error: 'invalid_client' });
  });
});

describe('oauth4webapi v3', () => {
  it('discovers, gets a token, validates it as an RFC 9068 resource server, introspects and revokes', async () => {
    const issuer = new URL(origin);
    const options = { [oauth.allowInsecureRequests]: true };
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...options }),
    );
    const registered = await registerClient(origin);
    const oauthClient: oauth.Client = { client_id: registered.client_id };
    const auth = oauth.ClientSecretBasic(registered.client_secret);

    const response = await oauth.clientCredentialsGrantRequest(
      as,
      oauthClient,
      auth,
      { scope: `${readScope} ${writeScope}` },
      options,
    );
    const result = await oauth.processClientCredentialsResponse(as, oauthClient, response);
    expect(result.token_type).toBe('bearer');
    expect(result.refresh_token).toBeUndefined();

    const claims = await oauth.validateJwtAccessToken(
      as,
      new Request(`${origin}/api/v1/reports`, {
        headers: { authorization: `Bearer ${result.access_token}` },
      }),
      `${origin}/api`,
      options,
    );
    expect(claims.client_id).toBe(registered.client_id);
    expect((await callApi(result.access_token, 'POST')).status).toBe(201);

    const introspection = await oauth.processIntrospectionResponse(
      as,
      oauthClient,
      await oauth.introspectionRequest(as, oauthClient, auth, result.access_token, options),
    );
    expect(introspection).toMatchObject({
      active: true,
      client_id: registered.client_id,
      token_type: 'Bearer',
    });
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, oauthClient, auth, result.access_token, options),
    );
    expect((await callApi(result.access_token)).status).toBe(401);
  });

  it('parses the API’s RFC 6750 challenge with its RFC 9728 resource_metadata', async () => {
    const failure = await oauth
      .protectedResourceRequest(
        'forged.token.here',
        'GET',
        new URL(`${origin}/api/v1/reports`),
        new Headers(),
        null,
        { [oauth.allowInsecureRequests]: true },
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    expect((failure as oauth.WWWAuthenticateChallengeError).cause[0]).toMatchObject({
      scheme: 'bearer',
      parameters: {
        realm: 'sandbox',
        error: 'invalid_token',
        resource_metadata: `${origin}/.well-known/oauth-protected-resource/api`,
      },
    });
  });
});

describe('jose createRemoteJWKSet + jwtVerify', () => {
  it('verifies a token against the published JWKS with issuer and audience', async () => {
    const metadata = await (await fetch(`${origin}/.well-known/oauth-authorization-server`)).json();
    const resource = await (await fetch(`${origin}/.well-known/oauth-protected-resource/api`)).json();
    expect(resource.authorization_servers).toEqual([metadata.issuer]);
    const registered = await registerClient(origin);
    const tokenResponse = await fetch(metadata.token_endpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${registered.client_id}:${registered.client_secret}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token } = await tokenResponse.json();
    const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(access_token, jwks, {
      issuer: metadata.issuer,
      audience: resource.resource,
      typ: 'at+jwt',
      algorithms: ['EdDSA'],
    });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload).toMatchObject({
      iss: origin,
      aud: `${origin}/api`,
      sub: registered.client_id,
      client_id: registered.client_id,
    });
  });
});

async function commandExists(name: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${name}`]);
    return true;
  } catch {
    return false;
  }
}

describe('command-line and Python clients', () => {
  // curl and Python's requests are required, not optional: .ci/run installs curl, and python3
  // with requests comes with the machine. A missing tool fails here with its name.
  it('curl: -u id:secret for a token, then the API', async () => {
    expect(await commandExists('curl'), 'curl must be installed (apt-get install curl)').toBe(true);
    const registered = await registerClient(origin);
    const { stdout } = await run('curl', [
      '-sS',
      '-u',
      `${registered.client_id}:${registered.client_secret}`,
      '-d',
      'grant_type=client_credentials',
      `${origin}/oauth/token`,
    ]);
    const token = JSON.parse(stdout);
    expect(token.token_type).toBe('Bearer');
    const api = await run('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-H',
      `Authorization: Bearer ${token.access_token}`,
      `${origin}/api/v1/reports`,
    ]);
    expect(api.stdout).toBe('200');
    const denied = await run('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-u',
      `${registered.client_id}:wrong`,
      '-d',
      'grant_type=client_credentials',
      `${origin}/oauth/token`,
    ]);
    expect(denied.stdout).toBe('401');
  });

  it('Python requests: HTTP Basic without form-encoding first, then the API', async () => {
    await expect(
      run('python3', ['-c', 'import requests']),
      'python3 with requests must be installed (pip install requests)',
    ).resolves.toBeDefined();
    const registered = await registerClient(origin);
    const script = [
      'import json, sys, requests',
      'origin, cid, secret, scope = sys.argv[1:5]',
      "t = requests.post(origin + '/oauth/token', data={'grant_type': 'client_credentials', 'scope': scope}, auth=(cid, secret), timeout=10)",
      "a = requests.get(origin + '/api/v1/reports', headers={'Authorization': 'Bearer ' + t.json()['access_token']}, timeout=10)",
      "print(json.dumps({'token_status': t.status_code, 'scope': t.json()['scope'], 'api_status': a.status_code, 'cache': t.headers.get('Cache-Control')}))",
    ].join('\n');
    const { stdout } = await run('python3', [
      '-c',
      script,
      origin,
      registered.client_id,
      registered.client_secret,
      readScope,
    ]);
    expect(JSON.parse(stdout)).toEqual({
      token_status: 200,
      scope: readScope,
      api_status: 200,
      cache: 'no-store',
    });
  });
});

describe('over the wire', () => {
  it('answers a 20 KiB token request with 413, not a 5xx', async () => {
    const response = await fetch(`${origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&pad=${'x'.repeat(20 * 1024)}`,
    });
    expect(response.status).toBe(413);
    expect((await response.json()).error).toBe('invalid_request');
  });
});
