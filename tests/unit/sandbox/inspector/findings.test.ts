import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBase64url } from '../../../../src/lib/base64url.ts';
import { encodeBasicCredentials } from '../../../../src/lib/basic-auth.ts';
import { findingCatalogue, findingCodes } from '../../../../src/lib/finding-catalogue.ts';
import { createSandbox } from '../../../../src/sandbox/sandbox.ts';
import { createHarness, formHeaders, issuer, type Harness, type RegisteredClient } from '../harness.ts';
import { newestEntry, readJournal } from './support.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

/** The client's registered key pair (private_key_jwt), and a second key it did not register. */
const pair = await generateKeyPair('ES256');
const key: { privateKey: CryptoKey; publicJwk: JWK } = {
  privateKey: pair.privateKey,
  publicJwk: { ...(await exportJWK(pair.publicKey)), kid: 'k1' },
};
const otherKey = (await generateKeyPair('ES256')).privateKey;
const keyClient = () => ({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [key.publicJwk] } });
const assertionType = encodeURIComponent('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');

/** A genuine assertion with `claims` changed (undefined drops a claim), signed as `header` and `signer` say. */
async function assertion(
  client: RegisteredClient,
  claims: Record<string, unknown> = {},
  { header = {}, signer = key.privateKey }: { header?: Record<string, unknown>; signer?: CryptoKey } = {},
) {
  const now = h.clock.nowSeconds();
  const payload: JWTPayload = {
    iss: client.client_id,
    sub: client.client_id,
    aud: issuer,
    iat: now,
    exp: now + 60,
    jti: crypto.randomUUID(),
  };
  for (const [name, value] of Object.entries(claims))
    if (value === undefined) delete payload[name];
    else payload[name] = value;
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: 'k1', ...header }).sign(signer);
}

/** A private_key_jwt token request; `type: false` leaves client_assertion_type out. */
const assertionRequest = (client: RegisteredClient, jwt: string, { type = true } = {}) =>
  tokenRequest({
    headers: formHeaders,
    body: `grant_type=client_credentials&client_id=${client.client_id}${type ? `&client_assertion_type=${assertionType}` : ''}&client_assertion=${jwt}`,
  });

const basic = (client: RegisteredClient) => encodeBasicCredentials(client.client_id, client.client_secret);
const tokenRequest = (init: RequestInit, path = '/oauth/token') => h.call(path, { method: 'POST', ...init });
const api = (authorization: string | undefined, init: RequestInit = {}, path = '/api/v1/reports') =>
  h.call(path, {
    ...init,
    headers: { ...(authorization ? { authorization } : {}), ...(init.headers as Record<string, string>) },
  });

interface Case {
  /** Registration metadata of the client the case uses. */
  metadata?: Record<string, unknown>;
  /** Sends the mistaken request (and whatever must come before it). */
  send: (client: RegisteredClient) => Promise<Response>;
  /** Words the finding's message must contain. */
  says?: RegExp;
}

const cases: Record<(typeof findingCodes)[number], Case> = {
  credentials_in_header_and_body: {
    send: (client) =>
      tokenRequest({
        headers: { ...formHeaders, authorization: basic(client) },
        body: `grant_type=client_credentials&client_secret=${client.client_secret}`,
      }),
  },
  json_body: {
    send: (client) =>
      tokenRequest({
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: client.client_id,
          client_secret: client.client_secret,
        }),
      }),
  },
  form_content_type_missing: {
    // A byte body: fetch adds no Content-Type to it, as raw clients do not.
    send: (client) =>
      tokenRequest({
        headers: { authorization: basic(client) },
        body: new TextEncoder().encode('grant_type=client_credentials'),
      }),
    says: /no Content-Type/,
  },
  secret_whitespace: {
    send: (client) =>
      tokenRequest({
        headers: {
          ...formHeaders,
          authorization: encodeBasicCredentials(client.client_id, `${client.client_secret}\n`),
        },
        body: 'grant_type=client_credentials',
      }),
    says: /client_secret was right except for whitespace/,
  },
  id_secret_swapped: {
    send: (client) =>
      tokenRequest({
        headers: {
          ...formHeaders,
          authorization: encodeBasicCredentials(client.client_secret, client.client_id),
        },
        body: 'grant_type=client_credentials',
      }),
  },
  wrong_auth_method: {
    send: (client) =>
      tokenRequest({
        headers: formHeaders,
        body: `grant_type=client_credentials&client_id=${client.client_id}&client_secret=${client.client_secret}`,
      }),
    says: /registered for client_secret_basic/,
  },
  assertion_type_missing: {
    metadata: keyClient(),
    send: async (client) => assertionRequest(client, await assertion(client), { type: false }),
    says: /without client_assertion_type/,
  },
  assertion_malformed: {
    metadata: keyClient(),
    send: (client) => assertionRequest(client, 'not-a-jwt'),
    says: /not a JWT/,
  },
  assertion_alg_not_allowed: {
    metadata: keyClient(),
    // An unsecured JWT (RFC 7519 §6): alg none and no signature.
    send: async (client) => {
      const now = h.clock.nowSeconds();
      const claims = { iss: client.client_id, sub: client.client_id, aud: issuer, exp: now + 60, jti: 'x' };
      return assertionRequest(
        client,
        `${encodeBase64url(JSON.stringify({ alg: 'none' }))}.${encodeBase64url(JSON.stringify(claims))}.`,
      );
    },
    says: /alg is none/,
  },
  assertion_unknown_key: {
    metadata: keyClient(),
    send: async (client) => assertionRequest(client, await assertion(client, {}, { header: { kid: 'k9' } })),
    says: /kid k9 names no key/,
  },
  assertion_bad_signature: {
    metadata: keyClient(),
    send: async (client) => assertionRequest(client, await assertion(client, {}, { signer: otherKey })),
    says: /does not verify/,
  },
  assertion_issuer_mismatch: {
    metadata: keyClient(),
    send: async (client) => assertionRequest(client, await assertion(client, { iss: 'someone-else' })),
    says: /iss \(someone-else\)/,
  },
  assertion_audience: {
    metadata: keyClient(),
    send: async (client) =>
      assertionRequest(client, await assertion(client, { aud: 'https://login.example.com' })),
    says: /aud is https:\/\/login\.example\.com; it must be the issuer identifier/,
  },
  assertion_exp_missing: {
    metadata: keyClient(),
    send: async (client) => assertionRequest(client, await assertion(client, { exp: undefined })),
    says: /no exp/,
  },
  assertion_expired: {
    metadata: keyClient(),
    send: async (client) => {
      const now = h.clock.nowSeconds();
      return assertionRequest(client, await assertion(client, { iat: now - 90, exp: now - 30 }));
    },
    says: /expired 30 s ago/,
  },
  assertion_lifetime_too_long: {
    metadata: keyClient(),
    send: async (client) =>
      assertionRequest(client, await assertion(client, { exp: h.clock.nowSeconds() + 600 })),
    says: /600 s ahead/,
  },
  assertion_clock_skew: {
    metadata: keyClient(),
    send: async (client) =>
      assertionRequest(client, await assertion(client, { iat: h.clock.nowSeconds() + 75 })),
    says: /iat is 75 s in the future/,
  },
  assertion_jti_missing: {
    metadata: keyClient(),
    send: async (client) => assertionRequest(client, await assertion(client, { jti: undefined })),
    says: /needs a jti/,
  },
  assertion_replayed: {
    metadata: keyClient(),
    send: async (client) => {
      const once = await assertion(client);
      expect((await assertionRequest(client, once)).status).toBe(200);
      return assertionRequest(client, once);
    },
    says: /already used/,
  },
  grant_type_missing: {
    send: (client) =>
      tokenRequest({
        headers: { ...formHeaders, authorization: basic(client) },
        body: 'scope=reports%3Aread',
      }),
  },
  grant_type_unsupported: {
    send: (client) =>
      tokenRequest({
        headers: { ...formHeaders, authorization: basic(client) },
        body: 'grant_type=client_credential',
      }),
    says: /Did you mean client_credentials\?/,
  },
  scope_unknown: {
    send: (client) =>
      tokenRequest({
        headers: { ...formHeaders, authorization: basic(client) },
        body: 'grant_type=client_credentials&scope=reports.read',
      }),
    says: /"reports\.read" \(did you mean reports:read\?\)/,
  },
  scope_not_registered: {
    metadata: { scope: 'reports:read' },
    send: (client) =>
      tokenRequest({
        headers: { ...formHeaders, authorization: basic(client) },
        body: 'grant_type=client_credentials&scope=reports%3Awrite',
      }),
    says: /did not register reports:write; it registered: reports:read/,
  },
  token_expired: {
    metadata: { access_token_lifetime: 5 },
    send: async (client) => {
      const token = await h.token(client);
      h.clock.advance(8_000);
      return api(`Bearer ${token}`);
    },
    says: /expired [23] seconds before this call\. This client has never renewed/,
  },
  token_revoked: {
    send: async (client) => {
      const token = await h.token(client);
      await tokenRequest(
        { headers: { ...formHeaders, authorization: basic(client) }, body: `token=${token}` },
        '/oauth/revoke',
      );
      return api(`Bearer ${token}`);
    },
  },
  token_foreign: {
    // The same keys and clients under another origin: the signature verifies, the issuer does not.
    send: async (client) => {
      const elsewhere = await createSandbox({
        issuer: 'http://127.0.0.1:4321',
        store: h.store,
        clock: h.clock,
      });
      const response = await elsewhere.handle(
        new Request('http://127.0.0.1:4321/oauth/token', {
          method: 'POST',
          headers: { ...formHeaders, authorization: basic(client) },
          body: 'grant_type=client_credentials',
        }),
      );
      const { access_token } = (await response.json()) as { access_token: string };
      return api(`Bearer ${access_token}`);
    },
    says: /failed the iss check/,
  },
  bearer_scheme_missing: {
    send: async (client) => api(await h.token(client)),
    says: /without "Bearer "/,
  },
  bearer_prefix_repeated: {
    send: async (client) => api(`Bearer Bearer ${await h.token(client)}`),
  },
  token_in_query: {
    send: async (client) => api(undefined, {}, `/api/v1/reports?access_token=${await h.token(client)}`),
  },
  basic_at_api: {
    send: (client) => api(basic(client)),
  },
  wrong_path: {
    send: (client) =>
      tokenRequest(
        { headers: { ...formHeaders, authorization: basic(client) }, body: 'grant_type=client_credentials' },
        '/oauth2/token',
      ),
    says: /Did you mean \/oauth\/token\?/,
  },
  insufficient_scope: {
    metadata: { scope: 'reports:read' },
    send: async (client) =>
      api(`Bearer ${await h.token(client)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"title":"x"}',
      }),
    says: /needs reports:write; the token had reports:read/,
  },
  token_per_call: {
    send: async (client) => {
      await h.token(client);
      h.clock.advance(10_000);
      return h.requestToken(client);
    },
    says: /still had 3590 of its 3600 seconds left/,
  },
};

describe('each finding, from a request built to make that mistake', () => {
  it.each(Object.entries(cases))('%s', async (code, { metadata, send, says }) => {
    const client = await h.register(metadata);
    const response = await send(client);
    const entry = await newestEntry(h, client);
    expect(entry.id).toBe(response.headers.get('x-request-id') ?? entry.id);
    expect(entry.status).toBe(response.status);
    expect(entry.findings.map((finding) => finding.code)).toEqual([code]);
    const [finding] = entry.findings;
    const kind = findingCatalogue[code as keyof typeof findingCatalogue];
    expect(finding).toEqual({
      code,
      severity: kind.severity,
      message: expect.any(String),
      fix: kind.fix,
      doc: `${issuer}/errors/#${code}`,
    });
    if (says) expect(finding!.message).toMatch(says);
  });

  it('covers every code of the catalogue', () => {
    expect(Object.keys(cases).sort()).toEqual([...findingCodes].sort());
  });
});

describe('no false alarm on a correct request', () => {
  it.each([
    ['client_secret_basic token request, then GET and POST at the API', {}],
    [
      'client_secret_post token request, then GET and POST at the API',
      { token_endpoint_auth_method: 'client_secret_post' },
    ],
    ['a single scope asked and used', { scope: 'reports:read' }],
  ])('%s', async (_label, metadata) => {
    const client = await h.register(metadata);
    const scope = client.scope.split(' ');
    const token = await h.token(client, { scope: scope.join(' ') });
    expect((await api(`Bearer ${token}`)).status).toBe(200);
    if (scope.includes('reports:write')) {
      const created = await api(`Bearer ${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"title":"fine"}',
      });
      expect(created.status).toBe(201);
    }
    // Renewing at half-life, as the reference client does, is not a token per call.
    h.clock.advance((client.access_token_lifetime / 2) * 1000);
    await h.token(client);
    const introspected = await h.call('/oauth/introspect', {
      method: 'POST',
      headers:
        client.token_endpoint_auth_method === 'client_secret_post'
          ? formHeaders
          : { ...formHeaders, authorization: basic(client) },
      body:
        client.token_endpoint_auth_method === 'client_secret_post'
          ? `token=${token}&client_id=${client.client_id}&client_secret=${client.client_secret}`
          : `token=${token}`,
    });
    expect(introspected.status).toBe(200);
    const entries = await readJournal(h, client);
    expect(entries.length).toBeGreaterThanOrEqual(4);
    expect(entries.flatMap((entry) => entry.findings)).toEqual([]);
  });
});

describe('private_key_jwt in the journal', () => {
  it.each([
    [
      'a secret sent by a key client',
      keyClient,
      (client: RegisteredClient) =>
        tokenRequest({
          headers: { ...formHeaders, authorization: encodeBasicCredentials(client.client_id, 'guess') },
          body: 'grant_type=client_credentials',
        }),
      /registered for private_key_jwt .* but the request sent a client secret/,
    ],
    [
      'an assertion sent by a secret client',
      () => ({}),
      async (client: RegisteredClient) => assertionRequest(client, await assertion(client)),
      /registered for client_secret_basic, with a secret, but the request sent a client_assertion/,
    ],
  ])('%s is wrong_auth_method', async (_label, metadata, send, says) => {
    const client = await h.register(metadata());
    const response = await send(client);
    expect(response.status).toBe(401);
    const entry = await newestEntry(h, client);
    expect(entry.findings.map((finding) => [finding.code, finding.message])).toEqual([
      ['wrong_auth_method', expect.stringMatching(says)],
    ]);
  });

  it('names the client of an assertion sent without its type and without client_id (from its sub)', async () => {
    const client = await h.register(keyClient());
    await tokenRequest({
      headers: formHeaders,
      body: `grant_type=client_credentials&client_assertion=${await assertion(client)}`,
    });
    const entry = await newestEntry(h, client);
    expect(entry.findings.map((finding) => finding.code)).toEqual(['assertion_type_missing']);
  });

  it('finds nothing in genuine assertions, one per request, and keeps no assertion in the journal', async () => {
    const client = await h.register(keyClient());
    const sent: string[] = [];
    for (let request = 0; request < 3; request++) {
      const jwt = await assertion(client);
      sent.push(jwt);
      expect((await assertionRequest(client, jwt)).status).toBe(200);
      h.clock.advance(client.access_token_lifetime * 1000);
    }
    const entries = (await readJournal(h, client)).filter((entry) => entry.path === '/oauth/token');
    expect(entries.map((entry) => entry.received.credentials)).toEqual([
      'assertion',
      'assertion',
      'assertion',
    ]);
    expect(entries.flatMap((entry) => entry.findings)).toEqual([]);
    const journal = JSON.stringify(entries);
    for (const jwt of sent) expect(journal).not.toContain(jwt.split('.')[2]);
  });
});
