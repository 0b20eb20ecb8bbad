import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editedApiProfile } from '../../../src/lib/api-profile.ts';
import { loadApiProfile } from '../../../src/server/api-profile-source.ts';
import { createSandbox } from '../../../src/sandbox/sandbox.ts';
import { createHarness, type Harness } from './harness.ts';

// The sandbox stands in for whichever API the profile describes: here a team's (three scopes with
// dots, 15-minute tokens), handed to it as an option, whatever profile the build has.
const team = loadApiProfile({ API_OPENAPI: 'tests/fixtures/team-api/openapi.yaml' });

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ profile: team });
});
afterAll(() => h.close());

const reports = (token: string, method = 'GET') =>
  h.call('/api/v1/reports', {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: method === 'POST' ? JSON.stringify({ title: 'Invoice run' }) : null,
  });

describe("a sandbox for a team's profile", () => {
  it('publishes its scopes and name', async () => {
    const metadata = await (await h.call('/.well-known/oauth-authorization-server')).json();
    expect(metadata.scopes_supported).toEqual(['invoices.read', 'invoices.write', 'customers.read']);
    const resource = await (await h.call('/.well-known/oauth-protected-resource/api')).json();
    expect(resource).toMatchObject({
      scopes_supported: metadata.scopes_supported,
      resource_name: 'Northwind Billing API',
    });
  });

  it("registers clients with every scope and production's lifetime by default", async () => {
    const client = await h.register();
    expect(client.scope).toBe('invoices.read invoices.write customers.read');
    expect(client.access_token_lifetime).toBe(900);
    const token = await (await h.requestToken(client)).json();
    expect(token).toMatchObject({ expires_in: 900, scope: client.scope });
  });

  it('requires its read scope for GET and its write scope for POST', async () => {
    const reader = await h.register({ scope: 'invoices.read' });
    const readToken = await h.token(reader);
    expect((await reports(readToken)).status).toBe(200);
    const refused = await reports(readToken, 'POST');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toContain('scope="invoices.write"');
    const writer = await h.token(await h.register({ scope: 'invoices.write' }));
    expect((await reports(writer, 'POST')).status).toBe(201);
    expect((await reports(writer)).headers.get('www-authenticate')).toContain('scope="invoices.read"');
  });

  it("refuses the profile file's scopes as undefined", async () => {
    const registration = await h.call('/oauth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scope: editedApiProfile.readScope }),
    });
    expect(registration.status).toBe(400);
    expect((await registration.json()).error_description).toContain(
      'invoices.read invoices.write customers.read',
    );
  });

  it('refuses to start with an unusable profile, naming the field', async () => {
    await expect(
      createSandbox({ issuer: 'http://localhost:4321', profile: { ...team, readScope: 'nope' } }),
    ).rejects.toThrow('readScope "nope" is not one of scopes');
  });
});
