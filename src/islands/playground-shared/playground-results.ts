import { atom } from 'nanostores';
import type { HttpExchange } from '../../lib/http-exchange.ts';
import { $credentials, bind, browserStorage, isObject, parse, storageKeys } from './playground-store.ts';

/**
 * The last token request and the last API call with their answers, kept in this tab
 * (sessionStorage) so steps 2 and 4 show their results again after a reload. Apart from the
 * session store because only those steps (below the fold) need it: the page loads less at first.
 */

/** The last token request and its answer. */
export const $lastTokenExchange = atom<HttpExchange | undefined>(undefined);
/** The last API call and its answer. */
export const $lastApiExchange = atom<HttpExchange | undefined>(undefined);

const isStringRecord = (value: unknown): value is Record<string, string> =>
  isObject(value) && Object.values(value).every((item) => typeof item === 'string');
const isHeaderList = (value: unknown): value is [string, string][] =>
  Array.isArray(value) &&
  value.every(
    (pair) =>
      Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string',
  );

/** Reads a stored exchange; anything malformed reads as none. */
export function readStoredExchange(text: string | null): HttpExchange | undefined {
  const value = parse(text);
  if (!isObject(value)) return undefined;
  const { request, response, networkError, elapsedMs } = value;
  if (!isObject(request) || typeof elapsedMs !== 'number') return undefined;
  const { method, target, headers, body } = request;
  if ((method !== 'GET' && method !== 'POST') || typeof target !== 'string' || !isStringRecord(headers))
    return undefined;
  if (body !== undefined && typeof body !== 'string') return undefined;
  let record: HttpExchange['response'];
  if (response !== undefined && response !== null) {
    if (!isObject(response)) return undefined;
    const { status, statusText, headers: responseHeaders, bodyText } = response;
    if (
      typeof status !== 'number' ||
      typeof statusText !== 'string' ||
      !isHeaderList(responseHeaders) ||
      typeof bodyText !== 'string'
    )
      return undefined;
    record = { status, statusText, headers: responseHeaders, bodyText };
  }
  return {
    request: { method, target, headers, ...(body === undefined ? {} : { body }) },
    response: record,
    networkError: typeof networkError === 'string' ? networkError : undefined,
    elapsedMs,
  };
}

let restored = false;

/** Loads the two from sessionStorage once, and drops them when the credentials are forgotten. */
export function restorePlaygroundResults(storage = browserStorage('sessionStorage')): void {
  if (restored || storage === undefined) return;
  restored = true;
  try {
    bind($lastTokenExchange, storageKeys.lastTokenExchange, readStoredExchange, storage);
    bind($lastApiExchange, storageKeys.lastApiExchange, readStoredExchange, storage);
  } catch {
    // Storage blocked: the results last for the page only.
  }
}

// "Forget" (here or in another tab) leaves no request of the old client behind.
$credentials.listen((credentials) => {
  if (credentials !== undefined) return;
  $lastTokenExchange.set(undefined);
  $lastApiExchange.set(undefined);
});

restorePlaygroundResults();
