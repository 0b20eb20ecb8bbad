import type { ClientCheck } from '../../lib/sandbox-contract/checks.ts';
import { criterionRows, resultLabel, type RowResult } from './client-check.ts';

const badgeClass: Record<RowResult, string> = {
  pass: 'pg-badge--ok',
  fail: 'pg-badge--error',
  not_observed: 'pg-badge--info',
  waiting: 'cc-badge--waiting',
};

/** Glyphs beside the word, so the result reads without colour too. */
const glyphs: Record<RowResult, string> = { pass: '✓', fail: '✗', not_observed: '–', waiting: '…' };

/**
 * The criteria, one row each, in the contract's order: the result, the evidence from the traffic,
 * and for a failed criterion the paragraph that teaches it and the sample that does it right.
 */
export function CriteriaList({ check }: { check: ClientCheck }) {
  const done = check.status === 'done';
  return (
    <ul className="cc-criteria" aria-label="Criteria">
      {criterionRows(check).map((row) => (
        <li key={row.id} className={`cc-criterion cc-criterion--${row.result}`} data-criterion={row.id}>
          <p className="cc-criterion__head">
            <span className={`pg-badge ${badgeClass[row.result]}`}>
              <span aria-hidden="true">{glyphs[row.result]}</span> {resultLabel(row.result, !done)}
            </span>{' '}
            <strong>{row.title}</strong>
          </p>
          {row.evidence && <p className="cc-criterion__evidence">{row.evidence}</p>}
          {row.result === 'not_observed' && done && (
            <p className="cc-criterion__evidence">
              The traffic never exercised this one, so it is neither passed nor failed.
            </p>
          )}
          {(row.result === 'fail' || (done && row.result === 'not_observed')) && (
            <p className="cc-criterion__fix">
              <a href={row.doc}>How to do it right</a> ·{' '}
              <a href={row.sample.href}>Code that does it: {row.sample.label}</a>
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
