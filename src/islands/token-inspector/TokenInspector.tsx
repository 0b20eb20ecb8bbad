import { useStore } from '@nanostores/react';
import { Fragment, useEffect, useId, useMemo, useState } from 'react';
import { numericDateMs, type DecodedJwt } from '../../lib/jwt.ts';
import { describeCleanups, readPastedJwt } from '../../lib/jwt-parts.ts';
import { useHydrated } from '../playground-shared/use-hydrated.ts';
import '../playground-shared/buttons.css';
import '../playground-shared/playground.css';
import { $token } from '../playground-shared/playground-store.ts';
import { loadSandboxTrust } from './sandbox-trust.ts';
import {
  describeCountdown,
  explainClaims,
  explainHeader,
  inspectionWarnings,
  type ClaimExplanation,
  type SandboxExpectation,
  type SignatureVerdict,
} from './token-inspector.ts';
import './token-inspector.css';

type VerdictView = SignatureVerdict | { state: 'checking' } | { state: 'unavailable' };

function localTime(ms: number): string {
  return new Date(ms).toLocaleString();
}

function Explained({ rows }: { rows: ClaimExplanation[] }) {
  return (
    <dl className="pg-facts pg-claims">
      {rows.map((row) => (
        <Fragment key={row.name}>
          <dt>
            <code>{row.name}</code>
          </dt>
          <dd>
            <span>
              <code>{row.display}</code>
              {row.timeMs !== undefined && <> ({localTime(row.timeMs)})</>}
            </span>
            <span className="pg-hint">
              {row.meaning} <a href={row.reference.href}>{row.reference.label}</a>
            </span>
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** One segment of the token as pasted; a part that does not decode is marked broken, the others stay readable. */
function PartSegment({
  name,
  kind,
  part,
}: {
  name: string;
  kind: 'header' | 'payload' | 'signature';
  part: { ok: boolean; segment: string };
}) {
  return (
    <>
      <dt className={`pg-part pg-part--${kind}`}>
        {name}
        {!part.ok && (
          <>
            {' '}
            <span className="pg-badge pg-badge--error">Broken</span>
          </>
        )}
      </dt>
      <dd className={`pg-part pg-part--${kind}${part.ok ? '' : ' pg-part--broken'}`}>
        {part.segment || '(empty)'}
      </dd>
    </>
  );
}

function BrokenPart({ message }: { message: string }) {
  return (
    <p className="pg-hint">
      <span className="pg-badge pg-badge--error">Broken</span> {message}
    </p>
  );
}

/** The badge before the verdict's sentence: its word and its colour. */
const verdictBadges: Record<VerdictView['state'], { label: string; className: string }> = {
  verified: { label: 'Verified', className: 'pg-badge--ok' },
  invalid: { label: 'Invalid', className: 'pg-badge--error' },
  checking: { label: 'Checking', className: 'pg-badge--info' },
  unavailable: { label: 'Not verified', className: 'pg-badge--warning' },
  'not-sandbox': { label: 'Not verified', className: 'pg-badge--warning' },
};

function verdictText(verdict: VerdictView): string {
  switch (verdict.state) {
    case 'checking':
      return "Checking the signature against the sandbox's keys…";
    case 'unavailable':
      return "Signature not checked: the sandbox's keys could not be fetched.";
    case 'verified':
      return `Signature verified against the sandbox's key ${verdict.kid} (${verdict.alg}), here in your browser.`;
    case 'invalid':
      return `Signature invalid: ${verdict.reason}.`;
    case 'not-sandbox':
      return `Signature not verified against the sandbox: ${verdict.reason}.`;
  }
}

/**
 * Step 3: the token inspector. Decodes the current token, or any pasted JWT, locally: header,
 * payload and signature labelled and colour-coded, each claim explained, a live countdown to
 * `exp`, warnings, and the signature checked against the sandbox's JWKS with jose (loaded lazily).
 */
export default function TokenInspector() {
  const token = useStore($token, { ssr: 'initial' });
  const hydrated = useHydrated();
  const id = useId();
  const [text, setText] = useState('');
  const [fromStep, setFromStep] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const [expectation, setExpectation] = useState<SandboxExpectation | undefined>();
  const [verdict, setVerdict] = useState<VerdictView | undefined>();

  // A new token from the token request replaces what the inspector shows.
  const current = token?.accessToken;
  useEffect(() => {
    if (current === undefined) return;
    setText(current);
    setFromStep(true);
  }, [current]);

  const pasted = useMemo(() => readPastedJwt(text), [text]);
  const parts = pasted.kind === 'parts' ? pasted : undefined;
  const header = parts?.header.ok ? parts.header.value : undefined;
  const payload = parts?.payload.ok ? parts.payload.value : undefined;
  // Warnings need both JSON parts; the signature can be checked only when all three decode.
  const jwt: DecodedJwt | undefined = useMemo(
    () =>
      parts && header && payload
        ? {
            segments: {
              header: parts.header.segment,
              payload: parts.payload.segment,
              signature: parts.signature.segment,
            },
            header,
            payload,
            signatureBytes: parts.signature.ok ? parts.signature.bytes : 0,
          }
        : undefined,
    [parts, header, payload],
  );
  const compact = parts?.complete ? parts.cleaned : undefined;
  const expiresAt = payload ? numericDateMs(payload, 'exp') : undefined;

  useEffect(() => {
    if (expiresAt === undefined) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [expiresAt]);

  useEffect(() => {
    if (compact === undefined) {
      setVerdict(undefined);
      return;
    }
    let cancelled = false;
    setVerdict({ state: 'checking' });
    const verify = async () => {
      try {
        const trust = await loadSandboxTrust();
        if (cancelled) return;
        setExpectation(trust.expectation);
        if (trust.jwks === undefined) {
          setVerdict({ state: 'unavailable' });
          return;
        }
        const { verifyAgainstSandbox } = await import('./verify-signature.ts');
        const result = await verifyAgainstSandbox(compact, trust.jwks, trust.expectation?.issuer);
        if (!cancelled) setVerdict(result);
      } catch {
        // The sandbox's keys or the verifier could not be loaded: say so rather than spin.
        if (!cancelled) setVerdict({ state: 'unavailable' });
      }
    };
    // Typing changes the text on every key: check only once it has settled.
    const timer = setTimeout(() => void verify(), 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [compact]);

  const warnings = jwt && parts?.signature.ok ? inspectionWarnings(jwt, now, expectation) : [];
  const headerRows = useMemo(() => (header ? explainHeader(header) : []), [header]);
  const claimRows = useMemo(() => (payload ? explainClaims(payload) : []), [payload]);
  const broken = parts
    ? [parts.header, parts.payload, parts.signature].flatMap((part) => (part.ok ? [] : [part.message]))
    : [];

  let summary = '';
  if (pasted.kind === 'unreadable') summary = `Cannot decode this: ${pasted.message}`;
  if (parts) {
    const cleaned = describeCleanups(parts.cleanups);
    const whose = fromStep ? 'the current token' : 'the pasted token';
    summary = `${cleaned ? `${cleaned} ` : ''}${
      broken.length > 0
        ? `Decoded what can be read of ${whose}. ${broken.join(' ')}`
        : `Decoded ${whose} here in your browser. ${
            warnings.length === 0
              ? 'No warnings.'
              : `${warnings.length} warning${warnings.length === 1 ? '' : 's'}.`
          }${verdict && verdict.state !== 'checking' ? ` ${verdictText(verdict)}` : ''}`
    }`;
  }

  return (
    <div className="pg pg-inspector not-content">
      <p className="pg-intro">
        Paste any JWT, or request a token first. It is decoded here, in your browser, and sent nowhere: only
        the sandbox&apos;s public keys are fetched, to check the signature.
      </p>
      <label className="pg-field">
        JWT to inspect
        <textarea
          rows={4}
          spellCheck={false}
          autoComplete="off"
          value={text}
          placeholder="eyJhbGciOi…"
          onChange={(event) => {
            setText(event.target.value);
            setFromStep(false);
          }}
          disabled={!hydrated}
          aria-describedby={`${id}-summary`}
        />
      </label>
      <div className="pg-actions">
        {token && !fromStep && (
          <button
            type="button"
            className="pg-button pg-button--small pg-button--secondary"
            onClick={() => {
              setText(token.accessToken);
              setFromStep(true);
            }}
          >
            Inspect the current token
          </button>
        )}
        {text !== '' && (
          <button
            type="button"
            className="pg-button pg-button--small pg-button--secondary"
            onClick={() => {
              setText('');
              setFromStep(false);
            }}
          >
            Clear
          </button>
        )}
      </div>
      <p role="status" id={`${id}-summary`} className="pg-status">
        {summary}
      </p>

      {parts && (
        <>
          <div className="pg-jwt">
            <p className="pg-caption">The token, part by part</p>
            <dl className="pg-jwt__parts">
              <PartSegment name="Header" kind="header" part={parts.header} />
              <PartSegment name="Payload" kind="payload" part={parts.payload} />
              <PartSegment name="Signature" kind="signature" part={parts.signature} />
            </dl>
          </div>

          {expiresAt !== undefined && (
            <p className="pg-countdown">
              <span className={`pg-badge ${now >= expiresAt ? 'pg-badge--error' : 'pg-badge--ok'}`}>
                {now >= expiresAt ? 'Expired' : 'Valid'}
              </span>{' '}
              <span role="timer">{describeCountdown(expiresAt, now)}</span> (exp {localTime(expiresAt)})
            </p>
          )}

          {warnings.length > 0 && (
            <ul className="pg-warnings" aria-label="Warnings">
              {warnings.map((warning) => (
                <li key={warning.kind}>
                  <span className="pg-badge pg-badge--warning">Warning</span> {warning.message}{' '}
                  <a href={warning.reference.href}>{warning.reference.label}</a>
                </li>
              ))}
            </ul>
          )}

          <div className="pg-decoded pg-decoded--header">
            <p className="pg-caption">
              <span className="pg-part--header">Header</span>: how the token is signed
            </p>
            {parts.header.ok ? (
              <Explained rows={headerRows} />
            ) : (
              <BrokenPart message={parts.header.message} />
            )}
          </div>
          <div className="pg-decoded pg-decoded--payload">
            <p className="pg-caption">
              <span className="pg-part--payload">Payload</span>: the claims
            </p>
            {parts.payload.ok ? (
              <Explained rows={claimRows} />
            ) : (
              <BrokenPart message={parts.payload.message} />
            )}
          </div>
          <div className="pg-decoded pg-decoded--signature">
            <p className="pg-caption">
              <span className="pg-part--signature">Signature</span>
              {parts.signature.ok ? `: ${parts.signature.bytes} bytes` : ''}
            </p>
            {!parts.signature.ok && <BrokenPart message={parts.signature.message} />}
            {verdict && parts.complete && (
              <p className="pg-verdict">
                <span className={`pg-badge ${verdictBadges[verdict.state].className}`}>
                  {verdictBadges[verdict.state].label}
                </span>{' '}
                {verdictText(verdict)}
              </p>
            )}
          </div>
        </>
      )}
    </div>
  );
}
