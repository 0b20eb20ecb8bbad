import { useStore } from '@nanostores/react';
import { useEffect, useRef, useState } from 'react';
import { CopyButton } from '../playground-shared/CopyButton.tsx';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import { useSingleFlight } from '../playground-shared/use-single-flight.ts';
import '../playground-shared/buttons.css';
import '../playground-shared/playground.css';
import { $autoRenew, $credentials, $token } from '../playground-shared/playground-store.ts';
import { defaultTokenChoice, tokenExpiresAt, tokenRenewAt } from '../playground-shared/token-timing.ts';
import { describeTimeLeft } from './time-left.ts';
import './session-bar.css';

/**
 * The workbench's session bar: the current client and token at a glance, wherever the reader is
 * on the page. The token chip counts down to expiry; "Get a new token" and Auto-renew (the
 * reference client's rule: renew at the smaller of 60 s and half the lifetime before expiry)
 * bring back an expired one; Copy token and Copy env put it in a terminal.
 */
export default function SessionBar() {
  const credentials = useStore($credentials, { ssr: 'initial' });
  const token = useStore($token, { ssr: 'initial' });
  const autoRenew = useStore($autoRenew, { ssr: 'initial' }) === true;
  const hydrated = useHydrated();
  const [now, setNow] = useState(() => Date.now());
  const [busy, runOnce] = useSingleFlight();
  const [status, setStatus] = useState('');
  const [includeSecret, setIncludeSecret] = useState(false);

  const expiresAt = token ? tokenExpiresAt(token) : undefined;
  const renewAt = token ? tokenRenewAt(token) : undefined;
  const expired = expiresAt !== undefined && now >= expiresAt;

  useEffect(() => {
    if (!hydrated) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [hydrated]);

  function renew(reason: string) {
    if (!credentials) return Promise.resolve();
    return runOnce(async () => {
      setStatus(`${reason}…`);
      // The client's own method and every scope it has: "a new token" as a reader means it.
      const choice = defaultTokenChoice(credentials);
      // The request code loads on first use: the bar itself weighs little on the page.
      const { requestPlaygroundToken } = await import('../playground-shared/token-session.ts');
      const { exchange, outcome } = await requestPlaygroundToken(credentials, choice);
      if (outcome.ok) setStatus('Got a new token.');
      else if (!exchange.response) setStatus('No answer from the sandbox: step 2 says more.');
      else setStatus(`Refused: HTTP ${exchange.response.status}. Step 2 shows why.`);
    });
  }

  // Auto-renew: one timer, set for the moment the reference client would renew.
  const renewRef = useRef(renew);
  renewRef.current = renew;
  useEffect(() => {
    if (!autoRenew || !credentials || renewAt === undefined) return;
    const timer = setTimeout(
      () => void renewRef.current('Auto-renew: requesting a new token'),
      Math.max(0, renewAt - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [autoRenew, credentials, renewAt]);

  const origin = typeof location === 'undefined' ? '' : location.origin;
  const scopes = token?.scope ?? '';

  return (
    <section
      className="pg pg-session not-content"
      aria-label="Your session"
      data-pending={hydrated ? undefined : ''}
    >
      <div className="pg-session__facts">
        <p className="pg-session__client">
          <span className="pg-session__label">Client</span>{' '}
          {credentials ? <code>{credentials.clientId}</code> : <span className="pg-hint">none yet</span>}
        </p>
        <p className="pg-session__token">
          <span className="pg-session__label">Token</span>{' '}
          {token ? (
            <span className={`pg-chip ${expired ? 'pg-chip--expired' : 'pg-chip--valid'}`}>
              {expired ? (
                <span className="pg-badge pg-badge--error">Expired</span>
              ) : (
                <span className="pg-badge pg-badge--ok">Valid</span>
              )}{' '}
              {scopes && <code>{scopes}</code>}{' '}
              {expiresAt !== undefined && hydrated && (
                <span className="pg-chip__time">{describeTimeLeft(expiresAt, now)}</span>
              )}
            </span>
          ) : (
            <span className="pg-hint">none yet</span>
          )}
        </p>
      </div>
      <div className="pg-actions pg-session__actions">
        <button
          type="button"
          className={`pg-button pg-button--small${expired ? '' : ' pg-button--secondary'}`}
          onClick={() => void renew('Requesting a new token')}
          disabled={!hydrated || !credentials}
          aria-disabled={busy || undefined}
          aria-busy={busy}
        >
          Get a new token
        </button>
        <button
          type="button"
          role="switch"
          className="pg-button pg-button--small pg-button--secondary pg-switch"
          aria-checked={autoRenew}
          onClick={() => $autoRenew.set(autoRenew ? undefined : true)}
          disabled={!hydrated || !credentials}
        >
          Auto-renew
        </button>
        <CopyButton text={token?.accessToken ?? ''} label="Copy token" disabled={!hydrated || !token} />
        <CopyButton
          // Built on click, from a module loaded then: the page's weight budget counts every byte.
          text={async () =>
            (await import('./env-export.ts')).envExportLine({ origin, credentials, token, includeSecret })
          }
          label="Copy env"
          disabled={!hydrated || !credentials}
        />
        <button
          type="button"
          className="pg-button pg-button--small pg-button--secondary"
          aria-pressed={includeSecret}
          onClick={() => setIncludeSecret(!includeSecret)}
          disabled={!hydrated || !credentials}
        >
          Include the secret
        </button>
        <span role="status" className="pg-hint pg-session__status">
          {status}
        </span>
      </div>
    </section>
  );
}
