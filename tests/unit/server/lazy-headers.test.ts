import { describe, expect, it } from 'vitest';
import { createLazyHeaders, realHeaders } from '../../../src/server/lazy-headers.ts';

/** undici's Headers of the same raw list: what the lazy one must answer like. */
function undiciHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

const raws: [string, string[]][] = [
  ['one field', ['Authorization', 'Basic YTpi']],
  ['repeated fields', ['X-A', 'one', 'x-a', 'two', 'X-a', 'three']],
  ['Cookie, joined with "; "', ['Cookie', 'a=1', 'cookie', 'b=2']],
  ['Set-Cookie', ['Set-Cookie', 'q=1', 'Set-Cookie', 'r=2']],
  ['an empty value', ['X-Empty', '']],
  ['whitespace around a value', ['X-Padded', ' \t value \t ', 'x-padded', '\tsecond ']],
  [
    'a typical token request',
    [
      'Host',
      '127.0.0.1:1',
      'Content-Type',
      'application/x-www-form-urlencoded',
      'Authorization',
      'Basic YTpi',
      'Content-Length',
      '29',
    ],
  ],
];
const asked = [
  'authorization',
  'AUTHORIZATION',
  'x-a',
  'cookie',
  'set-cookie',
  'x-empty',
  'x-padded',
  'content-type',
  'absent',
  'host',
];

describe('createLazyHeaders', () => {
  it.each(raws)('%s: get() and has() answer as undici does, for every name', (_, raw) => {
    const lazy = createLazyHeaders(raw);
    const reference = undiciHeaders(raw);
    for (const name of asked) {
      expect(lazy.get(name), name).toBe(reference.get(name));
      expect(lazy.has(name), name).toBe(reference.has(name));
    }
  });

  it.each(raws)('%s: everything else works on the real Headers, built once', (_, raw) => {
    const lazy = createLazyHeaders(raw);
    const reference = undiciHeaders(raw);
    expect([...lazy]).toEqual([...reference]);
    expect([...lazy.keys()]).toEqual([...reference.keys()]);
    expect(lazy.getSetCookie()).toEqual(reference.getSetCookie());
    expect(realHeaders(lazy)).toBe(realHeaders(lazy));
  });

  it('is a Headers, and changes made to it are seen by get()', () => {
    const lazy = createLazyHeaders(['X-A', 'one']);
    expect(lazy).toBeInstanceOf(Headers);
    expect(Object.prototype.toString.call(lazy)).toBe('[object Headers]');
    lazy.set('x-a', 'replaced');
    lazy.append('x-b', 'added');
    expect(lazy.get('x-a')).toBe('replaced');
    expect(lazy.has('x-b')).toBe(true);
    lazy.delete('x-a');
    expect(lazy.has('x-a')).toBe(false);
    expect(new Headers(lazy).get('x-b')).toBe('added');
  });

  it('leaves out HTTP/2 pseudo-headers, which a Headers cannot hold', () => {
    const lazy = createLazyHeaders([':method', 'GET', 'accept', '*/*']);
    expect([...lazy]).toEqual([['accept', '*/*']]);
  });

  it('gives a Request built from it the same headers', () => {
    const lazy = createLazyHeaders(['Authorization', 'Bearer x', 'X-A', '1', 'x-a', '2']);
    const request = new Request('http://127.0.0.1/', { headers: realHeaders(lazy) });
    expect(request.headers.get('x-a')).toBe('1, 2');
    expect(request.headers.get('authorization')).toBe('Bearer x');
  });
});
