import { describe, expect, it } from 'vitest';
import { apiProfile } from '../../../src/lib/api-profile.ts';
import { ConfigError, readServerConfig, sandboxOptionsFrom } from '../../../src/server/config.ts';

describe('readServerConfig', () => {
  it('uses the documented defaults', () => {
    expect(readServerConfig({})).toMatchObject({
      host: 'localhost',
      port: 4321,
      siteUrl: 'http://localhost:4321',
    });
  });

  it('derives SITE_URL from PORT when SITE_URL is not set', () => {
    expect(readServerConfig({ PORT: '8080' }).siteUrl).toBe('http://localhost:8080');
  });

  it.each([
    ['https://auth.example.com', 'https://auth.example.com'],
    ['https://auth.example.com/', 'https://auth.example.com'],
    ['HTTPS://Auth.Example.com:443', 'https://auth.example.com'],
    ['http://127.0.0.1:9000', 'http://127.0.0.1:9000'],
  ])('normalises SITE_URL %s to the origin %s', (value, origin) => {
    expect(readServerConfig({ SITE_URL: value }).siteUrl).toBe(origin);
  });

  it('refuses PORT=0 without SITE_URL: the issuer would be http://localhost:0', () => {
    expect(() => readServerConfig({ PORT: '0' })).toThrow(ConfigError);
    expect(() => readServerConfig({ PORT: '0' })).toThrow(/^PORT 0 .*SITE_URL/);
    expect(readServerConfig({ PORT: '0', SITE_URL: 'https://guide.example.com' }).siteUrl).toBe(
      'https://guide.example.com',
    );
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '1.5'],
    ['PORT', '-1'],
    ['PORT', ' 80'],
    ['HOST', ''],
    ['HOST', 'two words'],
    ['SITE_URL', 'ftp://example.com'],
    ['SITE_URL', 'example.com'],
    ['SITE_URL', 'https://example.com/docs'],
    ['SITE_URL', 'https://example.com/?a=1'],
    ['SITE_URL', 'https://user:pass@example.com'],
  ])('refuses %s=%j with an error that names the variable', (name, value) => {
    const read = () => readServerConfig({ [name]: value });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(new RegExp(`^${name} `));
  });
});

describe('readServerConfig: CORS origins and signing-key age', () => {
  it('defaults to no CORS origin and a 30-day signing key', () => {
    expect(readServerConfig({})).toMatchObject({
      sandboxCorsOrigins: [],
      sandboxSigningKeyMaxAge: 30 * 86_400,
    });
  });

  it.each([
    ['https://app.example.com', ['https://app.example.com']],
    [
      ' https://app.example.com , http://localhost:5173 ',
      ['https://app.example.com', 'http://localhost:5173'],
    ],
    ['*', ['*']],
    ['', []],
  ])('reads SANDBOX_CORS_ORIGINS=%j', (value, origins) => {
    expect(readServerConfig({ SANDBOX_CORS_ORIGINS: value }).sandboxCorsOrigins).toEqual(origins);
  });

  it.each([
    ['7200', 7200],
    ['90m', 5400],
    ['12h', 43_200],
    ['30d', 2_592_000],
  ])('reads SANDBOX_SIGNING_KEY_MAX_AGE=%j as %i seconds', (value, seconds) => {
    expect(readServerConfig({ SANDBOX_SIGNING_KEY_MAX_AGE: value }).sandboxSigningKeyMaxAge).toBe(seconds);
  });

  it.each([
    ['SANDBOX_CORS_ORIGINS', 'https://app.example.com/'],
    ['SANDBOX_CORS_ORIGINS', 'https://app.example.com/path'],
    ['SANDBOX_CORS_ORIGINS', 'app.example.com'],
    ['SANDBOX_CORS_ORIGINS', '*, https://app.example.com'],
    ['SANDBOX_CORS_ORIGINS', 'null'],
    ['SANDBOX_SIGNING_KEY_MAX_AGE', '59m'],
    ['SANDBOX_SIGNING_KEY_MAX_AGE', '1w'],
    ['SANDBOX_SIGNING_KEY_MAX_AGE', '-3600'],
    ['SANDBOX_SIGNING_KEY_MAX_AGE', '1.5d'],
  ])('refuses %s=%j with an error that names the variable', (name, value) => {
    const read = () => readServerConfig({ [name]: value });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(new RegExp(`^${name} `));
  });

  it('hands the sandbox its options', () => {
    const config = readServerConfig({
      SITE_URL: 'https://auth.example.com',
      SANDBOX_DATA: ':memory:',
      SANDBOX_RATE_LIMIT: 'off',
      SANDBOX_CORS_ORIGINS: 'https://app.example.com',
      SANDBOX_SIGNING_KEY_MAX_AGE: '2h',
    });
    expect(sandboxOptionsFrom(config)).toEqual({
      issuer: 'https://auth.example.com',
      dataPath: ':memory:',
      rateLimit: false,
      corsOrigins: ['https://app.example.com'],
      signingKeyMaxAge: 7200,
      profile: apiProfile,
    });
  });
});

describe('readServerConfig: shared Redis store and trusted proxies', () => {
  it('defaults to the embedded store and no trusted proxy', () => {
    expect(readServerConfig({})).toMatchObject({ sandboxRedisUrl: undefined, sandboxTrustedProxies: [] });
  });

  it.each([
    'redis://127.0.0.1:6380',
    'redis://localhost:6380/2',
    'redis://user:secret@redis.internal:6379/0',
    'rediss://redis.example.com:6380',
  ])('reads SANDBOX_REDIS_URL=%j', (value) => {
    expect(readServerConfig({ SANDBOX_REDIS_URL: value }).sandboxRedisUrl).toBe(value);
  });

  it.each([
    ['10.0.0.5', ['10.0.0.5']],
    [' 10.0.0.0/8 , ::1, fd00::/8 ', ['10.0.0.0/8', '::1', 'fd00::/8']],
    ['', []],
  ])('reads SANDBOX_TRUSTED_PROXIES=%j', (value, proxies) => {
    expect(readServerConfig({ SANDBOX_TRUSTED_PROXIES: value }).sandboxTrustedProxies).toEqual(proxies);
  });

  it.each([
    ['SANDBOX_REDIS_URL', 'http://redis:6379'],
    ['SANDBOX_REDIS_URL', 'localhost:6379'],
    ['SANDBOX_REDIS_URL', 'redis://localhost:6379/db'],
    ['SANDBOX_REDIS_URL', 'redis://localhost:6379/0?timeout=1'],
    ['SANDBOX_TRUSTED_PROXIES', 'proxy.internal'],
    ['SANDBOX_TRUSTED_PROXIES', '10.0.0.0/33'],
    ['SANDBOX_TRUSTED_PROXIES', '10.0.0.1/8/8'],
  ])('refuses %s=%j with an error that names the variable', (name, value) => {
    const read = () => readServerConfig({ [name]: value });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(new RegExp(`^${name} `));
  });
});

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
