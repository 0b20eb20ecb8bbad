import {
  checkFaults,
  checkTokenLifetimeSeconds,
  type CheckFaultKind,
} from '../../lib/sandbox-contract/checks.ts';
import type { Clock } from '../clock.ts';
import { OAuthError } from '../http/oauth-error.ts';
import { LruMap } from '../lru-map.ts';
import type { CheckRecord, StoredFault } from '../store/check-store.ts';
import type { Store } from '../store/store.ts';
import { faultSchedule, faultSeparationMs } from './grading.ts';

/**
 * How long an instance trusts what it knows about a client's check: a check started on another
 * instance takes effect here within this. The token endpoint and the API ask on every request,
 * so the answer comes from memory, not from the store (a Redis round trip per API call).
 */
const runningCacheMs = 1_000;
/** Clients whose check state is remembered; the least recently seen go first. */
const maxRememberedClients = 10_000;

interface Remembered {
  check: CheckRecord | undefined;
  until: number;
  /** Faults this instance knows were injected (by itself or by another). */
  claimed: Set<CheckFaultKind>;
}

/** The claims of a verified access token that the faults need. */
export interface CheckedTokenClaims {
  client_id: string;
  jti: string;
  exp: number;
}

/** An injected 503 or 429 with Retry-After (RFC 9110 §10.2.3), saying how long to wait before the next `what`. */
function injectedRetryAfter(
  code: 'temporarily_unavailable' | 'too_many_requests',
  status: 503 | 429,
  retryAfterSeconds: number,
  what: string,
): OAuthError {
  return new OAuthError(
    code,
    status,
    `The client check injected this ${status}: wait ${retryAfterSeconds} seconds (Retry-After) before the next ${what}.`,
    { headers: { 'retry-after': String(retryAfterSeconds) } },
  );
}

/**
 * The faults a check injects into its client's traffic, each once (claimed in the store, so once
 * across every instance), at the first request that qualifies after its share of the window
 * ({@link faultSchedule}); and the 30-second token lifetime during the window.
 */
export function createCheckFaults({ store, clock }: { store: Store; clock: Clock }) {
  const remembered = new LruMap<string, Remembered>();

  const activeAt = (check: CheckRecord | undefined, now: number) =>
    check && check.startedAtMs <= now && now < check.endsAtMs ? check : undefined;

  async function refresh(clientId: string, known: Remembered | undefined, now: number) {
    const check = await store.checks.running(clientId, now);
    const claimed = known?.check && check?.id === known.check.id ? known.claimed : new Set<CheckFaultKind>();
    remembered.set(clientId, { check, until: now + runningCacheMs, claimed });
    if (remembered.size > maxRememberedClients) remembered.delete(remembered.oldest()![0]);
    return activeAt(check, now);
  }

  /**
   * The client's running check, or undefined. Answered at once (no promise) from what this
   * instance learnt less than {@link runningCacheMs} ago: every token request and API call asks.
   */
  function running(clientId: string): CheckRecord | undefined | Promise<CheckRecord | undefined> {
    const now = clock.now();
    const known = remembered.get(clientId);
    if (!known || now >= known.until) return refresh(clientId, known, now);
    return activeAt(known.check, now);
  }

  /** The fault `kind` is due (its moment has come) and not yet injected, as far as this instance knows. */
  function due(check: CheckRecord, kind: CheckFaultKind, now: number): boolean {
    const known = remembered.peek(check.clientId);
    if (known?.claimed.has(kind)) return false;
    return now >= check.startedAtMs + faultSchedule[kind] * (check.endsAtMs - check.startedAtMs);
  }

  async function claim(check: CheckRecord, fault: StoredFault): Promise<boolean> {
    remembered.peek(check.clientId)?.claimed.add(fault.kind);
    return store.checks.claimFault(check.id, fault);
  }

  /** The fault is due and this request claimed it: this request is the one that gets it. */
  async function injectNow(check: CheckRecord, fault: StoredFault): Promise<boolean> {
    return due(check, fault.kind, fault.atMs) && (await claim(check, fault));
  }

  /** The check revoked the client's token less than {@link faultSeparationMs} ago. */
  async function justRevoked(check: CheckRecord, now: number): Promise<boolean> {
    if (!remembered.peek(check.clientId)?.claimed.has('token_revoked')) return false;
    const revoked = (await store.checks.faults(check.id)).find((fault) => fault.kind === 'token_revoked');
    return revoked !== undefined && now - revoked.atMs < faultSeparationMs;
  }

  const elapsed = (check: CheckRecord, now: number) => `${Math.round((now - check.startedAtMs) / 1000)} s`;

  return {
    running,

    /** A check just started here: the faults apply from this very request on, without waiting for the cache. */
    started(check: CheckRecord) {
      remembered.set(check.clientId, { check, until: clock.now() + runningCacheMs, claimed: new Set() });
    },

    /**
     * Before a token is issued to `clientId`: during a check, once, a 503 with Retry-After
     * (RFC 9110 §15.6.4, §10.2.3); otherwise the lifetime the token may have (seconds), or
     * undefined when no check is running.
     */
    async beforeTokenIssued(clientId: string): Promise<number | undefined> {
      const check = await running(clientId);
      if (!check) return undefined;
      const now = clock.now();
      const { retryAfterSeconds } = checkFaults.token_endpoint_unavailable;
      const detail = `A token request ${elapsed(check, now)} in was answered 503 with Retry-After: ${retryAfterSeconds}.`;
      const fault = { kind: 'token_endpoint_unavailable', atMs: now, detail } as const;
      if (due(check, fault.kind, now) && !(await justRevoked(check, now)) && (await claim(check, fault)))
        throw injectedRetryAfter('temporarily_unavailable', 503, retryAfterSeconds, 'token request');
      return checkTokenLifetimeSeconds;
    },

    /**
     * After an API call's token verified: during a check, once, a 429 with Retry-After (RFC 6585
     * §4); and once, the token the client is using is revoked after this call succeeds, so its
     * next call with it gets 401 invalid_token (RFC 6750 §3.1).
     */
    async afterApiAuthenticated(claims: CheckedTokenClaims): Promise<void> {
      const check = await running(claims.client_id);
      if (!check) return;
      const now = clock.now();
      const { retryAfterSeconds } = checkFaults.api_rate_limited;
      const detail = `An API call ${elapsed(check, now)} in was answered 429 with Retry-After: ${retryAfterSeconds}.`;
      if (await injectNow(check, { kind: 'api_rate_limited', atMs: now, detail }))
        throw injectedRetryAfter('too_many_requests', 429, retryAfterSeconds, 'API call');
      if (
        await injectNow(check, {
          kind: 'token_revoked',
          atMs: now,
          jti: claims.jti,
          detail:
            `After a successful API call ${elapsed(check, now)} in, the token the client was using ` +
            `(${Math.max(0, Math.round(claims.exp - now / 1000))} s left) was revoked: its next call ` +
            `with it gets 401 invalid_token.`,
        })
      ) {
        // RFC 7009 §2: kept until the token's own expiry, when it is refused anyway.
        await store.saveRevocation(claims.jti, claims.exp);
      }
    },
  };
}

export type CheckFaultInjector = ReturnType<typeof createCheckFaults>;
