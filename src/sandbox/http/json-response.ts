/**
 * Headers every sandbox answer carries. RFC 6749 §5.1: token responses must not be cached
 * (`Cache-Control: no-store`, and `Pragma: no-cache` for HTTP/1.0 caches); the sandbox applies the
 * same rule to every answer, since all of them are about credentials. `nosniff` keeps a browser
 * from reading a JSON error as HTML.
 */
const baseHeaders = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
} as const;

// The text each JSON response was made from, so a host can write it to the socket without
// reading the Response's body stream back (a measurable cost per request: npm run bench).
const serializedBodies = new WeakMap<Response, string>();

/** The JSON text `response` was made from, if the sandbox made it; its body stream stays unread. */
export function serializedBody(response: Response): string | undefined {
  return serializedBodies.get(response);
}

/** A JSON response with the sandbox's base headers. */
export function jsonResponse(body: unknown, status = 200, headers?: Record<string, string>): Response {
  return jsonTextResponse(JSON.stringify(body), status, headers);
}

/** A response whose JSON text is already serialized (answers that never change are serialized once). */
export function jsonTextResponse(json: string, status = 200, headers?: Record<string, string>): Response {
  const response = new Response(json, { status, headers: headers ? { ...baseHeaders, ...headers } : baseHeaders });
  serializedBodies.set(response, json);
  return response;
}
