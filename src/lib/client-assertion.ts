import { encodeBase64url } from './base64url.ts';
import { jwtBearerAssertionType } from './sandbox-contract/client-auth-methods.ts';

/**
 * private_key_jwt client assertions (RFC 7523 §2.2, §3), built and signed with WebCrypto: pure
 * and isomorphic, so the playground signs in the browser with a non-extractable key and the
 * reference client signs in Node, with the same code.
 */

/** The JWS algorithms this module signs with, by WebCrypto key algorithm. */
export type AssertionAlgorithm = 'ES256' | 'EdDSA' | 'RS256' | 'PS256';

/** The claims of a client assertion (RFC 7523 §3). */
export interface ClientAssertionClaims {
  iss: string;
  sub: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
}

/** What {@link createClientAssertion} needs. */
export interface ClientAssertionParameters {
  clientId: string;
  /** The authorization server's issuer identifier (RFC 7523 §3 item 3; RFC 8414 `issuer`). */
  audience: string;
  /** The private key; it may be non-extractable. */
  key: CryptoKey;
  /** The `kid` of the registered public key. */
  kid?: string;
  /** Seconds since the epoch. */
  now: number;
  /** How long the assertion lives; default 60 s. */
  lifetimeSeconds?: number;
  /** Default a random UUID. */
  jti?: string;
}

/** The JWS `alg` for a WebCrypto private key, or undefined when this module cannot sign with it. */
export function assertionAlgorithm(key: CryptoKey): AssertionAlgorithm | undefined {
  const algorithm = key.algorithm as { name: string; namedCurve?: string; hash?: { name: string } };
  if (algorithm.name === 'Ed25519') return 'EdDSA';
  if (algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-256') return 'ES256';
  if (algorithm.hash?.name !== 'SHA-256') return undefined;
  if (algorithm.name === 'RSASSA-PKCS1-v1_5') return 'RS256';
  if (algorithm.name === 'RSA-PSS') return 'PS256';
  return undefined;
}

function signatureAlgorithm(alg: AssertionAlgorithm): AlgorithmIdentifier | EcdsaParams | RsaPssParams {
  switch (alg) {
    case 'EdDSA':
      return { name: 'Ed25519' };
    case 'ES256':
      // WebCrypto's ECDSA signature is r || s, exactly the JWS form (RFC 7518 §3.4).
      return { name: 'ECDSA', hash: 'SHA-256' };
    case 'RS256':
      return { name: 'RSASSA-PKCS1-v1_5' };
    case 'PS256':
      return { name: 'RSA-PSS', saltLength: 32 };
  }
}

/** The claims of a fresh assertion: iss and sub the client, aud the issuer, a short life, a new jti. */
export function clientAssertionClaims({
  clientId,
  audience,
  now,
  lifetimeSeconds = 60,
  jti = crypto.randomUUID(),
}: Omit<ClientAssertionParameters, 'key' | 'kid'>): ClientAssertionClaims {
  return { iss: clientId, sub: clientId, aud: audience, iat: now, exp: now + lifetimeSeconds, jti };
}

/** Signs a JWT (RFC 7515 compact serialization) with `key`; `header.alg` must fit the key. */
export async function signJwt(
  key: CryptoKey,
  header: { alg: AssertionAlgorithm; kid?: string },
  claims: object,
): Promise<string> {
  const signingInput = `${encodeBase64url(JSON.stringify(header))}.${encodeBase64url(JSON.stringify(claims))}`;
  const signature = await crypto.subtle.sign(
    signatureAlgorithm(header.alg),
    key,
    new TextEncoder().encode(signingInput),
  );
  return `${signingInput}.${encodeBase64url(new Uint8Array(signature))}`;
}

/** Builds and signs a client assertion. Use each one for one request only (its `jti` is single-use). */
export async function createClientAssertion(parameters: ClientAssertionParameters): Promise<string> {
  const alg = assertionAlgorithm(parameters.key);
  if (!alg) throw new TypeError('The key must be an Ed25519, P-256 or RSA (SHA-256) private key.');
  const header = parameters.kid === undefined ? { alg } : { alg, kid: parameters.kid };
  return signJwt(parameters.key, header, clientAssertionClaims(parameters));
}

/** The token request's form parameters for private_key_jwt (RFC 7521 §4.2), `client_id` included. */
export function clientAssertionParameters(clientId: string, assertion: string): Record<string, string> {
  return { client_id: clientId, client_assertion_type: jwtBearerAssertionType, client_assertion: assertion };
}
