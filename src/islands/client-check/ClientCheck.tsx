import { useStore } from '@nanostores/react';
import { useEffect, useId, useRef, useState } from 'react';
import { callSandbox } from '../../lib/sandbox-contract/call.ts';
import {
  buildStartCheckRequest,
  checkDuration,
  clientCheckPath,
  processStartCheckResponse,
  runningCheckIdOf,
  type ClientCheck as CheckResource,
} from '../../lib/sandbox-contract/checks.ts';
import { CopyButton } from '../playground-shared/CopyButton.tsx';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import { $credentials, browserStorage } from '../playground-shared/playground-store.ts';
import { environmentExports } from '../request-journal/request-journal.ts';
import {
  announceChange,
  describeStartFailure,
  durationLabel,
  lastCheckStorageKey,
  permalink,
  checkSectionId,
  readPermalink,
  summarise,
  windowProgress,
} from './client-check.ts';
import { CheckTimeline } from './CheckTimeline.tsx';
import { CriteriaList } from './CriteriaList.tsx';
import { watchCheck, type WatchMode } from './watch-check.ts';
import '../playground-shared/buttons.css';
import '../playground-shared/playground.css';
import './client-check.css';

/** The windows a reader can choose, within the contract's bounds. */
const durations = [60, 120, 180, 300, 600].filter(
  (seconds) => seconds >= checkDuration.min && seconds <= checkDuration.max,
);

/** Which check the page shows, and whose. */
interface Shown {
  clientId: string;
  checkId: string;
  /** Opened from a permalink: anyone's check, read without credentials. */
  fromLink: boolean;
}

const modeLabels: Record<WatchMode, string> = {
  stream: 'Live.',
  polling: 'The live stream broke: following the check by asking every 2 seconds.',
  done: '',
};

/**
 * "Check my client" (issue 12): starts a check of the playground's client (its registration
 * access token authorises it, RFC 7592), follows it live while the reader's own program runs, and
 * ends with the report card. A permalink (`?client=…&check=…`) shows any finished report to
 * anyone: reading a check needs no credentials.
 */
export default function ClientCheck() {
  const credentials = useStore($credentials, { ssr: 'initial' });
  const hydrated = useHydrated();
  const id = useId();
  const [duration, setDuration] = useState<number>(checkDuration.default);
  const [shown, setShown] = useState<Shown | undefined>();
  const [check, setCheck] = useState<CheckResource | undefined>();
  const [mode, setMode] = useState<WatchMode | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [readProblem, setReadProblem] = useState<string | undefined>();
  const [announcement, setAnnouncement] = useState('');
  const [starting, setStarting] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const reportHeading = useRef<HTMLHeadingElement>(null);
  const focusReport = useRef(false);
  const lastCheck = useRef<CheckResource | undefined>(undefined);

  const registrationAccessToken = credentials?.registrationAccessToken;
  const clientId = credentials?.clientId;

  // What to show first: the permalink's check, else the last check this browser started for the client.
  useEffect(() => {
    if (!hydrated) return;
    const linked = readPermalink(location.search);
    if (linked) return setShown({ ...linked, fromLink: true });
    if (!clientId) return setShown(undefined);
    const stored = browserStorage('localStorage')?.getItem(lastCheckStorageKey(clientId));
    setShown(stored ? { clientId, checkId: stored, fromLink: false } : undefined);
  }, [hydrated, clientId]);

  // Follow the shown check until it is done: the stream, else polling. The effect depends on these
  // values, not on the object that carries them.
  const shownClientId = shown?.clientId;
  const shownCheckId = shown?.checkId;
  const shownFromLink = shown?.fromLink;
  useEffect(() => {
    setCheck(undefined);
    setMode(undefined);
    setReadProblem(undefined);
    lastCheck.current = undefined;
    if (shownClientId === undefined || shownCheckId === undefined) return;
    const controller = new AbortController();
    void watchCheck({
      clientId: shownClientId,
      checkId: shownCheckId,
      signal: controller.signal,
      onCheck: (next) => {
        const said = announceChange(lastCheck.current, next);
        lastCheck.current = next;
        setCheck(next);
        setNow(Date.now());
        if (said) setAnnouncement(said);
      },
      onMode: setMode,
      onProblem: setReadProblem,
    }).then((end) => {
      // A check this browser remembered but the sandbox no longer has (its client expired): forget it.
      if (end === 'gone' && !shownFromLink) {
        forget(shownClientId);
        setShown(undefined);
      }
    });
    return () => controller.abort();
  }, [shownClientId, shownCheckId, shownFromLink]);

  // The progress bar moves once a second while the window is open.
  const running = check?.status === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);

  // After Start, focus goes to the report's heading, so a keyboard or screen reader user lands on it.
  useEffect(() => {
    if (check && focusReport.current) {
      focusReport.current = false;
      reportHeading.current?.focus();
    }
  }, [check]);

  async function start() {
    if (!clientId || !registrationAccessToken || starting) return;
    setStarting(true);
    setProblem(undefined);
    try {
      const outcome = await callSandbox(
        buildStartCheckRequest(clientId, registrationAccessToken, duration),
        processStartCheckResponse,
      );
      if (outcome.ok) {
        remember(clientId, outcome.value.id);
        focusReport.current = true;
        setShown({ clientId, checkId: outcome.value.id, fromLink: false });
        return;
      }
      const running = runningCheckIdOf(outcome.exchange);
      const described = describeStartFailure(outcome.error, running);
      setProblem(described.message);
      if (described.runningCheckId) {
        remember(clientId, described.runningCheckId);
        setShown({ clientId, checkId: described.runningCheckId, fromLink: false });
      }
    } finally {
      setStarting(false);
    }
  }

  const origin = hydrated ? location.origin : '';
  const pageUrl = hydrated ? `${location.origin}${location.pathname}` : '';
  const checkRunning = running && !shown?.fromLink;
  const progress = check ? windowProgress(check, now) : undefined;
  const noTokenClient = credentials !== undefined && registrationAccessToken === undefined;

  return (
    <section
      id={checkSectionId}
      className="pg cc not-content"
      aria-labelledby={`${id}-title`}
      data-pending={hydrated ? undefined : ''}
    >
      <p className="cc-title" id={`${id}-title`}>
        <strong>Check my client</strong>
      </p>

      {!credentials && !shown?.fromLink && (
        <p className="pg-intro">
          No client yet. Register one in step 1 above (or in the <a href="/playground/">playground</a>): the
          check grades that client, and the registration answer carries the token that starts a check.
        </p>
      )}
      {noTokenClient && !shown?.fromLink && (
        <p className="pg-intro">
          The client <code>{credentials.clientId}</code> was pasted in without its registration access token,
          and only that token can start a check. Register a client in step 1 above and point your program at
          it.
        </p>
      )}

      {shown?.fromLink && (
        <p className="pg-intro">
          A report someone shared. To check your own client,{' '}
          <a href={hydrated ? location.pathname : ''}>start here</a>.
        </p>
      )}

      {!shown?.fromLink && credentials && registrationAccessToken && (
        <div className="pg-stack">
          <p className="pg-intro">
            Your program uses these variables (the guide's samples read them). Start the check, then run your
            program for the whole window:
          </p>
          {/* Focusable: a long line scrolls sideways, and keyboard users must reach it (WCAG 2.1.1). */}
          <pre className="cc-env" tabIndex={0} role="region" aria-label="Environment for your program">
            <code>{environmentExports(origin, credentials.clientId, undefined)}</code>
          </pre>
          <div className="pg-actions">
            <CopyButton
              text={environmentExports(origin, credentials.clientId, credentials.clientSecret)}
              label="Copy the environment"
              disabled={!hydrated}
            />
          </div>
          <div className="pg-actions cc-start">
            <label className="pg-field cc-duration">
              <span>Window</span>
              <select
                value={duration}
                onChange={(event) => setDuration(Number(event.currentTarget.value))}
                disabled={!hydrated || checkRunning}
              >
                {durations.map((seconds) => (
                  <option key={seconds} value={seconds}>
                    {durationLabel(seconds)}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="pg-button"
              onClick={() => void start()}
              disabled={!hydrated || checkRunning}
              aria-disabled={starting || undefined}
              aria-busy={starting}
            >
              Start the check
            </button>
          </div>
        </div>
      )}

      {problem && (
        <p role="alert" className="pg-explanation cc-problem">
          {problem}
        </p>
      )}

      {/* Polite and short: a reader hears each criterion as it is graded, not the whole list again. */}
      <p role="status" aria-live="polite" className="sr-only">
        {announcement}
      </p>

      {shown && (
        <div className="cc-report">
          <h3 className="cc-report__title" ref={reportHeading} tabIndex={-1}>
            {check?.status === 'done' ? 'Report card' : 'Check in progress'}
          </h3>
          {shown.fromLink && (
            <p className="pg-intro">
              The check <code>{shown.checkId}</code> of client <code>{shown.clientId}</code>, from a link.
            </p>
          )}
          {readProblem && (
            <p role="alert" className="pg-explanation cc-problem">
              {readProblem}
            </p>
          )}
          {!check && !readProblem && <p className="pg-intro">Reading the check…</p>}
          {check && progress && (
            <>
              <div className="cc-progress">
                <label htmlFor={`${id}-progress`} className="cc-progress__label">
                  {check.status === 'done'
                    ? `Window of ${durationLabel(progress.totalSeconds)}: finished`
                    : `${durationLabel(progress.elapsedSeconds)} of ${durationLabel(progress.totalSeconds)}`}
                </label>
                <progress
                  id={`${id}-progress`}
                  max={progress.totalSeconds || 1}
                  value={progress.elapsedSeconds}
                  aria-valuetext={`${durationLabel(progress.elapsedSeconds)} of ${durationLabel(progress.totalSeconds)}`}
                />
                {mode && modeLabels[mode] && <p className="cc-mode">{modeLabels[mode]}</p>}
              </div>
              <p className="cc-summary">{summarise(check)}</p>
              <CriteriaList check={check} />
              <CheckTimeline check={check} elapsedPercent={progress.fraction * 100} />
              {check.status === 'done' && (
                <div className="pg-actions cc-links">
                  <a href={permalink(pageUrl, shown.clientId, shown.checkId)}>Permalink to this report</a>
                  <CopyButton
                    text={permalink(pageUrl, shown.clientId, shown.checkId)}
                    label="Copy the permalink"
                    disabled={!hydrated}
                  />
                  <a href={clientCheckPath(shown.clientId, shown.checkId)} type="application/json">
                    The report as JSON
                  </a>
                </div>
              )}
            </>
          )}
        </div>
      )}
    </section>
  );
}

/** Forgets the remembered check of a client. */
function forget(clientId: string) {
  try {
    browserStorage('localStorage')?.removeItem(lastCheckStorageKey(clientId));
  } catch {
    // Storage blocked: nothing was remembered.
  }
}

/** Remembers the check this browser started for the client, so a reload shows it again. */
function remember(clientId: string, checkId: string) {
  try {
    browserStorage('localStorage')?.setItem(lastCheckStorageKey(clientId), checkId);
  } catch {
    // Storage full or blocked: the check is still shown on this page.
  }
}
