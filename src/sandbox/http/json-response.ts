import { createPreparedResponse } from './prepared-response.ts';
import { securityHeaders } from './security-headers.ts';

/**
 * Headers every sandbox answer carries. RFC 6749 §5.1: token responses must not be cached
 * (`Cache-Control: no-store`, and `Pragma: no-cache` for HTTP/1.0 caches); the sandbox applies the
 * same rule to every answer, since all of them are about credentials. The security headers
 * (security-headers.ts) are constant, so they ride in the same object at no extra cost.
 */
const bodylessHeaders = {
  'cache-control': 'no-store',
  pragma: 'no-cache',
  ...securityHeaders,
} as const;
const baseHeaders = { 'content-type': 'application/json; charset=utf-8', ...bodylessHeaders } as const;

/** A JSON response with the sandbox's base headers. */
export function jsonResponse(body: unknown, status = 200, headers?: Record<string, string>): Response {
  return jsonTextResponse(JSON.stringify(body), status, headers);
}

/**
 * A response whose JSON text is already serialized (answers that never change are serialized
 * once). It is a prepared response (prepared-response.ts): a node:http host writes the text and
 * headers without building undici's Response (a measurable cost per request: npm run bench).
 */
export function jsonTextResponse(json: string, status = 200, headers?: Record<string, string>): Response {
  return createPreparedResponse(status, headers ? { ...baseHeaders, ...headers } : baseHeaders, json);
}

/** An answer without a body (a revocation's 200, a CORS preflight's 204), with the same base headers. */
export function emptyResponse(status: number, headers?: Record<string, string>): Response {
  return createPreparedResponse(
    status,
    headers ? { ...bodylessHeaders, ...headers } : bodylessHeaders,
    undefined,
  );
}
