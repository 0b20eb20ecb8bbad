import { describe, expect, it } from 'vitest';
import { requestUrl } from '../../../src/server/node-bridge.ts';

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
