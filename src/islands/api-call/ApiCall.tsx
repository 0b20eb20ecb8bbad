import { useStore } from '@nanostores/react';
import { Fragment, useId, useState } from 'react';
import { sendExchange, type HttpExchange } from '../../lib/http-exchange.ts';
import {
  reportBody,
  reportsScopes,
  sandboxPaths,
  type ReportsMethod as ApiMethod,
} from '../../lib/sandbox-contract/index.ts';
import { FailureView } from '../playground-shared/ErrorExplanationView.tsx';
import { HttpExchangeView } from '../playground-shared/HttpExchangeView.tsx';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import '../playground-shared/buttons.css';
import '../playground-shared/playground.css';
import { $token, recordRequestShape } from '../playground-shared/playground-store.ts';
import { buildApiRequest, readApiCallOutcome, tokenFacts, type ApiCallOutcome } from './api-call.ts';

const methods = Object.keys(reportsScopes) as ApiMethod[];
const reportsPath = sandboxPaths.reports;

/**
 * Step 4: the API call. Sends the current token as `Authorization: Bearer` (RFC 6750 §2.1), shows
 * the request and the response, and explains a refusal from its `WWW-Authenticate` challenge.
 */
export default function ApiCall() {
  const token = useStore($token, { ssr: 'initial' });
  const hydrated = useHydrated();
  const id = useId();
  const [method, setMethod] = useState<ApiMethod>('GET');
  const [title, setTitle] = useState('Made in the playground');
  const [busy, setBusy] = useState(false);
  const [exchange, setExchange] = useState<HttpExchange | undefined>();
  const [outcome, setOutcome] = useState<ApiCallOutcome | undefined>();
  const [status, setStatus] = useState('');

  async function call() {
    setBusy(true);
    setStatus(`Calling ${method} ${reportsPath}…`);
    const result = await sendExchange(buildApiRequest(method, token?.accessToken, title));
    const read = readApiCallOutcome(result, token ? tokenFacts(token) : {}, Date.now(), (ms) =>
      new Date(ms).toLocaleTimeString(),
    );
    setExchange(result);
    setOutcome(read);
    setBusy(false);
    recordRequestShape(
      method === 'POST' ? { kind: 'api', method, body: reportBody(title) } : { kind: 'api', method },
    );
    const call = `${method} ${reportsPath} →`;
    if (read.ok) setStatus(`${call} HTTP ${read.status}: the API accepted the token.`);
    else
      setStatus(
        read.explanation
          ? `${call} HTTP ${read.explanation.status}${read.explanation.code ? ` ${read.explanation.code}` : ' without an error code'}: ${read.explanation.summary}`
          : `${call} ${read.message}`,
      );
  }

  return (
    <div className="pg pg-api-call not-content">
      {!token && (
        <p className="pg-intro">
          No token yet: request one first, or call without one to see what the API says.
        </p>
      )}
      <div className="pg-fields">
        <fieldset>
          <legend>Request</legend>
          <div className="pg-choices">
            {methods.map((name) => (
              <label key={name} className="pg-choice">
                <input
                  type="radio"
                  name={`${id}-method`}
                  value={name}
                  checked={method === name}
                  onChange={() => setMethod(name)}
                  disabled={!hydrated || busy}
                />
                <span>
                  <code>
                    {name} {reportsPath}
                  </code>{' '}
                  (needs <code>{reportsScopes[name]}</code>)
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        {method === 'POST' && (
          <label className="pg-field pg-field--grow">
            Report title
            <input
              type="text"
              value={title}
              maxLength={200}
              onChange={(event) => setTitle(event.target.value)}
              disabled={!hydrated || busy}
            />
          </label>
        )}
      </div>
      <div className="pg-actions">
        <button
          type="button"
          className="pg-button"
          onClick={call}
          disabled={!hydrated || busy}
          aria-busy={busy}
        >
          Call the API
        </button>
      </div>
      <p role="status" className="pg-status">
        {status}
      </p>
      {outcome && !outcome.ok && <FailureView explanation={outcome.explanation} message={outcome.message} />}
      {outcome?.ok && (
        <p className="pg-success">
          <span className="pg-badge pg-badge--ok">Success</span> HTTP {outcome.status}: the API checked the
          token&apos;s signature, type, issuer, audience, expiry, revocation and scope, and answered.
        </p>
      )}
      {outcome && !outcome.ok && outcome.explanation?.challenge && (
        <div>
          <p className="pg-caption">
            The <code>WWW-Authenticate</code> challenge, parsed
          </p>
          <dl className="pg-facts">
            {Object.entries(outcome.explanation.challenge).map(([name, value]) => (
              <Fragment key={name}>
                <dt>
                  <code>{name}</code>
                </dt>
                <dd>
                  <code>{value}</code>
                </dd>
              </Fragment>
            ))}
          </dl>
        </div>
      )}
      {exchange && <HttpExchangeView exchange={exchange} />}
    </div>
  );
}
