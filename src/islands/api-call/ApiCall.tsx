import { useStore } from '@nanostores/react';
import { Fragment, useId, useState } from 'react';
import { sendExchange } from '../../lib/http-exchange.ts';
import {
  reportBody,
  reportsScopes,
  sandboxPaths,
  type ReportsMethod as ApiMethod,
} from '../../lib/sandbox-contract/index.ts';
import { ChoiceGroup } from '../playground-shared/ChoiceGroup.tsx';
import { StepOutcome } from '../playground-shared/StepOutcome.tsx';
import { describeNetworkFailure } from '../playground-shared/network-failure.ts';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import { useSingleFlight } from '../playground-shared/use-single-flight.ts';
import '../playground-shared/buttons.css';
import '../playground-shared/playground.css';
import { $lastApiExchange } from '../playground-shared/playground-results.ts';
import { $credentials, $token, recordRequestShape } from '../playground-shared/playground-store.ts';
import { requestPlaygroundToken } from '../playground-shared/token-session.ts';
import { defaultTokenChoice } from '../playground-shared/token-timing.ts';
import { buildApiRequest, readApiCallOutcome, tokenFacts, type ApiCallOutcome } from './api-call.ts';

const methods = Object.keys(reportsScopes) as ApiMethod[];
const reportsPath = sandboxPaths.reports;

/**
 * Step 4: the API call. Sends the current token as `Authorization: Bearer` (RFC 6750 §2.1), shows
 * the request and the response, and explains a refusal from its `WWW-Authenticate` challenge.
 */
export default function ApiCall() {
  const token = useStore($token, { ssr: 'initial' });
  const credentials = useStore($credentials, { ssr: 'initial' });
  const exchange = useStore($lastApiExchange, { ssr: 'initial' });
  const hydrated = useHydrated();
  const id = useId();
  const [method, setMethod] = useState<ApiMethod>('GET');
  const [title, setTitle] = useState('Made in the playground');
  const [busy, runOnce] = useSingleFlight();
  const [sentToken, setSentToken] = useState<string | undefined>();
  const [status, setStatus] = useState('');

  // Read again from the kept exchange: after a reload, step 4 shows its last result as it was.
  const outcome: ApiCallOutcome | undefined = exchange
    ? readApiCallOutcome(exchange, token ? tokenFacts(token) : {}, Date.now(), (ms) =>
        new Date(ms).toLocaleTimeString(),
      )
    : undefined;
  const failedCheck = outcome && !outcome.ok ? outcome.explanation?.failedCheck : undefined;
  // An expired or revoked token has one fix the page can apply: a new token, then the same call.
  const canRenew = credentials !== undefined && (failedCheck === 'expiry' || failedCheck === 'revocation');
  const staleToken = sentToken !== undefined && token?.accessToken !== sentToken;

  function call(accessToken = token?.accessToken) {
    return runOnce(() => send(accessToken));
  }

  async function send(accessToken: string | undefined) {
    {
      // The previous answer goes at once: an old error must not stand beside a new request.
      $lastApiExchange.set(undefined);
      setStatus(`Calling ${method} ${reportsPath}…`);
      const result = await sendExchange(buildApiRequest(method, accessToken, title));
      const read = readApiCallOutcome(result, token ? tokenFacts(token) : {}, Date.now(), (ms) =>
        new Date(ms).toLocaleTimeString(),
      );
      $lastApiExchange.set(result);
      setSentToken(accessToken);
      recordRequestShape(
        method === 'POST' ? { kind: 'api', method, body: reportBody(title) } : { kind: 'api', method },
      );
      const call = `${method} ${reportsPath} →`;
      if (read.ok) setStatus(`${call} HTTP ${read.status}: the API accepted the token.`);
      else if (!result.response) setStatus(`${call} ${describeNetworkFailure(result.networkError)}`);
      else
        setStatus(
          read.explanation
            ? `${call} HTTP ` +
                `${read.explanation.status}${read.explanation.code ? ` ${read.explanation.code}` : ' without an error code'}: ${read.explanation.summary}`
            : `${call} ${read.message}`,
        );
    }
  }

  async function renewAndRetry() {
    if (!credentials) return;
    setStatus('Requesting a new token…');
    const { outcome: renewed } = await requestPlaygroundToken(credentials, defaultTokenChoice(credentials));
    if (renewed.ok) await send(renewed.token.accessToken);
    else setStatus(`The new token was refused: ${renewed.message}`);
  }

  return (
    <div className="pg pg-api-call not-content" data-pending={hydrated ? undefined : ''}>
      {!token && (
        <p className="pg-intro">
          No token yet: request one first, or call without one to see what the API says.
        </p>
      )}
      <div className="pg-fields">
        <ChoiceGroup
          legend="Request"
          name={`${id}-method`}
          options={methods}
          value={method}
          onChange={setMethod}
          disabled={!hydrated}
          label={(name) => (
            <span>
              <code>
                {name} {reportsPath}
              </code>{' '}
              (needs <code>{reportsScopes[name]}</code>)
            </span>
          )}
        />
        {method === 'POST' && (
          <label className="pg-field pg-field--grow">
            Report title
            <input
              type="text"
              value={title}
              maxLength={200}
              onChange={(event) => setTitle(event.target.value)}
              disabled={!hydrated}
            />
          </label>
        )}
      </div>
      <div className="pg-actions">
        <button
          type="button"
          className="pg-button"
          // The second and third clicks of a double or triple click (detail > 1) are not new
          // requests, even when the first answer came back before them.
          onClick={(event) => {
            if (event.detail <= 1) void call();
          }}
          disabled={!hydrated}
          aria-disabled={busy || undefined}
          aria-busy={busy}
        >
          Call the API
        </button>
      </div>
      <StepOutcome
        status={status}
        exchange={exchange}
        outcome={outcome}
        lead={
          staleToken && failedCheck
            ? 'This call used an older token: the current one is newer. Call again to use it.'
            : undefined
        }
        action={
          canRenew && (
            <button
              type="button"
              className="pg-button pg-button--small"
              aria-disabled={busy || undefined}
              onClick={() => void runOnce(renewAndRetry)}
            >
              Get a new token and call again
            </button>
          )
        }
        success={
          outcome?.ok && (
            <p className="pg-success">
              <span className="pg-badge pg-badge--ok">Success</span> HTTP {outcome.status}: the API checked
              the token&apos;s signature, type, issuer, audience, expiry, revocation and scope, and answered.
            </p>
          )
        }
        afterFailure={
          outcome &&
          !outcome.ok &&
          outcome.explanation?.challenge && (
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
          )
        }
      />
    </div>
  );
}
