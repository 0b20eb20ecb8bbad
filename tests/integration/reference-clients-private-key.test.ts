import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeJwt, decodeProtectedHeader, exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientCredentialsTokenSource } from '../../src/lib/client-credentials-token-source.ts';
import { TokenSourceError } from '../../src/lib/token-source-error.ts';
import { apiProfile } from '../../src/lib/api-profile.ts';
import {
  registerClient,
  startListeningSandbox,
  type ListeningSandbox,
} from '../support/listening-sandbox.ts';
import { renderedExample } from '../support/rendered-examples.ts';

// The two reference clients (src/lib/client-credentials-token-source.ts and its Python twin,
// content/examples/token-manager/token_manager.py) authenticating with a private key instead of
// a secret (private_key_jwt, RFC 7523 §2.2) against the listening sandbox, which checks every
// rule of RFC 7523 §3: a token request passes only with a fresh, well-formed assertion.

const run = promisify(execFile);
const { readScope } = apiProfile;
const driver = fileURLToPath(new URL('../support/token_manager_key_driver.py', import.meta.url));

let sandbox: ListeningSandbox;
let issuer: string;
let folder: string;
beforeAll(async () => {
  sandbox = await startListeningSandbox({ dataPath: ':memory:', rateLimit: false });
  const metadata = (await (
    await fetch(`${sandbox.origin}/.well-known/oauth-authorization-server`)
  ).json()) as { issuer: string };
  issuer = metadata.issuer;
  folder = mkdtempSync(join(tmpdir(), 'reference-key-'));
});
afterAll(async () => {
  await sandbox?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** A client registered with the public half of a new key pair. */
async function keyClient(alg: 'EdDSA' | 'ES256', options: { access_token_lifetime?: number } = {}) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `${alg}-key`;
  const registered = await registerClient(sandbox.origin, {
    token_endpoint_auth_method: 'private_key_jwt',
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid }] },
    ...options,
  });
  return { clientId: registered.client_id, privateKey, kid };
}

/** The client_assertion of every token request sent through this fetch. */
function recordingFetch(assertions: string[]) {
  return async (input: string | URL | Request, init?: RequestInit) => {
    if (typeof init?.body === 'string' && init.body.includes('client_assertion='))
      assertions.push(new URLSearchParams(init.body).get('client_assertion')!);
    return fetch(input, init);
  };
}

describe('the TypeScript reference client with a private key', () => {
  it.each(['EdDSA', 'ES256'] as const)(
    'gets %s-signed tokens, with a new assertion for each new token, and calls the API',
    async (alg) => {
      const { clientId, privateKey, kid } = await keyClient(alg);
      const assertions: string[] = [];
      const source = new ClientCredentialsTokenSource({
        tokenEndpoint: `${sandbox.origin}/oauth/token`,
        clientId,
        privateKey,
        keyId: kid,
        issuer,
        scopes: [readScope],
        fetch: recordingFetch(assertions),
      });
      const statuses: number[] = [];
      // Each token dropped (as after a 401 invalid_token) makes the next call need a new one.
      for (let call = 0; call < 3; call++) {
        statuses.push((await source.fetch(`${sandbox.origin}/api/v1/reports`)).status);
        source.invalidate(await source.getToken());
      }
      expect(statuses).toEqual([200, 200, 200]);
      expect(assertions).toHaveLength(3);
      const claims = assertions.map((assertion) => decodeJwt(assertion));
      expect(new Set(claims.map((claim) => claim.jti)).size).toBe(3);
      for (const [index, claim] of claims.entries()) {
        expect(decodeProtectedHeader(assertions[index]!)).toEqual({ alg, kid });
        expect(claim).toMatchObject({ iss: clientId, sub: clientId, aud: issuer });
        expect(claim.exp! - claim.iat!).toBe(60);
      }
    },
  );

  it('fails with invalid_client, once, when the key is not the registered one', async () => {
    const { clientId, kid } = await keyClient('EdDSA');
    const other = await generateKeyPair('EdDSA');
    const source = new ClientCredentialsTokenSource({
      tokenEndpoint: `${sandbox.origin}/oauth/token`,
      clientId,
      privateKey: other.privateKey,
      keyId: kid,
      issuer,
    });
    const error = await source.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenSourceError);
    expect((error as TokenSourceError).code).toBe('invalid_client');
    expect((error as TokenSourceError).message).toMatch(/signature does not verify/);
  });

  it('keeps working with a secret, as before', async () => {
    const client = await registerClient(sandbox.origin, {});
    const source = new ClientCredentialsTokenSource({
      tokenEndpoint: `${sandbox.origin}/oauth/token`,
      clientId: client.client_id,
      clientSecret: client.client_secret,
      scopes: [readScope],
    });
    expect((await source.fetch(`${sandbox.origin}/api/v1/reports`)).status).toBe(200);
  });
});

/** A python3 that has PyJWT, cryptography and requests (Debian: python3-jwt python3-requests). */
const python = ['python3', '/usr/bin/python3'].find(
  (candidate) =>
    spawnSync(candidate, ['-c', 'import jwt, cryptography, requests'], { stdio: 'ignore' }).status === 0,
);

describe('the Python reference client with a private key', () => {
  it('finds a python3 with PyJWT, cryptography and requests (Debian: python3-jwt python3-requests)', () => {
    expect(python).toBeDefined();
  });

  it('gets tokens with a fresh assertion per request, and says invalid_client for a wrong key', async () => {
    const { clientId, privateKey, kid } = await keyClient('EdDSA');
    const keyFile = join(folder, 'driver-key.pem');
    const otherKeyFile = join(folder, 'other-key.pem');
    writeFileSync(keyFile, await exportPKCS8(privateKey));
    writeFileSync(
      otherKeyFile,
      await exportPKCS8((await generateKeyPair('EdDSA', { extractable: true })).privateKey),
    );
    const { stdout } = await run(python!, [driver], {
      env: {
        ...process.env,
        SANDBOX_URL: sandbox.origin,
        ISSUER: issuer,
        CLIENT_ID: clientId,
        KEY_ID: kid,
        PRIVATE_KEY_FILE: keyFile,
        OTHER_KEY_FILE: otherKeyFile,
        SCOPE: readScope,
      },
      timeout: 30_000,
    });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(report).toMatchObject({
      statuses: [200, 200, 200],
      token_requests: 2,
      secrets_sent: 0,
      assertion_types: ['urn:ietf:params:oauth:client-assertion-type:jwt-bearer'],
      headers: [
        { alg: 'EdDSA', kid, typ: 'JWT' },
        { alg: 'EdDSA', kid, typ: 'JWT' },
      ],
      iss_sub: [true],
      auds: [issuer],
      lifetimes: [60, 60],
      distinct_jtis: 2,
      wrong_key: { code: 'invalid_client' },
    });
    expect(report.wrong_key.message).toMatch(/signature does not verify/);
  });

  it('runs as the standalone example the guide shows, with PRIVATE_KEY_FILE: three calls, one token', async () => {
    const { clientId, privateKey, kid } = await keyClient('ES256');
    const keyFile = join(folder, 'example-key.pem');
    writeFileSync(keyFile, await exportPKCS8(privateKey));
    const { stdout } = await run(python!, [renderedExample('token-manager/token_manager.py')], {
      env: {
        ...process.env,
        SANDBOX_URL: sandbox.origin,
        CLIENT_ID: clientId,
        KEY_ID: kid,
        PRIVATE_KEY_FILE: keyFile,
      },
      timeout: 30_000,
    });
    expect(stdout.trim().split('\n')).toEqual([
      'call 1: GET /api/v1/reports: HTTP 200',
      'call 2: GET /api/v1/reports: HTTP 200',
      'call 3: GET /api/v1/reports: HTTP 200',
      'token requests: 1',
    ]);
  });
});
