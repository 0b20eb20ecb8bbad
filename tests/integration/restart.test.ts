import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registerClient, startListeningSandbox } from '../support/listening-sandbox.ts';

const folder = mkdtempSync(join(tmpdir(), 'sandbox-restart-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('restart on the same store', () => {
  it('keeps tokens verifying, the client authenticating, and revoked tokens refused', async () => {
    const dataPath = join(folder, 'sandbox.db');
    const first = await startListeningSandbox({ dataPath });
    const registered = await registerClient(first.origin);
    const basic = `Basic ${btoa(`${registered.client_id}:${registered.client_secret}`)}`;
    const getToken = async (origin: string) => {
      const response = await fetch(`${origin}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      expect(response.status).toBe(200);
      return (await response.json()).access_token as string;
    };
    const api = (origin: string, token: string) =>
      fetch(`${origin}/api/v1/reports`, { headers: { authorization: `Bearer ${token}` } });

    const kept = await getToken(first.origin);
    const revoked = await getToken(first.origin);
    const revocation = await fetch(`${first.origin}/oauth/revoke`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${revoked}`,
    });
    expect(revocation.status).toBe(200);
    expect((await api(first.origin, kept)).status).toBe(200);
    const port = first.port;
    await first.close();
    // Let fetch's connection pool see that the old server closed its keep-alive sockets.
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Same port, so the same issuer: tokens carry it in iss.
    const second = await startListeningSandbox({ dataPath, port });
    try {
      expect((await api(second.origin, kept)).status).toBe(200);
      const refused = await api(second.origin, revoked);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
      expect((await api(second.origin, await getToken(second.origin))).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
