/** Headers every sandbox answer carries. RFC 6749 §5.1: token responses must not be cached; the
 * sandbox applies the same rule to every answer, since all of them are about credentials. */
const baseHeaders = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
} as const;

/** A JSON response with the sandbox's base headers. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...baseHeaders, ...headers } });
}
