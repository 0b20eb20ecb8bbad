import { decodeUtf8Body, readBodyBytes } from './body.ts';
import { mediaType } from './media-type.ts';
import { OAuthError } from './oauth-error.ts';

/**
 * Reads a JSON body (RFC 8259, UTF-8 only). An empty body is `undefined`, so endpoints whose every
 * field is optional accept it; a wrong media type or text that is not JSON is `invalid_request`.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const bytes = await readBodyBytes(request);
  if (bytes.byteLength === 0) return undefined;
  const { type, utf8 } = mediaType(request);
  if (type !== 'application/json' || !utf8) {
    throw new OAuthError('invalid_request', 400, 'The request body must be application/json.');
  }
  const text = decodeUtf8Body(bytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new OAuthError('invalid_request', 400, 'The request body is not valid JSON.');
  }
}
