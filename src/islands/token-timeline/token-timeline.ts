import type { TokenSourceEvent } from '../../lib/client-credentials-token-source.ts';

/**
 * The timeline's model: pure functions from what happened to what the island draws and says.
 * Every time here is the page's real clock in milliseconds; the client's (possibly skewed) clock
 * is converted on the way in, so the axis stays true when the reader skews the client's clock.
 */

/** One access token's life, as the client counts it. */
export interface TimelineToken {
  number: number;
  issuedAt: number;
  /** When the client planned to refresh it; undefined when the server sent no expires_in. */
  refreshAt: number | undefined;
  expiresAt: number | undefined;
  /** When the client stopped using it: replaced by the next token. */
  endedAt: number | undefined;
  revokedAt: number | undefined;
  /** When the API refused it (401 invalid_token). */
  refusedAt: number | undefined;
}

/** One API call as the caller saw it, after the client's one retry if there was one. */
export interface TimelineCall {
  number: number;
  at: number;
  /** The HTTP status the caller got; undefined when no response came (the message says why). */
  status: number | undefined;
  /** True when the first answer was 401 invalid_token and this is the retry's answer. */
  retried: boolean;
}

/** A moment worth a mark on the axis. */
export interface TimelineMark {
  at: number;
  kind: 'proactive-refresh' | 'revocation' | 'refused' | 'clock-jump';
  /** The token it concerns, when it concerns one. */
  token: number | undefined;
}

/** One line of the event list. */
export interface TimelineEntry {
  id: number;
  at: number;
  text: string;
  /**
   * Set on a routine call (answered 200 at the first try): the call's number. The list folds runs
   * of them into one line, so the events that matter are not buried under a line a second.
   */
  routineCall?: number;
}

export interface TimelineState {
  startedAt: number;
  /** How far the client's clock is ahead of the page's, in milliseconds. */
  skewMs: number;
  /** The registered client's token lifetime, in seconds. */
  lifetimeSeconds: number;
  running: boolean;
  tokens: TimelineToken[];
  calls: TimelineCall[];
  marks: TimelineMark[];
  /** The newest {@link maxEntries} entries, oldest first. */
  entries: TimelineEntry[];
  /** Entries ever added: the number of the newest one. */
  entryCount: number;
}

/** The event list keeps this many lines; older ones scroll away. */
export const maxEntries = 200;
/** Calls kept for the axis: more than a window's worth. */
const maxCalls = 120;

function seconds(ms: number): string {
  const value = Math.round(ms / 100) / 10;
  return `${Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1)} s`;
}

/** "12.3 s": a moment counted from Start, always with one decimal so a list of them lines up. */
export function elapsedLabel(state: Pick<TimelineState, 'startedAt'>, at: number): string {
  return `${(Math.max(0, at - state.startedAt) / 1000).toFixed(1)} s`;
}

function addEntry(state: TimelineState, at: number, text: string, routineCall?: number): TimelineState {
  const entryCount = state.entryCount + 1;
  const entry: TimelineEntry =
    routineCall === undefined ? { id: entryCount, at, text } : { id: entryCount, at, text, routineCall };
  const entries = [...state.entries, entry];
  return {
    ...state,
    entryCount,
    entries: entries.length > maxEntries ? entries.slice(entries.length - maxEntries) : entries,
  };
}

function updateToken(state: TimelineState, number: number, change: Partial<TimelineToken>): TimelineState {
  return {
    ...state,
    tokens: state.tokens.map((token) => (token.number === number ? { ...token, ...change } : token)),
  };
}

/** The token the client holds now: the newest one not yet replaced. */
export function currentToken(state: TimelineState): TimelineToken | undefined {
  const newest = state.tokens.at(-1);
  return newest && newest.endedAt === undefined ? newest : undefined;
}

/** A new timeline: the reader pressed Start. */
export function startTimeline(at: number, lifetimeSeconds: number): TimelineState {
  const state: TimelineState = {
    startedAt: at,
    skewMs: 0,
    lifetimeSeconds,
    running: true,
    tokens: [],
    calls: [],
    marks: [],
    entries: [],
    entryCount: 0,
  };
  return addEntry(state, at, `Started. Registering a sandbox client whose tokens live ${lifetimeSeconds} s.`);
}

/** The client is registered; calls begin. */
export function clientRegistered(state: TimelineState, at: number): TimelineState {
  return addEntry(state, at, 'Registered the client. Calling GET /api/v1/reports every second.');
}

/** Something stopped the run before or during it: registration failed, for instance. */
export function runFailed(state: TimelineState, at: number, reason: string): TimelineState {
  return addEntry({ ...state, running: false }, at, `Stopped: ${reason}`);
}

/** The reader pressed Stop. */
export function stopTimeline(state: TimelineState, at: number): TimelineState {
  if (!state.running) return state;
  return addEntry({ ...state, running: false }, at, 'Stopped. No more calls.');
}

/** Applies one event of the token source; `at` is the page's clock when it arrived. */
export function applyTokenEvent(state: TimelineState, event: TokenSourceEvent, at: number): TimelineState {
  const toPage = (clientTime: number | undefined) =>
    clientTime === undefined ? undefined : clientTime - state.skewMs;
  const holding = currentToken(state);
  switch (event.type) {
    case 'token-requested': {
      const next = state.tokens.length + 1;
      if (event.reason === 'proactive-refresh' && holding) {
        const margin =
          holding.expiresAt !== undefined && holding.refreshAt !== undefined
            ? ` (the last ${seconds(holding.expiresAt - holding.refreshAt)} of its life)`
            : '';
        const marked = {
          ...state,
          marks: [...state.marks, { at, kind: 'proactive-refresh' as const, token: holding.number }],
        };
        return addEntry(
          marked,
          at,
          `Proactive refresh: token ${holding.number} is inside its safety margin${margin}, so the client requests token ${next} before it expires.`,
        );
      }
      if (event.reason === 'expired' && holding) {
        const skew = state.skewMs > 0 ? `, because the client's clock is ${seconds(state.skewMs)} ahead` : '';
        return addEntry(
          state,
          at,
          `Token ${holding.number} has expired by the client's clock${skew}: requesting token ${next}.`,
        );
      }
      if (event.reason === 'rejected')
        return addEntry(state, at, `Requesting token ${next} to replace the refused one.`);
      return addEntry(state, at, `Requesting token ${next}: the client has none.`);
    }
    case 'token-issued': {
      let next = holding ? updateToken(state, holding.number, { endedAt: at }) : state;
      const token: TimelineToken = {
        number: event.token,
        issuedAt: at,
        refreshAt: toPage(event.refreshAt),
        expiresAt: toPage(event.expiresAt),
        endedAt: undefined,
        revokedAt: undefined,
        refusedAt: undefined,
      };
      next = { ...next, tokens: [...next.tokens, token] };
      const life =
        token.expiresAt !== undefined && token.refreshAt !== undefined
          ? `valid for ${seconds(token.expiresAt - at)}, refresh due in ${seconds(token.refreshAt - at)}`
          : 'no expires_in, kept until the API refuses it';
      return addEntry(next, at, `Got token ${token.number}: ${life}.`);
    }
    case 'retrying-after-invalid-token': {
      const refused = updateToken(state, event.token, { refusedAt: at, endedAt: at });
      const marked = {
        ...refused,
        marks: [...refused.marks, { at, kind: 'refused' as const, token: event.token }],
      };
      return addEntry(
        marked,
        at,
        `The API refused token ${event.token} (401 invalid_token). The client drops it and retries the call once with a new token.`,
      );
    }
    case 'backing-off': {
      const what = event.status === undefined ? 'could not be reached' : `answered HTTP ${event.status}`;
      return addEntry(
        state,
        at,
        `The token endpoint ${what}: waiting ${seconds(event.delayMs)} before attempt ${event.attempt + 1}.`,
      );
    }
    case 'token-request-failed':
      return addEntry(state, at, `The token request failed: ${event.code}.`);
    case 'early-refresh-failed':
      return addEntry(
        state,
        at,
        `The early refresh failed (${event.code}): token ${event.token} is still valid, so the ` +
          `client keeps using it for ${seconds(event.expiresAt - event.at)} and tries again in ` +
          `${seconds(event.retryAt - event.at)}.`,
      );
  }
}

/** Records an API call's outcome. `failure` says why there was no response. */
export function recordCall(
  state: TimelineState,
  at: number,
  status: number | undefined,
  retried: boolean,
  failure?: string,
): TimelineState {
  const number = (state.calls.at(-1)?.number ?? 0) + 1;
  const calls = [...state.calls, { number, at, status, retried }];
  const next = { ...state, calls: calls.length > maxCalls ? calls.slice(calls.length - maxCalls) : calls };
  const token = currentToken(next);
  const withToken = token ? ` with token ${token.number}` : '';
  if (status === undefined) return addEntry(next, at, `Call ${number} failed: ${failure ?? 'no response'}.`);
  if (retried) {
    const outcome = status === 200 ? 'recovered: 200 OK after one retry' : `HTTP ${status} after one retry`;
    return addEntry(next, at, `Call ${number}: GET /api/v1/reports ${outcome}${withToken}.`);
  }
  return addEntry(
    next,
    at,
    `Call ${number}: GET /api/v1/reports → ${status === 200 ? '200 OK' : `HTTP ${status}`}${withToken}.`,
    status === 200 ? number : undefined,
  );
}

/** The reader revoked the current token (RFC 7009); `status` is the revocation endpoint's answer. */
export function recordRevocation(
  state: TimelineState,
  at: number,
  token: number,
  status: number | undefined,
): TimelineState {
  if (status !== 200) {
    return addEntry(
      state,
      at,
      `Revoking token ${token} failed: ${status === undefined ? 'no response' : `HTTP ${status}`}.`,
    );
  }
  const revoked = updateToken(state, token, { revokedAt: at });
  const marked = { ...revoked, marks: [...revoked.marks, { at, kind: 'revocation' as const, token }] };
  return addEntry(
    marked,
    at,
    `You revoked token ${token} (POST /oauth/revoke → 200). The client does not know yet: its next call will be refused.`,
  );
}

/**
 * The client's wall clock jumped `addMs` ahead, as a clock correction (NTP, a VM resumed, a
 * person fixing the time) moves it: a client that times its token by the wall clock rather than a
 * monotonic clock sees the token age by `addMs` at once. The page's and the server's clocks are unchanged.
 */
export function recordSkew(state: TimelineState, at: number, addMs: number): TimelineState {
  const skewed = {
    ...state,
    skewMs: state.skewMs + addMs,
    marks: [...state.marks, { at, kind: 'clock-jump' as const, token: undefined }],
  };
  return addEntry(
    skewed,
    at,
    `You jumped the client's wall clock ${seconds(addMs)} ahead, as a clock correction would (now ` +
      `${seconds(skewed.skewMs)} ahead of the server's). A client that timed its token by a monotonic clock would not notice.`,
  );
}

/** One line of the list: an entry, or a run of routine calls folded into one line. */
export type EntryItem =
  | { type: 'entry'; entry: TimelineEntry }
  | { type: 'routine'; key: number; entries: TimelineEntry[]; summary: string };

/**
 * Folds each run of two or more routine calls into one item ("12 × GET /api/v1/reports → 200 OK,
 * calls 5–16"), keeping every other entry as it is, in the same (oldest first) order.
 */
export function groupEntries(entries: readonly TimelineEntry[]): EntryItem[] {
  const items: EntryItem[] = [];
  let run: TimelineEntry[] = [];
  const flush = () => {
    if (run.length === 1) items.push({ type: 'entry', entry: run[0]! });
    if (run.length > 1) {
      const first = run[0]!.routineCall!;
      const last = run.at(-1)!.routineCall!;
      items.push({
        type: 'routine',
        key: run[0]!.id,
        entries: run,
        summary: `${run.length} × GET /api/v1/reports → 200 OK (calls ${first}–${last})`,
      });
    }
    run = [];
  };
  for (const entry of entries) {
    if (entry.routineCall !== undefined) {
      run.push(entry);
      continue;
    }
    flush();
    items.push({ type: 'entry', entry });
  }
  flush();
  return items;
}

/** What a glyph on the events lane stands for: a mark, or a call that did not simply succeed. */
export type GlyphKind = TimelineMark['kind'] | 'recovered-call' | 'failed-call';

export interface ChartGlyph {
  at: number;
  kind: GlyphKind;
  /** The sub-row of the events lane it sits in, from 0. */
  row: number;
}

/**
 * The events lane's glyphs, each in the first sub-row where it keeps `minGapMs` from the glyph
 * before it, so no two glyphs overlap however close the events come. Rows are given over the
 * whole run (a glyph does not hop rows as the window slides); a glyph that finds no row among
 * `maxRows` is left out of the chart (the list still tells it, and its call's tick stays coloured).
 */
export function chartGlyphs(
  state: Pick<TimelineState, 'marks' | 'calls'>,
  window: { from: number; to: number },
  minGapMs: number,
  maxRows: number,
): ChartGlyph[] {
  const all: { at: number; kind: GlyphKind }[] = [
    ...state.marks.map((mark) => ({ at: mark.at, kind: mark.kind })),
    ...state.calls
      .filter((call) => call.status !== 200 || call.retried)
      .map((call) => ({
        at: call.at,
        kind: call.status === 200 ? ('recovered-call' as const) : ('failed-call' as const),
      })),
  ].sort((a, b) => a.at - b.at);
  const lastInRow: number[] = [];
  const placed: ChartGlyph[] = [];
  for (const glyph of all) {
    let row = lastInRow.findIndex((last) => glyph.at - last >= minGapMs);
    if (row < 0 && lastInRow.length < maxRows) row = lastInRow.length;
    if (row < 0) continue;
    lastInRow[row] = glyph.at;
    placed.push({ ...glyph, row });
  }
  return placed.filter((glyph) => glyph.at >= window.from && glyph.at <= window.to);
}

/** The slice of time the axis shows: the first `spanMs` after Start, then the latest `spanMs`. */
export function timelineWindow(
  state: Pick<TimelineState, 'startedAt'>,
  now: number,
  spanMs: number,
): { from: number; to: number } {
  const from = Math.max(state.startedAt, now - spanMs);
  return { from, to: from + spanMs };
}

/** Where `at` sits on the axis, in percent of its width, clamped to the axis. */
export function axisPercent(window: { from: number; to: number }, at: number): number {
  const percent = ((at - window.from) / (window.to - window.from)) * 100;
  return Math.min(100, Math.max(0, percent));
}

/** The tick labels of the axis: every `stepMs` after Start that falls in the window. */
export function axisTicks(
  state: Pick<TimelineState, 'startedAt'>,
  window: { from: number; to: number },
  stepMs: number,
): { at: number; label: string }[] {
  const ticks: { at: number; label: string }[] = [];
  const first = Math.ceil((window.from - state.startedAt) / stepMs) * stepMs + state.startedAt;
  for (let at = first; at <= window.to; at += stepMs)
    ticks.push({ at, label: seconds(at - state.startedAt) });
  return ticks;
}

/** One sentence for the axis's accessible name: what it shows right now. */
export function describeAxis(state: TimelineState, window: { from: number; to: number }): string {
  const calls = state.calls.filter((call) => call.at >= window.from && call.at <= window.to);
  const recovered = calls.filter((call) => call.retried && call.status === 200).length;
  const tokens = state.tokens.filter(
    (token) => (token.endedAt ?? token.expiresAt ?? Infinity) >= window.from && token.issuedAt <= window.to,
  );
  const refreshes = state.marks.filter(
    (mark) => mark.kind === 'proactive-refresh' && mark.at >= window.from,
  ).length;
  return (
    `Time axis from ${seconds(window.from - state.startedAt)} to ${seconds(window.to - state.startedAt)}: ` +
    `${tokens.length} token${tokens.length === 1 ? '' : 's'}, ${refreshes} proactive refresh${refreshes === 1 ? '' : 'es'}, ` +
    `${calls.length} ` +
    `call${calls.length === 1 ? '' : 's'}${recovered > 0 ? `, ${recovered} recovered after a retry` : ''}. The list below describes each event.`
  );
}
