import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBasicCredentials, parseBasicCredentials } from '../../../src/lib/basic-auth.ts';

describe('encodeBasicCredentials (RFC 6749 §2.3.1, Appendix B)', () => {
  it.each([
    ['s6BhdRkqt3', '7Fjfp0ZBr1KtDRbnfVdmIw', 'Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3'],
    ['a b', 'c+d', `Basic ${btoa('a+b:c%2Bd')}`],
    ['id:1', 'p%', `Basic ${btoa('id%3A1:p%25')}`],
    ['é', '~', `Basic ${btoa('%C3%A9:%7E')}`],
  ])('encodes %j / %j', (id, secret, expected) => {
    expect(encodeBasicCredentials(id, secret)).toBe(expected);
  });
});

describe('parseBasicCredentials', () => {
  it('round-trips any id and secret', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (clientId, clientSecret) => {
        fc.pre(!/[\uD800-\uDFFF]/.test(clientId + clientSecret));
        expect(parseBasicCredentials(encodeBasicCredentials(clientId, clientSecret))).toEqual({
          ok: true,
          credentials: { clientId, clientSecret },
        });
      }),
    );
  });

  it.each([
    ['Bearer abc', 'not_basic'],
    ['', 'not_basic'],
    ['Basic', 'malformed'],
    ['Basic !!!', 'malformed'],
    [`Basic ${btoa('no-colon')}`, 'malformed'],
    [`Basic ${btoa('\xff:\xfe')}`, 'malformed'],
    [`Basic ${btoa('id:%zz')}`, 'malformed'],
    ['Basic a', 'malformed'],
  ])('labels %j as %s', (header, problem) => {
    expect(parseBasicCredentials(header)).toEqual({ ok: false, problem });
  });

  it('splits at the first colon (RFC 7617 §2: the user-id has none)', () => {
    expect(parseBasicCredentials(`Basic ${btoa('id:se:cret')}`)).toEqual({
      ok: true,
      credentials: { clientId: 'id', clientSecret: 'se:cret' },
    });
  });
});
