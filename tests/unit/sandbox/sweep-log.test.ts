import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../src/sandbox/store/sqlite-store.ts';
import { createHarness } from './harness.ts';

describe('a failed sweep', () => {
  it("is reported to the host's logger by name and stack, never by its message (which may quote data)", async () => {
    const store = openSqliteStore(':memory:');
    const events: { message: string; fields: Record<string, unknown> }[] = [];
    const h = await createHarness({
      store,
      logger: { error: (message, fields) => events.push({ message, fields }) },
    });
    store.sweep = async () => {
      throw new Error('constraint failed on client_id=secret-looking-value');
    };
    h.clock.advance(120_000);
    expect((await h.call('/.well-known/oauth-authorization-server')).status).toBe(200);
    expect(events).toHaveLength(1);
    expect(events[0]!.message).toBe('sandbox sweep failed');
    const line = JSON.stringify(events[0]!.fields);
    expect(line).toContain('Error');
    expect(line).not.toContain('secret-looking-value');
    await h.close();
  });
});
