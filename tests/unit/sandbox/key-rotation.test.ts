import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { accessTokenLifetime } from '../../../src/lib/sandbox-contract/index.ts';
import { maintenanceIntervalSeconds, rotateSigningKeyInStore } from '../../../src/sandbox/sandbox.ts';
import { openSqliteStore } from '../../../src/sandbox/store/sqlite-store.ts';
import { createHarness, type Harness } from './harness.ts';

const folder = mkdtempSync(join(tmpdir(), 'sandbox-rotation-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const kidsOf = async (harness: Harness) =>
  ((await (await harness.call('/oauth/jwks')).json()).keys as { kid: string }[]).map((key) => key.kid);
const apiStatus = async (harness: Harness, token: string) =>
  (await harness.call('/api/v1/reports', { headers: { authorization: `Bearer ${token}` } })).status;

describe('rotation from outside (npm run rotate-key) while the sandbox serves', () => {
  it('is picked up at the next maintenance; old tokens verify until they expire; then the old key leaves the JWKS', async () => {
    const dataPath = join(folder, 'serving.db');
    const serving = await createHarness({ store: openSqliteStore(dataPath) });
    const client = await serving.register();
    const [oldKid] = await kidsOf(serving);
    // Half a second into a second: exp is rounded up, so this token lives 3600.5 s.
    serving.clock.advance(500);
    const oldToken = await serving.token(client);
    expect(decodeProtectedHeader(oldToken).kid).toBe(oldKid);

    // What `npm run rotate-key` does: its own connection to the store, the same (frozen) time.
    const cli = openSqliteStore(dataPath);
    const { retiredKid, activeKid } = await rotateSigningKeyInStore(cli, serving.clock);
    await cli.close();
    expect(retiredKid).toBe(oldKid);

    // Until its next maintenance the serving sandbox still signs with the old key...
    const stillOld = await serving.token(client);
    expect(decodeProtectedHeader(stillOld).kid).toBe(oldKid);
    // ...and at the next one it has the new key, and publishes both.
    serving.clock.advance(maintenanceIntervalSeconds * 1000);
    const newToken = await serving.token(client);
    expect(decodeProtectedHeader(newToken).kid).toBe(activeKid);
    expect(await kidsOf(serving)).toEqual([activeKid, oldKid]);

    // The last token the old key signed (just before the sandbox noticed) verifies until its exp.
    const lastOldExpMs = decodeJwt(stillOld).exp! * 1000;
    serving.clock.advance(lastOldExpMs - 1000 - serving.clock.now());
    expect(await apiStatus(serving, stillOld)).toBe(200);
    expect(await kidsOf(serving)).toContain(oldKid);
    serving.clock.advance(1000);
    expect(await apiStatus(serving, stillOld)).toBe(401);

    // Once every token the old key can have signed is dead, the old key is gone from the JWKS.
    serving.clock.advance((accessTokenLifetime.max + 3 * maintenanceIntervalSeconds) * 1000);
    await serving.call('/.well-known/oauth-authorization-server');
    expect(await kidsOf(serving)).toEqual([activeKid]);
    expect(await apiStatus(serving, await serving.token(client))).toBe(200);
    await serving.close();
  });
});

describe('rotation inside the sandbox', () => {
  it('keeps a token issued half a second before rotation verifying for its whole lifetime', async () => {
    const h = await createHarness();
    const client = await h.register({ access_token_lifetime: 3600 });
    h.clock.advance(500);
    const token = await h.token(client);
    const kid = decodeProtectedHeader(token).kid;
    await h.sandbox.rotateSigningKey();
    const expMs = decodeJwt(token).exp! * 1000;
    // Walk up to the last valid moment in maintenance steps, so the sandbox sweeps on the way.
    while (h.clock.now() + maintenanceIntervalSeconds * 1000 < expMs - 1) {
      h.clock.advance(maintenanceIntervalSeconds * 1000);
      expect(await apiStatus(h, token)).toBe(200);
    }
    h.clock.advance(expMs - 1 - h.clock.now());
    expect(await apiStatus(h, token)).toBe(200);
    expect(await kidsOf(h)).toContain(kid);
    h.clock.advance(1);
    expect(await apiStatus(h, token)).toBe(401);
    h.clock.advance(maintenanceIntervalSeconds * 1000);
    expect(await kidsOf(h)).not.toContain(kid);
    await h.close();
  });

  it('rotates by itself at signingKeyMaxAge (SANDBOX_SIGNING_KEY_MAX_AGE), old tokens verifying until they expire', async () => {
    const h = await createHarness({ signingKeyMaxAge: 2 * 3600 });
    const client = await h.register({ access_token_lifetime: 600 });
    const [firstKid] = await kidsOf(h);
    const early = await h.token(client);
    h.clock.advance(2 * 3600 * 1000 - 300 * 1000);
    const late = await h.token(client);
    expect(decodeProtectedHeader(late).kid).toBe(firstKid);
    h.clock.advance(300 * 1000);
    const afterRotation = await h.token(client);
    const secondKid = decodeProtectedHeader(afterRotation).kid;
    expect(secondKid).not.toBe(firstKid);
    expect(await kidsOf(h)).toEqual([secondKid, firstKid]);
    expect(await apiStatus(h, late)).toBe(200);
    expect(await apiStatus(h, early)).toBe(401);
    h.clock.advance((accessTokenLifetime.max + 2 * maintenanceIntervalSeconds) * 1000);
    expect(await kidsOf(h)).toEqual([secondKid]);
    await h.close();
  });
});

describe('withdrawing a compromised key at once (npm run rotate-key -- --withdraw-now)', () => {
  it('takes every earlier key out of the JWKS, and the tokens they signed stop verifying at the next maintenance', async () => {
    const dataPath = join(folder, 'withdraw.db');
    const serving = await createHarness({ store: openSqliteStore(dataPath) });
    const client = await serving.register();
    const [compromisedKid] = await kidsOf(serving);
    const token = await serving.token(client);
    // Verified once, so the verification is remembered: the withdrawal must reach it anyway.
    expect(await apiStatus(serving, token)).toBe(200);

    const cli = openSqliteStore(dataPath);
    const { retiredKid, activeKid, withdrawnKids } = await rotateSigningKeyInStore(cli, serving.clock, {
      withdrawNow: true,
    });
    await cli.close();
    expect(retiredKid).toBe(compromisedKid);
    expect(withdrawnKids).toEqual([compromisedKid]);

    serving.clock.advance(maintenanceIntervalSeconds * 1000);
    expect(await apiStatus(serving, token)).toBe(401);
    expect(await kidsOf(serving)).toEqual([activeKid]);
    const fresh = await serving.token(client);
    expect(decodeProtectedHeader(fresh).kid).toBe(activeKid);
    expect(await apiStatus(serving, fresh)).toBe(200);
    await serving.close();
  });
});
