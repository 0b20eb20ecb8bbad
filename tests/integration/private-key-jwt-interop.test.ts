import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeJwt, exportJWK, generateKeyPair } from 'jose';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  registerClient,
  startListeningSandbox,
  type ListeningSandbox,
} from '../support/listening-sandbox.ts';
import { apiProfile } from '../../src/lib/api-profile.ts';

const { readScope } = apiProfile;

// private_key_jwt (RFC 7523) with real client libraries against the listening sandbox, and which
// `aud` each one puts in its assertion (the issuer, or the token endpoint URL).

const run = promisify(execFile);
let server: ListeningSandbox;
let origin: string;
beforeAll(async () => {
  server = await startListeningSandbox({ dataPath: ':memory:' });
  origin = server.origin;
});
afterAll(() => server.close());

/** A key pair whose public half is registered; the private half never leaves this process. */
async function keyClient(alg: 'ES256' | 'Ed25519' | 'PS256') {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const jwk = { ...(await exportJWK(publicKey)), kid: `${alg}-1` };
  const registered = await registerClient(origin, {
    token_endpoint_auth_method: 'private_key_jwt',
    jwks: { keys: [jwk] },
  });
  return { clientId: registered.client_id, privateKey, kid: jwk.kid };
}

/** A fetch that remembers the client_assertion of every form it sends. */
function recordingFetch(sent: string[]) {
  return (url: string, init: { body?: unknown }) => {
    if (init.body instanceof URLSearchParams) {
      const assertion = init.body.get('client_assertion');
      if (assertion) sent.push(assertion);
    }
    return fetch(url, init as RequestInit);
  };
}

const callApi = (token: string) =>
  fetch(`${origin}/api/v1/reports`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

describe('openid-client v6 PrivateKeyJwt', () => {
  it.each(['ES256', 'Ed25519', 'PS256'] as const)('gets tokens with an %s key, aud = issuer', async (alg) => {
    const { clientId, privateKey, kid } = await keyClient(alg);
    const sent: string[] = [];
    const config = await client.discovery(
      new URL(origin),
      clientId,
      undefined,
      client.PrivateKeyJwt({ key: privateKey, kid }),
      {
        algorithm: 'oauth2',
        execute: [client.allowInsecureRequests],
      },
    );
    config[client.customFetch] = recordingFetch(sent);
    const first = await client.clientCredentialsGrant(config);
    const second = await client.clientCredentialsGrant(config);
    expect(await callApi(second.access_token)).toBe(200);
    expect(await callApi(first.access_token)).toBe(200);
    expect((await client.tokenIntrospection(config, first.access_token)).active).toBe(true);
    const claims = decodeJwt(sent[0]!);
    expect(claims.aud).toBe(origin);
    expect(claims.iss).toBe(clientId);
    expect(claims.exp! - claims.iat!).toBe(60);
    expect(decodeJwt(sent[1]!).jti).not.toBe(claims.jti);
  });
});

describe('oauth4webapi PrivateKeyJwt', () => {
  it('gets a token with an Ed25519 key (alg Ed25519, RFC 9864), aud = issuer', async () => {
    const { clientId, privateKey, kid } = await keyClient('Ed25519');
    const as = await oauth
      .discoveryRequest(new URL(origin), { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true })
      .then((response) => oauth.processDiscoveryResponse(new URL(origin), response));
    const sent: string[] = [];
    const options = { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: recordingFetch(sent) };
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: clientId },
      oauth.PrivateKeyJwt({ key: privateKey, kid }),
      new URLSearchParams({ scope: readScope }),
      options,
    );
    const result = await oauth.processClientCredentialsResponse(as, { client_id: clientId }, response);
    expect(await callApi(result.access_token)).toBe(200);
    expect(sent[0]!.split('.')[0]).toBeTruthy();
    const header = JSON.parse(Buffer.from(sent[0]!.split('.')[0]!, 'base64url').toString()) as {
      alg: string;
    };
    expect(header.alg).toBe('Ed25519');
    expect(decodeJwt(sent[0]!).aud).toBe(origin);
  });
});

/** A Python with Authlib and PyJWT: the one on PATH, or Debian's (python3-authlib, python3-jwt). */
const python = ['python3', '/usr/bin/python3'].find(
  (candidate) => spawnSync(candidate, ['-c', 'import authlib, jwt, requests, cryptography']).status === 0,
);

describe('Python: Authlib PrivateKeyJWT and PyJWT', () => {
  it(`gets tokens (${python ?? 'no python3 with Authlib and PyJWT: apt-get install python3-authlib python3-jwt'})`, async () => {
    // Not a skip: without the libraries this fails and says what to install.
    expect(python, 'a python3 with authlib, jwt, requests and cryptography').toBeDefined();
    const script = fileURLToPath(new URL('../support/private_key_jwt_interop.py', import.meta.url));
    const { stdout } = await run(python!, [script, origin], { timeout: 60_000 });
    const result = JSON.parse(stdout) as Record<string, Record<string, unknown>>;
    // Authlib's defaults: an assertion that lives an hour, refused with the reason.
    expect(result.authlib_default).toMatchObject({ error: 'invalid_client' });
    expect(result.authlib_default!.description).toMatch(/at most 300 s/);
    // Authlib with a 60 s assertion: aud is the token endpoint URL.
    expect(result.authlib).toEqual({ status: 200, api: 200, aud: `${origin}/oauth/token`, lifetime: 60 });
    // PyJWT, by hand: aud is what the program wrote, the issuer.
    expect(result.pyjwt).toEqual({ status: 200, api: 200, aud: origin });
  });
});
