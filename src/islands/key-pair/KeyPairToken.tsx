import { useStore } from '@nanostores/react';
import { useEffect, useState } from 'react';
import type { ClientAssertionClaims } from '../../lib/client-assertion.ts';
import { sendExchange, type HttpExchange } from '../../lib/http-exchange.ts';
import { responseJson } from '../../lib/http-message.ts';
import { HttpExchangeView } from '../playground-shared/HttpExchangeView.tsx';
import { $token, recordRequestShape } from '../playground-shared/playground-store.ts';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import '../playground-shared/buttons.css';
import '../playground-shared/playground.css';
import './key-pair.css';
import { $keyClient, $lastAssertion } from './key-pair-store.ts';
import {
  buildAssertionTokenRequest,
  claimExplanations,
  remainingSeconds,
  signAssertion,
  variantClaims,
  variantDescriptions,
  type AssertionVariant,
} from './key-pair.ts';

interface Outcome {
  variant: AssertionVariant;
  exchange: HttpExchange;
  ok: boolean;
  error?: string;
  description?: string;
}

const brokenVariants: AssertionVariant[] = ['wrong-aud', 'reused-jti', 'long-exp'];

/** Counts an assertion's remaining life down, once a second. */
function useRemaining(exp: number | undefined): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (exp === undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [exp]);
  return exp === undefined ? undefined : remainingSeconds(exp, now);
}

/**
 * Token request with a key pair: builds and signs a client assertion (RFC 7523 §3) with the
 * page's private key, shows it decoded, sends it, and lets the reader break it on purpose.
 */
export default function KeyPairToken() {
  const client = useStore($keyClient);
  const last = useStore($lastAssertion);
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [status, setStatus] = useState('');
  const remaining = useRemaining(last?.claims.exp);

  async function send(variant: AssertionVariant) {
    if (!client) return;
    setBusy(true);
    try {
      let assertion: string;
      let claims: ClientAssertionClaims;
      if (variant === 'reused-jti') {
        if (!last) return;
        ({ assertion, claims } = last);
      } else {
        claims = variantClaims(variant, client, Math.floor(Date.now() / 1000));
        assertion = await signAssertion(client, claims);
      }
      $lastAssertion.set({ assertion, claims });
      const requestedAt = Date.now();
      const exchange = await sendExchange(buildAssertionTokenRequest(client.clientId, assertion));
      // "Code for this request" then shows the private_key_jwt program: the key's algorithm, never the key.
      if (client.alg === 'EdDSA' || client.alg === 'ES256')
        recordRequestShape({ kind: 'token', authMethod: 'private_key_jwt', alg: client.alg, scopes: [] });
      const body = exchange.response ? responseJson(exchange.response) : undefined;
      const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      const ok = exchange.response?.status === 200 && typeof record.access_token === 'string';
      if (ok) {
        $token.set({
          accessToken: record.access_token as string,
          requestedAt,
          ...(typeof record.expires_in === 'number' ? { expiresInSeconds: record.expires_in } : {}),
          ...(typeof record.scope === 'string' ? { scope: record.scope } : {}),
        });
      }
      setOutcome({
        variant,
        exchange,
        ok,
        ...(typeof record.error === 'string' ? { error: record.error } : {}),
        ...(typeof record.error_description === 'string' ? { description: record.error_description } : {}),
      });
      setStatus(
        ok
          ? 'Token received with the assertion. The next steps (inspect, call the API) use it.'
          : `Refused: HTTP ${exchange.response?.status ?? 'no answer'} ${String(record.error ?? exchange.networkError ?? '')}.`,
      );
    } finally {
      setBusy(false);
    }
  }

  if (!client) {
    return (
      <div className="pg pg-key-pair-token not-content">
        <p className="pg-intro">
          Make a key pair and register it first (step 1, <strong>Key pair</strong>). Then this step signs a
          client assertion with it and sends it instead of a secret.
        </p>
      </div>
    );
  }

  return (
    <div className="pg pg-key-pair-token not-content">
      <p className="pg-intro">
        Each request gets a new assertion: a JWT that this page signs with the private key, valid for 60
        seconds, usable once.
      </p>
      <div className="pg-actions">
        <button
          type="button"
          className="pg-button"
          onClick={() => send('genuine')}
          disabled={!hydrated || busy}
          aria-busy={busy}
        >
          {variantDescriptions.genuine.label}
        </button>
      </div>
      <fieldset className="pg-stack">
        <legend>Break it on purpose</legend>
        <div className="pg-actions">
          {brokenVariants.map((variant) => (
            <button
              key={variant}
              type="button"
              className="pg-button pg-button--secondary"
              onClick={() => send(variant)}
              disabled={!hydrated || busy || (variant === 'reused-jti' && !last)}
            >
              {variantDescriptions[variant].label}
            </button>
          ))}
        </div>
      </fieldset>

      {last && (
        <section className="pg-stack" aria-label="The assertion sent">
          <h3 className="pg-kp-heading">The assertion sent</h3>
          <p>
            {remaining !== undefined && remaining > 0 ? (
              <>
                Expires in <strong>{remaining} s</strong>
              </>
            ) : (
              <strong>Expired</strong>
            )}{' '}
            (claim <code>exp</code>).
          </p>
          <table className="pg-kp-claims">
            <thead>
              <tr>
                <th scope="col">Claim</th>
                <th scope="col">Value</th>
                <th scope="col">Meaning</th>
              </tr>
            </thead>
            <tbody>
              {(Object.keys(claimExplanations) as (keyof ClientAssertionClaims)[]).map((claim) => (
                <tr key={claim}>
                  <th scope="row">
                    <code>{claim}</code>
                  </th>
                  <td>
                    <code>{String(last.claims[claim])}</code>
                  </td>
                  <td>{claimExplanations[claim]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <details>
            <summary>The signed JWT</summary>
            <pre className="pg-pre">{last.assertion}</pre>
          </details>
        </section>
      )}

      {outcome && (
        <section
          className={outcome.ok ? 'pg-success pg-stack' : 'pg-explanation pg-stack'}
          aria-label={outcome.ok ? 'Token received' : 'Refused'}
        >
          <p>
            {outcome.ok ? (
              <span className="pg-badge pg-badge--ok">200 OK</span>
            ) : (
              <span className="pg-badge pg-badge--error">
                {outcome.exchange.response?.status ?? 'no answer'} {outcome.error}
              </span>
            )}{' '}
            {variantDescriptions[outcome.variant].change}
          </p>
          {outcome.description && (
            <p>
              The sandbox says: <q>{outcome.description}</q>
            </p>
          )}
          <p>
            <strong>Why:</strong> {variantDescriptions[outcome.variant].explanation}
          </p>
          <details>
            <summary>The token request and answer</summary>
            <HttpExchangeView exchange={outcome.exchange} />
          </details>
        </section>
      )}
      <p role="status" className="pg-status">
        {status}
      </p>
    </div>
  );
}
