/**
 * handle() under arbitrary requests: the registration body (RFC 7591 §2 metadata), and every
 * endpoint with random methods, headers, credentials, tokens and bodies. Properties: never a 5xx,
 * every error is the JSON error model with a clean description, and no error echoes the marker
 * planted in the input.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeBasicCredentials } from '../../src/lib/basic-auth.ts';
import {
  createHarness,
  descriptionCharset,
  type Harness,
  type RegisteredClient,
} from '../unit/sandbox/harness.ts';
import { fuzzParameters, fuzzTestTimeout } from './fuzz-settings.ts';
import { apiProfile } from '../../src/lib/api-profile.ts';

vi.setConfig({ testTimeout: fuzzTestTimeout });

const { readScope, writeScope } = apiProfile;

let h: Harness;
let client: RegisteredClient;
let postClient: RegisteredClient;
let token: string;
beforeAll(async () => {
  h = await createHarness({ rateLimit: false });
  client = await h.register();
  postClient = await h.register({ token_endpoint_auth_method: 'client_secret_post', scope: readScope });
  token = await h.token(client);
});
afterAll(() => h.close());

/** Planted in generated input; no error answer may contain it. */
const marker = 'Mk9q2Zx';

async function expectSoundAnswer(response: Response, method = 'POST') {
  expect(response.status).toBeGreaterThanOrEqual(200);
  expect(response.status).toBeLessThan(500);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  const text = method === 'HEAD' ? '' : await response.text();
  if (response.status >= 400) {
    expect(text).not.toContain(marker);
    expect(response.headers.get('www-authenticate') ?? '').not.toContain(marker);
    if (method !== 'HEAD') {
      const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
      expect(typeof body.error_description).toBe('string');
      expect(body.error_description).toMatch(descriptionCharset);
    }
  }
  return text;
}

const metadataValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    'client_secret_basic',
    'client_secret_post',
    readScope,
    `${readScope} ${writeScope}`,
    'client_credentials',
    ['client_credentials'],
    [],
    5,
    3600,
    3601,
    4.5,
    -1,
  ),
  fc.string({ maxLength: 30 }).map((text) => `${text}${marker}`),
);
const metadata = fc.dictionary(
  fc.constantFrom(
    'client_name',
    'scope',
    'token_endpoint_auth_method',
    'access_token_lifetime',
    'grant_types',
    'response_types',
    'redirect_uris',
    '__proto__',
    'constructor',
    'x',
  ),
  metadataValue,
  { maxKeys: 6 },
);

describe('registration body (POST /oauth/register)', () => {
  it('registers or refuses any JSON metadata with 400 invalid_client_metadata, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(metadata, fc.jsonValue({ maxDepth: 3 })), async (body) => {
        const response = await h.call('/oauth/register', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const text = await expectSoundAnswer(response);
        expect([201, 400]).toContain(response.status);
        const answer = JSON.parse(text) as Record<string, unknown>;
        if (response.status === 400) {
          expect(['invalid_client_metadata', 'invalid_request']).toContain(answer.error);
        } else {
          expect(answer.client_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
          expect(answer.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
          expect(answer.grant_types).toEqual(['client_credentials']);
        }
      }),
      fuzzParameters(21, 3000),
    );
  });

  it('refuses any body that is not a JSON object with 400, whatever its bytes and media type', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })),
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'application/json; charset=latin1',
          'text/plain',
          'application/x-www-form-urlencoded',
          '',
        ),
        async (body, contentType) => {
          const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
          const response = await h.call('/oauth/register', {
            method: 'POST',
            headers,
            body: body as BodyInit,
          });
          await expectSoundAnswer(response);
        },
      ),
      fuzzParameters(22, 3000),
    );
  });
});

describe('every endpoint (handle)', () => {
  const paths = [
    '/oauth/token',
    '/oauth/register',
    '/oauth/introspect',
    '/oauth/revoke',
    '/api/v1/reports',
    '/oauth/jwks',
    '/.well-known/oauth-authorization-server',
    '/.well-known/oauth-protected-resource/api',
    '/oauth/nothing',
    '/api/v2/x',
  ];
  const mutatedToken = fc.tuple(fc.nat(), fc.constantFrom('A', '.', '-', '', 'x.y')).map(([at, insert]) => {
    const i = at % (token.length + 1);
    return token.slice(0, i) + insert + token.slice(i + 1);
  });
  const authorization = fc.oneof(
    fc.constant(undefined),
    // Read when a case runs: the clients are registered in beforeAll, after the arbitraries are built.
    fc.constant(null).map(() => encodeBasicCredentials(client.client_id, client.client_secret)),
    fc
      .string({ maxLength: 40 })
      .map((secret) => encodeBasicCredentials(client.client_id, `${secret}${marker}`)),
    fc.string({ maxLength: 60 }).map((value) => `Basic ${value}${marker}`),
    fc.uint8Array({ maxLength: 64 }).map((bytes) => `Basic ${Buffer.from(bytes).toString('base64')}`),
    fc.constant(null).map(() => `Bearer ${token}`),
    mutatedToken.map((value) => `Bearer ${value}`),
    fc.string({ maxLength: 60 }).map((value) => `Bearer ${value}${marker}`),
  );
  const formBody = fc
    .dictionary(
      fc.constantFrom('grant_type', 'scope', 'client_id', 'client_secret', 'token', 'token_type_hint', 'x'),
      fc.oneof(
        fc.constantFrom(
          'client_credentials',
          readScope,
          `${readScope} ${writeScope}`,
          'access_token',
          'password',
        ),
        fc.constant('').map(() => postClient.client_id),
        fc.constant('').map(() => postClient.client_secret),
        fc.constant('').map(() => token),
        fc.string({ maxLength: 30 }).map((value) => `${value}${marker}`),
      ),
      { maxKeys: 5 },
    )
    .map((fields) => new URLSearchParams(fields).toString());
  const body = fc.oneof(
    fc.constant(undefined),
    formBody,
    fc.json({ maxDepth: 2 }),
    fc.uint8Array({ maxLength: 120 }),
    fc.string({ maxLength: 120 }),
  );
  const contentType = fc.constantFrom(
    'application/x-www-form-urlencoded',
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded; charset=latin1',
    '',
  );
  const query = fc.constantFrom(
    '',
    '?x=1',
    `?client_secret=${marker}`,
    `?access_token=${marker}`,
    '?token=abc',
  );

  it('never answers 5xx, whatever the method, path, query, credentials and body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'),
        fc.constantFrom(...paths),
        query,
        authorization,
        contentType,
        body,
        async (method, path, search, auth, type, payload) => {
          const headers: Record<string, string> = {};
          if (type) headers['content-type'] = type;
          if (auth !== undefined) headers.authorization = auth;
          let request: Request;
          try {
            request = new Request(`http://localhost:4321${path}${search}`, {
              method,
              headers,
              body:
                method === 'GET' || method === 'HEAD' ? null : ((payload as BodyInit | undefined) ?? null),
            });
          } catch {
            return; // A header value the Fetch API itself refuses never reaches a server.
          }
          const response = await h.sandbox.handle(request, { clientAddress: '192.0.2.77' });
          await expectSoundAnswer(response, method);
        },
      ),
      fuzzParameters(23, 5000),
    );
  });
});
