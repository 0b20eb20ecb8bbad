import { useEffect, useId, useRef, useState, type SubmitEvent } from 'react';
import { apiScopeNames } from '../../lib/api-profile.ts';
import type { ClientSecretAuthMethod } from '../../lib/sandbox-contract/index.ts';
import type { PlaygroundCredentials } from '../playground-shared/playground-store.ts';
import { clientSecretAuthMethods } from '../playground-shared/auth-method-labels.ts';
import { authMethodLabels } from './credentials.ts';
import { checkOwnClient, readOwnCredentials } from './own-client.ts';

/** A problem with one field, shown under that field. */
function FieldProblem({ id, text }: { id: string; text: string }) {
  return (
    <span id={id} className="pg-hint pg-field-problem">
      <span className="pg-badge pg-badge--error">Check</span> {text}
    </span>
  );
}

/**
 * "Use my own client": the reader's client ID and secret, accepted only once the sandbox has
 * issued a token for them, each problem shown under its field.
 */
export default function OwnClientForm({
  formId,
  busy,
  runOnce,
  onStatus,
  onAccepted,
}: {
  formId: string;
  busy: boolean;
  runOnce: (action: () => Promise<void>) => Promise<void>;
  onStatus: (text: string) => void;
  onAccepted: (credentials: PlaygroundCredentials) => void;
}) {
  const problemId = `${useId()}-problem`;
  const ownIdRef = useRef<HTMLInputElement>(null);
  const [own, setOwn] = useState({
    clientId: '',
    clientSecret: '',
    authMethod: 'client_secret_basic' as ClientSecretAuthMethod,
  });
  const [ownProblem, setOwnProblem] = useState<
    { problem: string; field: 'clientId' | 'clientSecret' | 'authMethod' | undefined } | undefined
  >();
  useEffect(() => ownIdRef.current?.focus(), []);

  function submitOwn(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = readOwnCredentials({ ...own, scopes: apiScopeNames });
    if ('problem' in result) {
      setOwnProblem(result);
      onStatus(result.problem);
      return;
    }
    void runOnce(async () => {
      setOwnProblem(undefined);
      onStatus('Checking these credentials with a token request…');
      // Ready only once the sandbox accepts them: one token request, which also gets the first token.
      const [{ requestPlaygroundToken }, { responseJson }] = await Promise.all([
        import('../playground-shared/token-session.ts'),
        import('../../lib/http-message.ts'),
      ]);
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
        onStatus(check.problem);
        return;
      }
      onAccepted(check.credentials);
    });
  }

  return (
    <form id={formId} className="pg-stack" onSubmit={submitOwn} noValidate>
      <p className="pg-hint">
        Your ID and secret stay in this browser until you forget them (24 hours at most); they go only to this
        sandbox&apos;s token endpoint, which is asked for a token to check them.
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
            aria-describedby={ownProblem?.field === 'clientId' ? problemId : undefined}
          />
        </label>
        {ownProblem?.field === 'clientId' && <FieldProblem id={problemId} text={ownProblem.problem} />}

        <label className="pg-field pg-field--grow">
          Client secret
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={own.clientSecret}
            onChange={(event) => setOwn({ ...own, clientSecret: event.target.value })}
            aria-invalid={ownProblem?.field === 'clientSecret' || undefined}
            aria-describedby={ownProblem?.field === 'clientSecret' ? problemId : undefined}
          />
        </label>
        {ownProblem?.field === 'clientSecret' && <FieldProblem id={problemId} text={ownProblem.problem} />}

        <label className="pg-field">
          Registered for
          <select
            value={own.authMethod}
            onChange={(event) => setOwn({ ...own, authMethod: event.target.value as ClientSecretAuthMethod })}
            aria-invalid={ownProblem?.field === 'authMethod' || undefined}
            aria-describedby={ownProblem?.field === 'authMethod' ? problemId : undefined}
          >
            {clientSecretAuthMethods.map((method) => (
              <option key={method} value={method}>
                {authMethodLabels[method]}
              </option>
            ))}
          </select>
        </label>
        {ownProblem?.field === 'authMethod' && <FieldProblem id={problemId} text={ownProblem.problem} />}
      </div>
      {ownProblem && ownProblem.field === undefined && (
        <FieldProblem id={problemId} text={ownProblem.problem} />
      )}
      <div className="pg-actions">
        <button type="submit" className="pg-button" aria-disabled={busy || undefined} aria-busy={busy}>
          Use these credentials
        </button>
      </div>
    </form>
  );
}
