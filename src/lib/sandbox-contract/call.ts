import { sendExchange, type ExchangeOptions, type HttpExchange } from '../http-exchange.ts';
import type { HttpRequestDescription } from '../http-message.ts';
import { SandboxResponseError } from './response-error.ts';

/** A call's outcome beside the exchange it made, so a caller can both show the HTTP and use the result. */
export type SandboxCallOutcome<T> = { exchange: HttpExchange } & (
  { ok: true; value: T } | { ok: false; error: SandboxResponseError }
);

/**
 * The one way the islands call the sandbox: sends `request` (same origin, no cookies, no
 * redirects followed: see `sendExchange`), then hands the exchange to `process`, one of the
 * contract's `process…Response` functions. Its {@link SandboxResponseError} becomes `ok: false`;
 * any other error is a bug and is thrown.
 */
export async function callSandbox<T>(
  request: HttpRequestDescription,
  process: (exchange: HttpExchange) => T,
  options: ExchangeOptions = {},
): Promise<SandboxCallOutcome<T>> {
  const exchange = await sendExchange(request, options);
  try {
    return { exchange, ok: true, value: process(exchange) };
  } catch (error) {
    if (error instanceof SandboxResponseError) return { exchange, ok: false, error };
    throw error;
  }
}
