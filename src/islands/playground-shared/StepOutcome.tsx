import type { ReactNode } from 'react';
import type { HttpExchange } from '../../lib/http-exchange.ts';
import type { ErrorExplanation } from '../../lib/oauth-error-explanations.ts';
import { FailureView } from './ErrorExplanationView.tsx';
import { HttpExchangeView } from './HttpExchangeView.tsx';
import { describeNetworkFailure } from './network-failure.ts';

/** A step's outcome as the islands keep it: on failure, the explained error and the step's message. */
export type StepOutcomeState =
  { ok: true } | { ok: false; explanation?: ErrorExplanation | undefined; message: string } | undefined;

/**
 * What a step that sends one request shows under its button, in this order: the live status line,
 * the refusal (explained when the answer had an OAuth error; when no answer came, the network
 * failure in plain words rather than the step's message), what the step adds on success, what it
 * adds after a refusal, and the HTTP exchange itself. The token request (step 2) and the API call
 * (step 4) show their results so.
 */
export function StepOutcome({
  status,
  outcome,
  lead,
  action,
  success,
  afterFailure,
  exchange,
  revealSecret = false,
}: {
  status: string;
  outcome: StepOutcomeState;
  /** The cause the page knows for certain, before the error's general causes. */
  lead?: string | undefined;
  /** A one-click fix for the refusal. */
  action?: ReactNode;
  success?: ReactNode;
  afterFailure?: ReactNode;
  exchange: HttpExchange | undefined;
  revealSecret?: boolean;
}) {
  const failure = outcome && !outcome.ok ? outcome : undefined;
  return (
    <>
      <p role="status" className="pg-status">
        {status}
      </p>
      {failure && (
        <FailureView
          explanation={failure.explanation}
          message={exchange?.response ? failure.message : describeNetworkFailure(exchange?.networkError)}
          lead={lead}
          action={action}
        />
      )}
      {outcome?.ok && success}
      {failure && afterFailure}
      {exchange && <HttpExchangeView exchange={exchange} revealSecret={revealSecret} />}
    </>
  );
}
