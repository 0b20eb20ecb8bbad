import { useStore } from '@nanostores/react';
import { useEffect, useId, useState } from 'react';
import { apiScopeNames } from '../../lib/api-profile.ts';
import { sendExchange, type HttpExchange } from '../../lib/http-exchange.ts';
import { defaultClientAuthMethod, type ClientSecretAuthMethod } from '../../lib/sandbox-contract/index.ts';
import { authMethodLabels } from '../playground-shared/auth-method-labels.ts';
import { FailureView } from '../playground-shared/ErrorExplanationView.tsx';
import { HttpExchangeView } from '../playground-shared/HttpExchangeView.tsx';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import '../playground-shared/buttons.css';
import '../playground-shared/playground.css';
import { $credentials, $token, recordRequestShape } from '../playground-shared/playground-store.ts';
import {
  buildPlaygroundTokenRequest,
  readTokenRequestOutcome,
  type TokenRequestOutcome,
} from './token-request-exchange.ts';

const authMethods = Object.keys(authMethodLabels) as ClientSecretAuthMethod[];

/**
 * Step 2: the token request (RFC 6749 §4.4.2). The reader picks the authentication method and
 * the scopes, sends it, and sees the raw request (secret masked unless shown) and response.
 */
export default function TokenRequest() {
  const credentials = useStore($credentials, { ssr: 'initial' });
  const hydrated = useHydrated();
  const id = useId();
  const [authChoice, setAuthChoice] = useState<ClientSecretAuthMethod | undefined>();
  const [scopeChoice, setScopeChoice] = useState<string[] | undefined>();
  const [busy, setBusy] = useState(false);
  const [exchange, setExchange] = useState<HttpExchange | undefined>();
  const [outcome, setOutcome] = useState<TokenRequestOutcome | undefined>();
  const [revealed, setRevealed] = useState(false);
  const [status, setStatus] = useState('');

  // New credentials: start again from what that client is registered with.
  const clientId = credentials?.clientId;
  useEffect(() => {
    setAuthChoice(undefined);
    setScopeChoice(undefined);
    setExchange(undefined);
    setOutcome(undefined);
    setRevealed(false);
  }, [clientId]);

  const authMethod = authChoice ?? credentials?.authMethod ?? defaultClientAuthMethod;
  const scopes = scopeChoice ?? (credentials?.source === 'registered' ? credentials.scopes : []);
  const ready = hydrated && credentials !== undefined && !busy;

  function toggleScope(scope: string, checked: boolean) {
    setScopeChoice(
      checked
        ? apiScopeNames.filter((name) => name === scope || scopes.includes(name))
        : scopes.filter((name) => name !== scope),
    );
  }

  async function requestToken() {
    if (!credentials) return;
    setBusy(true);
    setStatus('Sending the token request…');
    const request = buildPlaygroundTokenRequest(credentials, { authMethod, scopes });
    const requestedAt = Date.now();
    const result = await sendExchange(request);
    const read = readTokenRequestOutcome(result, requestedAt);
    setExchange(result);
    setOutcome(read);
    setBusy(false);
    recordRequestShape({ kind: 'token', authMethod, scopes: [...scopes] });
    if (read.ok) {
      $token.set(read.token);
      setStatus(
        `POST /oauth/token → HTTP ${result.response?.status}: got an access token${read.token.expiresInSeconds !== undefined ? ` valid for ${read.token.expiresInSeconds} s` : ''}${read.token.scope ? ` with the scope ${read.token.scope}` : ''}.`,
      );
    } else {
      setStatus(
        read.explanation
          ? `POST /oauth/token → HTTP ${read.explanation.status} ${read.explanation.code ?? ''}: the token request was refused.`
          : `POST /oauth/token: ${read.message}`,
      );
    }
  }

  return (
    <div className="pg pg-token-request not-content">
      {!credentials && (
        <p className="pg-intro">
          This step needs a client ID and secret: register a client or use your own first.
        </p>
      )}
      <div className="pg-fields">
        <fieldset>
          <legend>Send the credentials in</legend>
          <div className="pg-choices">
            {authMethods.map((method) => (
              <label key={method} className="pg-choice">
                <input
                  type="radio"
                  name={`${id}-auth`}
                  value={method}
                  checked={authMethod === method}
                  onChange={() => setAuthChoice(method)}
                  disabled={!ready}
                />
                {authMethodLabels[method]} (<code>{method}</code>)
              </label>
            ))}
          </div>
          {credentials && (
            <p className="pg-hint">
              This client is registered for <code>{credentials.authMethod}</code>: the other method gets{' '}
              <code>invalid_client</code>.
            </p>
          )}
        </fieldset>
        <fieldset>
          <legend>Scopes to ask for</legend>
          <div className="pg-choices">
            {apiScopeNames.map((scope) => (
              <label key={scope} className="pg-choice">
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={(event) => toggleScope(scope, event.target.checked)}
                  disabled={!ready}
                />
                <code>{scope}</code>
              </label>
            ))}
          </div>
          <p className="pg-hint">
            None ticked: no scope parameter, and the token gets every scope the client is registered with.
          </p>
        </fieldset>
      </div>
      <div className="pg-actions">
        <button type="button" className="pg-button" onClick={requestToken} disabled={!ready} aria-busy={busy}>
          Request a token
        </button>
        {exchange && (
          <button
            type="button"
            className="pg-button pg-button--small pg-button--secondary"
            aria-pressed={revealed}
            onClick={() => setRevealed(!revealed)}
          >
            Show secret in the request
          </button>
        )}
      </div>
      <p role="status" className="pg-status">
        {status}
      </p>
      {outcome && !outcome.ok && <FailureView explanation={outcome.explanation} message={outcome.message} />}
      {outcome?.ok && (
        <p className="pg-success">
          <span className="pg-badge pg-badge--ok">Token</span> The token inspector and the API call use this
          token now.
        </p>
      )}
      {exchange && <HttpExchangeView exchange={exchange} revealSecret={revealed} />}
    </div>
  );
}
