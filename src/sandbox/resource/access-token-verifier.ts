import { jwtVerify, decodeProtectedHeader, type JWTPayload } from 'jose';
import type { Clock } from '../clock.ts';
import { accessTokenAlgorithm, accessTokenType, type SigningKeys } from '../keys/signing-keys.ts';
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
}

/** Tokens remembered at once; bounds memory when many clients mint many tokens. */
const maxCachedTokens = 10_000;

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
  return { iss, sub, aud, client_id, scope, iat, exp, jti };
}

/**
 * Creates the verifier. Verification uses jose with an explicit allow-list of one algorithm
 * (RFC 8725 §3.1), the RFC 9068 `typ`, issuer and audience, and no clock tolerance: a token is
 * expired from its `exp` second on (sandbox-api.md).
 *
 * A signature check costs about 100 µs for Ed25519; the result for the exact token bytes is
 * remembered until `exp`, since nothing in a signed token can change. Expiry and revocation are
 * not part of what is remembered: they are checked on every call.
 */
export function createAccessTokenVerifier({
  issuer,
  audience,
  keys,
  store,
  clock,
}: AccessTokenVerifierOptions): AccessTokenVerifier {
  const cache = new Map<string, CacheEntry>();

  /** Signature and claims; expiry is left to the caller, which reports it as its own problem. */
  async function verifySignature(token: string): Promise<AccessTokenClaims | undefined> {
    try {
      const header = decodeProtectedHeader(token);
      if (forbiddenHeaderParameters.some((name) => name in header)) return undefined;
      const { payload } = await jwtVerify(
        token,
        (protectedHeader) => {
          const key =
            typeof protectedHeader.kid === 'string' ? keys.verificationKey(protectedHeader.kid) : undefined;
          if (!key) throw new Error('unknown kid');
          return key;
        },
        {
          algorithms: [accessTokenAlgorithm],
          typ: accessTokenType,
          issuer,
          audience,
          requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope'],
          // exp is checked by the callers (verify reports "expired"; revocation accepts expired tokens).
          currentDate: new Date(0),
          clockTolerance: 0,
        },
      );
      return claimsOf(payload);
    } catch {
      return undefined;
    }
  }

  function remember(token: string, entry: CacheEntry) {
    if (cache.size >= maxCachedTokens) {
      const now = clock.now();
      for (const [key, value] of cache) if (value.expiresAtMs <= now) cache.delete(key);
      if (cache.size >= maxCachedTokens) cache.delete(cache.keys().next().value!);
    }
    cache.set(token, entry);
  }

  return {
    async verify(token) {
      let entry = cache.get(token);
      if (!entry) {
        // Expiry is checked just below, so an expired token is reported as expired, not invalid.
        const claims = await verifySignature(token);
        if (!claims) return { ok: false, problem: 'invalid' };
        entry = { claims, scopes: new Set(claims.scope.split(' ')), expiresAtMs: claims.exp * 1000 };
        remember(token, entry);
      }
      if (clock.now() >= entry.expiresAtMs) {
        cache.delete(token);
        return { ok: false, problem: 'expired', claims: entry.claims };
      }
      if (await store.isRevoked(entry.claims.jti))
        return { ok: false, problem: 'revoked', claims: entry.claims };
      // RFC 7592 §2.3: a deleted client's tokens stop working. The store keeps clients in memory,
      // so this costs a map lookup on the hot path.
      if (!(await store.findClient(entry.claims.client_id)))
        return { ok: false, problem: 'client_deleted', claims: entry.claims };
      return { ok: true, claims: entry.claims, scopes: entry.scopes };
    },
    async verifySignature(token) {
      return cache.get(token)?.claims ?? verifySignature(token);
    },
  };
}
