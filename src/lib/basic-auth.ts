import { decodeFormComponent, encodeFormComponent } from './form-urlencoding.ts';

/**
 * HTTP Basic client credentials as OAuth 2.0 uses them (RFC 6749 §2.3.1, RFC 7617): the client_id
 * and client_secret are each form-urlencoded (Appendix B) *before* they are joined with ":" and
 * base64-encoded. Clients that skip that step still interoperate when both values use only
 * unreserved characters, which is why the sandbox generates such values.
 */

/** Client credentials carried in a Basic header. */
export interface BasicCredentials {
  clientId: string;
  clientSecret: string;
}

/** Why a header is not usable Basic credentials. */
export type BasicCredentialsProblem =
  /** The header uses another authentication scheme. */
  | 'not_basic'
  /** The scheme is Basic but the rest is not base64 of "id:secret" in form-urlencoded UTF-8. */
  | 'malformed';

/** The result of {@link parseBasicCredentials}: the credentials, or a labelled problem. */
export type BasicCredentialsResult =
  { ok: true; credentials: BasicCredentials } | { ok: false; problem: BasicCredentialsProblem };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function toBase64(text: string): string {
  // After form-urlencoding every character is ASCII, so btoa sees one byte per character.
  return btoa(text);
}

/** Builds the `Authorization` header value for `client_secret_basic` (RFC 6749 §2.3.1). */
export function encodeBasicCredentials(clientId: string, clientSecret: string): string {
  return `Basic ${toBase64(`${encodeFormComponent(clientId)}:${encodeFormComponent(clientSecret)}`)}`;
}

/**
 * Reads an `Authorization` header value as client credentials: scheme "Basic" (case-insensitive,
 * RFC 9110 §11.1), base64 (RFC 7617 §2), UTF-8, then form-urldecoding of each half (RFC 6749 §2.3.1).
 */
export function parseBasicCredentials(header: string): BasicCredentialsResult {
  const match = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?: +(.*))?$/.exec(header.trim());
  if (!match || match[1]!.toLowerCase() !== 'basic') return { ok: false, problem: 'not_basic' };
  const encoded = (match[2] ?? '').trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 === 1)
    return { ok: false, problem: 'malformed' };
  let text: string;
  try {
    const binary = atob(encoded);
    // Form-urlencoded credentials are ASCII, and ASCII is its own UTF-8: decode only when needed.
    // eslint-disable-next-line no-control-regex -- the range is every ASCII byte, control ones included.
    if (/^[\x00-\x7f]*$/.test(binary)) text = binary;
    else {
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      text = utf8.decode(bytes);
    }
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  const colon = text.indexOf(':');
  if (colon < 0) return { ok: false, problem: 'malformed' };
  const clientId = decodeFormComponent(text.slice(0, colon));
  const clientSecret = decodeFormComponent(text.slice(colon + 1));
  if (clientId === undefined || clientSecret === undefined) return { ok: false, problem: 'malformed' };
  return { ok: true, credentials: { clientId, clientSecret } };
}
