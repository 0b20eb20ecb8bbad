import { useStore } from '@nanostores/react';
import { useId, useState, type SubmitEvent } from 'react';
import { apiScopeNames } from '../../lib/api-profile.ts';
import type { ErrorExplanation } from '../../lib/oauth-error-explanations.ts';
import {
  defaultClientAuthMethod,
  type ClientSecretAuthMethod,
} from '../../lib/sandbox-contract/client-auth-methods.ts';
import { CopyButton } from '../playground-shared/CopyButton.tsx';
import { ErrorExplanationView } from '../playground-shared/ErrorExplanationView.tsx';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
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
  readOwnCredentials,
} from './credentials.ts';

const authMethods = Object.keys(authMethodLabels) as ClientSecretAuthMethod[];

/**
 * Step 1: credentials. Registers a disposable sandbox client (RFC 7591), or takes the reader's
 * own, and keeps them in this tab's sessionStorage for every other island and page.
 */
export default function Credentials() {
  const credentials = useStore($credentials, { ssr: 'initial' });
  const hydrated = useHydrated();
  const id = useId();
  const [scopes, setScopes] = useState<string[]>([...apiScopeNames]);
  const [lifetime, setLifetime] = useState<number>(defaultLifetime);
  const [authMethod, setAuthMethod] = useState<ClientSecretAuthMethod>(defaultClientAuthMethod);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<ErrorExplanation | undefined>();
  const [revealed, setRevealed] = useState(false);
  const [ownOpen, setOwnOpen] = useState(false);
  const [own, setOwn] = useState({
    clientId: '',
    clientSecret: '',
    authMethod: defaultClientAuthMethod,
  });
  const [ownProblem, setOwnProblem] = useState<
    { problem: string; field: 'clientId' | 'clientSecret' } | undefined
  >();

  function toggleScope(scope: string, checked: boolean) {
    setScopes((current) =>
      checked
        ? apiScopeNames.filter((name) => name === scope || current.includes(name))
        : current.filter((name) => name !== scope),
    );
  }

  async function register() {
    setBusy(true);
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
    } finally {
      setBusy(false);
    }
  }

  function submitOwn(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = readOwnCredentials({ ...own, scopes: apiScopeNames });
    if ('problem' in result) {
      setOwnProblem(result);
      setStatus(result.problem);
      return;
    }
    setOwnProblem(undefined);
    setRevealed(false);
    setError(undefined);
    setOwn({ clientId: '', clientSecret: '', authMethod: defaultClientAuthMethod });
    setOwnOpen(false);
    $credentials.set(result);
    setStatus(`Using your client ${result.clientId}.`);
  }

  function forget() {
    forgetPlaygroundSession();
    setRevealed(false);
    setStatus('Forgot the credentials and the token: nothing of them is left in this tab.');
  }

  const expiry = credentials ? describeClientExpiry(credentials.secretExpiresAt, Date.now()) : undefined;

  return (
    <div className="pg pg-credentials not-content">
      {!credentials && (
        <>
          <p className="pg-intro">
            Register a disposable sandbox client: it is created for you at once, works for 24 hours, and only
            against this sandbox.
          </p>
          <div className="pg-fields">
            <fieldset>
              <legend>Scopes the client may request</legend>
              <div className="pg-choices">
                {apiScopeNames.map((scope) => (
                  <label key={scope} className="pg-choice">
                    <input
                      type="checkbox"
                      checked={scopes.includes(scope)}
                      onChange={(event) => toggleScope(scope, event.target.checked)}
                      disabled={!hydrated || busy}
                    />
                    <code>{scope}</code>
                  </label>
                ))}
              </div>
            </fieldset>
            <label className="pg-field">
              Token lifetime
              <select
                value={lifetime}
                onChange={(event) => setLifetime(Number(event.target.value))}
                disabled={!hydrated || busy}
              >
                {lifetimeChoices.map((seconds) => (
                  <option key={seconds} value={seconds}>
                    {lifetimeLabel(seconds)}
                  </option>
                ))}
              </select>
            </label>
            <fieldset>
              <legend>Client authentication</legend>
              <div className="pg-choices">
                {authMethods.map((method) => (
                  <label key={method} className="pg-choice">
                    <input
                      type="radio"
                      name={`${id}-auth`}
                      value={method}
                      checked={authMethod === method}
                      onChange={() => setAuthMethod(method)}
                      disabled={!hydrated || busy}
                    />
                    {authMethodLabels[method]} (<code>{method}</code>)
                  </label>
                ))}
              </div>
            </fieldset>
          </div>
          <div className="pg-actions">
            <button
              type="button"
              className="pg-button"
              onClick={register}
              disabled={!hydrated || busy}
              aria-busy={busy}
            >
              Register a client
            </button>
            <button
              type="button"
              className="pg-button pg-button--secondary"
              aria-expanded={ownOpen}
              aria-controls={`${id}-own`}
              onClick={() => setOwnOpen(!ownOpen)}
              disabled={!hydrated}
            >
              Use my own client
            </button>
          </div>
          {ownOpen && (
            <form id={`${id}-own`} className="pg-stack" onSubmit={submitOwn} noValidate>
              <p className="pg-hint">
                Your ID and secret stay in this browser tab (sessionStorage); they go only to this
                sandbox&apos;s token endpoint.
              </p>
              <div className="pg-fields">
                <label className="pg-field pg-field--grow">
                  Client ID
                  <input
                    type="text"
                    autoComplete="off"
                    spellCheck={false}
                    value={own.clientId}
                    onChange={(event) => setOwn({ ...own, clientId: event.target.value })}
                    aria-invalid={ownProblem?.field === 'clientId' || undefined}
                    aria-describedby={ownProblem?.field === 'clientId' ? `${id}-own-problem` : undefined}
                  />
                </label>
                <label className="pg-field pg-field--grow">
                  Client secret
                  <input
                    type="password"
                    autoComplete="off"
                    spellCheck={false}
                    value={own.clientSecret}
                    onChange={(event) => setOwn({ ...own, clientSecret: event.target.value })}
                    aria-invalid={ownProblem?.field === 'clientSecret' || undefined}
                    aria-describedby={ownProblem?.field === 'clientSecret' ? `${id}-own-problem` : undefined}
                  />
                </label>
                <label className="pg-field">
                  Registered for
                  <select
                    value={own.authMethod}
                    onChange={(event) =>
                      setOwn({ ...own, authMethod: event.target.value as ClientSecretAuthMethod })
                    }
                  >
                    {authMethods.map((method) => (
                      <option key={method} value={method}>
                        {authMethodLabels[method]}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
              {ownProblem && (
                <p id={`${id}-own-problem`} className="pg-hint">
                  <span className="pg-badge pg-badge--error">Check</span> {ownProblem.problem}
                </p>
              )}
              <div className="pg-actions">
                <button type="submit" className="pg-button">
                  Use these credentials
                </button>
              </div>
            </form>
          )}
        </>
      )}

      {credentials && (
        <div className="pg-success pg-stack">
          <p>
            <span className="pg-badge pg-badge--ok">Ready</span>{' '}
            {credentials.source === 'registered'
              ? 'Client registered. The sandbox showed its secret this once and keeps only a hash of it.'
              : 'Using your own client.'}{' '}
            This tab keeps the credentials (sessionStorage) until you forget them or close it.
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

      {error && <ErrorExplanationView explanation={error} />}
      <p role="status" className="pg-status">
        {status}
      </p>
    </div>
  );
}
