import { useStore } from '@nanostores/react';
import { useEffect, useRef, useState } from 'react';
import { CopyButton } from '../playground-shared/CopyButton.tsx';
import { describeNetworkFailure } from '../playground-shared/network-failure.ts';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import { useSingleFlight } from '../playground-shared/use-single-flight.ts';
import '../playground-shared/buttons.css';
import '../playground-shared/playground.css';
import {
  $autoRenew,
  $credentials,
  $lastTokenRequest,
  $token,
} from '../playground-shared/playground-store.ts';
import {
  defaultTokenChoice,
  requestPlaygroundToken,
  tokenExpiresAt,
  tokenRenewAt,
} from '../playground-shared/token-session.ts';
import { describeTimeLeft, envExportLine } from './env-export.ts';
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
  const lastRequest = useStore($lastTokenRequest, { ssr: 'initial' });
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
      const choice =
        lastRequest && lastRequest.authMethod === credentials.authMethod
          ? { authMethod: lastRequest.authMethod, scopes: lastRequest.scopes }
          : defaultTokenChoice(credentials);
      const { exchange, outcome } = await requestPlaygroundToken(credentials, choice);
      if (outcome.ok)
        setStatus(
          `Got a new token${outcome.token.expiresInSeconds !== undefined ? `, valid for ${outcome.token.expiresInSeconds} s` : ''}.`,
        );
      else if (!exchange.response) setStatus(describeNetworkFailure(exchange.networkError));
      else
        setStatus(
          `The token request was refused: HTTP ${exchange.response.status}${outcome.explanation?.code ? ` ${outcome.explanation.code}` : ''}. Step 2 shows why.`,
        );
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
            <span
              className={`pg-chip ${expired ? 'pg-chip--expired' : 'pg-chip--valid'}`}
              aria-label={`Current token: ${scopes || 'scopes unknown'}, ${expiresAt !== undefined ? describeTimeLeft(expiresAt, now) : 'lifetime unknown'}`}
            >
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
          text={envExportLine({ origin, credentials, token, includeSecret })}
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
