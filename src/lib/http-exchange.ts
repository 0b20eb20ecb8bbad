import type { HttpRequestDescription, HttpResponseRecord } from './http-message.ts';

/** One request and what came of it. */
export interface HttpExchange {
  request: HttpRequestDescription;
  /** Undefined when no response came; `networkError` says why. */
  response: HttpResponseRecord | undefined;
  networkError: string | undefined;
  /** From sending the request to having read the whole body, in milliseconds. */
  elapsedMs: number;
}

/** What {@link sendExchange} needs; the defaults are the browser's. */
export interface ExchangeOptions {
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** A monotonic clock in milliseconds, for the timing. */
  now?: () => number;
}

/**
 * Sends `request` and reads the whole response, timing both. Never throws: a network failure
 * becomes `networkError`, so every caller can show what happened.
 */
export async function sendExchange(
  request: HttpRequestDescription,
  options: ExchangeOptions = {},
): Promise<HttpExchange> {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? (() => performance.now());
  const started = now();
  try {
    const response = await fetchImpl(request.target, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      // No cookies, and no browser login prompt: with credentials, a 401 carrying a Basic
      // challenge (the token endpoint's invalid_client) makes the browser ask for a password
      // instead of handing the answer over (Fetch §4.5, HTTP-network-or-cache fetch).
      credentials: 'omit',
      // Never follow a redirect silently: the reader sees what the sandbox answered.
      redirect: 'manual',
      cache: 'no-store',
    });
    const bodyText = await response.text();
    return {
      request,
      response: {
        status: response.status,
        statusText: response.statusText,
        headers: [...response.headers],
        bodyText,
      },
      networkError: undefined,
      elapsedMs: now() - started,
    };
  } catch (error) {
    return {
      request,
      response: undefined,
      networkError:
        error instanceof Error && error.message ? error.message : 'the sandbox could not be reached',
      elapsedMs: now() - started,
    };
  }
}
