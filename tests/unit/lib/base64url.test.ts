import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64url, decodeBase64urlText, encodeBase64url } from '../../../src/lib/base64url.ts';

describe('base64url (RFC 4648 §5, no padding)', () => {
  it.each([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['\u00ff\u00fe', 'w7_Dvg'],
  ])('encodes %j as %s', (text, encoded) => {
    expect(encodeBase64url(text)).toBe(encoded);
    expect(decodeBase64urlText(encoded)).toBe(text);
  });

  it('agrees with Buffer for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        const encoded = encodeBase64url(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString('base64url'));
        expect(decodeBase64url(encoded)).toEqual(bytes);
      }),
    );
  });

  it.each(['Zg==', 'Z', 'Zh', 'a+b/', 'ab cd'])('refuses the non-canonical %j', (input) => {
    expect(decodeBase64url(input)).toBeUndefined();
  });

  it('refuses bytes that are not UTF-8 when text is asked for', () => {
    expect(decodeBase64urlText(encodeBase64url(new Uint8Array([0xff])))).toBeUndefined();
  });
});
