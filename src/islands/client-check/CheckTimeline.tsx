import { useId } from 'react';
import type { ClientCheck } from '../../lib/sandbox-contract/checks.ts';
import type { CheckFaultKind } from '../../lib/sandbox-contract/checks.ts';
import { faultMarks, windowProgress, windowTicks } from './client-check.ts';
import '../token-timeline/token-timeline.css';

/** The fault marks, in the token timeline's glyphs (✕ is its "revoked"). */
const glyphs: Record<CheckFaultKind, string> = {
  token_revoked: '✕',
  token_endpoint_unavailable: '503',
  api_rate_limited: '429',
};

/**
 * The injected faults on the check's window, drawn in the token timeline's visual language (its
 * axis, lanes, marks and ticks), with the same facts as a list for screen readers and small screens.
 */
export function CheckTimeline({ check, elapsedPercent }: { check: ClientCheck; elapsedPercent: number }) {
  const id = useId();
  const marks = faultMarks(check);
  const { totalSeconds } = windowProgress(check, Date.now());
  const step = totalSeconds > 300 ? 120 : totalSeconds > 120 ? 60 : 20;
  return (
    <figure className="cc-timeline" aria-labelledby={`${id}-title`}>
      <p className="cc-timeline__title" id={`${id}-title`}>
        Injected faults
      </p>
      <div className="token-timeline__axis" aria-hidden="true">
        <div className="token-timeline__row-label">Window</div>
        <div className="token-timeline__lane">
          <span className="token-timeline__life" style={{ left: 0, width: `${elapsedPercent}%` }} />
        </div>
        <div className="token-timeline__row-label">Faults</div>
        <div className="token-timeline__lane token-timeline__lane--marks">
          {marks.map((mark) => (
            <span
              key={`${mark.kind}-${mark.atSeconds}`}
              className={`token-timeline__mark cc-mark cc-mark--${mark.kind}`}
              style={{ left: `${mark.percent}%` }}
              title={`${mark.title} at ${mark.atSeconds} s`}
            >
              {glyphs[mark.kind]}
            </span>
          ))}
        </div>
        <div className="token-timeline__row-label" />
        <div className="token-timeline__lane token-timeline__lane--ticks">
          {windowTicks(totalSeconds, step).map((tick) => (
            <span key={tick.label} className="token-timeline__tick" style={{ left: `${tick.percent}%` }}>
              {tick.label}
            </span>
          ))}
        </div>
      </div>
      <figcaption className="cc-timeline__caption">
        {marks.length === 0
          ? check.status === 'done'
            ? 'No fault was injected in this window.'
            : 'Faults injected so far: none yet. Each comes once, after the client has made successful calls.'
          : 'Faults injected, in order:'}
      </figcaption>
      {marks.length > 0 && (
        <ol className="cc-faults">
          {marks.map((mark) => (
            <li key={`${mark.kind}-${mark.atSeconds}`}>
              <span className="cc-faults__time">{mark.atSeconds} s</span> <strong>{mark.title}</strong>
              {mark.detail ? `: ${mark.detail}` : ''}
            </li>
          ))}
        </ol>
      )}
    </figure>
  );
}
