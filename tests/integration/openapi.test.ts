import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiProfile, editedApiProfile } from '../../src/lib/api-profile.ts';
import { openApiDocument } from '../../src/sandbox/openapi-document.ts';
import { loadApiProfile } from '../../src/server/api-profile-source.ts';
import {
  registerClient,
  startListeningSandbox,
  type ListeningSandbox,
} from '../support/listening-sandbox.ts';

// GET /openapi.json: the sandbox in OpenAPI 3.1, from the API profile, linted by Redocly's
// recommended rules, and true to what the sandbox answers.

let server: ListeningSandbox;
beforeAll(async () => {
  server = await startListeningSandbox({ dataPath: ':memory:' });
});
afterAll(() => server?.close());

type Document = ReturnType<typeof openApiDocument>;
const teamProfile = loadApiProfile({ API_OPENAPI: 'tests/fixtures/team-api/openapi.yaml' });

describe('GET /openapi.json', () => {
  let document: Document;
  beforeAll(async () => {
    const response = await fetch(`${server.origin}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    document = (await response.json()) as Document;
  });

  it("describes this sandbox with the profile's scopes, read and write", () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([expect.objectContaining({ url: server.origin })]);
    const flow = document.components.securitySchemes.sandboxOAuth.flows.clientCredentials;
    expect(flow.tokenUrl).toBe(`${server.origin}/oauth/token`);
    expect(flow.scopes).toEqual(
      Object.fromEntries(apiProfile.scopes.map((scope) => [scope.name, scope.description])),
    );
    expect(document.paths['/api/v1/reports'].get.security).toEqual([
      { sandboxOAuth: [apiProfile.readScope] },
    ]);
    expect(document.paths['/api/v1/reports'].post.security).toEqual([
      { sandboxOAuth: [apiProfile.writeScope] },
    ]);
  });

  it('documents the status of every answer the sandbox gives to these calls', async () => {
    const client = await registerClient(server.origin, { scope: apiProfile.readScope });
    const basic = `Basic ${btoa(`${client.client_id}:${client.client_secret}`)}`;
    const token = (await (
      await fetch(`${server.origin}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      })
    ).json()) as { access_token: string };
    const bearer = { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const calls: [path: keyof Document['paths'], method: 'get' | 'post', init: RequestInit][] = [
      ['/oauth/register', 'post', { headers: { 'content-type': 'application/json' }, body: '{}' }],
      [
        '/oauth/register',
        'post',
        { headers: { 'content-type': 'application/json' }, body: '{"access_token_lifetime":1}' },
      ],
      [
        '/oauth/token',
        'post',
        { headers: { ...form, authorization: basic }, body: 'grant_type=client_credentials' },
      ],
      ['/oauth/token', 'post', { headers: form, body: 'grant_type=client_credentials' }],
      ['/oauth/token', 'post', { headers: { ...form, authorization: basic }, body: 'grant_type=password' }],
      ['/api/v1/reports', 'get', { headers: bearer }],
      ['/api/v1/reports', 'get', {}],
      ['/api/v1/reports', 'post', { headers: bearer, body: '{"title":"x"}' }],
    ];
    for (const [path, method, init] of calls) {
      const response = await fetch(`${server.origin}${path}`, { method: method.toUpperCase(), ...init });
      const operation = document.paths[path][method as keyof Document['paths'][typeof path]] as {
        responses: Record<string, unknown>;
      };
      expect(Object.keys(operation.responses), `${method} ${path} answered ${response.status}`).toContain(
        String(response.status),
      );
      await response.body?.cancel();
    }
  });
});

describe("Redocly's recommended rules", () => {
  it.each([
    ['the profile file', editedApiProfile],
    ['the team OpenAPI fixture', teamProfile],
  ])('find no error in the document for %s', async (_name, profile) => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({
      source: JSON.stringify(openApiDocument('https://guide.northwind.example', profile)),
      absoluteRef: 'openapi.json',
      config,
    });
    const described = problems.map((problem) => `${problem.severity} ${problem.ruleId}: ${problem.message}`);
    expect(
      described.filter((line) => line.startsWith('error')),
      described.join('\n'),
    ).toEqual([]);
    expect(described).toEqual([]);
  });
});
