import { describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from '../../../src/sandbox/store/sqlite-store.ts';
import { createHarness } from './harness.ts';

describe('a failed sweep', () => {
  it('is logged by name and stack, never by its message (which may quote data)', async () => {
    const store = openSqliteStore(':memory:');
    const h = await createHarness({ store });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    store.sweep = async () => {
      throw new Error('constraint failed on client_id=secret-looking-value');
    };
    h.clock.advance(120_000);
    expect((await h.call('/.well-known/oauth-authorization-server')).status).toBe(200);
    expect(errors).toHaveBeenCalledTimes(1);
    const line = String(errors.mock.calls[0]![0]);
    expect(JSON.parse(line)).toMatchObject({ level: 'error', message: 'sandbox sweep failed' });
    expect(line).toContain('Error');
    expect(line).not.toContain('secret-looking-value');
    errors.mockRestore();
    await h.close();
  });
});
