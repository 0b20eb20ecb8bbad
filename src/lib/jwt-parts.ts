import { decodeBase64url, decodeBase64urlText } from './base64url.ts';

/**
 * A forgiving reading of a pasted JWT, for people: what a token inspector shows when a token was
 * copied out of a header, a log line, a JSON body or a wrapped terminal. Decoding stays strict
 * (RFC 7515 §2 base64url, RFC 7519 §7.2 JSON objects); only the wrapping around the token is
 * cleaned, and each of the three parts is decoded on its own, so a damaged signature still shows
 * the header and the claims, and only the broken part is marked.
 */

/** What was removed from the pasted text before decoding, in words for the reader. */
export type PasteCleanup =
  'line breaks and spaces' | 'quotes' | 'Bearer prefix' | 'Authorization header name' | 'JSON field name';

/** One decoded JSON part (header or payload). */
export type JsonPart =
  | { ok: true; segment: string; value: Record<string, unknown> }
  | { ok: false; segment: string; problem: 'not_base64url' | 'not_json_object'; message: string };

/** The signature part: its length when it is base64url. */
export type SignaturePart =
  | { ok: true; segment: string; bytes: number }
  | { ok: false; segment: string; problem: 'not_base64url'; message: string };

/** The result of {@link readPastedJwt}. */
export type PastedJwt =
  | { kind: 'empty' }
  /** Not three dot-separated parts: nothing can be decoded part by part. */
  | { kind: 'unreadable'; cleaned: string; cleanups: PasteCleanup[]; message: string }
  | {
      kind: 'parts';
      /** The token as it was decoded: the compact serialization, cleaned. */
      cleaned: string;
      cleanups: PasteCleanup[];
      header: JsonPart;
      payload: JsonPart;
      signature: SignaturePart;
      /** All three parts decoded. */
      complete: boolean;
    };

const quotePairs: readonly [string, string][] = [
  ['"', '"'],
  ["'", "'"],
  ['`', '`'],
  ['\u201c', '\u201d'],
  ['\u2018', '\u2019'],
];

/**
 * Strips what people paste around a token: white space and line breaks (anywhere: a token has
 * none, RFC 7515 §7.1), an `Authorization:` header name, a `Bearer` prefix (RFC 6750 §2.1),
 * a JSON field name such as `"access_token":`, surrounding quotes and a trailing comma.
 */
export function cleanPastedToken(input: string): { cleaned: string; cleanups: PasteCleanup[] } {
  const cleanups = new Set<PasteCleanup>();
  let text = input.trim();
  for (let pass = 0; pass < 4; pass++) {
    const before = text;
    text = text.replace(/,\s*$/, '').trim();
    const headerName = /^authorization\s*:\s*/i.exec(text);
    if (headerName) {
      text = text.slice(headerName[0].length);
      cleanups.add('Authorization header name');
    }
    const field = /^["']?[A-Za-z_][\w-]*["']?\s*[:=]\s*(?=["'`\u201c\u2018]|eyJ)/.exec(text);
    if (field && !/^bearer/i.test(text)) {
      text = text.slice(field[0].length);
      cleanups.add('JSON field name');
    }
    const bearer = /^bearer\s+/i.exec(text);
    if (bearer) {
      text = text.slice(bearer[0].length);
      cleanups.add('Bearer prefix');
    }
    for (const [open, close] of quotePairs) {
      if (text.length >= 2 && text.startsWith(open) && text.endsWith(close)) {
        text = text.slice(open.length, -close.length).trim();
        cleanups.add('quotes');
      }
    }
    if (text === before) break;
  }
  if (/\s/.test(text)) {
    text = text.replace(/\s+/g, '');
    cleanups.add('line breaks and spaces');
  }
  return { cleaned: text, cleanups: [...cleanups] };
}

function jsonPart(segment: string, name: 'header' | 'payload'): JsonPart {
  const text = decodeBase64urlText(segment);
  if (text === undefined)
    return {
      ok: false,
      segment,
      problem: 'not_base64url',
      message: `The ${name} is not base64url: it may have been cut or changed when it was copied.`,
    };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return { ok: true, segment, value: value as Record<string, unknown> };
  } catch {
    // Falls through to the labelled problem below.
  }
  return {
    ok: false,
    segment,
    problem: 'not_json_object',
    message: `The ${name} decodes, but not to a JSON object: it may have been cut or changed when it was copied.`,
  };
}

/** Cleans a pasted token and decodes its three parts independently. Never throws. */
export function readPastedJwt(input: string): PastedJwt {
  const { cleaned, cleanups } = cleanPastedToken(input);
  if (cleaned === '') return { kind: 'empty' };
  const parts = cleaned.split('.');
  if (parts.length === 5)
    return {
      kind: 'unreadable',
      cleaned,
      cleanups,
      message:
        'This has five parts: it is an encrypted JWT (JWE), whose payload only its recipient can read.',
    };
  if (parts.length !== 3)
    return {
      kind: 'unreadable',
      cleaned,
      cleanups,
      message: `A signed JWT has three parts separated by dots (header, payload, signature); this has ${parts.length}.`,
    };
  const [headerSegment, payloadSegment, signatureSegment] = parts as [string, string, string];
  const header = jsonPart(headerSegment, 'header');
  const payload = jsonPart(payloadSegment, 'payload');
  const signatureBytes = decodeBase64url(signatureSegment);
  const signature: SignaturePart = signatureBytes
    ? { ok: true, segment: signatureSegment, bytes: signatureBytes.length }
    : {
        ok: false,
        segment: signatureSegment,
        problem: 'not_base64url',
        message: 'The signature is not base64url: it may have been cut or changed when it was copied.',
      };
  return {
    kind: 'parts',
    cleaned,
    cleanups,
    header,
    payload,
    signature,
    complete: header.ok && payload.ok && signature.ok,
  };
}

/** "Removed the Bearer prefix and the quotes before decoding." */
export function describeCleanups(cleanups: readonly PasteCleanup[]): string {
  if (cleanups.length === 0) return '';
  const words = cleanups.map((cleanup) => `the ${cleanup}`);
  const list = words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`;
  return `Removed ${list} before decoding.`;
}
