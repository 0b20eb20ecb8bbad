/**
 * A `Headers` read straight from node:http's `rawHeaders` until something needs more than `get`
 * and `has`.
 *
 * Building undici's `Headers` validates and copies every header of every request (about 2 % of a
 * token request, npm run bench), and each `get` on it validates its argument again. The sandbox
 * only asks for a few headers by name, so those are answered from the raw list, as undici
 * would: names case-insensitively, repeated fields joined with ", " ("; " for Cookie, RFC 9110
 * §5.3, RFC 6265 §5.4), values without surrounding whitespace. Anything else (iteration, keys(),
 * set(), append(), ...) builds the real Headers once and delegates to it from then on, so for
 * every other caller this is an ordinary `Headers` (`instanceof Headers` holds). The same
 * technique as lazy-request.ts.
 */

import { lazyPrototype } from '../lib/lazy-prototype.ts';

interface LazyHeadersState {
  /** node:http's rawHeaders: name, value, name, value, ... as received. */
  raw: readonly string[];
  real?: Headers;
}

const state = Symbol('lazyHeadersState');
type LazyHeaders = Headers & { [state]: LazyHeadersState };

/** The Headers this one stands for; built on first need, and the only one read from then on. */
export function realHeaders(headers: Headers): Headers {
  const fields = (headers as Partial<LazyHeaders>)[state];
  if (!fields) return headers;
  if (!fields.real) {
    const real = new Headers();
    const raw = fields.raw;
    for (let i = 0; i < raw.length; i += 2) {
      // HTTP/2 pseudo-headers cannot go into a Headers object.
      if (!raw[i]!.startsWith(':')) real.append(raw[i]!, raw[i + 1]!);
    }
    fields.real = real;
  }
  return fields.real;
}

const isWhitespace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/** RFC 9110 §5.5: a field value without its leading and trailing whitespace (node:http trims already). */
function normalizedValue(value: string): string {
  return value.length > 0 &&
    (isWhitespace(value.charCodeAt(0)) || isWhitespace(value.charCodeAt(value.length - 1)))
    ? value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
    : value;
}

/** The combined value of the field `name` in `raw`, as Headers#get gives it; null when absent. */
function rawValue(raw: readonly string[], name: string): string | null {
  const wanted = name.toLowerCase();
  let value: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const candidate = raw[i]!;
    if (candidate.length !== wanted.length || candidate.toLowerCase() !== wanted) continue;
    const next = normalizedValue(raw[i + 1]!);
    value = value === null ? next : `${value}${wanted === 'cookie' ? '; ' : ', '}${next}`;
  }
  return value;
}

const lazyHeadersPrototype = lazyPrototype<LazyHeaders>(
  Headers.prototype,
  {
    get: {
      value(this: LazyHeaders, name: string): string | null {
        const fields = this[state];
        return fields.real ? fields.real.get(name) : rawValue(fields.raw, String(name));
      },
    },
    has: {
      value(this: LazyHeaders, name: string): boolean {
        const fields = this[state];
        return fields.real ? fields.real.has(name) : rawValue(fields.raw, String(name)) !== null;
      },
    },
  },
  realHeaders,
);

/** A Headers of these raw fields (node:http's `rawHeaders`); the real one is built on first use of anything but get/has. */
export function createLazyHeaders(raw: readonly string[]): Headers {
  const headers = Object.create(lazyHeadersPrototype) as LazyHeaders;
  headers[state] = { raw };
  return headers;
}
