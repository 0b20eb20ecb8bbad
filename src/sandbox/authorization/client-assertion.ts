import { compactVerify, decodeJwt, decodeProtectedHeader, errors, importJWK } from 'jose';
import type { ClientRecord, Store } from '../store/store.ts';
import { algorithmsForKey, assertionSigningAlgorithms } from './client-jwks.ts';

/** The longest an assertion may live, `exp` minus now: short, so a stolen one is soon useless. */
export const maxAssertionLifetimeSeconds = 300;
/**
 * How far ahead of the sandbox a client's clock may be for `iat`, `nbf` and the lifetime bound
 * (RFC 7523 §3 items 4-6 allow "reasonable" skew). Expiry gets none: the replay cache keeps a
 * `jti` exactly until `exp`, so an assertion must be dead from `exp` on.
 */
export const assertionClockLeewaySeconds = 10;

/**
 * Why an assertion was refused: a closed list of stable codes, which the request journal shows as
 * findings. Tests assert the code; the description is for people.
 */
export type AssertionProblemCode =
  | 'assertion_malformed'
  | 'assertion_alg_not_allowed'
  | 'assertion_unknown_key'
  | 'assertion_bad_signature'
  | 'assertion_issuer_mismatch'
  | 'assertion_audience'
  | 'assertion_exp_missing'
  | 'assertion_expired'
  | 'assertion_lifetime_too_long'
  | 'assertion_clock_skew'
  | 'assertion_jti_missing'
  | 'assertion_replayed';

/** A refused client assertion: the code, a plain description, and the measured skew where there is one. */
export class AssertionRejected extends Error {
  readonly code: AssertionProblemCode;
  /** For `assertion_clock_skew`: how many seconds ahead of the sandbox the client's clock is. */
  readonly skewSeconds: number | undefined;

  constructor(code: AssertionProblemCode, description: string, skewSeconds?: number) {
    super(description);
    this.name = 'AssertionRejected';
    this.code = code;
    this.skewSeconds = skewSeconds;
  }
}

/** A value the client sent, shortened for a description (quotes are not allowed there, RFC 6749 §5.2). */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

/**
 * Names the client an assertion is for, before anything is verified: the form's `client_id`
 * when sent (RFC 7521 §4.2: optional, and then it must be the same client), else `sub`, which
 * RFC 7523 §3 item 2 makes the client_id, else `iss`.
 */
export function assertedClientId(assertion: string, formClientId: string | undefined): string {
  if (assertion.split('.').length === 5)
    throw new AssertionRejected(
      'assertion_malformed',
      'The client_assertion is encrypted (JWE); the sandbox takes a signed JWT (JWS) only.',
    );
  let claims: Record<string, unknown>;
  try {
    decodeProtectedHeader(assertion);
    claims = decodeJwt(assertion);
  } catch {
    throw new AssertionRejected(
      'assertion_malformed',
      'The client_assertion is not a JWT: three base64url parts (header.payload.signature) with JSON header and claims (RFC 7523 section 3).',
    );
  }
  if (formClientId !== undefined && typeof claims.sub === 'string' && claims.sub !== formClientId)
    throw new AssertionRejected(
      'assertion_issuer_mismatch',
      `The client_id in the form (${shown(formClientId)}) is not the assertion's sub ` +
        `(${shown(claims.sub)}); both must be your client_id (RFC 7521 section 4.2, RFC 7523 ` +
        `section 3).`,
    );
  const named = formClientId ?? claims.sub ?? claims.iss;
  if (typeof named !== 'string' || named === '')
    throw new AssertionRejected(
      'assertion_issuer_mismatch',
      'The client_assertion names no client: its sub and iss must both be your client_id (RFC 7523 section 3).',
    );
  return named;
}

/** What {@link verifyClientAssertion} checks an assertion against. */
export interface AssertionContext {
  client: ClientRecord;
  /** The form's `client_id`, when the client sent one. */
  formClientId: string | undefined;
  /** The issuer identifier: the `aud` every assertion should carry (RFC 7523 §3 item 3). */
  issuer: string;
  /** The token endpoint URL, which older libraries (Authlib, openid-client 5) send as `aud`. */
  tokenEndpoint: string;
  /** Seconds since the epoch. */
  now: number;
  store: Store;
}

function selectKey(header: { kid?: unknown }, keys: readonly JsonWebKey[]): JsonWebKey {
  const kid = header.kid;
  if (kid !== undefined) {
    const key = keys.find((candidate) => (candidate as { kid?: string }).kid === kid);
    if (!key)
      throw new AssertionRejected(
        'assertion_unknown_key',
        `The assertion's kid ${shown(kid)} names no key this client registered. Registered kids: ` +
          `${keys.map((candidate) => (candidate as { kid?: string }).kid ?? '(none)').join(', ')}.`,
      );
    return key;
  }
  if (keys.length === 1) return keys[0]!;
  throw new AssertionRejected(
    'assertion_unknown_key',
    'The assertion has no kid header, and this client registered several keys: put the kid of the signing key in the header.',
  );
}

/**
 * Verifies a `private_key_jwt` client assertion (RFC 7523 §3, RFC 7521 §4.2), one rule at a time
 * so that each refusal says which rule: the signature by a registered key with an allowed `alg`,
 * then `iss` = `sub` = client_id, `aud` = the issuer (or the token endpoint URL) as one value,
 * `exp` present and at most {@link maxAssertionLifetimeSeconds} ahead, `iat`/`nbf` not in the
 * future, and a `jti` never seen before (kept in the store's replay cache until `exp`).
 * Throws {@link AssertionRejected}.
 */
export async function verifyClientAssertion(assertion: string, context: AssertionContext): Promise<void> {
  const { client, issuer, tokenEndpoint, now } = context;
  const header = decodeProtectedHeader(assertion);
  const alg = header.alg;
  // RFC 7518 §3.6 / RFC 8725 §3.1: an unsigned JWT proves nothing; HMAC needs a shared secret.
  if (alg === undefined || alg === 'none' || /^HS/.test(alg)) {
    throw new AssertionRejected(
      'assertion_alg_not_allowed',
      `The assertion's alg is ${alg ?? 'missing'}. A private_key_jwt assertion is signed with ` +
        `the client's private key: ${assertionSigningAlgorithms.join(', ')}; never none or HMAC ` +
        `(HS256 is client_secret_jwt, a shared secret).`,
    );
  }
  if (!(assertionSigningAlgorithms as readonly string[]).includes(alg)) {
    throw new AssertionRejected(
      'assertion_alg_not_allowed',
      `The assertion's alg ${shown(alg)} is not accepted. Accepted: ${assertionSigningAlgorithms.join(', ')}.`,
    );
  }
  const jwk = selectKey(header, client.jwks?.keys ?? []);
  const keyAlgorithms = algorithmsForKey(jwk);
  if (!(keyAlgorithms as readonly string[]).includes(alg)) {
    throw new AssertionRejected(
      'assertion_alg_not_allowed',
      `The assertion is signed with ${alg}, but the key it names verifies ` +
        `${keyAlgorithms.join(' or ')} only (RFC 7517 section 4.4). Sign with the algorithm that ` +
        `fits the key.`,
    );
  }

  try {
    await compactVerify(assertion, await importJWK(jwk, alg), { algorithms: [alg] });
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      throw new AssertionRejected(
        'assertion_bad_signature',
        'The assertion signature does not verify with the registered public key: it was signed with another private key, or changed after signing.',
      );
    }
    throw new AssertionRejected(
      'assertion_malformed',
      'The client_assertion could not be verified as a JWS (unsupported crit header or malformed signature).',
    );
  }
  // The claims of the bytes just verified (assertedClientId has checked they parse).
  const claims = decodeJwt(assertion);

  // RFC 7523 §3 items 1-2: iss and sub are both the client_id; RFC 7521 §4.2: so is the form's.
  const clientId = client.clientId;
  if (claims.iss !== clientId || claims.sub !== clientId) {
    throw new AssertionRejected(
      'assertion_issuer_mismatch',
      `The assertion's iss (${shown(claims.iss ?? 'missing')}) and sub ` +
        `(${shown(claims.sub ?? 'missing')}) must both be your client_id, ${clientId} (RFC 7523 ` +
        `section 3).`,
    );
  }
  if (context.formClientId !== undefined && context.formClientId !== clientId) {
    throw new AssertionRejected(
      'assertion_issuer_mismatch',
      'The client_id in the form is not the client the assertion is for (RFC 7521 section 4.2).',
    );
  }

  // RFC 7523 §3 item 3: aud identifies this server. One value only: an assertion that lists other
  // audiences could be replayed to them (the audience injection of the 2025 OpenID disclosure).
  const aud = Array.isArray(claims.aud) && claims.aud.length === 1 ? claims.aud[0] : claims.aud;
  if (aud !== issuer && aud !== tokenEndpoint) {
    throw new AssertionRejected(
      'assertion_audience',
      Array.isArray(aud)
        ? `The assertion's aud lists ${aud.length} values; it must be one: the issuer identifier ${issuer}.`
        : `The assertion's aud is ${shown(aud ?? 'missing')}; it must be the issuer identifier ` +
            `${issuer} (the token endpoint URL ${tokenEndpoint} is accepted too).`,
    );
  }

  // RFC 7523 §3 item 4: exp is required, and an expired assertion is refused.
  const { exp, iat, nbf, jti } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new AssertionRejected(
      'assertion_exp_missing',
      'The assertion has no exp (a NumericDate, seconds since the epoch); RFC 7523 section 3 requires one.',
    );
  }
  if (exp <= now) {
    throw new AssertionRejected(
      'assertion_expired',
      `The assertion expired ${now - exp} s ago (exp ${exp}, sandbox time ${now}). Sign a new assertion for every request.`,
    );
  }
  if (exp - now > maxAssertionLifetimeSeconds + assertionClockLeewaySeconds) {
    throw new AssertionRejected(
      'assertion_lifetime_too_long',
      `The assertion's exp is ${exp - now} s ahead; the sandbox takes at most ` +
        `${maxAssertionLifetimeSeconds} s. A short life makes a stolen assertion useless soon.`,
    );
  }
  // RFC 7523 §3 items 5-6: nothing about the assertion may lie in the future (beyond clock skew).
  for (const [name, value] of [
    ['iat', iat],
    ['nbf', nbf],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new AssertionRejected('assertion_malformed', `The assertion's ${name} must be a NumericDate.`);
    if (value > now + assertionClockLeewaySeconds) {
      throw new AssertionRejected(
        'assertion_clock_skew',
        `The assertion's ${name} is ${value - now} s in the future of the sandbox clock: your ` +
          `clock runs ahead. Sync it (NTP); the sandbox allows ${assertionClockLeewaySeconds} s.`,
        value - now,
      );
    }
  }

  // RFC 7523 §3 item 7: the jti makes the assertion single-use.
  if (typeof jti !== 'string' || jti === '' || jti.length > 256) {
    throw new AssertionRejected(
      'assertion_jti_missing',
      'The assertion needs a jti: a unique value (a random UUID) per assertion, so that it can be used once only.',
    );
  }
  if (!(await context.store.claimAssertionId(clientId, jti, exp))) {
    throw new AssertionRejected(
      'assertion_replayed',
      'This assertion (its jti) was already used. An assertion is single-use: sign a new one, with a new jti, for every request.',
    );
  }
}
