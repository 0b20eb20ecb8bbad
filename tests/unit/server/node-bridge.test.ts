import { describe, expect, it } from 'vitest';
import { requestTarget, requestUrl } from '../../../src/server/node-bridge.ts';

describe('requestUrl', () => {
  const origin = 'http://localhost:4321';
  it.each([
    ['/oauth/token', 'http://localhost:4321/oauth/token'],
    ['/api/v1/reports?x=1', 'http://localhost:4321/api/v1/reports?x=1'],
    // RFC 9112 §3.2.1: an origin-form target is a path, even when it looks like an authority.
    ['//evil.example/oauth/token', 'http://localhost:4321//evil.example/oauth/token'],
    // RFC 9112 §3.2.2: absolute-form is accepted; its host is not.
    ['http://evil.example/oauth/token?a=b', 'http://localhost:4321/oauth/token?a=b'],
    ['*', 'http://localhost:4321/'],
    ['', 'http://localhost:4321/'],
    [undefined, 'http://localhost:4321/'],
  ])('%j → %s', (target, expected) => {
    expect(requestUrl(target, origin).href).toBe(expected);
  });
});

describe('requestTarget', () => {
  const origins = ['http://localhost:4321', 'http://localhost:80', 'https://Guide.Example.com:443'];
  const targets = [
    '/oauth/token',
    '/.well-known/oauth-authorization-server',
    '/api/v1/reports?x=1&y=a%20b',
    '/oauth/clients/abc-DEF_123~/requests',
    '//evil.example/oauth/token',
    '/a/./b',
    '/a/../b',
    '/a/..',
    '/a/.',
    '/a/.../b',
    '/a/..b/c',
    '/a/%2e%2E/b',
    '/a b',
    '/a"b',
    '/a\\b',
    '/a#frag',
    '/a?b#frag',
    "/a?it's",
    "/it's",
    '/é',
    '/a?é',
    '/a?b?c',
    '/a{b}',
    '/a`b',
    '/a<b>',
    '/a%zz',
    '/a?%zz',
    '/a\tb',
    '/',
    '',
    '*',
    undefined,
    'http://evil.example/oauth/token?a=b',
  ];
  it.each(origins.flatMap((origin) => targets.map((target) => [origin, target] as const)))(
    '%s %j: the same href and path as the URL parser',
    (origin, target) => {
      const url = requestUrl(target, origin);
      expect(requestTarget(target, origin)).toEqual({ href: url.href, pathname: url.pathname });
    },
  );

  it('agrees with the URL parser on random targets', () => {
    const alphabet = '/.?%aZ09-_~!$&\'()*+,;=:@#\\ "<>`{}é';
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 5_000; i++) {
      let target = '/';
      const length = Math.floor(random() * 12);
      for (let j = 0; j < length; j++) target += alphabet[Math.floor(random() * alphabet.length)];
      const url = requestUrl(target, 'http://localhost:4321');
      expect(requestTarget(target, 'http://localhost:4321'), target).toEqual({
        href: url.href,
        pathname: url.pathname,
      });
    }
  });
});
