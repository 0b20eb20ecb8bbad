import { emptyResponse } from './json-response.ts';

/**
 * Cross-origin access (the Fetch standard's CORS protocol) to the endpoints a browser app on
 * another origin may reasonably call: discovery, JWKS and the token endpoint. The list of origins
 * is explicit; with none configured (the default) no CORS header is ever sent and browsers keep
 * other origins out. `Access-Control-Allow-Credentials` is never sent: no endpoint uses cookies or
 * browser-managed HTTP authentication, so a `*` (allowed for public data) can never combine with
 * credentials.
 */
export interface CorsPolicy {
  /** The preflight answer for `methods`, or undefined when the request is not a preflight this policy allows. */
  preflight(request: Request, methods: readonly string[]): Response | undefined;
  /** Adds the CORS headers of an actual request's answer (success or error) when its Origin is allowed. */
  apply(request: Request, response: Response): void;
}

/** Request headers a cross-origin client may send: client_secret_basic and the form or JSON body. */
const allowedRequestHeaders = 'authorization, content-type';
/** Response headers a cross-origin client may read besides the safelisted ones: the 401 challenge and the 429 wait. */
const exposedResponseHeaders = 'www-authenticate, retry-after';
/** Seconds a browser may cache a preflight answer. */
const preflightMaxAge = '600';

/** True when `value` is `*` or a serialized origin (scheme, host, optional port; no path, no trailing slash). */
export function isCorsOriginEntry(value: string): boolean {
  if (value === '*') return true;
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
}

/**
 * Creates the policy for `origins` (serialized origins, or `*` for any origin); undefined when the
 * list is empty, so the sandbox skips CORS work entirely. Throws on an entry that is not an origin.
 */
export function createCorsPolicy(origins: readonly string[]): CorsPolicy | undefined {
  if (origins.length === 0) return undefined;
  const invalid = origins.find((origin) => !isCorsOriginEntry(origin));
  if (invalid !== undefined)
    throw new Error(`A CORS origin must be scheme://host[:port] or *, got ${JSON.stringify(invalid)}.`);
  const anyOrigin = origins.includes('*');
  const allowed = new Set(origins);

  /** The Access-Control-Allow-Origin value for this request, or undefined when its origin is not allowed. */
  function allowOrigin(request: Request): string | undefined {
    const origin = request.headers.get('origin');
    if (origin === null) return undefined;
    if (anyOrigin) return '*';
    return allowed.has(origin) ? origin : undefined;
  }

  return {
    preflight(request, methods) {
      const requestedMethod = request.headers.get('access-control-request-method');
      const allowOriginValue = allowOrigin(request);
      if (requestedMethod === null || allowOriginValue === undefined) return undefined;
      const permitted = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
      if (!permitted.includes(requestedMethod)) return undefined;
      return emptyResponse(204, {
        'access-control-allow-origin': allowOriginValue,
        'access-control-allow-methods': permitted.join(', '),
        'access-control-allow-headers': allowedRequestHeaders,
        'access-control-max-age': preflightMaxAge,
        vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      });
    },
    apply(request, response) {
      // The answer depends on Origin unless every origin gets the same `*`.
      if (!anyOrigin) response.headers.append('vary', 'Origin');
      const allowOriginValue = allowOrigin(request);
      if (allowOriginValue === undefined) return;
      response.headers.set('access-control-allow-origin', allowOriginValue);
      response.headers.set('access-control-expose-headers', exposedResponseHeaders);
    },
  };
}
