/**
 * application/x-www-form-urlencoded components (WHATWG URL §5; RFC 6749 Appendix B). Decoding is
 * strict: a broken percent escape or bytes that are not UTF-8 are reported, never replaced with
 * U+FFFD as URLSearchParams does, so a server can answer them with a clear error.
 */

/** Form-urlencodes one name or value: space becomes "+", everything but `*-._` and alphanumerics is percent-encoded. */
export function encodeFormComponent(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/** Form-urldecodes one name or value; undefined when a percent escape is broken or the bytes are not UTF-8. */
export function decodeFormComponent(value: string): string | undefined {
  const plus = value.replaceAll('+', ' ');
  if (!plus.includes('%')) return plus;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < plus.length; i++) {
    const char = plus.charCodeAt(i);
    if (char === 0x25) {
      const hex = plus.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (char < 0x80) {
      bytes.push(char);
    } else {
      // A code point outside ASCII arrived unencoded: keep its UTF-8 bytes.
      const codePoint = plus.codePointAt(i)!;
      const text = String.fromCodePoint(codePoint);
      bytes.push(...encoder.encode(text));
      i += text.length - 1;
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}
