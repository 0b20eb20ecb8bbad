import { accessTokenLifetime } from '../../lib/sandbox-contract/bounds.ts';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import { importJWK, type CryptoKey, type JWK } from 'jose';
import { encodeBase64url } from '../../lib/base64url.ts';
import { epochSeconds, type Clock } from '../clock.ts';
import type { SigningKeyRecord, Store } from '../store/store.ts';

/**
 * The JWS algorithm of every access token: EdDSA over Ed25519 (RFC 8037), chosen over ES256 because
 * - Node 24's OpenSSL signs Ed25519 about 1.5 to 2 times faster than P-256, and signing is the
 *   cost of the token endpoint;
 * - Ed25519 signatures are deterministic (RFC 8032 §5.1.6): no per-signature nonce whose reuse or
 *   bias leaks the private key, as with ECDSA;
 * - keys and signatures are small (32-byte public key, 64-byte signature) and there is one curve,
 *   so there are no curve or point-format choices to get wrong.
 * The cost: an Ed25519 verification is slower than an ES256 or RS256 one, which the resource
 * server's verified-token cache absorbs; and some older JWT libraries lack EdDSA (jose,
 * openid-client, oauth4webapi, PyJWT with `cryptography` and Nimbus all have it).
 */
export const accessTokenAlgorithm = 'EdDSA';

/** RFC 9068 §2.1: the `typ` header of a JWT access token. */
export const accessTokenType = 'at+jwt';

/** A public key as published in the JWKS (RFC 7517 §4; RFC 8037 §2 for OKP). */
export interface PublishedJwk {
  kty: string;
  crv: string;
  x: string;
  kid: string;
  use: 'sig';
  alg: string;
}

interface LoadedKey {
  record: SigningKeyRecord;
  /** Non-extractable WebCrypto key: signing runs on the libuv thread pool, off the event loop. */
  signingKey: webcrypto.CryptoKey;
  /** The same public key as a WebCrypto key, for jose's verification. */
  verificationKey: CryptoKey;
  /** base64url of the protected header, computed once: every token this key signs has the same one. */
  encodedHeader: string;
  published: PublishedJwk;
}

/** The signing keys: the active one signs, every published one verifies. */
export interface SigningKeys {
  /** Signs `claims` as an RFC 9068 access token with the active key. */
  signAccessToken(claims: Record<string, unknown>): Promise<string>;
  /** The verification key for a `kid`, or undefined when no published key has it. */
  verificationKey(kid: string): CryptoKey | undefined;
  /** True while the key `kid` is published: a withdrawn or expired key is not. */
  isPublished(kid: string): boolean;
  /** The JWKS document: public keys only (RFC 7517 §5). */
  jwks(): { keys: PublishedJwk[] };
  /** The kid of the active key. */
  activeKid(): string;
  /**
   * Replaces the active key with a new one. The old key stops signing now and stays published
   * until every token it signed has expired: at most `accessTokenLifetime.max` from now, plus
   * `noticeSeconds` when other processes on the same store may go on signing with it until they
   * reload (see rotateSigningKeyInStore in sandbox.ts).
   */
  rotate(noticeSeconds?: number): Promise<void>;
  /** Rotates when the active key is older than `maxAgeSeconds`; forgets keys the store swept. */
  maintain(maxAgeSeconds: number): Promise<void>;
}

/** RFC 7638 JWK thumbprint: a kid that names the key's content, so the same key always has the same kid. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return encodeBase64url(createHash('sha256').update(canonical).digest());
}

function generateKeyRecord(createdAt: number): SigningKeyRecord {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicJwk = publicKey.export({ format: 'jwk' });
  return {
    kid: thumbprint(publicJwk),
    alg: accessTokenAlgorithm,
    privateJwk: privateKey.export({ format: 'jwk' }),
    publicJwk,
    createdAt,
    retiredAt: undefined,
    publishUntil: undefined,
  };
}

async function loadKey(record: SigningKeyRecord): Promise<LoadedKey> {
  const privateKey = createPrivateKey({ key: record.privateJwk as JWK & { kty: string }, format: 'jwk' });
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const signingKey = await webcrypto.subtle.importKey('jwk', record.privateJwk, { name: 'Ed25519' }, false, [
    'sign',
  ]);
  const header = { alg: record.alg, typ: accessTokenType, kid: record.kid };
  return {
    record,
    signingKey,
    verificationKey: (await importJWK(publicJwk as JWK, record.alg)) as CryptoKey,
    encodedHeader: encodeBase64url(JSON.stringify(header)),
    published: {
      kty: publicJwk.kty!,
      crv: publicJwk.crv!,
      x: publicJwk.x!,
      kid: record.kid,
      use: 'sig',
      alg: record.alg,
    },
  };
}

/**
 * Loads the signing keys from the store, generating and persisting the first one on first start,
 * so tokens issued before a restart still verify after it.
 */
export async function loadSigningKeys(store: Store, clock: Clock): Promise<SigningKeys> {
  let keys: LoadedKey[] = [];
  let active: LoadedKey;

  async function reload() {
    const records = await store.listSigningKeys();
    const now = epochSeconds(clock);
    keys = await Promise.all(
      records.filter((record) => record.publishUntil === undefined || record.publishUntil > now).map(loadKey),
    );
    const current = keys.find((key) => key.record.retiredAt === undefined);
    if (current) active = current;
  }

  /**
   * Activates a new key in place of `replacing` (the active kid this process knows; undefined on
   * an empty store). When another instance on the same store got there first, its key is the one
   * loaded: a rotation happens once for all.
   */
  async function activateNewKey(replacing: string | undefined, noticeSeconds = 0) {
    const now = epochSeconds(clock);
    // A token signed during this second has exp up to now + 1 + lifetime (exp is rounded up), and
    // is valid until exp: the key stays published until then.
    await store.activateSigningKey(
      generateKeyRecord(now),
      now,
      now + 1 + accessTokenLifetime.max + noticeSeconds,
      replacing,
    );
    await reload();
  }

  await reload();
  if (!keys.some((key) => key.record.retiredAt === undefined)) await activateNewKey(undefined);
  // A shared store tells when another instance rotated: sign with its key and publish it at once.
  store.watch?.((change) => {
    if (change !== 'signing-keys') return;
    reload().catch(() => {
      // The store is unreachable; the next maintenance reloads.
    });
  });

  return {
    async signAccessToken(claims) {
      const key = active;
      // Node's own base64url (RFC 7515 §2: unpadded), native, rather than the isomorphic one.
      const signingInput = `${key.encodedHeader}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      // Signing is the token endpoint's main cost. WebCrypto signs on the thread pool, so the
      // event loop goes on parsing and answering while another core signs: measured with
      // npm run bench, 0.85x the minimal server against 0.55x with node:crypto's one-shot sign(),
      // although sign() costs less CPU per signature (34 µs against 47 µs with the hand-off).
      // The signing input is base64url text: ASCII, one byte per character.
      const signature = await webcrypto.subtle.sign(
        'Ed25519',
        key.signingKey,
        Buffer.from(signingInput, 'latin1'),
      );
      return `${signingInput}.${Buffer.from(signature).toString('base64url')}`;
    },
    verificationKey(kid) {
      return keys.find((key) => key.record.kid === kid)?.verificationKey;
    },
    isPublished(kid) {
      return keys.some((key) => key.record.kid === kid);
    },
    jwks() {
      return { keys: keys.map((key) => key.published) };
    },
    activeKid() {
      return active.record.kid;
    },
    rotate: (noticeSeconds) => activateNewKey(active.record.kid, noticeSeconds),
    async maintain(maxAgeSeconds) {
      // reload() also picks up a rotation another process (npm run rotate-key) made in the store.
      await reload();
      if (epochSeconds(clock) - active.record.createdAt >= maxAgeSeconds)
        await activateNewKey(active.record.kid);
    },
  };
}
