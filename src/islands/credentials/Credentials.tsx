import { useStore } from '@nanostores/react';
import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import { apiScopeNames } from '../../lib/api-profile.ts';
import type { ErrorExplanation } from '../../lib/oauth-error-explanations.ts';
import {
  defaultClientAuthMethod,
  type ClientSecretAuthMethod,
} from '../../lib/sandbox-contract/client-auth-methods.ts';
import { AuthMethodChoice } from '../playground-shared/AuthMethodChoice.tsx';
import { CopyButton } from '../playground-shared/CopyButton.tsx';
import { ScopeChoices } from '../playground-shared/ScopeChoices.tsx';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import { useSingleFlight } from '../playground-shared/use-single-flight.ts';
import '../playground-shared/buttons.css';
import '../playground-shared/playground.css';
import { $credentials, forgetPlaygroundSession } from '../playground-shared/playground-store.ts';
import {
  authMethodLabels,
  defaultLifetime,
  describeClientExpiry,
  lifetimeChoices,
  lifetimeLabel,
  maskedSecret,
} from './credentials.ts';

// "Use my own client" loads when opened: most readers register, and the page's weight budget counts.
const OwnClientForm = lazy(() => import('./OwnClientForm.tsx'));
const ErrorExplanationView = lazy(async () => ({
  default: (await import('../playground-shared/ErrorExplanationView.tsx')).ErrorExplanationView,
}));

/**
 * Step 1: credentials. Registers a disposable sandbox client (RFC 7591), or takes the reader's
 * own, and keeps them in this browser (localStorage) for every other island, page and tab until
 * the client expires.
 */
export default function Credentials() {
  const credentials = useStore($credentials, { ssr: 'initial' });
  const hydrated = useHydrated();
  const id = useId();
  const [scopes, setScopes] = useState<string[]>([...apiScopeNames]);
  const [lifetime, setLifetime] = useState<number>(defaultLifetime);
  const [authMethod, setAuthMethod] = useState<ClientSecretAuthMethod>(defaultClientAuthMethod);
  const [busy, runOnce] = useSingleFlight();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<ErrorExplanation | undefined>();
  const [revealed, setRevealed] = useState(false);
  const [ownOpen, setOwnOpen] = useState(false);
  // Where focus goes when the view it was in goes away (HTML's focus fixup would drop it to <body>).
  const resultRef = useRef<HTMLDivElement>(null);
  const registerRef = useRef<HTMLButtonElement>(null);
  const [focusNext, setFocusNext] = useState<'result' | 'register' | undefined>();
  useEffect(() => {
    if (focusNext === undefined) return;
    (focusNext === 'result' ? resultRef.current : registerRef.current)?.focus();
    setFocusNext(undefined);
  }, [focusNext, credentials, ownOpen]);

  function register() {
    return runOnce(async () => {
      setError(undefined);
      setStatus('Registering a client with the sandbox…');
      try {
        const { registerSandboxClient, credentialsFromRegistration, explainRegistrationOutcome } =
          await import('./register-client.ts');
        const outcome = await registerSandboxClient({
          clientName: 'Playground',
          scopes,
          accessTokenLifetime: lifetime,
          tokenEndpointAuthMethod: authMethod,
        });
        if (outcome.ok) {
          setRevealed(false);
          $credentials.set(credentialsFromRegistration(outcome.value));
          setFocusNext('result');
          setStatus(
            `Registered client ${outcome.value.clientId}. Show or copy its secret now: the sandbox will not show it again.`,
          );
        } else {
          setError(explainRegistrationOutcome(outcome));
          setStatus(
            outcome.exchange.response
              ? `Registration failed: HTTP ${outcome.exchange.response.status}.`
              : outcome.error.message,
          );
        }
      } catch {
        setStatus('Registration failed: this page could not load its code. Reload the page and try again.');
      }
    });
  }

  function forget() {
    forgetPlaygroundSession();
    setRevealed(false);
    setFocusNext('register');
    setStatus('Forgot the credentials and the token: nothing of them is left in this tab.');
  }

  const expiry = credentials ? describeClientExpiry(credentials.secretExpiresAt, Date.now()) : undefined;

  return (
    <div className="pg pg-credentials not-content" data-pending={hydrated ? undefined : ''}>
      {!credentials && (
        <>
          <p className="pg-intro">
            Register a disposable sandbox client: it is created for you at once, works for 24 hours, and only
            against this sandbox.
          </p>
          {!ownOpen && (
            <div className="pg-fields">
              <ScopeChoices
                legend="Scopes the client may request"
                selected={scopes}
                onChange={setScopes}
                disabled={!hydrated}
              />
              <label className="pg-field">
                Token lifetime
                <select
                  value={lifetime}
                  onChange={(event) => setLifetime(Number(event.target.value))}
                  disabled={!hydrated}
                >
                  {lifetimeChoices.map((seconds) => (
                    <option key={seconds} value={seconds}>
                      {lifetimeLabel(seconds)}
                    </option>
                  ))}
                </select>
              </label>
              <AuthMethodChoice
                legend="Client authentication"
                name={`${id}-auth`}
                value={authMethod}
                onChange={setAuthMethod}
                disabled={!hydrated}
              />
            </div>
          )}
          <div className="pg-actions">
            {!ownOpen && (
              <button
                ref={registerRef}
                type="button"
                className="pg-button"
                onClick={() => void register()}
                disabled={!hydrated}
                aria-disabled={busy || undefined}
                aria-busy={busy}
              >
                Register a client
              </button>
            )}
            <button
              type="button"
              className="pg-button pg-button--secondary"
              aria-expanded={ownOpen}
              aria-controls={`${id}-own`}
              onClick={() => {
                setOwnOpen(!ownOpen);
                if (ownOpen) setFocusNext('register');
              }}
              disabled={!hydrated}
            >
              {ownOpen ? 'Register a new client instead' : 'Use my own client'}
            </button>
          </div>
          {ownOpen && (
            <Suspense>
              <OwnClientForm
                formId={`${id}-own`}
                busy={busy}
                runOnce={runOnce}
                onStatus={setStatus}
                onAccepted={(accepted) => {
                  setRevealed(false);
                  setError(undefined);
                  setOwnOpen(false);
                  $credentials.set(accepted);
                  setFocusNext('result');
                  setStatus(
                    `Using your client ${accepted.clientId}: the sandbox accepted it and issued a token.`,
                  );
                }}
              />
            </Suspense>
          )}
        </>
      )}

      {credentials && (
        <div
          className="pg-success pg-stack"
          ref={resultRef}
          tabIndex={-1}
          role="group"
          aria-label="Your client"
        >
          <p>
            <span className="pg-badge pg-badge--ok">Ready</span>{' '}
            {credentials.source === 'registered'
              ? 'Client registered. The sandbox showed its secret this once and keeps only a hash of it.'
              : 'Using your own client, which the sandbox accepted.'}{' '}
            This browser keeps the credentials for this site's pages and tabs until the client expires or you
            forget them.
          </p>
          <dl className="pg-facts">
            <dt>Client ID</dt>
            <dd>
              <code>{credentials.clientId}</code>
              <CopyButton text={credentials.clientId} label="Copy client ID" disabled={!hydrated} />
            </dd>
            <dt>Client secret</dt>
            <dd>
              {revealed ? (
                <code className="pg-secret">{credentials.clientSecret}</code>
              ) : (
                <>
                  <code className="pg-secret" aria-hidden="true">
                    {maskedSecret(credentials.clientSecret)}
                  </code>
                  <span className="sr-only">hidden</span>
                </>
              )}
              <button
                type="button"
                className="pg-button pg-button--small pg-button--secondary"
                aria-pressed={revealed}
                onClick={() => setRevealed(!revealed)}
                disabled={!hydrated}
              >
                Show secret
              </button>
              <CopyButton text={credentials.clientSecret} label="Copy secret" disabled={!hydrated} />
            </dd>
            <dt>Scopes</dt>
            <dd>
              {credentials.source === 'own' ? (
                'whatever your client is registered with'
              ) : (
                <code>{credentials.scopes.join(' ')}</code>
              )}
            </dd>
            <dt>Authentication</dt>
            <dd>
              {authMethodLabels[credentials.authMethod]} (<code>{credentials.authMethod}</code>)
            </dd>
            {credentials.lifetimeSeconds !== undefined && (
              <>
                <dt>Token lifetime</dt>
                <dd>{lifetimeLabel(credentials.lifetimeSeconds).replace(' (watch it expire)', '')}</dd>
              </>
            )}
            {expiry && (
              <>
                <dt>Client</dt>
                <dd>{expiry}</dd>
              </>
            )}
          </dl>
          <div className="pg-actions">
            <button
              type="button"
              className="pg-button pg-button--secondary"
              onClick={forget}
              disabled={!hydrated}
            >
              Forget these credentials
            </button>
          </div>
        </div>
      )}

      {error && (
        <Suspense>
          <ErrorExplanationView explanation={error} />
        </Suspense>
      )}
      <p role="status" className="pg-status">
        {status}
      </p>
    </div>
  );
}
