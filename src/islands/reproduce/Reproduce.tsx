import { useState } from 'react';
import type { RegisteredClient } from '../../lib/sandbox-contract/index.ts';
import { sendExchange, type HttpExchange } from '../../lib/http-exchange.ts';
import { HttpExchangeView } from '../playground-shared/HttpExchangeView.tsx';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import '../playground-shared/buttons.css';
import '../playground-shared/playground.css';
import {
  createScenarioClients,
  errorOf,
  expectations,
  reproduce,
  ScenarioStepFailed,
  type ClientCache,
  type ReproducibleError,
  type ScenarioClients,
  type ScenarioResult,
} from './reproduce.ts';

/** Where the errors page keeps its two clients: this tab only, like the playground's. */
const cacheKey = 'playground:errors-page-clients';

const sessionCache: ClientCache = {
  get(name) {
    try {
      const stored = JSON.parse(sessionStorage.getItem(cacheKey) ?? '{}') as Record<
        string,
        RegisteredClient | undefined
      >;
      const client = stored[name];
      return client && typeof client.clientId === 'string' && typeof client.clientSecret === 'string'
        ? client
        : undefined;
    } catch {
      return undefined;
    }
  },
  set(name, client) {
    try {
      const stored = JSON.parse(sessionStorage.getItem(cacheKey) ?? '{}') as Record<string, RegisteredClient>;
      sessionStorage.setItem(cacheKey, JSON.stringify({ ...stored, [name]: client }));
    } catch {
      // Storage blocked: the clients live as long as the page.
    }
  },
};

// One set of clients for every button on the page: each is registered once, when first needed.
let sharedClients: ScenarioClients | undefined;
function clients(): ScenarioClients {
  sharedClients ??= createScenarioClients((request) => sendExchange(request), sessionCache);
  return sharedClients;
}

/**
 * A "Reproduce" button for one row of the errors page: makes the error happen for real against
 * the sandbox and shows the request and the answer.
 */
export default function Reproduce({ error }: { error: ReproducibleError }) {
  const hydrated = useHydrated();
  const expected = expectations[error];
  const [busy, setBusy] = useState(false);
  const [steps, setSteps] = useState<string[]>([]);
  const [countdown, setCountdown] = useState<number | undefined>();
  const [result, setResult] = useState<ScenarioResult | undefined>();
  const [failure, setFailure] = useState<{ message: string; exchange: HttpExchange } | undefined>();
  const [status, setStatus] = useState('');

  async function run() {
    setBusy(true);
    setSteps([]);
    setResult(undefined);
    setFailure(undefined);
    setStatus(`Reproducing ${expected.label}…`);
    let announcedWait = false;
    try {
      const outcome = await reproduce(error, {
        send: (request) => sendExchange(request),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        now: () => Date.now(),
        clients: clients(),
        onStep: (text) => setSteps((current) => [...current, text]),
        onCountdown: (msLeft) => {
          setCountdown(msLeft);
          if (msLeft !== undefined && !announcedWait) {
            announcedWait = true;
            setStatus(`Waiting about ${Math.ceil(msLeft / 1000)} s for the token to expire…`);
          }
        },
      });
      setResult(outcome);
      const got = errorOf(outcome.exchange);
      setStatus(
        outcome.matched
          ? `HTTP ${got.status} ${got.error ?? 'without an error code'}, the error this section describes.`
          : `Expected HTTP ${expected.status} ${expected.error ?? 'without an error code'}, but the ` +
              `sandbox answered HTTP ${got.status ?? 'nothing'} ${got.error ?? ''}.`,
      );
    } catch (caught) {
      if (caught instanceof ScenarioStepFailed) {
        setFailure({ message: caught.message, exchange: caught.exchange });
        setStatus(`Could not reproduce it: ${caught.message}`);
      } else {
        setStatus('Could not reproduce it: the sandbox could not be reached.');
      }
    } finally {
      setCountdown(undefined);
      setBusy(false);
    }
  }

  return (
    <div
      className="pg pg-reproduce not-content"
      role="group"
      aria-label={`${expected.label}, reproduced against the sandbox`}
    >
      <div className="pg-actions">
        <button
          type="button"
          className="pg-button"
          onClick={() => void run()}
          disabled={!hydrated || busy}
          aria-busy={busy}
        >
          Reproduce {expected.label}
        </button>
        <span className="pg-hint">{expected.how}</span>
      </div>
      {steps.length > 0 && (
        <ol className="pg-steps">
          {steps.map((text, index) => (
            <li key={index}>{text}</li>
          ))}
        </ol>
      )}
      {countdown !== undefined && (
        <p className="pg-countdown">
          <span className="pg-badge pg-badge--info">Waiting</span>{' '}
          <span role="timer">The token expires in {Math.ceil(countdown / 1000)} s</span>
        </p>
      )}
      <p role="status" className="pg-status">
        {result && (
          <span className={`pg-badge ${result.matched ? 'pg-badge--ok' : 'pg-badge--error'}`}>
            {result.matched ? 'Reproduced' : 'Unexpected'}
          </span>
        )}
        {result ? ' ' : ''}
        {status}
      </p>
      {result && (
        <HttpExchangeView
          exchange={result.exchange}
          requestLabel="Request sent"
          responseLabel="The sandbox's answer"
        />
      )}
      {failure && (
        <HttpExchangeView
          exchange={failure.exchange}
          requestLabel="Request sent"
          responseLabel="The sandbox's answer"
        />
      )}
    </div>
  );
}
