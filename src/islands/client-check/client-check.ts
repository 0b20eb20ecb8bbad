import {
  checkCriteria,
  checkCriterionIds,
  checkFaults,
  type CheckCriterionId,
  type CheckFaultKind,
  type ClientCheck,
  type CriterionResult,
} from '../../lib/sandbox-contract/checks.ts';
import type { SandboxResponseError } from '../../lib/sandbox-contract/response-error.ts';

/**
 * "Check my client": the island's logic, pure so unit tests reach it. From a check resource (the
 * sandbox's `GET .../checks/{id}`) to what the page draws and says: the window's progress, one
 * row a criterion, the faults on the axis, the sentence a screen reader hears when something
 * changes, the permalink, and a plain message for every way starting or reading a check fails.
 */

/** A criterion's row: its result, or `waiting` while the running check has not graded it yet. */
export type RowResult = CriterionResult | 'waiting';

export interface CriterionRow {
  id: CheckCriterionId;
  title: string;
  result: RowResult;
  evidence: string;
  /** The guide's paragraph that teaches it (site-relative). */
  doc: string;
  /** The sample that does it right. */
  sample: { href: string; label: string };
}

/**
 * For each criterion, the code that does it right: the token client page's samples (the
 * reference client and its twins renew, share one renewal, retry once, back off), or the token
 * request samples for how the credentials travel.
 */
const referenceClient = {
  href: '/token-client/#the-reference-client-what-happens-on-the-wire',
  label: 'the reference token client',
} as const;
export const criterionSamples: Record<CheckCriterionId, { href: string; label: string }> = {
  reuses_tokens: referenceClient,
  renews_before_expiry: referenceClient,
  single_flight: referenceClient,
  retries_once_on_invalid_token: referenceClient,
  honours_retry_after: referenceClient,
  least_scope: { href: '/requesting-a-token/#in-your-language', label: 'the token request samples' },
  credentials_in_header: {
    href: '/requesting-a-token/#in-your-language',
    label: 'the token request samples',
  },
  no_secrets_in_url: { href: '/requesting-a-token/#in-your-language', label: 'the token request samples' },
};

/** Every criterion in the contract's order, filled from the check; none missing, none invented. */
export function criterionRows(check: ClientCheck | undefined): CriterionRow[] {
  return checkCriterionIds.map((id) => {
    const graded = check?.criteria.find((criterion) => criterion.id === id);
    return {
      id,
      title: graded?.title || checkCriteria[id].title,
      // A done check that left a criterion out never saw it: not_observed, never a pass.
      result: graded?.result ?? (check?.status === 'done' ? 'not_observed' : 'waiting'),
      evidence: graded?.evidence ?? '',
      doc: graded?.doc || checkCriteria[id].doc,
      sample: criterionSamples[id],
    };
  });
}

export const resultLabels: Record<RowResult, string> = {
  pass: 'Passed',
  fail: 'Failed',
  not_observed: 'Not observed',
  waiting: 'Waiting',
};

/** A row's label: while the check runs, "not observed" is only "not yet". */
export function resultLabel(result: RowResult, running: boolean): string {
  return running && result === 'not_observed' ? 'Not yet observed' : resultLabels[result];
}

/** Counts of each result, for the summary line. */
export function tally(rows: readonly CriterionRow[]): Record<RowResult, number> {
  const counts: Record<RowResult, number> = { pass: 0, fail: 0, not_observed: 0, waiting: 0 };
  for (const row of rows) counts[row.result]++;
  return counts;
}

/** The window as the page shows it: how far along, in seconds and as a fraction. */
export interface WindowProgress {
  totalSeconds: number;
  elapsedSeconds: number;
  fraction: number;
}

/** Progress through the check's window at `nowMs`; a done check is complete whatever the clock says. */
export function windowProgress(check: ClientCheck, nowMs: number): WindowProgress {
  const start = Date.parse(check.started_at);
  const end = Date.parse(check.ends_at);
  const totalSeconds = Math.max(0, Math.round((end - start) / 1000));
  if (check.status === 'done' || !(end > start))
    return { totalSeconds, elapsedSeconds: totalSeconds, fraction: 1 };
  const fraction = Math.min(1, Math.max(0, (nowMs - start) / (end - start)));
  return { totalSeconds, elapsedSeconds: Math.floor(fraction * totalSeconds), fraction };
}

/** "1 min 5 s", "45 s". */
export function durationLabel(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** An injected fault placed on the window's axis. */
export interface FaultMark {
  kind: CheckFaultKind;
  title: string;
  detail: string;
  /** Seconds from the check's start. */
  atSeconds: number;
  /** 0..100 along the axis. */
  percent: number;
}

/** The faults on the axis, in time order; one whose time cannot be read is left off the axis. */
export function faultMarks(check: ClientCheck): FaultMark[] {
  const start = Date.parse(check.started_at);
  const end = Date.parse(check.ends_at);
  const span = end - start;
  return check.faults
    .map((fault) => ({ fault, at: Date.parse(fault.at) }))
    .filter(({ at }) => Number.isFinite(at))
    .sort((a, b) => a.at - b.at)
    .map(({ fault, at }) => ({
      kind: fault.kind,
      title: checkFaults[fault.kind].title,
      detail: fault.detail,
      atSeconds: Math.max(0, Math.round((at - start) / 1000)),
      percent: span > 0 ? Math.min(100, Math.max(0, ((at - start) / span) * 100)) : 0,
    }));
}

/** Tick marks along the window: every `stepSeconds`, with the end always labelled. */
export function windowTicks(totalSeconds: number, stepSeconds: number): { percent: number; label: string }[] {
  if (totalSeconds <= 0) return [];
  const ticks: { percent: number; label: string }[] = [];
  for (let at = 0; at < totalSeconds; at += stepSeconds)
    ticks.push({ percent: (at / totalSeconds) * 100, label: `${at} s` });
  ticks.push({ percent: 100, label: `${totalSeconds} s` });
  return ticks;
}

/** How one check differs from the one before it, in a sentence for the live region (or ''). */
export function announceChange(previous: ClientCheck | undefined, next: ClientCheck): string {
  // The first read (a reload, a permalink): the verdict only, not every row at once.
  if (previous === undefined) return summarise(next);
  const before = new Map(criterionRows(previous).map((row) => [row.id, row.result]));
  const running = next.status === 'running';
  // Heard: each pass and fail as it comes; "not yet observed" is not news while the check runs.
  const changed = criterionRows(next).filter(
    (row) =>
      row.result !== 'waiting' &&
      !(running && row.result === 'not_observed') &&
      before.get(row.id) !== row.result,
  );
  const parts = changed.map((row) => `${row.title}: ${resultLabels[row.result].toLowerCase()}.`);
  const knownFaults = previous?.faults.length ?? 0;
  for (const fault of next.faults.slice(knownFaults))
    parts.push(`Injected: ${checkFaults[fault.kind].title}.`);
  if (next.status === 'done' && previous?.status !== 'done') parts.push(summarise(next));
  return parts.join(' ');
}

/** The report's one-line verdict. */
export function summarise(check: ClientCheck): string {
  const counts = tally(criterionRows(check));
  const observed = counts.pass + counts.fail;
  if (check.status !== 'done') return `Running: ${counts.pass} passed, ${counts.fail} failed so far.`;
  if (observed === 0)
    return 'Check finished: the traffic exercised no criterion. Run your program during the whole window and try again.';
  const score = check.score === null ? '' : ` (score ${Math.round(check.score)} %)`;
  const unobserved = counts.not_observed === 0 ? '' : `; ${counts.not_observed} not observed`;
  return `Check finished: ${counts.pass} of ${observed} observed criteria passed${score}${unobserved}.`;
}

/** The island's element id: the permalink scrolls to it (it is in the server-rendered HTML). */
export const checkSectionId = 'check';

/** Query parameters of a report's permalink. */
export const permalinkParameters = { client: 'client', check: 'check' } as const;

/**
 * The report's permalink: this page with the client and check ids. Reading a check needs no
 * credentials (its id is 128 random bits), so the link works for anyone it is given to.
 */
export function permalink(pageUrl: string, clientId: string, checkId: string): string {
  const url = new URL(pageUrl);
  url.search = new URLSearchParams({
    [permalinkParameters.client]: clientId,
    [permalinkParameters.check]: checkId,
  }).toString();
  url.hash = checkSectionId;
  return url.toString();
}

/** The check a permalink names, or undefined when the page was opened without one. */
export function readPermalink(search: string): { clientId: string; checkId: string } | undefined {
  const parameters = new URLSearchParams(search);
  const clientId = parameters.get(permalinkParameters.client)?.trim();
  const checkId = parameters.get(permalinkParameters.check)?.trim();
  return clientId && checkId ? { clientId, checkId } : undefined;
}

/** What went wrong, for the reader: a sentence, and whether a running check can be shown instead. */
export interface CheckProblem {
  message: string;
  /** 409: the id of the check already running, when the answer named it. */
  runningCheckId?: string;
}

/** A failed start, in plain words (`runningCheckId` from the 409's Location). */
export function describeStartFailure(error: SandboxResponseError, runningCheckId?: string): CheckProblem {
  if (error.status === 409)
    return {
      message: runningCheckId
        ? 'A check of this client is already running: it is shown below. Start another once it has finished.'
        : 'A check of this client is already running. Start another once it has finished (at most 10 minutes).',
      ...(runningCheckId ? { runningCheckId } : {}),
    };
  if (error.status === 400)
    return { message: `The sandbox refused the duration: ${error.description ?? error.message}` };
  if (error.status === 401 || error.status === 403 || error.status === 404)
    return {
      message:
        'The sandbox no longer accepts this client (expired after 24 hours, or deleted). Register a new client above, then start the check again.',
    };
  return { message: describeCommonFailure(error, 'start the check') };
}

/** A failed read of a check (the permalink, or polling), in plain words. */
export function describeReadFailure(error: SandboxResponseError): string {
  if (error.status === 404)
    return 'The sandbox has no such check: the link may be mistyped, or the client and its checks are gone (a sandbox client lives 24 hours).';
  return describeCommonFailure(error, 'read the check');
}

function describeCommonFailure(error: SandboxResponseError, what: string): string {
  if (error.code === 'network_error')
    return (
      `No answer from the sandbox, so this page could not ${what}. The server may be stopped or ` +
      `restarting, or this device may be offline: check the connection, then try again.`
    );
  if (error.status !== undefined && error.status >= 500)
    return `The sandbox failed (HTTP ${error.status}) and could not ${what}. It is the server's fault, not your client's: try again in a moment.`;
  if (error.code === 'invalid_response')
    return `The sandbox's answer was not a check this page can read (${error.message}).`;
  return `The sandbox refused to ${what}: ${error.message}`;
}

/** What this tab remembers of the last check it started, per client, so a reload shows it again. */
export const lastCheckStorageKey = (clientId: string) => `client-check:last:${clientId}`;
