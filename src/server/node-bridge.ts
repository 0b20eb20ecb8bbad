import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bodies larger than this are refused before the sandbox sees them; the sandbox's own limit is lower. */
export const maxBufferedBodyBytes = 1024 * 1024;

/** Thrown when a request body is larger than {@link maxBufferedBodyBytes}. */
export class BodyTooLargeError extends Error {
  constructor() {
    super('The request body is too large.');
    this.name = 'BodyTooLargeError';
  }
}

async function readBody(request: IncomingMessage): Promise<Uint8Array | undefined> {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const declared = Number(request.headers['content-length']);
  if (declared > maxBufferedBodyBytes) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBufferedBodyBytes) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return size === 0 ? undefined : Buffer.concat(chunks, size);
}

/**
 * The URL a request addressed, on `origin`. The request target is appended rather than resolved,
 * so "//other-host/x" stays a path of this origin (RFC 9112 §3.2.1 origin-form).
 */
export function requestUrl(target: string | undefined, origin: string): URL {
  const path = target && target.startsWith('/') ? target : '/';
  return new URL(origin + path);
}

/**
 * Turns a node:http request into a Web `Request` addressed at `origin`. The body is buffered
 * (sandbox bodies are small), which is faster than a streamed body for every request.
 */
export async function toWebRequest(request: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    // HTTP/2 pseudo-headers cannot go into a Headers object.
    if (!raw[i]!.startsWith(':')) headers.append(raw[i]!, raw[i + 1]!);
  }
  const body = await readBody(request);
  return new Request(requestUrl(request.url, origin), {
    method: request.method ?? 'GET',
    headers,
    body: body as BodyInit | undefined,
  });
}

/** Writes a Web `Response` to a node:http response. */
export async function sendWebResponse(response: Response, reply: ServerResponse, method = 'GET'): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const body = method === 'HEAD' || response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
  if (body !== undefined) headers['content-length'] = String(body.length);
  reply.writeHead(response.status, response.statusText || undefined, headers);
  reply.end(body);
}
