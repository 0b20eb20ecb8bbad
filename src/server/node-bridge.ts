import type { IncomingMessage, ServerResponse } from 'node:http';
import { maxBodyBytes } from '../lib/sandbox-contract/bounds.ts';
import { attachBufferedBody, preparedResponseParts } from '../sandbox/index.ts';
import { createLazyHeaders } from './lazy-headers.ts';
import { createLazyRequest } from './lazy-request.ts';

/**
 * The largest body the bridge reads: the sandbox's own limit (16 KiB), so a body the sandbox would
 * refuse is never held in memory. A declared larger Content-Length is refused before any byte is
 * read, and a chunked body is refused as soon as it passes the limit.
 */
export const maxBufferedBodyBytes = maxBodyBytes;

/** Thrown when a request body is larger than {@link maxBufferedBodyBytes}. */
export class BodyTooLargeError extends Error {
  constructor() {
    super('The request body is too large.');
    this.name = 'BodyTooLargeError';
  }
}

/** Thrown when the client went away before its body was complete: its abort, not a server error. */
export class ClientAbortedError extends Error {
  constructor() {
    super('The client closed the connection before its request was complete.');
    this.name = 'ClientAbortedError';
  }
}

/** True when the request's declared Content-Length is over the limit: it is refused unread. */
export function declaresTooLargeBody(request: IncomingMessage): boolean {
  const declared = request.headers['content-length'];
  return declared !== undefined && Number(declared) > maxBufferedBodyBytes;
}

function readBody(request: IncomingMessage): Promise<Uint8Array | undefined> {
  if (request.method === 'GET' || request.method === 'HEAD') return Promise.resolve(undefined);
  if (declaresTooLargeBody(request)) return Promise.reject(new BodyTooLargeError());
  // Events rather than `for await`: the async iterator costs more than the rest of the bridge.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBufferedBodyBytes) {
        // Stop reading here: the answer goes out with Connection: close, and the rest is never read.
        stop();
        request.pause();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(size === 0 ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      stop();
      reject(request.complete ? error : new ClientAbortedError());
    };
    const onClose = () => {
      if (request.complete) return;
      stop();
      reject(new ClientAbortedError());
    };
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onError);
    request.once('close', onClose);
  });
}

/**
 * The URL a request addressed, on `origin`. An origin-form target ("/path?query") is appended
 * rather than resolved, so "//other-host/x" stays a path of this origin (RFC 9112 §3.2.1); an
 * absolute-form target ("http://host/path", RFC 9112 §3.2.2: servers must accept it) keeps its
 * path and query, never its host.
 */
export function requestUrl(target: string | undefined, origin: string): URL {
  if (target?.startsWith('/')) return new URL(origin + target);
  if (target && URL.canParse(target)) {
    const absolute = new URL(target);
    if (absolute.protocol === 'http:' || absolute.protocol === 'https:')
      return new URL(origin + absolute.pathname + absolute.search);
  }
  return new URL(origin + '/');
}

/** The URL a request addressed, as {@link requestUrl} gives it: what the server needs of it. */
export interface RequestTarget {
  href: string;
  pathname: string;
}

/**
 * An origin-form target that the URL parser would keep exactly as it is: a path of characters it
 * never percent-encodes (RFC 3986 pchar, without "%"), and a query of the same plus "%" and "?"
 * (no "'", which the parser encodes in the query of an http URL).
 */
const plainTarget = /^(\/[\w.~!$&()*+,;=:@/-]*)(?:\?[\w.~!$&()*+,;=:@/?%-]*)?$/;
/** A "." or ".." segment, which the parser would resolve (RFC 3986 §5.2.4). */
const dotSegment = /\/\.\.?(?:\/|$)/;
let serializedOrigin = { origin: '', serialized: '' };

/**
 * {@link requestUrl}'s href and pathname, without parsing a URL when the target is a plain path
 * and query (the usual case, every request): then the parser would change nothing, and the URL
 * is the origin, serialized as the parser does it, followed by the target.
 */
export function requestTarget(target: string | undefined, origin: string): RequestTarget {
  const plain = target === undefined ? null : plainTarget.exec(target);
  if (plain && !dotSegment.test(plain[1]!)) {
    if (serializedOrigin.origin !== origin) serializedOrigin = { origin, serialized: new URL(origin).origin };
    return { href: serializedOrigin.serialized + target, pathname: plain[1]! };
  }
  const url = requestUrl(target, origin);
  return { href: url.href, pathname: url.pathname };
}

/**
 * Turns a node:http request into a Web `Request` addressed at `origin` (at `href`, when the
 * caller has found it already: {@link requestTarget}). The body is read into memory (sandbox bodies are small) and
 * attached beside the request rather than streamed into it; the Request and its Headers are lazy
 * (see lazy-request.ts, lazy-headers.ts).
 */
export async function toWebRequest(
  request: IncomingMessage,
  origin: string,
  href: string = requestUrl(request.url, origin).href,
): Promise<Request> {
  const headers = createLazyHeaders(request.rawHeaders);
  const body = await readBody(request);
  const webRequest = createLazyRequest(request.method ?? 'GET', href, headers, body);
  return body === undefined ? webRequest : attachBufferedBody(webRequest, body);
}

/** Writes a Web `Response` to a node:http response, with `extraHeaders` (the host's own, e.g. the request id) added. */
export async function sendWebResponse(
  response: Response,
  reply: ServerResponse,
  method = 'GET',
  extraHeaders?: Record<string, string>,
): Promise<void> {
  // The sandbox's answers are prepared responses: their fields go to the socket as they are.
  const prepared = preparedResponseParts(response);
  if (prepared) {
    // The text goes to the socket as it is (node:http encodes it with the headers, no Buffer).
    const body = method === 'HEAD' ? undefined : prepared.body;
    const headers: Record<string, string> = extraHeaders
      ? { ...prepared.headers, ...extraHeaders }
      : { ...prepared.headers };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    reply.writeHead(prepared.status, headers);
    reply.end(body);
    return;
  }
  if (response.body !== null && response.headers.get('content-type')?.startsWith('text/event-stream')) {
    return streamEvents(response, reply, extraHeaders);
  }
  const headers: Record<string, string | string[]> = extraHeaders ? { ...extraHeaders } : {};
  let hasCookies = false;
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') hasCookies = true;
    else headers[name] = value;
  });
  if (hasCookies) headers['set-cookie'] = response.headers.getSetCookie();
  let body: Buffer | undefined;
  if (method !== 'HEAD' && response.body !== null) body = Buffer.from(await response.arrayBuffer());
  if (body !== undefined) headers['content-length'] = String(body.length);
  reply.writeHead(response.status, response.statusText || undefined, headers);
  reply.end(body);
}

/**
 * Writes a server-sent event stream (the request journal's live view) as it comes, chunk by
 * chunk, instead of reading the whole body first: it never ends on its own. When the reader goes
 * away, the stream is cancelled, which ends the sandbox's subscription.
 */
async function streamEvents(
  response: Response,
  reply: ServerResponse,
  extraHeaders: Record<string, string> | undefined,
): Promise<void> {
  const headers: Record<string, string> = { ...extraHeaders };
  response.headers.forEach((value, name) => (headers[name] = value));
  reply.writeHead(response.status, headers);
  reply.flushHeaders();
  const reader = response.body!.getReader();
  reply.once('close', () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || reply.destroyed) break;
      reply.write(value);
    }
  } catch {
    // The reader went away mid-write: nothing to answer any more.
  }
  reply.end();
}
