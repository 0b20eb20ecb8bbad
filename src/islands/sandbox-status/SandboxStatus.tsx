import { useState } from 'react';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import { checkSandboxStatus, type SandboxStatus as Status } from './sandbox-status.ts';
import '../playground-shared/buttons.css';
import './sandbox-status.css';

type View = { state: 'idle' } | { state: 'checking' } | Status;

/** A button that asks the sandbox for its metadata and says whether it is up. */
export default function SandboxStatus() {
  const [view, setView] = useState<View>({ state: 'idle' });
  // Until React has hydrated the island a click would do nothing: the button waits, looking as
  // it will a moment later (buttons.css, `[data-pending]`), as the playground's controls do.
  const hydrated = useHydrated();

  async function check() {
    setView({ state: 'checking' });
    setView(await checkSandboxStatus());
  }

  return (
    <div className="sandbox-status not-content" data-pending={hydrated ? undefined : ''}>
      <button
        type="button"
        className="pg-button"
        onClick={() => void check()}
        disabled={!hydrated || view.state === 'checking'}
        aria-busy={view.state === 'checking'}
      >
        Check the sandbox
      </button>
      <div role="status" aria-live="polite" className="sandbox-status__result">
        {view.state === 'checking' && <p>Asking the sandbox for its metadata…</p>}
        {view.state === 'up' && (
          <>
            <p>
              <strong className="sandbox-status__up">The sandbox is up.</strong> It issues tokens with the{' '}
              {view.grantTypes.join(', ')} grant.
            </p>
            <dl>
              <dt>Issuer</dt>
              <dd>
                <code>{view.issuer}</code>
              </dd>
              <dt>Token endpoint</dt>
              <dd>
                <code>{view.tokenEndpoint}</code>
              </dd>
              <dt>Scopes</dt>
              <dd>
                {view.scopes.length > 0
                  ? view.scopes.map((scope) => <code key={scope}>{scope} </code>)
                  : 'none listed'}
              </dd>
            </dl>
          </>
        )}
        {view.state === 'down' && (
          <p>
            <strong className="sandbox-status__down">The sandbox is not answering:</strong> {view.reason}. Is{' '}
            <code>npm start</code> running?
          </p>
        )}
      </div>
    </div>
  );
}
