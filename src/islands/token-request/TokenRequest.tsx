import { useStore } from '@nanostores/react';
import { useEffect, useId, useState } from 'react';
import { defaultClientAuthMethod, type ClientSecretAuthMethod } from '../../lib/sandbox-contract/index.ts';
import { authMethodLabels } from '../playground-shared/auth-method-labels.ts';
import { AuthMethodChoice } from '../playground-shared/AuthMethodChoice.tsx';
import { CopyButton } from '../playground-shared/CopyButton.tsx';
import { ScopeChoices } from '../playground-shared/ScopeChoices.tsx';
import { describeNetworkFailure, seconds } from '../playground-shared/network-failure.ts';
import { StepOutcome } from '../playground-shared/StepOutcome.tsx';
import { useCooldown } from '../playground-shared/use-cooldown.ts';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import { useSingleFlight } from '../playground-shared/use-single-flight.ts';
import '../playground-shared/buttons.css';
import '../playground-shared/playground.css';
import { $lastTokenExchange } from '../playground-shared/playground-results.ts';
import { $credentials, $token } from '../playground-shared/playground-store.ts';
import { requestPlaygroundToken } from '../playground-shared/token-session.ts';
import {
  diagnoseTokenRefusal,
  readTokenRequestOutcome,
  type TokenRequestChoice,
} from './token-request-exchange.ts';

/**
 * Step 2: the token request (RFC 6749 §4.4.2). The reader picks the authentication method and
 * the scopes, sends it, and sees the raw request (secret masked unless shown) and response. The
 * last exchange is kept in the session, so a reload shows it again.
 */
export default function TokenRequest() {
  const credentials = useStore($credentials, { ssr: 'initial' });
  const exchange = useStore($lastTokenExchange, { ssr: 'initial' });
  const token = useStore($token, { ssr: 'initial' });
  const hydrated = useHydrated();
  const id = useId();
  const [authChoice, setAuthChoice] = useState<ClientSecretAuthMethod | undefined>();
  const [scopeChoice, setScopeChoice] = useState<string[] | undefined>();
  const [busy, runOnce] = useSingleFlight();
  const [cooldown, noteCooldown] = useCooldown();
  const [sentChoice, setSentChoice] = useState<TokenRequestChoice | undefined>();
  const [revealed, setRevealed] = useState(false);
  const [status, setStatus] = useState('');

  // New credentials: start again from what that client is registered with.
  const clientId = credentials?.clientId;
  useEffect(() => {
    setAuthChoice(undefined);
    setScopeChoice(undefined);
    setRevealed(false);
  }, [clientId]);

  const authMethod = authChoice ?? credentials?.authMethod ?? defaultClientAuthMethod;
  const scopes = scopeChoice ?? (credentials?.source === 'registered' ? credentials.scopes : []);
  const ready = hydrated && credentials !== undefined;
  // The outcome is read again from the kept exchange: after a reload it is the same as when sent.
  const outcome = exchange ? readTokenRequestOutcome(exchange, token?.requestedAt ?? Date.now()) : undefined;
  const diagnosis =
    outcome && !outcome.ok && credentials
      ? diagnoseTokenRefusal(
          outcome.explanation?.code,
          credentials,
          sentChoice ?? { authMethod, scopes },
          authMethodLabels,
        )
      : undefined;

  function send(choice: TokenRequestChoice) {
    if (!credentials || cooldown > 0) return Promise.resolve();
    return runOnce(async () => {
      // The previous answer goes at once: an old error must not stand beside a new request.
      $lastTokenExchange.set(undefined);
      setSentChoice(choice);
      setStatus('Sending the token request…');
      const { exchange: result, outcome: read } = await requestPlaygroundToken(credentials, choice);
      noteCooldown(result);
      if (read.ok) {
        const lifetime =
          read.token.expiresInSeconds !== undefined ? ` valid for ${read.token.expiresInSeconds} s` : '';
        const scope = read.token.scope ? ` with the scope ${read.token.scope}` : '';
        setStatus(
          `POST /oauth/token → HTTP ${result.response?.status}: got an access token${lifetime}${scope}.`,
        );
      } else if (!result.response) {
        setStatus(`POST /oauth/token: ${describeNetworkFailure(result.networkError)}`);
      } else {
        setStatus(
          read.explanation
            ? `POST /oauth/token → HTTP ${read.explanation.status} ${read.explanation.code ?? ''}: the token request was refused.`
            : `POST /oauth/token: ${read.message}`,
        );
      }
    });
  }

  const waiting = busy || cooldown > 0;

  return (
    <div className="pg pg-token-request not-content" data-pending={hydrated ? undefined : ''}>
      {!credentials && (
        <p className="pg-intro">
          This step needs a client ID and secret: register a client or use your own first.
        </p>
      )}
      <div className="pg-fields">
        <AuthMethodChoice
          legend="Send the credentials in"
          name={`${id}-auth`}
          value={authMethod}
          onChange={setAuthChoice}
          disabled={!ready}
        >
          {credentials && (
            <p className="pg-hint">
              This client is registered for <code>{credentials.authMethod}</code>: the other method gets{' '}
              <code>invalid_client</code>.
            </p>
          )}
        </AuthMethodChoice>
        <ScopeChoices
          legend="Scopes to ask for"
          selected={scopes}
          onChange={setScopeChoice}
          disabled={!ready}
        >
          <p className="pg-hint">
            None ticked: no scope parameter, and the token gets every scope the client is registered with.
          </p>
        </ScopeChoices>
      </div>
      <div className="pg-actions">
        <button
          type="button"
          className="pg-button"
          // Clicks after the first of a double or triple click (detail > 1) send nothing more.
          onClick={(event) => {
            if (event.detail <= 1) void send({ authMethod, scopes: [...scopes] });
          }}
          disabled={!ready}
          aria-disabled={waiting || undefined}
          aria-busy={busy}
        >
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
      {cooldown > 0 && (
        <p className="pg-hint" role="timer">
          Too many failed attempts from this address: you can send again in {seconds(cooldown)}.
        </p>
      )}
      <StepOutcome
        status={status}
        exchange={exchange}
        revealSecret={revealed}
        outcome={outcome}
        lead={diagnosis?.lead}
        action={
          diagnosis?.retry && (
            <button
              type="button"
              className="pg-button pg-button--small"
              aria-disabled={waiting || undefined}
              onClick={() => {
                const retry = diagnosis.retry!.choice;
                setAuthChoice(retry.authMethod);
                setScopeChoice([...retry.scopes]);
                void send(retry);
              }}
            >
              {diagnosis.retry.label}
            </button>
          )
        }
        success={
          outcome?.ok && (
            <div className="pg-success pg-stack">
              <p>
                <span className="pg-badge pg-badge--ok">Token</span> The token inspector and the API call use
                this token now.
              </p>
              <div className="pg-actions">
                <CopyButton text={outcome.token.accessToken} label="Copy token" />
              </div>
            </div>
          )
        }
      />
    </div>
  );
}
