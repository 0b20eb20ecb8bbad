import { SignJWT, importJWK, importPKCS8, type JWK } from 'jose';

/**
 * The client assertion of `private_key_jwt` (RFC 7523 §2.2, §3), signed with jose, for the
 * reference token client. Loaded only when a client authenticates with a key, so a client that
 * uses a secret needs no dependency (npm install jose for a key).
 */

/** A private key: a WebCrypto key (it may be non-extractable), a private JWK, or a PKCS#8 PEM. */
export type PrivateKeyInput = CryptoKey | JWK | string;

/** The JWS algorithms the reference client signs with: the asymmetric ones every server knows. */
export type AssertionSigningAlgorithm = 'EdDSA' | 'ES256' | 'RS256' | 'PS256';

/** A key ready to sign, with its `alg` and `kid`. */
export interface AssertionSigner {
  key: CryptoKey;
  alg: AssertionSigningAlgorithm;
  kid: string | undefined;
}

/** A JWK, not a WebCrypto key: it has a `kty`. */
function isJwk(key: CryptoKey | JWK): key is JWK {
  return 'kty' in key;
}

/** The `alg` a key is used with: EdDSA for Ed25519, ES256 for P-256, RS256 for RSA. */
function algorithmOfKey(key: CryptoKey | JWK): AssertionSigningAlgorithm | undefined {
  if (isJwk(key)) {
    if (key.kty === 'OKP' && key.crv === 'Ed25519') return 'EdDSA';
    if (key.kty === 'EC' && key.crv === 'P-256') return 'ES256';
    if (key.kty === 'RSA') return key.alg === 'PS256' ? 'PS256' : 'RS256';
    return undefined;
  }
  const algorithm = key.algorithm as { name: string; namedCurve?: string };
  if (algorithm.name === 'Ed25519') return 'EdDSA';
  if (algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-256') return 'ES256';
  if (algorithm.name === 'RSA-PSS') return 'PS256';
  if (algorithm.name === 'RSASSA-PKCS1-v1_5') return 'RS256';
  return undefined;
}

const unsupportedKey =
  'privateKey must be an Ed25519, P-256 or RSA private key: a CryptoKey, a private JWK, or a PKCS#8 PEM.';

/**
 * Makes a signer of `privateKey` once (importing a JWK or PEM is the slow part). `algorithm`
 * overrides the `alg` the key implies (PS256 for an RSA key); `keyId` the JWK's own `kid`.
 */
export async function createAssertionSigner(
  privateKey: PrivateKeyInput,
  { algorithm, keyId }: { algorithm?: AssertionSigningAlgorithm; keyId?: string } = {},
): Promise<AssertionSigner> {
  if (typeof privateKey === 'string') {
    // A PEM says its key type only once parsed: try the algorithms in turn (RSA last: RS256).
    for (const alg of algorithm ? [algorithm] : (['EdDSA', 'ES256', 'RS256'] as const)) {
      try {
        return { key: await importPKCS8(privateKey, alg), alg, kid: keyId };
      } catch {
        // Not a key of this type: the next one.
      }
    }
    throw new TypeError(unsupportedKey);
  }
  const alg = algorithm ?? algorithmOfKey(privateKey);
  if (!alg) throw new TypeError(unsupportedKey);
  if (isJwk(privateKey)) {
    if (privateKey.d === undefined) throw new TypeError('privateKey is a public JWK: it has no "d" member.');
    const key = await importJWK(privateKey, alg);
    if (key instanceof Uint8Array) throw new TypeError(unsupportedKey);
    return { key, alg, kid: keyId ?? privateKey.kid };
  }
  if (privateKey.type !== 'private') throw new TypeError('privateKey must be a private key.');
  return { key: privateKey, alg, kid: keyId };
}

/** What one assertion says (RFC 7523 §3). */
export interface AssertionClaims {
  clientId: string;
  /** The `aud`: the authorization server's issuer identifier. */
  audience: string;
  /** Seconds since the epoch. */
  now: number;
  /** How long the assertion lives, in seconds. */
  lifetimeSeconds: number;
}

/**
 * Signs a fresh assertion: `iss` = `sub` = the client_id (RFC 7523 §3 items 1-2), one `aud`
 * (item 3), `exp` a short while ahead (item 4), `iat` now (item 6) and a random `jti` (item 7),
 * so that each one is good for one request only.
 */
export function signClientAssertion(
  signer: AssertionSigner,
  { clientId, audience, now, lifetimeSeconds }: AssertionClaims,
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader(signer.kid === undefined ? { alg: signer.alg } : { alg: signer.alg, kid: signer.kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds)
    .setJti(crypto.randomUUID())
    .sign(signer.key);
}
