import { accessTokenLifetime } from '../../lib/sandbox-contract/bounds.ts';
import { jwtVerify, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import type { Clock } from '../clock.ts';
import { accessTokenAlgorithm, accessTokenType, type SigningKeys } from '../keys/signing-keys.ts';
import { LruMap } from '../lru-map.ts';
import type { Store } from '../store/store.ts';

/** The claims of an access token the sandbox issued (RFC 9068 §2.2). */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  client_id: string;
  scope: string;
  iat: number;
  exp: number;
  jti: string;
  /** RFC 7519 §4.1.5: not valid before this second. The sandbox issues none; honoured when present. */
  nbf?: number;
}

/** Why a token is not usable. Crypto failures are one code on purpose: an attacker learns nothing from which check failed. */
export type TokenProblem = 'invalid' | 'expired' | 'revoked' | 'client_deleted';

/** The result of {@link AccessTokenVerifier.verify}. */
export type TokenVerification =
  | { ok: true; claims: AccessTokenClaims; scopes: ReadonlySet<string> }
  /** `claims` when the signature verified (an expired, revoked or orphaned token): the request inspector attributes by them. */
  | { ok: false; problem: TokenProblem; claims?: AccessTokenClaims };

/** Verifies the sandbox's access tokens; shared by the API, introspection and revocation. */
export interface AccessTokenVerifier {
  /** Signature and claims (remembered per token), then expiry, revocation and the client's existence (checked every call). */
  verify(token: string): Promise<TokenVerification>;
  /** Signature and claims only, expiry ignored: revocation needs the `jti` and `exp` of any token it issued. */
  verifySignature(token: string): Promise<AccessTokenClaims | undefined>;
}

interface CacheEntry {
  claims: AccessTokenClaims;
  scopes: ReadonlySet<string>;
  expiresAtMs: number;
  /** The key that signed it: a remembered verification stands only while that key is published. */
  kid: string;
}

/** RFC 7515 §4.1.3-4.1.6: header parameters that point at a key the token itself brings. Never honoured; refused outright. */
const forbiddenHeaderParameters = ['jwk', 'jku', 'x5u', 'x5c'];

/** Options of {@link createAccessTokenVerifier}. */
export interface AccessTokenVerifierOptions {
  issuer: string;
  /** The `aud` every token must carry: the protected resource's identifier (RFC 9068 §4). */
  audience: string;
  keys: SigningKeys;
  store: Store;
  clock: Clock;
  /** Verifications remembered at once (default 10,000); bounds memory when many clients mint many tokens. */
  maxCachedTokens?: number;
}

function claimsOf(payload: JWTPayload): AccessTokenClaims | undefined {
  const { iss, sub, aud, client_id, scope, iat, exp, jti } = payload as Record<string, unknown>;
  if (typeof iss !== 'string' || typeof sub !== 'string' || typeof aud !== 'string') return undefined;
  if (
    typeof client_id !== 'string' ||
    client_id !== sub ||
    typeof scope !== 'string' ||
    typeof jti !== 'string'
  )
    return undefined;
  if (typeof iat !== 'number' || typeof exp !== 'number') return undefined;
  const { nbf } = payload;
  if (nbf !== undefined && typeof nbf !== 'number') return undefined;
  // A signed token the token endpoint cannot have issued is refused, whoever signed it: its
  // lifetime (exp is rounded up a second) is at most the longest a client can register.
  if (exp - iat > accessTokenLifetime.max + 1) return undefined;
  return { iss, sub, aud, client_id, scope, iat, exp, jti, ...(nbf !== undefined ? { nbf } : {}) };
}

/**
 * Creates the verifier. Verification uses jose with an explicit allow-list of one algorithm
 * (RFC 8725 §3.1), the RFC 9068 `typ`, issuer and audience, and no clock tolerance: a token is
 * expired from its `exp` second on (sandbox-api.md).
 *
 * A signature check costs about 100 µs for Ed25519; the result for the exact token bytes is
 * remembered until `exp`, since nothing in a signed token can change. Expiry, `nbf`, revocation
 * and whether the signing key is still published (a withdrawn key takes its tokens with it) are
 * not part of what is remembered: they are checked on every call. The cache is an {@link LruMap},
 * so eviction is O(1): the least recently used entry goes, never a scan.
 */
export function createAccessTokenVerifier({
  issuer,
  audience,
  keys,
  store,
  clock,
  maxCachedTokens = 10_000,
}: AccessTokenVerifierOptions): AccessTokenVerifier {
  const cache = new LruMap<string, CacheEntry>();

  /** Signature and claims, and the signing kid; expiry is left to the caller, which reports it as its own problem. */
  async function verifySignature(
    token: string,
  ): Promise<{ claims: AccessTokenClaims; kid: string } | undefined> {
    try {
      const header = decodeProtectedHeader(token);
      if (forbiddenHeaderParameters.some((name) => name in header)) return undefined;
      if (typeof header.kid !== 'string') return undefined;
      const kid = header.kid;
      // jose checks exp and nbf against currentDate. exp is the callers' (verify reports
      // "expired"; revocation accepts expired tokens), and nbf is checked in verify() against the
      // sandbox's clock: so jose is given a moment that passes both, the nbf itself or the epoch.
      const { nbf } = decodeJwt(token);
      const { payload } = await jwtVerify(
        token,
        () => {
          const key = keys.verificationKey(kid);
          if (!key) throw new Error('unknown kid');
          return key;
        },
        {
          algorithms: [accessTokenAlgorithm],
          typ: accessTokenType,
          issuer,
          audience,
          requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope'],
          currentDate: new Date(typeof nbf === 'number' ? nbf * 1000 : 0),
          clockTolerance: 0,
        },
      );
      const claims = claimsOf(payload);
      return claims && { claims, kid };
    } catch {
      return undefined;
    }
  }

  function remember(token: string, entry: CacheEntry) {
    if (cache.size >= maxCachedTokens) cache.delete(cache.oldest()![0]);
    cache.set(token, entry);
  }

  return {
    async verify(token) {
      const nowMs = clock.now();
      let entry = cache.get(token);
      if (entry && !keys.isPublished(entry.kid)) {
        cache.delete(token);
        entry = undefined;
      } else if (!entry) {
        const verified = await verifySignature(token);
        if (!verified) return { ok: false, problem: 'invalid' };
        const { claims, kid } = verified;
        // No token the sandbox issued expires further than the longest lifetime from now.
        if (claims.exp * 1000 > nowMs + (accessTokenLifetime.max + 1) * 1000)
          return { ok: false, problem: 'invalid' };
        entry = { claims, scopes: new Set(claims.scope.split(' ')), expiresAtMs: claims.exp * 1000, kid };
        // An expired token is answered below and not remembered: it would only push a live one out.
        if (nowMs < entry.expiresAtMs) remember(token, entry);
      }
      if (!entry) return { ok: false, problem: 'invalid' };
      if (nowMs >= entry.expiresAtMs) {
        cache.delete(token);
        return { ok: false, problem: 'expired', claims: entry.claims };
      }
      // RFC 7519 §4.1.5: not before nbf (no leeway, as for exp).
      if (entry.claims.nbf !== undefined && nowMs < entry.claims.nbf * 1000)
        return { ok: false, problem: 'invalid' };
      if (await store.isRevoked(entry.claims.jti))
        return { ok: false, problem: 'revoked', claims: entry.claims };
      // RFC 7592 §2.3: a deleted client's tokens stop working. The store keeps clients in memory,
      // so this costs a map lookup on the hot path.
      if (!(await store.findClient(entry.claims.client_id)))
        return { ok: false, problem: 'client_deleted', claims: entry.claims };
      return { ok: true, claims: entry.claims, scopes: entry.scopes };
    },
    async verifySignature(token) {
      const entry = cache.peek(token);
      if (entry && keys.isPublished(entry.kid)) return entry.claims;
      return (await verifySignature(token))?.claims;
    },
  };
}
