import { callSandbox } from '../../lib/sandbox-contract/call.ts';
import {
  buildReadCheckRequest,
  clientCheckPath,
  processReadCheckResponse,
  readCheck,
  type ClientCheck,
} from '../../lib/sandbox-contract/checks.ts';
import type { JsonObject } from '../../lib/sandbox-contract/assertions.ts';
import { SandboxResponseError } from '../../lib/sandbox-contract/response-error.ts';
import { createEventStreamParser } from '../request-journal/request-journal.ts';
import { describeReadFailure } from './client-check.ts';

/** How a watch ended. */
export type WatchEnd = 'done' | 'aborted' | 'gone';

/** How the page is following the check. */
export type WatchMode = 'stream' | 'polling' | 'done';

export interface WatchCheckOptions {
  clientId: string;
  checkId: string;
  /** Not needed: reading a check needs no credentials (the permalink works for anyone). */
  registrationAccessToken?: string;
  signal: AbortSignal;
  /** Each new state of the check, from the stream or a poll. */
  onCheck: (check: ClientCheck) => void;
  onMode: (mode: WatchMode) => void;
  /** A plain message when reading fails (the page keeps trying while the check runs); undefined once it works again. */
  onProblem: (message: string | undefined) => void;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Between polls, and before trying again after a failure. */
  pollMs?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Follows a check until it is `done`: first as server-sent events (`GET .../checks/{id}` with
 * `Accept: text/event-stream`, an event each time the check changes, read with fetch like the
 * journal), and when the stream breaks or cannot be had, by polling the same URL as JSON. Never
 * throws; failures go to `onProblem` in plain words. Resolves when the check is done (`done`),
 * `signal` aborts (`aborted`), or the sandbox says the check does not exist (`gone`).
 */
export async function watchCheck(options: WatchCheckOptions): Promise<WatchEnd> {
  const { signal } = options;
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const sleep = options.sleep ?? defaultSleep;
  const pollMs = options.pollMs ?? 2_000;
  let done = false;
  const seen = (check: ClientCheck) => {
    if (signal.aborted) return;
    options.onProblem(undefined);
    options.onCheck(check);
    if (check.status === 'done') done = true;
  };

  options.onMode('stream');
  await streamCheck(options, fetchImpl, seen);
  if (done || signal.aborted) return finish();

  // The stream broke or was refused: poll as JSON until the check is done.
  options.onMode('polling');
  while (!done && !signal.aborted) {
    const outcome = await callSandbox(
      buildReadCheckRequest(options.clientId, options.registrationAccessToken, options.checkId),
      processReadCheckResponse,
      { fetch: (input, init) => fetchImpl(input, { ...init, signal }) },
    );
    if (signal.aborted) return 'aborted';
    if (outcome.ok) seen(outcome.value);
    else {
      options.onProblem(describeReadFailure(outcome.error));
      // A check that does not exist will not appear by asking again.
      if (outcome.error.status === 404) return 'gone';
    }
    if (!done) await sleep(pollMs, signal);
  }
  return finish();

  function finish(): WatchEnd {
    if (signal.aborted) return 'aborted';
    options.onMode('done');
    return 'done';
  }
}

/** Reads the stream until it ends or breaks; each event's data is a whole check resource. */
async function streamCheck(
  options: WatchCheckOptions,
  fetchImpl: (input: string, init: RequestInit) => Promise<Response>,
  seen: (check: ClientCheck) => void,
): Promise<void> {
  const { signal } = options;
  try {
    const response = await fetchImpl(clientCheckPath(options.clientId, options.checkId), {
      headers: {
        accept: 'text/event-stream',
        ...(options.registrationAccessToken === undefined
          ? {}
          : { authorization: `Bearer ${options.registrationAccessToken}` }),
      },
      credentials: 'omit',
      redirect: 'manual',
      cache: 'no-store',
      signal,
    });
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !response.body || !type.startsWith('text/event-stream')) {
      await response.body?.cancel();
      return;
    }
    const parse = createEventStreamParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const event of parse(value)) {
        const check = parseCheckEvent(event.data);
        if (!check) continue;
        seen(check);
        if (check.status === 'done') {
          await reader.cancel();
          return;
        }
      }
    }
  } catch {
    // A broken stream (network, proxy timeout, abort): the caller polls instead.
  }
}

/** One event's data as a check, or undefined when it is not one (a malformed event is skipped). */
export function parseCheckEvent(data: string): ClientCheck | undefined {
  try {
    const value = JSON.parse(data) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return readCheck(value as JsonObject, 200);
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof SandboxResponseError) return undefined;
    throw error;
  }
}
