import { decodeFormComponent } from './form-urlencoding.ts';

/**
 * HTTP/1.1 messages as text (RFC 9112 §2-§6), for people: the playground shows the request it sent
 * and the response it got in this form. Pure; masking happens here so no island can forget it.
 */

/** A request an island sends to its own origin. */
export interface HttpRequestDescription {
  method: 'GET' | 'POST';
  /** Path and query, relative to the page's origin. */
  target: string;
  /** Header names in lowercase, as `fetch` sends them. */
  headers: Record<string, string>;
  body?: string;
}

/** A response as the browser handed it over. */
export interface HttpResponseRecord {
  status: number;
  /** The reason phrase the server sent; empty over HTTP/2, where none exists. */
  statusText: string;
  /** Every header `fetch` exposes, lowercase names, in the order it lists them. */
  headers: [string, string][];
  bodyText: string;
}

/** The character a hidden secret is drawn with, once per character of the secret. */
export const maskCharacter = '•';

const reasonPhrases: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The reason phrase for a status: the one the server sent, else RFC 9110 §15's. */
export function reasonPhrase(status: number, sent = ''): string {
  return sent || reasonPhrases[status] || '';
}

/** `content-type` → `Content-Type`: header names are case-insensitive (RFC 9110 §5.1); this is how people write them. */
export function displayHeaderName(name: string): string {
  return name.replace(
    /(^|-)([a-z])/g,
    (_match, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`,
  );
}

function mask(value: string): string {
  return maskCharacter.repeat(value.length);
}

/**
 * The request as it may be shown: the credentials of a Basic header (base64 of `id:secret`, so the
 * secret is readable from it) and a `client_secret` form field are replaced by {@link maskCharacter}s
 * of the same length. Everything else stays byte for byte.
 */
export function maskRequestSecrets(request: HttpRequestDescription): HttpRequestDescription {
  const headers = { ...request.headers };
  const authorization = headers.authorization;
  const basic = authorization === undefined ? null : /^(Basic\s+)(.*)$/i.exec(authorization);
  if (basic) headers.authorization = `${basic[1]}${mask(basic[2]!)}`;
  let body = request.body;
  if (body !== undefined && headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
    body = body
      .split('&')
      .map((pair) => {
        const equals = pair.indexOf('=');
        if (equals < 0 || decodeFormComponent(pair.slice(0, equals)) !== 'client_secret') return pair;
        return `${pair.slice(0, equals + 1)}${mask(pair.slice(equals + 1))}`;
      })
      .join('&');
  }
  return { ...request, headers, ...(body === undefined ? {} : { body }) };
}

/** The body's length in bytes, as `Content-Length` counts it (UTF-8). */
export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * The request as HTTP/1.1 text: request line, `Host`, the headers the island set, `Content-Length`
 * for a body, a blank line and the body. The browser adds its own headers (`User-Agent`, `Origin`,
 * ...); they are not the island's to show.
 */
export function formatHttpRequest(request: HttpRequestDescription, host: string): string {
  const lines = [`${request.method} ${request.target} HTTP/1.1`, `Host: ${host}`];
  for (const [name, value] of Object.entries(request.headers))
    lines.push(`${displayHeaderName(name)}: ${value}`);
  if (request.body !== undefined) lines.push(`Content-Length: ${byteLength(request.body)}`);
  return `${lines.join('\n')}\n${request.body !== undefined ? `\n${request.body}` : ''}`;
}

/** A JSON body indented for reading; any other body as sent. */
export function formatBody(bodyText: string, contentType: string | undefined): string {
  if (bodyText === '' || !/^application\/([a-z.+-]*\+)?json/i.test(contentType ?? '')) return bodyText;
  try {
    return JSON.stringify(JSON.parse(bodyText), null, 2);
  } catch {
    return bodyText;
  }
}

/** The response as HTTP/1.1 text: status line, headers, a blank line and the body (JSON indented). */
export function formatHttpResponse(response: HttpResponseRecord): string {
  const lines = [
    `HTTP/1.1 ${response.status} ${reasonPhrase(response.status, response.statusText)}`.trimEnd(),
  ];
  for (const [name, value] of response.headers) lines.push(`${name}: ${value}`);
  const contentType = response.headers.find(([name]) => name === 'content-type')?.[1];
  const body = formatBody(response.bodyText, contentType);
  return `${lines.join('\n')}\n${body === '' ? '' : `\n${body}`}`;
}

/** A response header by name (case-insensitive), or undefined. */
export function responseHeader(response: HttpResponseRecord, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return response.headers.find(([header]) => header.toLowerCase() === wanted)?.[1];
}

/** The response body as JSON, or undefined when it is empty or not JSON. */
export function responseJson(response: HttpResponseRecord): unknown {
  if (response.bodyText === '') return undefined;
  try {
    return JSON.parse(response.bodyText) as unknown;
  } catch {
    return undefined;
  }
}
