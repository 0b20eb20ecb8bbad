import { ClientCredentialsTokenSource } from '../../lib/client-credentials-token-source.ts';
import {
  buildRegistrationRequest,
  buildRevocationRequest,
  callSandbox,
  processRegistrationResponse,
  processRevocationResponse,
  reportsScopes,
  sandboxPaths,
  type ClientCredentials,
} from '../../lib/sandbox-contract/index.ts';
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

/** What a running timeline needs; everything but the first two has a browser default. */
export interface TimelineSessionOptions {
  /** The `access_token_lifetime` to register the client with, in seconds (within the contract's `accessTokenLifetime`). */
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
  let registration: ClientCredentials | undefined;
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
      const response = await source.fetch(sandboxPaths.reports, { headers: { accept: 'application/json' } });
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
    const outcome = await callSandbox(
      buildRegistrationRequest({
        clientName: 'Token timeline',
        scopes: [reportsScopes.GET],
        accessTokenLifetime: options.lifetimeSeconds,
      }),
      processRegistrationResponse,
      { fetch: fetchImpl },
    );
    if (!outcome.ok) {
      const reason = outcome.error.message;
      update((current) => runFailed(current, now(), reason));
      return;
    }
    if (stopped) return;
    const client = outcome.value;
    registration = client;
    source = new ClientCredentialsTokenSource({
      tokenEndpoint: sandboxPaths.token,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      scopes: [reportsScopes.GET],
      fetch: (input, init) =>
        fetchImpl(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, init),
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
      const outcome = await callSandbox(
        buildRevocationRequest(registration, token),
        processRevocationResponse,
        {
          fetch: fetchImpl,
        },
      );
      const status = outcome.exchange.response?.status;
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
