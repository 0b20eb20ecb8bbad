import { useStore } from '@nanostores/react';
import { useEffect, useId, useState, type SubmitEvent } from 'react';
import { errorPagePath } from '../../lib/error-page.ts';
import { clientJournalPath } from '../../lib/sandbox-contract/paths.ts';
import { CopyButton } from '../playground-shared/CopyButton.tsx';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import '../playground-shared/buttons.css';
import '../playground-shared/playground.css';
import './request-journal.css';
import { $credentials } from '../playground-shared/playground-store.ts';
import {
  addEntry,
  announce,
  createEventStreamParser,
  environmentExports,
  readJournalEntry,
  receivedFacts,
  shortTime,
  type JournalEntry,
} from './request-journal.ts';

/** Whom to watch: the client's id and the RFC 7592 registration access token that reads its journal. */
interface Target {
  clientId: string;
  registrationAccessToken: string;
}

type Connection = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'refused' | 'paused';

const connectionLabels: Record<Connection, string> = {
  idle: 'Not watching.',
  connecting: 'Connecting…',
  live: 'Live: new requests appear as they arrive.',
  reconnecting: 'Connection lost; reconnecting…',
  refused:
    'The sandbox refused the registration access token: the client may have expired or been deleted. Register a new one.',
  paused: 'Paused.',
};

const retryMs = 2_000;
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * "Watch your own code": the live request journal of a client (issue 11). Every request the
 * sandbox received from the client, from any program on any machine, appears within a second,
 * with what was received, the status, and the mistakes recognised in it.
 */
export default function RequestJournal() {
  const credentials = useStore($credentials, { ssr: 'initial' });
  const hydrated = useHydrated();
  const id = useId();
  const [pasted, setPasted] = useState<Target | undefined>();
  const [pasteOpen, setPasteOpen] = useState(false);
  const [pasteForm, setPasteForm] = useState({ clientId: '', token: '' });
  const [entries, setEntries] = useState<JournalEntry[]>([]);
  const [connection, setConnection] = useState<Connection>('idle');
  const [paused, setPaused] = useState(false);
  const [announcement, setAnnouncement] = useState('');

  const fromPlayground: Target | undefined =
    credentials?.registrationAccessToken !== undefined
      ? { clientId: credentials.clientId, registrationAccessToken: credentials.registrationAccessToken }
      : undefined;
  const target = pasted ?? fromPlayground;
  // The stream depends on these two strings, not on the object that carries them (new each render).
  const clientId = target?.clientId;
  const registrationAccessToken = target?.registrationAccessToken;
  const origin = hydrated ? window.location.origin : '';

  useEffect(() => {
    setEntries([]);
    if (clientId === undefined || registrationAccessToken === undefined) return setConnection('idle');
    if (paused) return setConnection('paused');
    const controller = new AbortController();
    const { signal } = controller;
    // Same origin, whatever origin the sandbox wrote in registration_client_uri.
    const url = clientJournalPath(clientId);
    let lastEventId: string | undefined;
    const startedAt = Date.now();

    async function watch() {
      while (!signal.aborted) {
        setConnection(lastEventId === undefined ? 'connecting' : 'reconnecting');
        try {
          const response = await fetch(url, {
            headers: {
              authorization: `Bearer ${registrationAccessToken}`,
              accept: 'text/event-stream',
              ...(lastEventId !== undefined ? { 'last-event-id': lastEventId } : {}),
            },
            cache: 'no-store',
            signal,
          });
          if (response.status === 401) return setConnection('refused');
          if (response.ok && response.body) {
            setConnection('live');
            const parse = createEventStreamParser();
            const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              for (const event of parse(value)) {
                if (event.id !== undefined) lastEventId = event.id;
                let entry: JournalEntry | undefined;
                try {
                  entry = readJournalEntry(JSON.parse(event.data));
                } catch {
                  entry = undefined;
                }
                if (!entry) continue;
                const shown = entry;
                setEntries((current) => addEntry(current, shown));
                // The backlog arrives at once on connecting; only what happens after is announced.
                if (Date.parse(shown.time) >= startedAt - 1_000) setAnnouncement(announce(shown));
              }
            }
          }
        } catch {
          if (signal.aborted) return;
        }
        await sleep(retryMs, signal);
      }
    }
    void watch();
    return () => controller.abort();
  }, [clientId, registrationAccessToken, paused]);

  function paste(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const clientId = pasteForm.clientId.trim();
    const token = pasteForm.token.trim();
    if (clientId && token) setPasted({ clientId, registrationAccessToken: token });
  }

  const exportsShown = target ? environmentExports(origin, target.clientId, undefined) : '';
  const exportsCopied =
    target && credentials && credentials.clientId === target.clientId
      ? environmentExports(origin, target.clientId, credentials.clientSecret)
      : exportsShown;

  return (
    <section className="pg rj" aria-labelledby={`${id}-title`}>
      <p className="rj-title" id={`${id}-title`}>
        <strong>Requests the sandbox received from your client</strong>
      </p>
      {!target && (
        <p className="pg-intro">
          Register a client in the playground's first step (or paste a client below): its requests appear
          here, from this page or from any program on any machine.
        </p>
      )}

      {target && (
        <div className="pg-stack">
          <p className="pg-intro">
            Point your program at the sandbox with these variables (the guide's samples read them), run it,
            and watch its requests arrive:
          </p>
          {/* Focusable: a long line scrolls sideways, and keyboard users must reach it (WCAG 2.1.1). */}
          <pre className="rj-env" tabIndex={0} role="region" aria-label="Environment for your program">
            <code>{exportsShown}</code>
          </pre>
          <div className="pg-actions">
            <CopyButton text={exportsCopied} label="Copy the environment" disabled={!hydrated} />
            <button
              type="button"
              className="pg-button pg-button--small"
              onClick={() => setPaused((value) => !value)}
              disabled={!hydrated}
            >
              {paused ? 'Resume watching' : 'Pause'}
            </button>
          </div>
        </div>
      )}

      <details
        className="rj-paste"
        open={pasteOpen}
        onToggle={(event) => setPasteOpen(event.currentTarget.open)}
      >
        <summary>Watch another client (paste its registration access token)</summary>
        <form className="pg-stack" onSubmit={paste}>
          <p className="pg-intro">
            Registration answers carry a <code>registration_access_token</code>: with it and the client ID,
            this page reads that client's journal.
          </p>
          <div className="pg-fields">
            <label className="pg-field">
              <span>Client ID</span>
              <input
                value={pasteForm.clientId}
                onChange={(event) => setPasteForm({ ...pasteForm, clientId: event.currentTarget.value })}
                autoComplete="off"
                spellCheck={false}
              />
            </label>
            <label className="pg-field">
              <span>Registration access token</span>
              <input
                type="password"
                value={pasteForm.token}
                onChange={(event) => setPasteForm({ ...pasteForm, token: event.currentTarget.value })}
                autoComplete="off"
                spellCheck={false}
              />
            </label>
          </div>
          <div className="pg-actions">
            <button type="submit" className="pg-button" disabled={!hydrated}>
              Watch this client
            </button>
            {pasted && (
              <button
                type="button"
                className="pg-button pg-button--small"
                onClick={() => setPasted(undefined)}
              >
                Back to the playground's client
              </button>
            )}
          </div>
        </form>
      </details>

      <p className="rj-connection">{target ? connectionLabels[connection] : ''}</p>
      {/* Polite and one sentence at a time: a reader hears that something arrived, not the whole list. */}
      <p role="status" aria-live="polite" className="rj-announcement">
        {announcement}
      </p>

      {target && entries.length === 0 && connection === 'live' && (
        <p className="pg-intro">
          No requests yet. Run your program: each request appears here within a second.
        </p>
      )}
      {entries.length > 0 && (
        <ol className="rj-list" aria-label="Requests, newest first">
          {entries.map((entry) => (
            <JournalRow key={entry.id} entry={entry} />
          ))}
        </ol>
      )}
    </section>
  );
}

function JournalRow({ entry }: { entry: JournalEntry }) {
  const failed = entry.status >= 400;
  const verdict = entry.received.verdict;
  return (
    <li className="rj-entry">
      <details>
        <summary>
          <span className="rj-time">{shortTime(entry.time)}</span>{' '}
          <code className="rj-request">
            {entry.method} {entry.path}
          </code>{' '}
          <span className={`rj-status ${failed ? 'rj-status--failed' : 'rj-status--ok'}`}>
            {entry.status}
            {entry.error ? ` ${entry.error}` : ''}
          </span>
          {entry.findings.length > 0 && (
            <span className="rj-count">
              {' '}
              · {entry.findings.length} finding{entry.findings.length === 1 ? '' : 's'}:{' '}
              {entry.findings.map((finding) => finding.code).join(', ')}
            </span>
          )}
        </summary>
        <div className="rj-body">
          {entry.findings.length > 0 && (
            <ul className="rj-findings">
              {entry.findings.map((finding) => (
                <li key={finding.code} className={`rj-finding rj-finding--${finding.severity}`}>
                  <p>
                    <strong>{finding.severity === 'warning' ? 'Warning' : 'Mistake'}:</strong>{' '}
                    {finding.message}
                  </p>
                  <p>
                    <strong>Fix:</strong> {finding.fix}{' '}
                    <a href={`${errorPagePath}#${finding.code}`}>
                      Explained: <code>{finding.code}</code>
                    </a>
                  </p>
                </li>
              ))}
            </ul>
          )}
          <dl className="rj-facts">
            <div className="rj-fact">
              <dt>Request id</dt>
              <dd>
                <code>{entry.id}</code>
              </dd>
            </div>
            {receivedFacts(entry.received).map(([label, value]) => (
              <div key={label} className="rj-fact">
                <dt>{label}</dt>
                <dd>
                  <code>{value}</code>
                </dd>
              </div>
            ))}
          </dl>
          {verdict && verdict.length > 0 && (
            <>
              <p className="rj-verdict-title">What the API checked, in order:</p>
              <ol className="rj-verdict">
                {verdict.map((item) => (
                  <li key={item.step} className={`rj-step rj-step--${item.result}`}>
                    <span aria-hidden="true">{item.result === 'passed' ? '✓' : '✗'}</span> {item.step}{' '}
                    {item.result === 'passed' ? 'passed' : 'failed'}
                    {item.detail ? ` (${item.detail})` : ''}
                  </li>
                ))}
              </ol>
            </>
          )}
        </div>
      </details>
    </li>
  );
}
