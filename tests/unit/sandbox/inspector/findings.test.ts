import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
