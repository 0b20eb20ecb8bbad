import type { ReactNode } from 'react';
import type { ErrorExplanation } from '../../lib/oauth-error-explanations.ts';

/**
 * An error explained in plain words, with its row on the errors page. `lead` is the cause the page
 * knows for certain (the method the client is registered for, the scopes it has): it comes first,
 * and the code's general causes follow. `action` is a one-click fix.
 */
export function ErrorExplanationView({
  explanation,
  lead,
  action,
}: {
  explanation: ErrorExplanation;
  lead?: string | undefined;
  action?: ReactNode;
}) {
  const what = explanation.code ?? 'no error code';
  return (
    <div className="pg-explanation">
      <p className="pg-explanation__title">
        <span className="pg-badge pg-badge--error">Error</span> HTTP {explanation.status} <code>{what}</code>
      </p>
      {lead && <p className="pg-explanation__lead">{lead}</p>}
      {action && <div className="pg-actions">{action}</div>}
      <p>
        {lead ? 'In general: ' : ''}
        {explanation.summary}
      </p>
      {explanation.missingScope && (
        <p>
          Missing scope: <code>{explanation.missingScope}</code>
        </p>
      )}
      {explanation.description && (
        <p>
          The server says: <q>{explanation.description}</q>
        </p>
      )}
      <p>
        <strong>Fix:</strong> {explanation.fix}{' '}
        {explanation.href && (
          <a href={explanation.href}>
            Read about <code>{what}</code> on the errors page
          </a>
        )}
      </p>
    </div>
  );
}

/** A failed step: its explanation when the answer had an OAuth error, else the plain message. */
export function FailureView({
  explanation,
  message,
  lead,
  action,
}: {
  explanation?: ErrorExplanation | undefined;
  message: string;
  lead?: string | undefined;
  action?: ReactNode;
}) {
  if (explanation) return <ErrorExplanationView explanation={explanation} lead={lead} action={action} />;
  return (
    <div className="pg-explanation">
      <p>
        <span className="pg-badge pg-badge--error">Error</span> {message}
      </p>
      {action && <div className="pg-actions">{action}</div>}
    </div>
  );
}
