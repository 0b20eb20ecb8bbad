import { describe, expect, it } from 'vitest';
import { ConfigError, readServerConfig } from '../../../src/server/config.ts';

describe('the sandbox’s environment variables', () => {
  it('defaults to .data/sandbox.db with rate limits on', () => {
    expect(readServerConfig({})).toMatchObject({ sandboxData: '.data/sandbox.db', sandboxRateLimit: true });
  });

  it.each([
    [{ SANDBOX_DATA: ':memory:' }, { sandboxData: ':memory:' }],
    [{ SANDBOX_DATA: '/var/lib/sandbox/db.sqlite' }, { sandboxData: '/var/lib/sandbox/db.sqlite' }],
    [{ SANDBOX_RATE_LIMIT: 'off' }, { sandboxRateLimit: false }],
    [{ SANDBOX_RATE_LIMIT: 'on' }, { sandboxRateLimit: true }],
    [{ SANDBOX_RATE_LIMIT: '' }, { sandboxRateLimit: true }],
  ])('reads %j', (env, expected) => {
    expect(readServerConfig(env)).toMatchObject(expected);
  });

  it.each([
    [{ SANDBOX_RATE_LIMIT: 'false' }, 'SANDBOX_RATE_LIMIT'],
    [{ SANDBOX_RATE_LIMIT: 'OFF ' }, 'SANDBOX_RATE_LIMIT'],
    [{ SANDBOX_DATA: 'a\0b' }, 'SANDBOX_DATA'],
  ])('refuses %j with a ConfigError naming %s', (env, name) => {
    expect(() => readServerConfig(env)).toThrow(ConfigError);
    expect(() => readServerConfig(env)).toThrow(new RegExp(`^${name} `));
  });
});
