import { maxBodyBytes } from '../../lib/sandbox-contract/bounds.ts';
import { bodyTooLargeStatus } from '../../lib/sandbox-contract/errors.ts';
import { OAuthError } from './oauth-error.ts';

// A request body: read once, within the size limit, and decoded as UTF-8.

function tooLarge(): OAuthError {
  return new OAuthError(
    'invalid_request',
    bodyTooLargeStatus,
    `The request body is larger than ${maxBodyBytes} bytes.`,
  );
}

// A body a host has already read into memory (see attachBufferedBody), kept on the request under
// a symbol of this module: a plain property costs less than a WeakMap entry, for the write and
// for the garbage collector, and nothing outside this module can read or set it.
const bufferedBody = Symbol('bufferedBody');
type WithBufferedBody = Request & { [bufferedBody]?: Uint8Array };

/**
 * For hosts that read the body before building the `Request` (the node:http server does): the
 * request is built without a body and the bytes ride beside it, which saves creating and reading
 * a body stream on every request (npm run bench). A `Request` with a real body works as well.
 */
export function attachBufferedBody(request: Request, body: Uint8Array): Request {
  (request as WithBufferedBody)[bufferedBody] = body;
  return request;
}

/**
 * The body a host attached ({@link attachBufferedBody}), when it is within `limit`; undefined when
 * there is none or it is too large (then {@link readBodyBytes} says so). Synchronous: the hot
 * paths read a form without waiting for a promise.
 */
export function bufferedBodyBytes(request: Request, limit = maxBodyBytes): Uint8Array | undefined {
  const buffered = (request as WithBufferedBody)[bufferedBody];
  if (buffered === undefined || buffered.byteLength > limit) return undefined;
  const declared = request.headers.get('content-length');
  return declared !== null && Number(declared) > limit ? undefined : buffered;
}

/**
 * Reads a request body, refusing it with 413 as soon as it passes {@link maxBodyBytes}: a declared
 * Content-Length is checked first, and a body without one is counted while it streams, so a
 * large body is never held in memory.
 */
export async function readBodyBytes(request: Request, limit = maxBodyBytes): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge();
  const buffered = (request as WithBufferedBody)[bufferedBody];
  if (buffered) {
    if (buffered.byteLength > limit) throw tooLarge();
    return buffered;
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a body as UTF-8, refusing bytes that are not UTF-8 with `invalid_request`. */
export function decodeUtf8Body(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new OAuthError('invalid_request', 400, 'The request body is not valid UTF-8.');
  }
}
