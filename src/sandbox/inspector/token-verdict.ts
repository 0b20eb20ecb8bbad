import { compactVerify } from 'jose';
import { decodeJwt } from '../../lib/jwt.ts';
import type { Clock } from '../clock.ts';
import { accessTokenAlgorithm, accessTokenType, type SigningKeys } from '../keys/signing-keys.ts';
import type { Store } from '../store/store.ts';
import type { VerdictItem, VerdictStep } from '../../lib/sandbox-contract/journal-entry.ts';

/**
 * The resource server's verdict on a Bearer token, step by step, in the order it checks them:
 * format → signature (kid) → typ → iss → aud → exp → revoked → scope. Each step passed, or the
 * first that failed (the later ones were not reached). The API answers every failure with the same
 * `invalid_token` on purpose (RFC 6750 §3.1: an attacker learns nothing); the journal is read by
 * the client's owner only (it needs the registration access token), so it may say which step.
 */

/** What {@link diagnoseToken} learnt. */
export interface TokenDiagnosis {
  verdict: VerdictItem[];
  /** The token's claims, decoded (only trust them when `signatureVerified`). */
  payload?: Record<string, unknown> | undefined;
  kid?: string | undefined;
  /** The signature verified with one of this sandbox's published keys. */
  signatureVerified: boolean;
  /** The first step that failed, if any. */
  failedStep?: VerdictStep;
}

export interface TokenDiagnosisOptions {
  issuer: string;
  audience: string;
  keys: SigningKeys;
  store: Store;
  clock: Clock;
}

const shortText = (value: unknown, max = 80) =>
  typeof value === 'string' ? (value.length > max ? `${value.slice(0, max)}…` : value) : undefined;

/** Runs each step of the check on `token`, for a failed call: it costs a signature check. */
export async function diagnoseToken(
  token: string,
  requiredScope: string | undefined,
  { issuer, audience, keys, store, clock }: TokenDiagnosisOptions,
): Promise<TokenDiagnosis> {
  const verdict: VerdictItem[] = [];
  const fail = (step: VerdictStep, detail?: string, extra: Partial<TokenDiagnosis> = {}): TokenDiagnosis => {
    verdict.push({ step, result: 'failed', ...(detail ? { detail } : {}) });
    return { verdict, signatureVerified: false, failedStep: step, ...extra };
  };
  const pass = (step: VerdictStep, detail?: string) =>
    verdict.push({ step, result: 'passed', ...(detail ? { detail } : {}) });

  const decoded = decodeJwt(token);
  if (!decoded.ok) return fail('format', decoded.problem);
  pass('format');
  const { header, payload } = decoded.jwt;
  const kid = shortText(header.kid, 64);
  const key = kid !== undefined ? keys.verificationKey(kid) : undefined;
  if (!key || header.alg !== accessTokenAlgorithm) {
    return fail('signature', kid ? `kid ${kid} is not one of this sandbox's keys` : 'no kid', {
      payload,
      kid,
    });
  }
  try {
    await compactVerify(token, key, { algorithms: [accessTokenAlgorithm] });
  } catch {
    return fail('signature', `kid ${kid}: the signature does not verify`, { payload, kid });
  }
  pass('signature', `kid ${kid}`);
  const verified = { payload, kid, signatureVerified: true };
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase().replace(/^application\//, '') : '';
  if (typ !== accessTokenType)
    return { ...fail('typ', `typ ${shortText(header.typ, 40) ?? 'missing'}`), ...verified };
  pass('typ');
  if (payload.iss !== issuer)
    return { ...fail('iss', `iss ${shortText(payload.iss) ?? 'missing'}, expected ${issuer}`), ...verified };
  pass('iss');
  const aud = payload.aud;
  if (!(aud === audience || (Array.isArray(aud) && aud.includes(audience))))
    return { ...fail('aud', `expected ${audience}`), ...verified };
  pass('aud');
  const exp = typeof payload.exp === 'number' ? payload.exp : undefined;
  const nowSeconds = clock.now() / 1000;
  if (exp === undefined || nowSeconds >= exp) {
    const ago = exp === undefined ? 'no exp' : `expired ${Math.floor(nowSeconds - exp)} s ago`;
    return { ...fail('exp', ago), ...verified };
  }
  pass('exp', `${Math.ceil(exp - nowSeconds)} s left`);
  if (typeof payload.jti !== 'string' || (await store.isRevoked(payload.jti)))
    return { ...fail('revoked'), ...verified };
  pass('revoked', 'not revoked');
  if (requiredScope !== undefined) {
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!scopes.includes(requiredScope)) return { ...fail('scope', `needs ${requiredScope}`), ...verified };
    pass('scope', requiredScope);
  }
  return { verdict, ...verified };
}

/** Verdicts of accepted tokens, by kid and scope: the same few on every API call, built once. */
const passedVerdicts = new Map<string, readonly VerdictItem[]>();

/** The verdict of a token the API accepted: every step passed (nothing is checked again). */
export function passedVerdict(kid: string | undefined, requiredScope: string | undefined): VerdictItem[] {
  const key = `${kid} ${requiredScope}`;
  const known = passedVerdicts.get(key);
  if (known) return known as VerdictItem[];
  const built = buildPassedVerdict(kid, requiredScope);
  if (passedVerdicts.size >= 64) passedVerdicts.clear();
  passedVerdicts.set(key, Object.freeze(built));
  return built;
}

function buildPassedVerdict(kid: string | undefined, requiredScope: string | undefined): VerdictItem[] {
  const steps: VerdictStep[] = ['format', 'signature', 'typ', 'iss', 'aud', 'exp', 'revoked'];
  const verdict: VerdictItem[] = steps.map((step) =>
    step === 'signature' && kid
      ? { step, result: 'passed', detail: `kid ${kid}` }
      : { step, result: 'passed' },
  );
  if (requiredScope !== undefined) verdict.push({ step: 'scope', result: 'passed', detail: requiredScope });
  return verdict;
}
