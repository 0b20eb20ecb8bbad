import { useStore } from '@nanostores/react';
import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react';
import { apiScopeNames } from '../../lib/api-profile.ts';
import { responseJson } from '../../lib/http-message.ts';
import type { ErrorExplanation } from '../../lib/oauth-error-explanations.ts';
import type { ClientAuthMethod } from '../../lib/token-request.ts';
import { CopyButton } from '../playground-shared/CopyButton.tsx';
import { ErrorExplanationView } from '../playground-shared/ErrorExplanationView.tsx';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import { useSingleFlight } from '../playground-shared/use-single-flight.ts';
import '../playground-shared/buttons.css';
import '../playground-shared/playground.css';
import { $credentials, forgetPlaygroundSession } from '../playground-shared/playground-store.ts';
import {
  authMethodLabels,
  checkOwnClient,
  defaultLifetime,
  describeClientExpiry,
  lifetimeChoices,
  lifetimeLabel,
  maskedSecret,
  readOwnCredentials,
} from './credentials.ts';

const authMethods = Object.keys(authMethodLabels) as ClientAuthMethod[];

/** A problem with one field, shown under that field. */
function FieldProblem({ id, text }: { id: string; text: string }) {
  return (
    <span id={id} className="pg-hint pg-field-problem">
      <span className="pg-badge pg-badge--error">Check</span> {text}
    </span>
  );
}

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
  const [authMethod, setAuthMethod] = useState<ClientAuthMethod>('client_secret_basic');
  const [busy, runOnce] = useSingleFlight();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<ErrorExplanation | undefined>();
  const [revealed, setRevealed] = useState(false);
  const [ownOpen, setOwnOpen] = useState(false);
  const [own, setOwn] = useState({
    clientId: '',
    clientSecret: '',
    authMethod: 'client_secret_basic' as ClientAuthMethod,
  });
  const [ownProblem, setOwnProblem] = useState<
    { problem: string; field: 'clientId' | 'clientSecret' | 'authMethod' | undefined } | undefined
  >();
  // Where focus goes when the view it was in goes away (HTML's focus fixup would drop it to <body>).
  const resultRef = useRef<HTMLDivElement>(null);
  const registerRef = useRef<HTMLButtonElement>(null);
  const ownIdRef = useRef<HTMLInputElement>(null);
  const [focusNext, setFocusNext] = useState<'result' | 'register' | 'own' | undefined>();
  useEffect(() => {
    if (focusNext === undefined) return;
    const target =
      focusNext === 'result'
        ? resultRef.current
        : focusNext === 'own'
          ? ownIdRef.current
          : registerRef.current;
    target?.focus();
    setFocusNext(undefined);
  }, [focusNext, credentials, ownOpen]);

  function toggleScope(scope: string, checked: boolean) {
    setScopes((current) =>
      checked
        ? apiScopeNames.filter((name) => name === scope || current.includes(name))
        : current.filter((name) => name !== scope),
    );
  }

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
        if (outcome.result.ok) {
          setRevealed(false);
          $credentials.set(credentialsFromRegistration(outcome.result));
          setFocusNext('result');
          setStatus(
            `Registered client ${outcome.result.client.clientId}. Show or copy its secret now: the sandbox will not show it again.`,
          );
        } else {
          setError(explainRegistrationOutcome(outcome));
          setStatus(
            outcome.exchange.response
              ? `Registration failed: HTTP ${outcome.exchange.response.status}.`
              : outcome.result.message,
          );
        }
      } catch {
        setStatus('Registration failed: this page could not load its code. Reload the page and try again.');
      }
    });
  }

  function submitOwn(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = readOwnCredentials({ ...own, scopes: apiScopeNames });
    if ('problem' in result) {
      setOwnProblem(result);
      setStatus(result.problem);
      return;
    }
    void runOnce(async () => {
      setOwnProblem(undefined);
      setStatus('Checking these credentials with a token request…');
      // Ready only once the sandbox accepts them: one token request, which also gets the first token.
      const { requestPlaygroundToken } = await import('../playground-shared/token-session.ts');
      const { exchange, outcome } = await requestPlaygroundToken(result, {
        authMethod: result.authMethod,
        scopes: [],
      });
      const body = exchange.response ? responseJson(exchange.response) : undefined;
      const description =
        typeof body === 'object' && body !== null && 'error_description' in body
          ? body.error_description
          : undefined;
      const check = checkOwnClient(
        result,
        outcome.ok
          ? { ok: true, token: outcome.token }
          : {
              ok: false,
              code: outcome.explanation?.code,
              status: exchange.response?.status,
              description: typeof description === 'string' ? description : undefined,
            },
      );
      if (!check.ok) {
        setOwnProblem({ problem: check.problem, field: check.field });
        setStatus(check.problem);
        return;
      }
      setRevealed(false);
      setError(undefined);
      setOwn({ clientId: '', clientSecret: '', authMethod: 'client_secret_basic' });
      setOwnOpen(false);
      $credentials.set(check.credentials);
      setFocusNext('result');
      setStatus(
        `Using your client ${check.credentials.clientId}: the sandbox accepted it and issued a token.`,
      );
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
          <div className="pg-fields" hidden={ownOpen}>
            <fieldset>
              <legend>Scopes the client may request</legend>
              <div className="pg-choices">
                {apiScopeNames.map((scope) => (
                  <label key={scope} className="pg-choice">
                    <input
                      type="checkbox"
                      checked={scopes.includes(scope)}
                      onChange={(event) => toggleScope(scope, event.target.checked)}
                      disabled={!hydrated}
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
                disabled={!hydrated}
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
                      disabled={!hydrated}
                    />
                    {authMethodLabels[method]} (<code>{method}</code>)
                  </label>
                ))}
              </div>
            </fieldset>
          </div>
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
                setOwnProblem(undefined);
                setFocusNext(ownOpen ? 'register' : 'own');
              }}
              disabled={!hydrated}
            >
              {ownOpen ? 'Register a new client instead' : 'Use my own client'}
            </button>
          </div>
          {ownOpen && (
            <form id={`${id}-own`} className="pg-stack" onSubmit={submitOwn} noValidate>
              <p className="pg-hint">
                Your ID and secret stay in this browser until you forget them (24 hours at most); they go only
                to this sandbox&apos;s token endpoint, which is asked for a token to check them.
              </p>
              <div className="pg-fields">
                <label className="pg-field pg-field--grow">
                  Client ID
                  <input
                    ref={ownIdRef}
                    type="text"
                    autoComplete="off"
                    spellCheck={false}
                    value={own.clientId}
                    onChange={(event) => setOwn({ ...own, clientId: event.target.value })}
                    aria-invalid={ownProblem?.field === 'clientId' || undefined}
                    aria-describedby={ownProblem?.field === 'clientId' ? `${id}-own-problem` : undefined}
                  />
                  {ownProblem?.field === 'clientId' && (
                    <FieldProblem id={`${id}-own-problem`} text={ownProblem.problem} />
                  )}
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
                  {ownProblem?.field === 'clientSecret' && (
                    <FieldProblem id={`${id}-own-problem`} text={ownProblem.problem} />
                  )}
                </label>
                <label className="pg-field">
                  Registered for
                  <select
                    value={own.authMethod}
                    onChange={(event) =>
                      setOwn({ ...own, authMethod: event.target.value as ClientAuthMethod })
                    }
                    aria-invalid={ownProblem?.field === 'authMethod' || undefined}
                    aria-describedby={ownProblem?.field === 'authMethod' ? `${id}-own-problem` : undefined}
                  >
                    {authMethods.map((method) => (
                      <option key={method} value={method}>
                        {authMethodLabels[method]}
                      </option>
                    ))}
                  </select>
                  {ownProblem?.field === 'authMethod' && (
                    <FieldProblem id={`${id}-own-problem`} text={ownProblem.problem} />
                  )}
                </label>
              </div>
              {ownProblem && ownProblem.field === undefined && (
                <FieldProblem id={`${id}-own-problem`} text={ownProblem.problem} />
              )}
              <div className="pg-actions">
                <button
                  type="submit"
                  className="pg-button"
                  aria-disabled={busy || undefined}
                  aria-busy={busy}
                >
                  Use these credentials
                </button>
              </div>
            </form>
          )}
        </>
      )}

      {credentials && (
        <div className="pg-success pg-stack" ref={resultRef} tabIndex={-1} aria-label="Your client">
          <p>
            <span className="pg-badge pg-badge--ok">Ready</span>{' '}
            {credentials.source === 'registered'
              ? 'Client registered. The sandbox showed its secret this once and keeps only a hash of it.'
              : 'Using your own client: the sandbox accepted its ID and secret.'}{' '}
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

      {error && <ErrorExplanationView explanation={error} />}
      <p role="status" className="pg-status">
        {status}
      </p>
    </div>
  );
}
