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

const served = new Set<PropertyKey>(['method', 'url', 'headers', 'constructor']);
const lazyRequestPrototype = Object.create(Request.prototype, {
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
}) as object;
for (const key of Reflect.ownKeys(Request.prototype)) {
  if (served.has(key)) continue;
  const descriptor = Object.getOwnPropertyDescriptor(Request.prototype, key)!;
  if (descriptor.get) {
    Object.defineProperty(lazyRequestPrototype, key, {
      get(this: LazyRequest): unknown {
        return Reflect.get(realRequest(this), key) as unknown;
      },
    });
  } else if (typeof descriptor.value === 'function') {
    Object.defineProperty(lazyRequestPrototype, key, {
      value(this: LazyRequest, ...args: unknown[]) {
        const real = realRequest(this);
        return (Reflect.get(real, key) as (...a: unknown[]) => unknown).apply(real, args);
      },
    });
  }
}

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
