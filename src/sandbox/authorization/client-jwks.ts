import { importJWK } from 'jose';
import { decodeBase64url } from '../../lib/base64url.ts';
import type { ClientJwks } from '../store/store.ts';

/**
 * The JWS algorithms a client assertion may be signed with (RFC 7523 §3 item 9: the server decides
 * which it accepts). Never `none` and never HMAC: an HMAC assertion is keyed by a shared secret
 * (client_secret_jwt), which is exactly what private_key_jwt replaces. `Ed25519` is the
 * fully-specified name of RFC 9864 that newer libraries (oauth4webapi) send; `EdDSA` is the older,
 * polymorphic name of the same signature with an Ed25519 key (RFC 8037).
 */
export const assertionSigningAlgorithms = ['RS256', 'PS256', 'ES256', 'EdDSA', 'Ed25519'] as const;
export type AssertionSigningAlgorithm = (typeof assertionSigningAlgorithms)[number];

/** How many keys a client may register: two cover a rotation without downtime, with room to spare. */
export const maxClientKeys = 4;
const minRsaModulusBits = 2048;
const maxKidLength = 200;

/** JWK members that only a private (or symmetric) key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The public members the sandbox keeps of each key type; anything else is dropped. */
const publicMembers: Record<string, readonly string[]> = {
  RSA: ['kty', 'n', 'e'],
  EC: ['kty', 'crv', 'x', 'y'],
  OKP: ['kty', 'crv', 'x'],
};

/** The algorithms a registered key can verify, from its type and curve (RFC 7518 §3, RFC 8037 §3.1). */
export function algorithmsForKey(jwk: JsonWebKey): readonly AssertionSigningAlgorithm[] {
  const all: readonly AssertionSigningAlgorithm[] =
    jwk.kty === 'RSA'
      ? ['RS256', 'PS256']
      : jwk.kty === 'EC' && jwk.crv === 'P-256'
        ? ['ES256']
        : jwk.kty === 'OKP' && jwk.crv === 'Ed25519'
          ? ['EdDSA', 'Ed25519']
          : [];
  if (jwk.alg === undefined) return all;
  // A key registered with `alg` signs with that algorithm only (RFC 7517 §4.4); EdDSA and Ed25519
  // name the same signature with an Ed25519 key, so either name allows both.
  if (jwk.alg === 'EdDSA' || jwk.alg === 'Ed25519')
    return all.filter((alg) => alg === 'EdDSA' || alg === 'Ed25519');
  return all.filter((alg) => alg === jwk.alg);
}

/** A registration problem, said plainly; register.ts turns it into `invalid_client_metadata`. */
export class ClientJwksError extends Error {}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBase64url(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && decodeBase64url(value) !== undefined;
}

/** The byte length of a base64url value that {@link isBase64url} accepted. */
function byteLength(value: string | undefined): number {
  return value === undefined ? 0 : (decodeBase64url(value)?.length ?? 0);
}

/** Checks one key and returns its public members only (plus `kid`, `alg`, `use`). */
function readKey(key: unknown, index: number): JsonWebKey {
  const name = `jwks.keys[${index}]`;
  if (!isObject(key))
    throw new ClientJwksError(`${name} must be a JSON Web Key object (RFC 7517 section 4).`);
  const present = privateMembers.filter((member) => key[member] !== undefined);
  if (key.kty === 'oct' || present.length > 0) {
    throw new ClientJwksError(
      `${name} holds private key material (${present.join(', ') || 'a symmetric key'}). Register ` +
        `the public key only: the private key never leaves the client, which is the point of ` +
        `private_key_jwt.`,
    );
  }
  const members = typeof key.kty === 'string' ? publicMembers[key.kty] : undefined;
  if (!members) throw new ClientJwksError(`${name}.kty must be RSA, EC or OKP.`);
  const jwk: Record<string, string> = {};
  for (const member of members) {
    const valid =
      member === 'kty' || member === 'crv' ? typeof key[member] === 'string' : isBase64url(key[member]);
    if (!valid) throw new ClientJwksError(`${name}.${member} must be a base64url string.`);
    jwk[member] = key[member] as string;
  }
  if (key.kty === 'RSA' && byteLength(jwk.n) * 8 < minRsaModulusBits)
    throw new ClientJwksError(`${name} is an RSA key shorter than ${minRsaModulusBits} bits.`);
  if (key.kty === 'EC' && key.crv !== 'P-256')
    throw new ClientJwksError(`${name}.crv must be P-256: the sandbox accepts ES256 for EC keys.`);
  if (key.kty === 'EC' && (byteLength(jwk.x) !== 32 || byteLength(jwk.y) !== 32))
    throw new ClientJwksError(`${name} is not a P-256 public key: x and y must be 32 bytes each.`);
  if (key.kty === 'OKP' && key.crv !== 'Ed25519')
    throw new ClientJwksError(`${name}.crv must be Ed25519: the sandbox accepts EdDSA for OKP keys.`);
  if (key.kty === 'OKP' && byteLength(jwk.x) !== 32)
    throw new ClientJwksError(`${name} is not an Ed25519 public key: x must be 32 bytes.`);

  if (key.kid !== undefined) {
    if (typeof key.kid !== 'string' || key.kid === '' || key.kid.length > maxKidLength)
      throw new ClientJwksError(`${name}.kid must be a string of 1 to ${maxKidLength} characters.`);
    jwk.kid = key.kid;
  }
  if (key.use !== undefined) {
    if (key.use !== 'sig')
      throw new ClientJwksError(`${name}.use must be sig: the key verifies client assertions.`);
    jwk.use = key.use;
  }
  if (key.alg !== undefined) {
    if (typeof key.alg !== 'string') throw new ClientJwksError(`${name}.alg must be a string.`);
    jwk.alg = key.alg;
    if (algorithmsForKey(jwk).length === 0) {
      throw new ClientJwksError(
        `${name}.alg ${key.alg} does not fit this key or is not accepted. Accepted: ` +
          `${assertionSigningAlgorithms.join(', ')} (RS256 and PS256 for RSA, ES256 for P-256, EdDSA ` +
          `or Ed25519 for Ed25519).`,
      );
    }
  }
  return jwk;
}

/**
 * Reads the `jwks` client metadata (RFC 7591 §2): a JWK Set of public signing keys, at most
 * {@link maxClientKeys}. With more than one key, each needs its own `kid`, so that an assertion's
 * `kid` header picks one (RFC 7515 §4.1.4). Throws {@link ClientJwksError} with the reason.
 */
export async function readClientJwks(value: unknown): Promise<ClientJwks> {
  if (!isObject(value) || !Array.isArray(value.keys)) {
    throw new ClientJwksError(
      'jwks must be a JWK Set: an object with a keys array of public keys (RFC 7517 section 5).',
    );
  }
  if (value.keys.length === 0 || value.keys.length > maxClientKeys)
    throw new ClientJwksError(`jwks.keys must hold 1 to ${maxClientKeys} public keys.`);
  const keys = value.keys.map(readKey);
  if (keys.length > 1) {
    const kids = keys.map((key) => (key as { kid?: string }).kid);
    if (kids.some((kid) => kid === undefined) || new Set(kids).size !== kids.length) {
      throw new ClientJwksError(
        'With more than one key in jwks, each key needs its own kid, so an assertion names the key it was signed with.',
      );
    }
  }
  // The members' shapes are right; the key must also be one (an EC point on its curve, ...).
  for (const [index, key] of keys.entries()) {
    try {
      await importJWK(key, algorithmsForKey(key)[0]);
    } catch {
      throw new ClientJwksError(`jwks.keys[${index}] is not a usable public key.`);
    }
  }
  return { keys };
}
