import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFormComponent, encodeFormComponent } from '../../../src/lib/form-urlencoding.ts';

describe('form-urlencoding (WHATWG URL §5, RFC 6749 Appendix B)', () => {
  it.each([
    ['a b', 'a+b'],
    ['+', '%2B'],
    ['~', '%7E'],
    ['-._*', '-._*'],
    ['é', '%C3%A9'],
  ])('encodes %j as %s', (value, encoded) => {
    expect(encodeFormComponent(value)).toBe(encoded);
    expect(decodeFormComponent(encoded)).toBe(value);
  });

  it('round-trips any well-formed string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (value) => {
        expect(decodeFormComponent(encodeFormComponent(value))).toBe(value);
      }),
    );
  });

  it.each(['%', '%z1', '%1', '%FF', '%C3'])('refuses %j instead of replacing it', (value) => {
    expect(decodeFormComponent(value)).toBeUndefined();
  });
});
