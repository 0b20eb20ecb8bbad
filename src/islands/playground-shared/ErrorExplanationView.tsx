import type { ErrorExplanation } from '../../lib/oauth-error-explanations.ts';

/** An error explained in plain words, with its row on the errors page. */
export function ErrorExplanationView({ explanation }: { explanation: ErrorExplanation }) {
  const what = explanation.code ?? 'no error code';
  return (
    <div className="pg-explanation">
      <p className="pg-explanation__title">
        <span className="pg-badge pg-badge--error">Error</span> HTTP {explanation.status} <code>{what}</code>
      </p>
      <p>{explanation.summary}</p>
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
export function FailureView({ explanation, message }: { explanation?: ErrorExplanation; message: string }) {
  if (explanation) return <ErrorExplanationView explanation={explanation} />;
  return (
    <p className="pg-explanation">
      <span className="pg-badge pg-badge--error">Error</span> {message}
    </p>
  );
}
