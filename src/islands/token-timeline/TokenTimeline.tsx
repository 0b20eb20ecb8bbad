import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { startTimelineSession, type TimelineSession } from './timeline-session.ts';
import {
  axisPercent,
  axisTicks,
  chartGlyphs,
  describeAxis,
  elapsedLabel,
  groupEntries,
  timelineWindow,
  type GlyphKind,
  type TimelineEntry,
  type TimelineState,
  type TimelineToken,
} from './token-timeline.ts';
import '../playground-shared/buttons.css';
import './token-timeline.css';

/** The axis shows this much time; it slides once the run is longer. */
const windowMs = 30_000;
const tickStepMs = 10_000;
const lifetimes = [10, 20, 30, 60] as const;
const clockJumpMs = 90_000;
/** A glyph's width on screen, with room to spare: two glyphs in one sub-row keep this far apart. */
const glyphWidthPx = 24;
const glyphRows = 4;

/** Each glyph's shape, and the words for it (legend and tooltip). Your own actions are boxed. */
const glyphs: Record<GlyphKind, { glyph: string; label: string }> = {
  'proactive-refresh': { glyph: '↻', label: 'proactive refresh' },
  revocation: { glyph: '⊘', label: 'you revoked the token' },
  'clock-jump': { glyph: '»', label: "you jumped the client's clock" },
  refused: { glyph: '!', label: 'the API refused the token' },
  'recovered-call': { glyph: '✓', label: 'call answered after one retry' },
  'failed-call': { glyph: '✗', label: 'call failed' },
};
const glyphOrder: GlyphKind[] = [
  'proactive-refresh',
  'refused',
  'recovered-call',
  'failed-call',
  'revocation',
  'clock-jump',
];

/** A list line: the time since Start, then the words. */
function EntryLine({ state, entry }: { state: TimelineState; entry: TimelineEntry }) {
  return (
    <>
      <span className="token-timeline__time">{elapsedLabel(state, entry.at)}</span> {entry.text}
    </>
  );
}

/** A call's tick on the calls lane: refused, answered after a refresh and a retry, or answered (its glyph is on the events lane). */
const callMarks = {
  failed: { modifier: ' token-timeline__call--failed' },
  recovered: { modifier: ' token-timeline__call--recovered' },
  answered: { modifier: '' },
} as const;

function callOutcome(call: TimelineState['calls'][number]): keyof typeof callMarks {
  if (call.status !== 200) return 'failed';
  return call.retried ? 'recovered' : 'answered';
}

function span(window: { from: number; to: number }, from: number, to: number) {
  const left = axisPercent(window, from);
  return { left: `${left}%`, width: `${Math.max(0, axisPercent(window, to) - left)}%` };
}

function TokenBar({
  token,
  window,
  now,
}: {
  token: TimelineToken;
  window: { from: number; to: number };
  now: number;
}) {
  const end = token.expiresAt ?? token.endedAt ?? now;
  if (end < window.from || token.issuedAt > window.to) return null;
  return (
    <>
      <span className="token-timeline__life" style={span(window, token.issuedAt, end)}>
        <span className="token-timeline__token-label">T{token.number}</span>
      </span>
      {token.refreshAt !== undefined && token.expiresAt !== undefined && (
        <span className="token-timeline__margin" style={span(window, token.refreshAt, token.expiresAt)} />
      )}
      {token.endedAt !== undefined && token.expiresAt !== undefined && token.endedAt < token.expiresAt && (
        <span className="token-timeline__unused" style={span(window, token.endedAt, token.expiresAt)} />
      )}
    </>
  );
}

/**
 * The live token timeline: a reference client in the browser against the sandbox, one API call a
 * second, each token's life on a time axis and every event in words. Nothing runs before Start.
 */
export default function TokenTimeline() {
  const [lifetime, setLifetime] = useState<number>(10);
  const [state, setState] = useState<TimelineState | undefined>();
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState(false);
  // False in the server-rendered HTML: its controls stay disabled until React can handle a click.
  const [hydrated, setHydrated] = useState(false);
  const session = useRef<TimelineSession | undefined>(undefined);
  const id = useId();
  // The events lane's width in pixels, so glyphs keep apart on screen at any width.
  const [laneWidth, setLaneWidth] = useState(500);
  const observer = useRef<ResizeObserver | undefined>(undefined);
  const measureLane = useCallback((lane: HTMLDivElement | null) => {
    observer.current?.disconnect();
    if (!lane) return;
    observer.current = new ResizeObserver(([entry]) => {
      if (entry && entry.contentRect.width > 0) setLaneWidth(entry.contentRect.width);
    });
    observer.current.observe(lane);
  }, []);

  useEffect(() => {
    setHydrated(true);
    return () => session.current?.stop();
  }, []);

  function start() {
    session.current?.stop();
    session.current = startTimelineSession({
      lifetimeSeconds: lifetime,
      onChange: (next) => {
        setState(next);
        setNow(Date.now());
      },
    });
  }

  function stop() {
    session.current?.stop();
  }

  async function revoke() {
    setBusy(true);
    try {
      await session.current?.revokeCurrentToken();
    } finally {
      setBusy(false);
    }
  }

  const running = state?.running ?? false;
  const hasToken = (state?.tokens.length ?? 0) > 0;
  const axisWindow = state ? timelineWindow(state, now, windowMs) : undefined;
  const placed =
    state && axisWindow
      ? chartGlyphs(state, axisWindow, (windowMs * glyphWidthPx) / laneWidth, glyphRows)
      : [];
  const rows = Math.max(1, ...placed.map((glyph) => glyph.row + 1));
  const items = state ? groupEntries(state.entries).reverse() : [];
  // Announced: the newest entry that is not a routine call (a line a second would drown the rest).
  const latestEvent = state?.entries.findLast((entry) => entry.routineCall === undefined);

  return (
    <div className="token-timeline not-content" data-pending={hydrated ? undefined : ''}>
      <div className="token-timeline__controls">
        <fieldset className="token-timeline__group">
          <legend>Run</legend>
          <label className="token-timeline__lifetime">
            Token lifetime
            <select
              value={lifetime}
              onChange={(event) => setLifetime(Number(event.target.value))}
              disabled={!hydrated || running}
            >
              {lifetimes.map((seconds) => (
                <option key={seconds} value={seconds}>
                  {seconds} s
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="pg-button token-timeline__start"
            onClick={start}
            disabled={!hydrated || running}
          >
            Start
          </button>
          <button type="button" className="pg-button pg-button--secondary" onClick={stop} disabled={!running}>
            Stop
          </button>
        </fieldset>
        <fieldset
          className="token-timeline__group token-timeline__group--faults"
          aria-describedby={`${id}-faults`}
        >
          <legend>Inject a fault</legend>
          <button
            type="button"
            className="pg-button token-timeline__fault"
            onClick={() => void revoke()}
            disabled={!running || !hasToken || busy}
          >
            <span aria-hidden="true">{glyphs.revocation.glyph} </span>Revoke current token
          </button>
          <button
            type="button"
            className="pg-button token-timeline__fault"
            onClick={() => session.current?.skewClock(clockJumpMs)}
            disabled={!running || !hasToken}
          >
            <span aria-hidden="true">{glyphs['clock-jump'].glyph} </span>Jump the client&apos;s clock +90 s
          </button>
          <p className="token-timeline__hint" id={`${id}-faults`}>
            Revoke asks the server to revoke the token the client holds (RFC 7009). The clock jump is what a
            wall-clock correction does to a client that times its token by the wall clock instead of a
            monotonic clock.
          </p>
        </fieldset>
      </div>
      <p className="token-timeline__status">
        {!state &&
          'Press Start to register a sandbox client and call the API once a second. Nothing runs until then.'}
        {state && (running ? 'Running. ' : 'Stopped. ')}
        {state &&
          `The client's clock is ${state.skewMs === 0 ? 'in step with the server' : `${state.skewMs / 1000} s ahead of the server`}.`}
      </p>

      {state && axisWindow && (
        <div className="token-timeline__body">
          <figure className="token-timeline__figure">
            <div className="token-timeline__axis" role="img" aria-label={describeAxis(state, axisWindow)}>
              <div className="token-timeline__row-label" aria-hidden="true">
                Tokens
              </div>
              <div className="token-timeline__lane">
                {state.tokens
                  .filter((token) => token.number % 2 === 1)
                  .map((token) => (
                    <TokenBar key={token.number} token={token} window={axisWindow} now={now} />
                  ))}
              </div>
              <div className="token-timeline__row-label" aria-hidden="true" />
              <div className="token-timeline__lane">
                {state.tokens
                  .filter((token) => token.number % 2 === 0)
                  .map((token) => (
                    <TokenBar key={token.number} token={token} window={axisWindow} now={now} />
                  ))}
              </div>
              <div className="token-timeline__row-label" aria-hidden="true">
                Events
              </div>
              <div
                ref={measureLane}
                className="token-timeline__lane token-timeline__lane--marks"
                style={{ height: `${rows * 1.5}rem` }}
              >
                {placed.map((glyph) => (
                  <span
                    key={`${glyph.kind}-${glyph.at}`}
                    className={`token-timeline__mark token-timeline__mark--${glyph.kind}`}
                    style={{ left: `${axisPercent(axisWindow, glyph.at)}%`, top: `${glyph.row * 1.5}rem` }}
                    title={glyphs[glyph.kind].label}
                  >
                    {glyphs[glyph.kind].glyph}
                  </span>
                ))}
              </div>
              <div className="token-timeline__row-label" aria-hidden="true">
                Calls
              </div>
              <div className="token-timeline__lane token-timeline__lane--calls">
                {state.calls
                  .filter((call) => call.at >= axisWindow.from)
                  .map((call) => (
                    <span
                      key={call.number}
                      className={`token-timeline__call${callMarks[callOutcome(call)].modifier}`}
                      style={{ left: `${axisPercent(axisWindow, call.at)}%` }}
                    />
                  ))}
              </div>
              <div className="token-timeline__row-label" aria-hidden="true" />
              <div className="token-timeline__lane token-timeline__lane--ticks">
                {axisTicks(state, axisWindow, tickStepMs).map((tick) => (
                  <span
                    key={tick.at}
                    className="token-timeline__tick"
                    style={{ left: `${axisPercent(axisWindow, tick.at)}%` }}
                  >
                    {tick.label}
                  </span>
                ))}
              </div>
            </div>
            <figcaption className="token-timeline__legend">
              <span>
                <span className="token-timeline__key token-timeline__key--life" /> token life (T1, T2, …)
              </span>
              <span>
                <span className="token-timeline__key token-timeline__key--margin" /> safety margin
              </span>
              <span>
                <span className="token-timeline__key token-timeline__key--unused" /> no longer used
              </span>
              <span>
                <span className="token-timeline__key token-timeline__key--call" /> call (tall and coloured:
                retried or failed)
              </span>
              {glyphOrder.map((kind) => (
                <span key={kind}>
                  <span className={`token-timeline__mark--${kind} token-timeline__legend-glyph`}>
                    {glyphs[kind].glyph}
                  </span>{' '}
                  {glyphs[kind].label}
                </span>
              ))}
            </figcaption>
          </figure>

          <div className="token-timeline__log">
            <p className="token-timeline__log-title" id={`${id}-events`}>
              What happened, newest first
            </p>
            <p className="sr-only" aria-live="polite">
              {latestEvent?.text}
            </p>
            {/* Focusable so keyboard users can scroll it (WCAG 2.1.1). */}
            <div
              className="token-timeline__scroll"
              tabIndex={0}
              role="region"
              aria-labelledby={`${id}-events`}
            >
              <ul aria-labelledby={`${id}-events`} className="token-timeline__entries">
                {items.map((item) =>
                  item.type === 'entry' ? (
                    <li key={item.entry.id}>
                      <EntryLine state={state} entry={item.entry} />
                    </li>
                  ) : (
                    <li key={`run-${item.key}`} className="token-timeline__routine">
                      <details>
                        <summary>
                          <span className="token-timeline__time">
                            {elapsedLabel(state, item.entries.at(-1)!.at)}
                          </span>{' '}
                          {item.summary}
                        </summary>
                        <ul className="token-timeline__run">
                          {[...item.entries].reverse().map((entry) => (
                            <li key={entry.id}>
                              <EntryLine state={state} entry={entry} />
                            </li>
                          ))}
                        </ul>
                      </details>
                    </li>
                  ),
                )}
              </ul>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
