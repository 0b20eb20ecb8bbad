import { useEffect, useId, useRef, useState } from 'react';
import { startTimelineSession, type TimelineSession } from './timeline-session.ts';
import {
  axisPercent,
  axisTicks,
  describeAxis,
  elapsedLabel,
  timelineWindow,
  type TimelineMark,
  type TimelineState,
  type TimelineToken,
} from './token-timeline.ts';
import '../playground-shared/buttons.css';
import './token-timeline.css';

/** The axis shows this much time; it slides once the run is longer. */
const windowMs = 30_000;
const tickStepMs = 10_000;
const lifetimes = [10, 20, 30, 60] as const;
const skewStepMs = 90_000;

const markGlyphs: Record<TimelineMark['kind'], { glyph: string; label: string }> = {
  'proactive-refresh': { glyph: '↻', label: 'proactive refresh' },
  revocation: { glyph: '✕', label: 'revoked' },
  refused: { glyph: '!', label: 'refused by the API' },
  skew: { glyph: '»', label: 'clock skewed' },
};

/** A call on the calls lane: refused, answered after a refresh and a retry, or answered. */
const callMarks = {
  failed: { modifier: ' token-timeline__call--failed', glyph: '✗' },
  recovered: { modifier: ' token-timeline__call--recovered', glyph: '↺' },
  answered: { modifier: '', glyph: '' },
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

  return (
    <div className="token-timeline not-content">
      <div className="token-timeline__controls" role="group" aria-label="Timeline controls">
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
        <button type="button" className="pg-button" onClick={start} disabled={!hydrated || running}>
          Start
        </button>
        <button type="button" className="pg-button" onClick={stop} disabled={!running}>
          Stop
        </button>
        <button
          type="button"
          className="pg-button"
          onClick={() => void revoke()}
          disabled={!running || !hasToken || busy}
        >
          Revoke current token
        </button>
        <button
          type="button"
          className="pg-button"
          onClick={() => session.current?.skewClock(skewStepMs)}
          disabled={!running || !hasToken}
        >
          Skew my clock by +90 s
        </button>
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
              <div className="token-timeline__lane token-timeline__lane--marks">
                {state.marks
                  .filter((mark) => mark.at >= axisWindow.from)
                  .map((mark, index) => (
                    <span
                      key={`${mark.at}-${index}`}
                      className={`token-timeline__mark token-timeline__mark--${mark.kind}`}
                      style={{ left: `${axisPercent(axisWindow, mark.at)}%` }}
                      title={markGlyphs[mark.kind].label}
                    >
                      {markGlyphs[mark.kind].glyph}
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
                    >
                      {callMarks[callOutcome(call)].glyph}
                    </span>
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
              <span>│ call · ↺ recovered after one retry · ✗ failed</span>
              <span>↻ proactive refresh · ✕ revoked · ! refused · » clock skewed</span>
            </figcaption>
          </figure>

          <div className="token-timeline__log">
            <p className="token-timeline__log-title" id={`${id}-events`}>
              What happened, newest first
            </p>
            {/* Focusable so keyboard users can scroll it (WCAG 2.1.1). */}
            <div
              className="token-timeline__scroll"
              tabIndex={0}
              role="region"
              aria-labelledby={`${id}-events`}
            >
              <ol
                reversed
                start={state.entryCount}
                aria-labelledby={`${id}-events`}
                aria-live="polite"
                className="token-timeline__entries"
              >
                {[...state.entries].reverse().map((entry) => (
                  <li key={entry.id}>
                    <span className="token-timeline__time">{elapsedLabel(state, entry.at)}</span> {entry.text}
                  </li>
                ))}
              </ol>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
