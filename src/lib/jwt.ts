import { decodeBase64url, decodeBase64urlText } from './base64url.ts';

/**
 * Decoding a JWS compact serialization (RFC 7515 §7.1) without verifying anything: what a reader
 * or a log can learn from a token by looking at it. Pure, so the token inspector decodes a pasted
 * token in the browser and never sends it anywhere.
 */

/** A JWT split into its three parts and decoded. Nothing in it is verified. */
export interface DecodedJwt {
  /** The three base64url segments exactly as they appear in the token. */
  segments: { header: string; payload: string; signature: string };
  /** The JOSE header (RFC 7515 §4). */
  header: Record<string, unknown>;
  /** The claims set (RFC 7519 §4). */
  payload: Record<string, unknown>;
  /** The signature's length in bytes: 0 for an unsecured JWT (`alg: none`). */
  signatureBytes: number;
}

/** Why a string is not a decodable JWT. */
export type JwtDecodeProblem =
  | 'empty'
  /** Five parts: a JWE (RFC 7516), whose payload is encrypted and cannot be read. */
  | 'encrypted'
  | 'not_three_parts'
  | 'header_not_base64url'
  | 'header_not_json_object'
  | 'payload_not_base64url'
  | 'payload_not_json_object'
  | 'signature_not_base64url';

/** The result of {@link decodeJwt}: the decoded token, or a labelled problem with a sentence for people. */
export type JwtDecodeResult =
  { ok: true; jwt: DecodedJwt } | { ok: false; problem: JwtDecodeProblem; message: string };

const messages: Record<JwtDecodeProblem, string> = {
  empty: 'Paste a token: three base64url parts separated by dots.',
  encrypted: 'This has five parts: it is an encrypted JWT (JWE), whose payload only its recipient can read.',
  not_three_parts: 'A signed JWT has three parts separated by dots: header, payload and signature.',
  header_not_base64url: '"header" is not base64url: it may have been cut or changed when it was copied.',
  header_not_json_object: '"header" does not decode to a JSON object.',
  payload_not_base64url: '"payload" is not base64url: it may have been cut or changed when it was copied.',
  payload_not_json_object: '"payload" does not decode to a JSON object.',
  signature_not_base64url:
    '"signature" is not base64url: it may have been cut or changed when it was copied.',
};

function fail(problem: JwtDecodeProblem): JwtDecodeResult {
  return { ok: false, problem, message: messages[problem] };
}

function jsonObject(text: string | undefined): Record<string, unknown> | undefined | 'not-base64url' {
  if (text === undefined) return 'not-base64url';
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decodes a compact JWT (RFC 7519 §7.2, steps 1 to 8, no validation). Surrounding white space and
 * a leading `Bearer ` are ignored, since readers paste tokens from headers and logs.
 */
export function decodeJwt(input: string): JwtDecodeResult {
  const token = input.trim().replace(/^Bearer\s+/i, '');
  if (token === '') return fail('empty');
  const parts = token.split('.');
  if (parts.length === 5) return fail('encrypted');
  if (parts.length !== 3) return fail('not_three_parts');
  const [headerSegment, payloadSegment, signatureSegment] = parts as [string, string, string];

  const header = jsonObject(decodeBase64urlText(headerSegment));
  if (header === 'not-base64url') return fail('header_not_base64url');
  if (!header) return fail('header_not_json_object');
  const payload = jsonObject(decodeBase64urlText(payloadSegment));
  if (payload === 'not-base64url') return fail('payload_not_base64url');
  if (!payload) return fail('payload_not_json_object');
  const signature = decodeBase64url(signatureSegment);
  if (!signature) return fail('signature_not_base64url');

  return {
    ok: true,
    jwt: {
      segments: { header: headerSegment, payload: payloadSegment, signature: signatureSegment },
      header,
      payload,
      signatureBytes: signature.length,
    },
  };
}

/** A NumericDate claim (RFC 7519 §2) as milliseconds, or undefined when the claim is absent or not a number. */
export function numericDateMs(
  payload: Record<string, unknown>,
  claim: 'iat' | 'exp' | 'nbf',
): number | undefined {
  const value = payload[claim];
  return typeof value === 'number' && Number.isFinite(value) ? value * 1000 : undefined;
}
