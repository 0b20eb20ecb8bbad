/**
 * A `Request` that is built only when something needs more than its method, URL and headers.
 *
 * undici's `Request` constructor is the most expensive step between node:http and the sandbox: it
 * creates an AbortSignal and a body stream per request, which costs more CPU than the sandbox's
 * own token endpoint (npm run bench). The sandbox reads `method`, `url` and `headers` and takes
 * the body through `readBodyBytes`, so those are served directly; any other property or method
 * (body, signal, text(), clone(), ...) builds the real Request once and delegates to it. The
 * object is `instanceof Request`. @hono/node-server uses the same technique.
 */
import { realHeaders } from './lazy-headers.ts';
import { lazyPrototype } from '../lib/lazy-prototype.ts';

interface LazyRequestState {
  method: string;
  url: string;
  headers: Headers;
  body: Uint8Array | undefined;
  real?: Request;
}

const state = Symbol('lazyRequestState');
type LazyRequest = Request & { [state]: LazyRequestState };

function realRequest(request: LazyRequest): Request {
  const fields = request[state];
  fields.real ??= new Request(fields.url, {
    method: fields.method,
    headers: realHeaders(fields.headers),
    body: (fields.body as BodyInit | undefined) ?? null,
  });
  return fields.real;
}

const lazyRequestPrototype = lazyPrototype<LazyRequest>(
  Request.prototype,
  {
    method: {
      get(this: LazyRequest) {
        return this[state].method;
      },
    },
    url: {
      get(this: LazyRequest) {
        return this[state].url;
      },
    },
    headers: {
      get(this: LazyRequest) {
        return this[state].headers;
      },
    },
  },
  realRequest,
);

/** A Request with these fields; the real one is built on first use of anything else. */
export function createLazyRequest(
  method: string,
  url: string,
  headers: Headers,
  body: Uint8Array | undefined,
): Request {
  const request = Object.create(lazyRequestPrototype) as LazyRequest;
  request[state] = { method, url, headers, body };
  return request;
}
