import { describe, expect, it } from 'vitest';
import { ConfigError, readServerConfig } from '../../../src/server/config.ts';

describe('readServerConfig', () => {
  it('uses the documented defaults', () => {
    expect(readServerConfig({})).toMatchObject({ host: 'localhost', port: 4321, siteUrl: 'http://localhost:4321' });
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
