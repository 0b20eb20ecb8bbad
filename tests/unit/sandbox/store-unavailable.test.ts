import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../src/sandbox/store/sqlite-store.ts';
import { StoreUnavailableError, type Store } from '../../../src/sandbox/store/store.ts';
import { createHarness, formHeaders, type Harness } from './harness.ts';
import { encodeBasicCredentials } from '../../../src/lib/basic-auth.ts';

/** A store that works until `down` is set, then fails as a Redis store does when Redis is unreachable. */
function switchableStore(): { store: Store; setDown(down: boolean): void } {
  const inner = openSqliteStore(':memory:');
  let down = false;
  const guard =
    <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (down) throw new StoreUnavailableError();
      return method(...args);
    };
  return {
    store: {
      saveClient: guard(inner.saveClient),
      findClient: guard(inner.findClient),
      updateClient: guard(inner.updateClient),
      deleteClient: guard(inner.deleteClient),
      listSigningKeys: guard(inner.listSigningKeys),
      activateSigningKey: guard(inner.activateSigningKey),
      withdrawSigningKeys: guard(inner.withdrawSigningKeys),
      saveRevocation: guard(inner.saveRevocation),
      claimAssertionId: guard(inner.claimAssertionId),
      isRevoked: guard(inner.isRevoked),
      appendJournalEntries: guard(inner.appendJournalEntries),
      listJournalEntries: guard(inner.listJournalEntries),
      deleteJournal: guard(inner.deleteJournal),
      sweep: guard(inner.sweep),
      checks: {
        start: guard(inner.checks.start),
        find: guard(inner.checks.find),
        running: guard(inner.checks.running),
        claimFault: guard(inner.checks.claimFault),
        faults: guard(inner.checks.faults),
        appendEntries: guard(inner.checks.appendEntries),
        entries: guard(inner.checks.entries),
        finish: guard(inner.checks.finish),
        sweep: guard(inner.checks.sweep),
      },
      close: inner.close,
    },
    setDown: (value) => (down = value),
  };
}

describe('an unreachable store', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  it('answers 503 temporarily_unavailable with Retry-After, never 401 or 500, and recovers with the store', async () => {
    const { store, setDown } = switchableStore();
    harness = await createHarness({ store });
    const client = await harness.register();
    const token = await harness.token(client);
    setDown(true);

    const registration = await harness.call('/oauth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const tokenRequest = await harness.call('/oauth/token', {
      method: 'POST',
      headers: {
        ...formHeaders,
        authorization: encodeBasicCredentials(client.client_id, client.client_secret),
      },
      body: 'grant_type=client_credentials',
    });
    const apiCall = await harness.call('/api/v1/reports', { headers: { authorization: `Bearer ${token}` } });
    for (const response of [registration, tokenRequest, apiCall]) {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.json()).toMatchObject({ error: 'temporarily_unavailable' });
    }
    // What needs no store keeps answering.
    expect((await harness.call('/oauth/jwks')).status).toBe(200);

    setDown(false);
    expect((await harness.requestToken(client)).status).toBe(200);
  });
});
