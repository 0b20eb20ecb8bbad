import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { decodeJwt } from '../../lib/jwt.ts';
import type { SignatureVerdict } from './token-inspector.ts';

/**
 * Verifies a token's signature against the sandbox's published keys (RFC 7517), in the browser,
 * with jose and WebCrypto. The island imports this module only when it has a token to check, so
 * jose stays off the page until then.
 */

function keysOf(jwks: unknown): JSONWebKeySet | undefined {
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray((jwks as { keys?: unknown }).keys))
    return undefined;
  return jwks as JSONWebKeySet;
}

/**
 * Checks `token` against `jwks`, the sandbox's `/oauth/jwks`, and `issuer`, the sandbox's issuer.
 * Only the signature is checked here: expiry and audience are the inspector's warnings. A token
 * from elsewhere is "not verified against the sandbox", never "invalid": its issuer's keys are not
 * the sandbox's to judge it by.
 */
export async function verifyAgainstSandbox(
  token: string,
  jwks: unknown,
  issuer: string | undefined,
): Promise<SignatureVerdict> {
  const decoded = decodeJwt(token);
  if (!decoded.ok) return { state: 'not-sandbox', reason: decoded.message };
  const { header, payload } = decoded.jwt;
  const alg = typeof header.alg === 'string' ? header.alg : undefined;
  if (alg === undefined || alg.toLowerCase() === 'none')
    return { state: 'not-sandbox', reason: 'alg is none, so there is no signature to verify' };
  if (issuer !== undefined && payload.iss !== issuer) {
    const from = typeof payload.iss === 'string' ? `it was issued by ${payload.iss}` : 'it names no issuer';
    return {
      state: 'not-sandbox',
      reason: `${from}, not by this sandbox (${issuer}), whose keys cannot judge it`,
    };
  }
  const keySet = keysOf(jwks);
  if (!keySet) return { state: 'not-sandbox', reason: "the sandbox's key set could not be read" };
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const key = keySet.keys.find((candidate) => candidate.kid === kid);
  if (!key)
    return {
      state: 'not-sandbox',
      reason:
        kid === undefined
          ? 'the header names no kid, and the sandbox signs only with named keys'
          : `no key of the sandbox has the kid ${kid}`,
    };
  if (key.alg !== undefined && key.alg !== alg) {
    return {
      state: 'invalid',
      reason: `the header says alg ${alg}, but the sandbox's key ${kid} is for ${key.alg}`,
    };
  }
  try {
    // RFC 8725 §3.1: accept exactly the algorithm of the key, never what the token asks for.
    await compactVerify(token.trim().replace(/^Bearer\s+/i, ''), createLocalJWKSet(keySet), {
      algorithms: [key.alg ?? alg],
    });
    return { state: 'verified', kid: kid!, alg };
  } catch {
    return {
      state: 'invalid',
      reason: `the signature does not match the sandbox's key ${kid}: the token was changed after it was signed`,
    };
  }
}
