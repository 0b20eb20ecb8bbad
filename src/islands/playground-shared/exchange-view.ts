import {
  byteLength,
  displayHeaderName,
  formatBody,
  reasonPhrase,
  type HttpRequestDescription,
  type HttpResponseRecord,
} from '../../lib/http-message.ts';

/**
 * An HTTP message split for reading: the start line, the headers that explain the exchange (shown),
 * the rest (behind a toggle), and the body. Pure, so the tests read what the island shows.
 */
export interface MessageParts {
  startLine: string;
  /** Shown at once: the headers this step is about. */
  keyHeaders: [string, string][];
  /** Behind "N more headers". */
  otherHeaders: [string, string][];
  body: string;
  /** The body is JSON (indented): highlight it. */
  json: boolean;
}

/** The headers a reader of the playground needs to see without asking (lowercase). */
const keyHeaderNames = new Set([
  'authorization',
  'content-type',
  'www-authenticate',
  'retry-after',
  'cache-control',
  'location',
]);

function split(headers: [string, string][]): Pick<MessageParts, 'keyHeaders' | 'otherHeaders'> {
  const keyHeaders: [string, string][] = [];
  const otherHeaders: [string, string][] = [];
  for (const header of headers)
    (keyHeaderNames.has(header[0].toLowerCase()) ? keyHeaders : otherHeaders).push(header);
  return { keyHeaders, otherHeaders };
}

const isJsonType = (contentType: string | undefined) =>
  /^application\/([a-z.+-]*\+)?json/i.test(contentType ?? '');

/** The request as the island sent it (`Host` and `Content-Length` as the browser adds them). */
export function requestParts(request: HttpRequestDescription, host: string): MessageParts {
  const headers: [string, string][] = [['Host', host]];
  for (const [name, value] of Object.entries(request.headers)) headers.push([displayHeaderName(name), value]);
  if (request.body !== undefined) headers.push(['Content-Length', String(byteLength(request.body))]);
  const contentType = request.headers['content-type'];
  return {
    startLine: `${request.method} ${request.target} HTTP/1.1`,
    ...split(headers),
    body: formatBody(request.body ?? '', contentType),
    json: isJsonType(contentType),
  };
}

/** The response as the browser handed it over. */
export function responseParts(response: HttpResponseRecord): MessageParts {
  const contentType = response.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  const body = formatBody(response.bodyText, contentType);
  return {
    startLine: `HTTP/1.1 ${response.status} ${reasonPhrase(response.status, response.statusText)}`.trimEnd(),
    ...split(response.headers),
    body,
    json: isJsonType(contentType),
  };
}

/** A compact JWS (RFC 7515 §7.1) as it appears in headers and JSON bodies. */
const jwtPattern = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;

/**
 * Shortens every JWT in `text` to its first 12 and last 6 characters around an ellipsis, with its
 * length: a token appears in the request, the response and the inspector, and in full it is a
 * wall of characters. `reveal` keeps them whole.
 */
export function shortenTokens(text: string, reveal: boolean): string {
  if (reveal) return text;
  return text.replace(jwtPattern, (token) =>
    token.length <= 40 ? token : `${token.slice(0, 12)}…${token.slice(-6)} (${token.length} characters)`,
  );
}

/** Whether `text` holds a token long enough to be shortened. */
export function hasLongToken(text: string): boolean {
  return [...text.matchAll(jwtPattern)].some((match) => match[0].length > 40);
}

/** One piece of highlighted JSON. */
export interface JsonToken {
  kind: 'key' | 'string' | 'number' | 'literal' | 'punctuation' | 'space';
  text: string;
}

const jsonTokenPattern =
  /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([{}[\],:])|(\s+)|(.)/gs;

/**
 * Splits JSON text into pieces for colouring (keys, strings, numbers, literals): a few hundred
 * bytes instead of a highlighter, since the page's weight budget holds Shiki back until the code
 * panel opens. Any text goes in; what is not JSON comes out as punctuation, unchanged.
 */
export function highlightJson(text: string): JsonToken[] {
  const tokens: JsonToken[] = [];
  for (const match of text.matchAll(jsonTokenPattern)) {
    const [, string, colon, number, literal, punctuation, space, other] = match;
    if (string !== undefined) {
      tokens.push({ kind: colon ? 'key' : 'string', text: string });
      if (colon) tokens.push({ kind: 'punctuation', text: colon });
    } else if (number !== undefined) tokens.push({ kind: 'number', text: number });
    else if (literal !== undefined) tokens.push({ kind: 'literal', text: literal });
    else if (punctuation !== undefined) tokens.push({ kind: 'punctuation', text: punctuation });
    else if (space !== undefined) tokens.push({ kind: 'space', text: space });
    else tokens.push({ kind: 'punctuation', text: other ?? '' });
  }
  return tokens;
}
