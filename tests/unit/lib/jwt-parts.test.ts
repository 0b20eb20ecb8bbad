import { describe, expect, it } from 'vitest';
import { encodeBase64url } from '../../../src/lib/base64url.ts';
import { cleanPastedToken, describeCleanups, readPastedJwt } from '../../../src/lib/jwt-parts.ts';

const part = (value: unknown) => encodeBase64url(JSON.stringify(value));
const header = { alg: 'EdDSA', typ: 'at+jwt', kid: 'k1' };
const payload = { iss: 'http://localhost:4321', exp: 1_900_000_000, scope: 'read' };
const signature = encodeBase64url(new Uint8Array(64).fill(7));
const token = `${part(header)}.${part(payload)}.${signature}`;
const half = Math.floor(token.length / 2);

describe('cleanPastedToken: what readers paste around a token', () => {
  it.each([
    ['the token alone', token, []],
    ['surrounding white space', `  ${token}\n`, []],
    [
      'a line break inside (a wrapped terminal)',
      `${token.slice(0, half)}\n${token.slice(half)}`,
      ['line breaks and spaces'],
    ],
    ['double quotes', `"${token}"`, ['quotes']],
    ['single quotes', `'${token}'`, ['quotes']],
    ['typographic quotes', `\u201c${token}\u201d`, ['quotes']],
    ['a Bearer prefix', `Bearer ${token}`, ['Bearer prefix']],
    ['a lower-case bearer prefix', `bearer   ${token}`, ['Bearer prefix']],
    [
      'a whole Authorization header',
      `Authorization: Bearer ${token}`,
      ['Authorization header name', 'Bearer prefix'],
    ],
    ['a JSON field with a trailing comma', `"access_token": "${token}",`, ['JSON field name', 'quotes']],
    ['an env assignment', `ACCESS_TOKEN='${token}'`, ['JSON field name', 'quotes']],
    ['quotes around a Bearer value', `"Bearer ${token}"`, ['quotes', 'Bearer prefix']],
  ])('%s', (_name, pasted, cleanups) => {
    const result = cleanPastedToken(pasted);
    expect(result.cleaned).toBe(token);
    expect([...result.cleanups].sort()).toEqual([...cleanups].sort());
  });
});

describe('readPastedJwt: each part on its own', () => {
  it('decodes all three parts of a good token', () => {
    const result = readPastedJwt(token);
    expect(result).toMatchObject({
      kind: 'parts',
      complete: true,
      header: { ok: true, value: header },
      payload: { ok: true, value: payload },
      signature: { ok: true, bytes: 64 },
    });
  });

  it('a damaged signature still shows the header and the claims, and marks only the signature', () => {
    const damaged = `${part(header)}.${part(payload)}.${signature.slice(0, 10)}*$${signature.slice(12)}`;
    const result = readPastedJwt(damaged);
    expect(result.kind).toBe('parts');
    if (result.kind !== 'parts') return;
    expect(result.complete).toBe(false);
    expect(result.header).toMatchObject({ ok: true, value: header });
    expect(result.payload).toMatchObject({ ok: true, value: payload });
    expect(result.signature).toMatchObject({ ok: false, problem: 'not_base64url' });
  });

  it('a cut payload is marked, the header and signature still read', () => {
    const cut = `${part(header)}.${part(payload).slice(0, 21)}.${signature}`;
    const result = readPastedJwt(cut);
    if (result.kind !== 'parts') throw new Error('expected parts');
    expect(result.header.ok).toBe(true);
    expect(result.payload.ok).toBe(false);
    expect(result.signature.ok).toBe(true);
  });

  it('a header that is base64url but not JSON is marked as such', () => {
    const result = readPastedJwt(`${encodeBase64url('not json')}.${part(payload)}.${signature}`);
    if (result.kind !== 'parts') throw new Error('expected parts');
    expect(result.header).toMatchObject({ ok: false, problem: 'not_json_object' });
    expect(result.payload.ok).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['  \n ', 'empty'],
    ['a.b.c.d.e', 'unreadable'],
    ['not a token', 'unreadable'],
  ])('%j is %s', (input, kind) => {
    expect(readPastedJwt(input).kind).toBe(kind);
  });

  it('a token with a line break, quotes and a Bearer prefix decodes completely, and says what was removed', () => {
    const result = readPastedJwt(`"Bearer ${token.slice(0, half)}\n${token.slice(half)}"`);
    if (result.kind !== 'parts') throw new Error('expected parts');
    expect(result.complete).toBe(true);
    expect(result.cleaned).toBe(token);
    expect(describeCleanups(result.cleanups)).toBe(
      'Removed the quotes, the Bearer prefix and the line breaks and spaces before decoding.',
    );
  });
});
