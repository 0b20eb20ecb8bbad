import { numericDateMs, type DecodedJwt } from '../../lib/jwt.ts';

/**
 * What the token inspector says about a decoded JWT: each header parameter and claim in words with
 * the RFC section that defines it, and the warnings a careful API would act on. Pure: the island
 * renders these, the tests read them.
 */

/** A section of an RFC, as a link. */
export interface RfcReference {
  label: string;
  href: string;
}

const rfc = (number: number, section: string): RfcReference => ({
  label: `RFC ${number} §${section}`,
  href: `https://www.rfc-editor.org/rfc/rfc${number}#section-${section}`,
});

/** One header parameter or claim, explained. */
export interface ClaimExplanation {
  name: string;
  /** The value as JSON text (strings without quotes). */
  display: string;
  /** A NumericDate claim's moment in milliseconds, so the island can show it in local time. */
  timeMs?: number;
  meaning: string;
  reference: RfcReference;
}

const headerMeanings: Record<string, { meaning: string; reference: RfcReference }> = {
  alg: {
    meaning: 'The signing algorithm. An API accepts only the algorithms it expects, and never none.',
    reference: rfc(7515, '4.1.1'),
  },
  typ: {
    meaning: 'The token type: at+jwt marks an OAuth access token, so no other kind of JWT can pass for one.',
    reference: rfc(9068, '2.1'),
  },
  kid: {
    meaning: "Key ID: which key of the authorization server's JWKS verifies the signature.",
    reference: rfc(7515, '4.1.4'),
  },
  jku: {
    meaning:
      'A URL of keys to verify with. An API must not follow it blindly: anyone can point it at their own keys.',
    reference: rfc(7515, '4.1.2'),
  },
  cty: {
    meaning: 'The content type of the payload; used when JWTs are nested.',
    reference: rfc(7515, '4.1.10'),
  },
};

const claimMeanings: Record<string, { meaning: string; reference: RfcReference }> = {
  iss: {
    meaning: 'Issuer: who issued the token. The API accepts only its own authorization server.',
    reference: rfc(7519, '4.1.1'),
  },
  sub: {
    meaning: 'Subject: whom the token is about. With client credentials, the client itself.',
    reference: rfc(7519, '4.1.2'),
  },
  aud: {
    meaning: 'Audience: the API the token is for. Any other API must refuse it.',
    reference: rfc(7519, '4.1.3'),
  },
  exp: {
    meaning: 'Expiration time: from this moment on, the token is refused.',
    reference: rfc(7519, '4.1.4'),
  },
  nbf: { meaning: 'Not before: the token is refused before this moment.', reference: rfc(7519, '4.1.5') },
  iat: {
    meaning: 'Issued at: when the authorization server issued the token.',
    reference: rfc(7519, '4.1.6'),
  },
  jti: {
    meaning: 'JWT ID: unique to this token, so the server can revoke this one token.',
    reference: rfc(7519, '4.1.7'),
  },
  client_id: { meaning: 'The client the token was issued to.', reference: rfc(9068, '2.2') },
  scope: {
    meaning: 'The permissions the token carries, separated by spaces.',
    reference: rfc(9068, '2.2.3'),
  },
};

const otherClaim = {
  meaning: "Not a registered claim: the issuer's own. An API ignores claims it does not understand.",
  reference: rfc(7519, '4.3'),
};

function display(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function explain(
  entries: Record<string, unknown>,
  meanings: Record<string, { meaning: string; reference: RfcReference }>,
  fallback: { meaning: string; reference: RfcReference },
  times: readonly string[],
): ClaimExplanation[] {
  return Object.entries(entries).map(([name, value]) => {
    const known = meanings[name] ?? fallback;
    const timeMs =
      times.includes(name) && typeof value === 'number' && Number.isFinite(value) ? value * 1000 : undefined;
    return { name, display: display(value), ...(timeMs !== undefined ? { timeMs } : {}), ...known };
  });
}

/** The JOSE header's parameters, explained, in the token's order. */
export function explainHeader(header: Record<string, unknown>): ClaimExplanation[] {
  return explain(
    header,
    headerMeanings,
    { meaning: 'A header parameter this guide does not describe.', reference: rfc(7515, '4') },
    [],
  );
}

/** The payload's claims, explained, in the token's order. */
export function explainClaims(payload: Record<string, unknown>): ClaimExplanation[] {
  return explain(payload, claimMeanings, otherClaim, ['exp', 'iat', 'nbf']);
}

/** What the sandbox's API expects of its tokens, from its RFC 9728 metadata. */
export interface SandboxExpectation {
  issuer: string;
  audience: string;
}

/** A reason to distrust a token, or to expect the API to refuse it. */
export interface InspectionWarning {
  kind:
    | 'alg-none'
    | 'expired'
    | 'not-yet-valid'
    | 'no-exp'
    | 'missing-typ'
    | 'unexpected-typ'
    | 'unexpected-aud'
    | 'unexpected-iss';
  message: string;
  reference: RfcReference;
}

/** "1 h 2 min 3 s", "4 min 0 s", "5 s". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours} h ${minutes} min ${seconds} s`;
  if (minutes > 0) return `${minutes} min ${seconds} s`;
  return `${seconds} s`;
}

/** The live countdown: "expires in 4 min 12 s", or "expired 3 s ago". A token is expired from `exp` on (no leeway). */
export function describeCountdown(expiresAtMs: number, nowMs: number): string {
  return nowMs >= expiresAtMs
    ? `expired ${formatDuration(nowMs - expiresAtMs)} ago`
    : `expires in ${formatDuration(expiresAtMs - nowMs + 999)}`;
}

function audiences(aud: unknown): string[] | undefined {
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud) && aud.every((item) => typeof item === 'string')) return aud;
  return undefined;
}

/**
 * The warnings for a decoded token at `nowMs`: `alg: none`, expired or not yet valid, no `exp`,
 * a missing or other `typ`, and, when the sandbox's expectation is known, an unexpected `aud` or `iss`.
 */
export function inspectionWarnings(
  jwt: DecodedJwt,
  nowMs: number,
  expected?: SandboxExpectation,
): InspectionWarning[] {
  const warnings: InspectionWarning[] = [];
  const { header, payload } = jwt;
  if (typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') {
    warnings.push({
      kind: 'alg-none',
      message:
        'alg is none: the token is not signed, so anyone could have written it. Never accept such a token.',
      reference: rfc(8725, '3.1'),
    });
  }
  const exp = numericDateMs(payload, 'exp');
  if (exp === undefined) {
    warnings.push({
      kind: 'no-exp',
      message:
        'No exp claim: nothing says when this token stops working. RFC 9068 access tokens must have one.',
      reference: rfc(9068, '2.2'),
    });
  } else if (nowMs >= exp) {
    warnings.push({
      kind: 'expired',
      message: `Expired ${formatDuration(nowMs - exp)} ago: an API refuses it from its exp on.`,
      reference: rfc(7519, '4.1.4'),
    });
  }
  const nbf = numericDateMs(payload, 'nbf');
  if (nbf !== undefined && nowMs < nbf) {
    warnings.push({
      kind: 'not-yet-valid',
      message: `Not valid yet: its nbf is ${formatDuration(nbf - nowMs)} from now.`,
      reference: rfc(7519, '4.1.5'),
    });
  }
  if (header.typ === undefined) {
    warnings.push({
      kind: 'missing-typ',
      message:
        'No typ in the header: an access token says typ: at+jwt, which keeps other JWTs (ID tokens, for one) from passing as access tokens.',
      reference: rfc(8725, '3.11'),
    });
  } else if (typeof header.typ !== 'string' || !/^(application\/)?at\+jwt$/i.test(header.typ)) {
    warnings.push({
      kind: 'unexpected-typ',
      message: `typ is ${display(header.typ)}, not at+jwt: this is not an RFC 9068 access token, and the sandbox's API refuses it.`,
      reference: rfc(9068, '2.1'),
    });
  }
  if (expected) {
    const aud = audiences(payload.aud);
    if (!aud || !aud.includes(expected.audience)) {
      warnings.push({
        kind: 'unexpected-aud',
        message:
          `aud is ${payload.aud === undefined ? 'missing' : display(payload.aud)}, but this ` +
          `sandbox's API is ${expected.audience}: the API refuses a token meant for another audience.`,
        reference: rfc(9068, '4'),
      });
    }
    if (payload.iss !== expected.issuer) {
      warnings.push({
        kind: 'unexpected-iss',
        message:
          `iss is ${payload.iss === undefined ? 'missing' : display(payload.iss)}, not this sandbox ` +
          `(${expected.issuer}): its API refuses tokens from other issuers.`,
        reference: rfc(9068, '4'),
      });
    }
  }
  return warnings;
}

/** Whether the signature is the sandbox's, as the island says it. */
export type SignatureVerdict =
  | { state: 'verified'; kid: string; alg: string }
  /** A sandbox key was found, and the signature does not match it: the token was changed. */
  | { state: 'invalid'; reason: string }
  /** The token cannot be checked against the sandbox's keys: another issuer, an unknown key, no signature. */
  | { state: 'not-sandbox'; reason: string };
