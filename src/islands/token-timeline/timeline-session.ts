import { apiProfile } from '../../lib/api-profile.ts';
import { encodeBasicCredentials } from '../../lib/basic-auth.ts';
import { ClientCredentialsTokenSource } from '../../lib/client-credentials-token-source.ts';
import { TokenSourceError } from '../../lib/token-source-error.ts';
import {
  applyTokenEvent,
  clientRegistered,
  currentToken,
  recordCall,
  recordRevocation,
  recordSkew,
  runFailed,
  startTimeline,
  stopTimeline,
  type TimelineState,
} from './token-timeline.ts';

/** The sandbox paths the timeline uses, relative: the island talks to its own origin only. */
export const timelinePaths = {
  register: '/oauth/register',
  token: '/oauth/token',
  revoke: '/oauth/revoke',
  api: '/api/v1/reports',
} as const;

/** What a running timeline needs; everything but the first two has a browser default. */
export interface TimelineSessionOptions {
  /** The `access_token_lifetime` to register the client with, in seconds (the sandbox allows 5 to 3600). */
  lifetimeSeconds: number;
  /** Called with each new state. */
  onChange: (state: TimelineState) => void;
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** The page's clock in milliseconds; the client's clock is this plus the skew. */
  now?: () => number;
  /** Calls `callback` every `ms` milliseconds until the returned function is called. */
  every?: (callback: () => void, ms: number) => () => void;
  callEveryMs?: number;
}

/** A running timeline: the reader's buttons call these. */
export interface TimelineSession {
  /** Resolves once the client is registered (or registration failed). */
  ready: Promise<void>;
  revokeCurrentToken(): Promise<void>;
  /** Moves the client's clock ahead; the page's and the server's clocks are unchanged. */
  skewClock(addMs: number): void;
  stop(): void;
  /** Resolves when no API call is in flight. */
  idle(): Promise<void>;
}

interface Registration {
  clientId: string;
  clientSecret: string;
}

/** Reads the RFC 7591 §3.2.1 registration answer field by field; a string says what is wrong. */
export function readRegistration(status: number, body: unknown): Registration | string {
  if (status !== 201) {
    const error =
      typeof body === 'object' && body !== null && typeof (body as Record<string, unknown>).error === 'string'
        ? ` ${(body as Record<string, unknown>).error}`
        : '';
    return `registering a client answered HTTP ${status}${error}`;
  }
  if (typeof body !== 'object' || body === null) return '"response" body must be a JSON object';
  const { client_id, client_secret } = body as Record<string, unknown>;
  if (typeof client_id !== 'string' || client_id === '')
    return '"response" body "client_id" must be a non-empty string';
  if (typeof client_secret !== 'string' || client_secret === '')
    return '"response" body "client_secret" must be a non-empty string';
  return { clientId: client_id, clientSecret: client_secret };
}

const defaultEvery = (callback: () => void, ms: number) => {
  const id = setInterval(callback, ms);
  return () => clearInterval(id);
};

/**
 * Starts a timeline: registers a disposable sandbox client, then calls the API once a second
 * through the reference token client, and reports every step as a new {@link TimelineState}.
 */
export function startTimelineSession(options: TimelineSessionOptions): TimelineSession {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? (() => Date.now());
  const every = options.every ?? defaultEvery;
  const callEveryMs = options.callEveryMs ?? 1000;

  let state = startTimeline(now(), options.lifetimeSeconds);
  let stopped = false;
  let cancelCalls: (() => void) | undefined;
  let source: ClientCredentialsTokenSource | undefined;
  let registration: Registration | undefined;
  let inFlight: Promise<void> | undefined;
  let retriedThisCall = false;

  function update(change: (current: TimelineState) => TimelineState) {
    if (stopped) return;
    state = change(state);
    options.onChange(state);
  }
  options.onChange(state);

  async function callApi() {
    if (!source) return;
    retriedThisCall = false;
    try {
      const response = await source.fetch(timelinePaths.api, { headers: { accept: 'application/json' } });
      await response.body?.cancel();
      update((current) => recordCall(current, now(), response.status, retriedThisCall));
    } catch (error) {
      const reason =
        error instanceof TokenSourceError
          ? `${error.code} (${error.message})`
          : 'the sandbox could not be reached';
      update((current) => recordCall(current, now(), undefined, retriedThisCall, reason));
    }
  }

  function tick() {
    // One call at a time: a slow answer delays the next call rather than stacking them.
    if (stopped || inFlight) return;
    inFlight = callApi().finally(() => {
      inFlight = undefined;
    });
  }

  async function register() {
    let response: Response;
    let body: unknown;
    try {
      response = await fetchImpl(timelinePaths.register, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          client_name: 'Token timeline',
          scope: apiProfile.readScope,
          access_token_lifetime: options.lifetimeSeconds,
        }),
      });
      body = await response.json().catch(() => undefined);
    } catch {
      update((current) => runFailed(current, now(), 'the sandbox could not be reached.'));
      return;
    }
    const result = readRegistration(response.status, body);
    if (typeof result === 'string') {
      update((current) => runFailed(current, now(), `${result}.`));
      return;
    }
    if (stopped) return;
    registration = result;
    source = new ClientCredentialsTokenSource({
      tokenEndpoint: timelinePaths.token,
      clientId: result.clientId,
      clientSecret: result.clientSecret,
      scopes: [apiProfile.readScope],
      fetch: (input, init) => fetchImpl(String(input), init),
      // The client's own clock: the page's plus whatever the reader skewed it by.
      now: () => now() + state.skewMs,
      onEvent: (event) => {
        if (event.type === 'retrying-after-invalid-token') retriedThisCall = true;
        update((current) => applyTokenEvent(current, event, now()));
      },
    });
    update((current) => clientRegistered(current, now()));
    tick();
    cancelCalls = every(tick, callEveryMs);
  }

  const ready = register();

  return {
    ready,
    async revokeCurrentToken() {
      if (!source || !registration || stopped) return;
      const token = await source.getToken();
      const number = currentToken(state)?.number;
      if (number === undefined) return;
      let status: number | undefined;
      try {
        // RFC 7009 §2.1: the client authenticates as it does at the token endpoint.
        const response = await fetchImpl(timelinePaths.revoke, {
          method: 'POST',
          headers: {
            authorization: encodeBasicCredentials(registration.clientId, registration.clientSecret),
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        });
        await response.body?.cancel();
        status = response.status;
      } catch {
        status = undefined;
      }
      update((current) => recordRevocation(current, now(), number, status));
    },
    skewClock(addMs) {
      update((current) => recordSkew(current, now(), addMs));
    },
    stop() {
      if (stopped) return;
      cancelCalls?.();
      state = stopTimeline(state, now());
      stopped = true;
      options.onChange(state);
    },
    async idle() {
      await ready;
      await inFlight;
    },
  };
}
