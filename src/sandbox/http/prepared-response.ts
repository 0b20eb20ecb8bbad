/**
 * A `Response` that is built only when something needs more than its status.
 *
 * undici's `Response` constructor is the largest cost of a sandbox answer: a string body becomes
 * a ReadableStream with its controller and queue, and the header record becomes a validated
 * `Headers` list, about 5 µs per answer, which the node:http host then reads back. The sandbox's
 * answers are small JSON texts with known headers, so they are kept as plain fields, and a host
 * that knows this module ({@link preparedResponseParts}) writes them to its socket directly. Any
 * other use (headers, body, json(), clone(), ...) builds the real Response once and delegates to
 * it, so for every other caller this is an ordinary `Response` (`instanceof Response` holds). The
 * technique is @hono/node-server's, like lazy-request.ts on the request side.
 */

import { lazyPrototype } from '../../lib/lazy-prototype.ts';

interface PreparedFields {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** The body text; undefined for an answer without a body. */
  body: string | undefined;
  real?: Response;
}

const fields = Symbol('preparedResponseFields');
type PreparedResponse = Response & { [fields]: PreparedFields };

function realResponse(response: PreparedResponse): Response {
  const prepared = response[fields];
  prepared.real ??= new Response(prepared.body ?? null, {
    status: prepared.status,
    headers: prepared.headers,
  });
  return prepared.real;
}

const preparedResponsePrototype = lazyPrototype<PreparedResponse>(
  Response.prototype,
  {
    status: {
      get(this: PreparedResponse) {
        return this[fields].real?.status ?? this[fields].status;
      },
    },
    ok: {
      get(this: PreparedResponse) {
        const status = this[fields].status;
        return status >= 200 && status <= 299;
      },
    },
  },
  realResponse,
);

/** A Response with this status, these headers (lowercase names) and this body text. */
export function createPreparedResponse(
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string | undefined,
): Response {
  const response = Object.create(preparedResponsePrototype) as PreparedResponse;
  response[fields] = { status, headers, body };
  return response;
}

/**
 * The status, headers and body text of a prepared response that nothing has turned into a real
 * one yet; undefined otherwise (then its headers may have been changed: read the Response).
 */
export function preparedResponseParts(
  response: Response,
): { status: number; headers: Readonly<Record<string, string>>; body: string | undefined } | undefined {
  const prepared = (response as Partial<PreparedResponse>)[fields];
  return prepared && !prepared.real ? prepared : undefined;
}
