import { describe, expect, it } from 'vitest';
import { apiProfile } from '../../../../src/lib/api-profile.ts';
import { sandboxPaths, type CheckCriterionId } from '../../../../src/lib/sandbox-contract/index.ts';
import type { CheckEntry } from '../../../../src/sandbox/checks/check-entry.ts';
import {
  faultSchedule,
  faultSeparationMs,
  gradeCheck,
  scoreOf,
} from '../../../../src/sandbox/checks/grading.ts';
import type { StoredFault } from '../../../../src/sandbox/store/check-store.ts';

// The grading rules over traffic made by a small model of a client (a frozen clock: every time is
// computed from `start`). The model injects the faults exactly as the sandbox does, at the first
// request that qualifies after each fault's share of the window.

const { readScope, writeScope } = apiProfile;
const start = Date.UTC(2030, 0, 1);
const lifetimeMs = 30_000;

interface ClientModel {
  callers: number;
  callEveryMs: number;
  /** Offset of each caller's call within a tick. */
  callerSpacingMs: number;
  /** A new token for every call. */
  tokenPerCall: boolean;
  /** Renew at half-life (the reference); false: at expiry. */
  renewEarly: boolean;
  /** Renew only after a call with the expired token was refused. */
  renewAfterRefusal: boolean;
  /** Concurrent callers share one token request. */
  singleFlight: boolean;
  retriesOnInvalidToken: boolean;
  honoursRetryAfter: boolean;
  credentials: CheckEntry['credentials'];
  scopes: string[] | undefined;
  /** Stop calling the API after this many ms (0: never call it). */
  callsUntilMs: number;
}

const reference: ClientModel = {
  callers: 3,
  callEveryMs: 300,
  callerSpacingMs: 20,
  tokenPerCall: false,
  renewEarly: true,
  renewAfterRefusal: false,
  singleFlight: true,
  retriesOnInvalidToken: true,
  honoursRetryAfter: true,
  credentials: 'basic',
  scopes: [readScope],
  callsUntilMs: Infinity,
};

const naive: ClientModel = {
  ...reference,
  tokenPerCall: true,
  singleFlight: false,
  retriesOnInvalidToken: false,
  honoursRetryAfter: false,
  credentials: 'body',
  scopes: [readScope, writeScope],
};

interface Traffic {
  entries: CheckEntry[];
  faults: StoredFault[];
  endsAtMs: number;
}

function simulate(model: ClientModel, durationMs = 60_000): Traffic {
  const endsAtMs = start + durationMs;
  const entries: CheckEntry[] = [];
  const faults: StoredFault[] = [];
  let token: { jti: string; expMs: number; refreshAtMs: number; rejected: boolean } | undefined;
  let issued = 0;
  let revoked: string | undefined;
  let tokenPauseUntil = 0;
  let apiPauseUntil = 0;
  const due = (kind: StoredFault['kind'], at: number) =>
    !faults.some((fault) => fault.kind === kind) && at >= start + faultSchedule[kind] * durationMs;
  const scope = (model.scopes ?? [readScope, writeScope]).join(' ');

  function requestToken(at: number): boolean {
    const base: CheckEntry = {
      atMs: at,
      method: 'POST',
      path: sandboxPaths.token,
      status: 200,
      credentials: model.credentials,
      ...(model.scopes ? { scopes_requested: model.scopes } : {}),
    };
    const revokedAt = faults.find((fault) => fault.kind === 'token_revoked')?.atMs;
    if (
      due('token_endpoint_unavailable', at) &&
      !(revokedAt !== undefined && at - revokedAt < faultSeparationMs)
    ) {
      faults.push({ kind: 'token_endpoint_unavailable', atMs: at, detail: '503' });
      entries.push({ ...base, status: 503, error: 'temporarily_unavailable' });
      if (model.honoursRetryAfter) tokenPauseUntil = at + 3_100;
      return false;
    }
    const jti = `token-${++issued}`;
    const exp = Math.ceil(at / 1000) + lifetimeMs / 1000;
    entries.push({ ...base, issued: { jti, exp, scope } });
    token = { jti, expMs: exp * 1000, refreshAtMs: at + lifetimeMs / 2, rejected: false };
    return true;
  }

  function call(at: number, retry = false, own = token): void {
    if (!own) return;
    token = own;
    const entry: CheckEntry = {
      atMs: at,
      method: 'GET',
      path: sandboxPaths.reports,
      status: 200,
      credentials: 'bearer',
      token: { jti: token.jti, exp: token.expMs / 1000, scope },
    };
    if (token.jti === revoked || at >= token.expMs) {
      entries.push({ ...entry, status: 401, error: 'invalid_token' });
      if (at >= token.expMs && model.renewAfterRefusal) token.rejected = true;
      if (token.jti === revoked && model.retriesOnInvalidToken && !retry) {
        token.rejected = true;
        // Single flight: while the token endpoint asked to wait, no caller asks again.
        if (at >= tokenPauseUntil && requestToken(at + 5)) call(at + 15, true);
      }
      return;
    }
    if (due('api_rate_limited', at)) {
      faults.push({ kind: 'api_rate_limited', atMs: at, detail: '429' });
      entries.push({ ...entry, status: 429, error: 'too_many_requests' });
      if (model.honoursRetryAfter) apiPauseUntil = at + 2_100;
      return;
    }
    entries.push(entry);
    if (due('token_revoked', at)) {
      faults.push({ kind: 'token_revoked', atMs: at, detail: 'revoked', jti: token.jti });
      revoked = token.jti;
    }
  }

  for (
    let tick = start + 500;
    tick < endsAtMs && tick - start < model.callsUntilMs;
    tick += model.callEveryMs
  ) {
    if (tick < apiPauseUntil) continue;
    if (model.tokenPerCall) {
      // Every caller asks for its own token at once, then calls with it.
      const own: (typeof token)[] = [];
      for (let c = 0; c < model.callers; c++) {
        const at = tick + c * 2;
        own.push(requestToken(at) || requestToken(at + 30) ? token : undefined);
      }
      own.forEach((mine, c) => call(tick + 40 + c * model.callerSpacingMs, false, mine));
      continue;
    }
    const renewAt = token && (model.renewEarly ? token.refreshAtMs : token.expMs);
    const needs =
      !token || token.rejected || (!model.renewAfterRefusal && renewAt !== undefined && tick >= renewAt);
    if (needs && tick >= tokenPauseUntil) {
      const requests = model.singleFlight ? 1 : model.callers;
      for (let i = 0; i < requests; i++) requestToken(tick + i * 5);
    }
    // Callers wait for a token rather than send one they know is expired or refused.
    const usable = token && !token.rejected && (model.renewAfterRefusal || tick < token.expMs);
    for (let c = 0; usable && c < model.callers; c++) {
      if (tick + 20 + c * model.callerSpacingMs < apiPauseUntil) continue;
      call(tick + 20 + c * model.callerSpacingMs);
    }
  }
  return { entries, faults, endsAtMs };
}

function grade(traffic: Traffic, gradedAtMs = traffic.endsAtMs) {
  const criteria = gradeCheck({
    startedAtMs: start,
    endsAtMs: traffic.endsAtMs,
    gradedAtMs,
    entries: traffic.entries,
    faults: traffic.faults,
    readScope,
    writeScope,
  });
  return {
    criteria,
    results: Object.fromEntries(criteria.map((criterion) => [criterion.id, criterion.result])),
    evidence: (id: CheckCriterionId) => criteria.find((criterion) => criterion.id === id)!.evidence,
  };
}

const allPass = {
  reuses_tokens: 'pass',
  renews_before_expiry: 'pass',
  single_flight: 'pass',
  retries_once_on_invalid_token: 'pass',
  honours_retry_after: 'pass',
  least_scope: 'pass',
  credentials_in_header: 'pass',
  no_secrets_in_url: 'pass',
} as const;

describe('grading a check', () => {
  it.each([
    [
      'the reference behaviour (half-life renewal, single flight, one retry, Retry-After)',
      reference,
      allPass,
    ],
    [
      'a naive client: a token per call, secret in the body, every scope, no Retry-After, no retry',
      naive,
      {
        reuses_tokens: 'fail',
        renews_before_expiry: 'pass',
        single_flight: 'fail',
        // Its revoked token is never used twice: there is nothing to retry.
        retries_once_on_invalid_token: 'not_observed',
        honours_retry_after: 'fail',
        least_scope: 'fail',
        credentials_in_header: 'fail',
        no_secrets_in_url: 'pass',
      },
    ],
    ['a client that renews only at expiry, before calling', { ...reference, renewEarly: false }, allPass],
    [
      'a client that renews after an expired token was refused',
      { ...reference, renewEarly: false, renewAfterRefusal: true },
      { ...allPass, renews_before_expiry: 'fail' },
    ],
    [
      'a caching client whose callers each renew',
      { ...reference, singleFlight: false },
      { ...allPass, single_flight: 'fail' },
    ],
    [
      'a caching client that goes on with the revoked token',
      { ...reference, retriesOnInvalidToken: false },
      { ...allPass, retries_once_on_invalid_token: 'fail' },
    ],
    [
      'a client that asks for no scope (it gets every scope registered)',
      { ...reference, scopes: undefined },
      { ...allPass, least_scope: 'fail' },
    ],
    ['a client that sends a client assertion', { ...reference, credentials: 'assertion' as const }, allPass],
    [
      'a single caller (nothing overlaps, so single flight is not exercised)',
      { ...reference, callers: 1 },
      { ...allPass, single_flight: 'not_observed' },
    ],
    [
      'two instances of the client sharing a cache (six callers, one token)',
      { ...reference, callers: 6, callerSpacingMs: 45 },
      allPass,
    ],
  ] satisfies [string, ClientModel, Record<CheckCriterionId, string>][])('%s', (_name, model, expected) => {
    expect(grade(simulate(model)).results).toEqual(expected);
  });

  it('says what it measured: token requests, API calls, the time left on the previous token', () => {
    const { evidence } = grade(simulate(reference));
    expect(evidence('reuses_tokens')).toMatch(
      /^\d token requests for \d{3} API calls in 60 s; the previous token had between \d+ and \d+ s left each time\.$/,
    );
    expect(evidence('honours_retry_after')).toMatch(
      /^After the 503 \(Retry-After: 3\) \d+ s in, the next token request came 3\.\d s later; after the 429 \(Retry-After: 2\) 39 s in, the next API call came 2\.\d s later\.$/,
    );
    const naiveEvidence = grade(simulate(naive)).evidence;
    expect(naiveEvidence('reuses_tokens')).toMatch(/^\d{3} token requests for \d{3} API calls in 60 s/);
    expect(naiveEvidence('credentials_in_header')).toMatch(
      /^\d+ of \d+ token requests carried the client secret in the form body\.$/,
    );
    expect(naiveEvidence('least_scope')).toBe(
      `Its tokens carried ${[readScope, writeScope].sort().join(' ')}; its calls needed only ${readScope}.`,
    );
  });

  it('grades a client that made no API call: nothing about tokens is observed, never a pass', () => {
    const { results } = grade(simulate({ ...reference, callsUntilMs: 0 }));
    expect(results).toEqual({
      reuses_tokens: 'not_observed',
      renews_before_expiry: 'not_observed',
      single_flight: 'not_observed',
      retries_once_on_invalid_token: 'not_observed',
      honours_retry_after: 'not_observed',
      least_scope: 'not_observed',
      credentials_in_header: 'not_observed',
      no_secrets_in_url: 'not_observed',
    });
    expect(scoreOf(grade(simulate({ ...reference, callsUntilMs: 0 })).criteria)).toBeNull();
  });

  it('grades a client that took a token and made no API call', () => {
    const traffic = simulate({ ...reference, callsUntilMs: 0 });
    traffic.entries.push({
      atMs: start + 1_000,
      method: 'POST',
      path: sandboxPaths.token,
      status: 200,
      credentials: 'basic',
      issued: { jti: 'only', exp: (start + 31_000) / 1000, scope: readScope },
    });
    const { results, evidence } = grade(traffic);
    expect(results).toMatchObject({
      reuses_tokens: 'not_observed',
      renews_before_expiry: 'not_observed',
      least_scope: 'not_observed',
      credentials_in_header: 'pass',
      no_secrets_in_url: 'pass',
    });
    expect(evidence('reuses_tokens')).toBe(
      'No API call in 60 s: reuse shows only when a token serves calls.',
    );
  });

  it('grades a check that ends mid-renewal: the request in flight at the end counts for nothing against it', () => {
    const traffic = simulate(reference);
    const lastIssued = traffic.entries.findLast((entry) => entry.issued)!;
    // A renewal arrives 50 ms before the end; the call that would use the new token, after it.
    traffic.entries.push(
      {
        atMs: traffic.endsAtMs - 50,
        method: 'POST',
        path: sandboxPaths.token,
        status: 200,
        credentials: 'basic',
        scopes_requested: [readScope],
        issued: { jti: 'late', exp: Math.ceil(traffic.endsAtMs / 1000) + 30, scope: readScope },
      },
      {
        atMs: traffic.endsAtMs + 100,
        method: 'GET',
        path: sandboxPaths.reports,
        status: 200,
        credentials: 'bearer',
        token: { jti: 'late', exp: Math.ceil(traffic.endsAtMs / 1000) + 30, scope: readScope },
      },
    );
    expect(lastIssued.issued!.jti).not.toBe('late');
    expect(grade(traffic).results).toEqual(allPass);
  });

  it('counts a call refused with the revoked token that arrived before the revocation was recorded', () => {
    const traffic = simulate(reference);
    const revocation = traffic.faults.find((fault) => fault.kind === 'token_revoked')!;
    const firstRefusal = traffic.entries.find(
      (entry) => entry.status === 401 && entry.token?.jti === revocation.jti,
    )!;
    // Another caller's call arrived with the token while the revocation was being written.
    revocation.atMs = firstRefusal.atMs + 5;
    const { results, evidence } = grade(traffic);
    expect(results.retries_once_on_invalid_token).toBe('pass');
    expect(evidence('retries_once_on_invalid_token')).toMatch(/^The revoked token was refused 24 s in/);
  });

  it('grades a running check on what arrived so far', () => {
    const traffic = simulate(reference);
    const { results } = grade(traffic, start + 10_000);
    expect(results).toEqual({
      reuses_tokens: 'pass',
      // No token has expired yet, no renewal yet, no fault yet.
      renews_before_expiry: 'not_observed',
      single_flight: 'not_observed',
      retries_once_on_invalid_token: 'not_observed',
      honours_retry_after: 'not_observed',
      least_scope: 'pass',
      credentials_in_header: 'pass',
      no_secrets_in_url: 'pass',
    });
  });

  it.each([
    ['client_secret in the query', ['client_secret'], 'client_secret'],
    ['an access token in the query', ['access_token'], 'access_token'],
  ])('fails no_secrets_in_url for %s', (_case, query, named) => {
    const traffic = simulate(reference);
    traffic.entries.push({
      atMs: start + 5_000,
      method: 'POST',
      path: sandboxPaths.token,
      status: 400,
      credentials: 'none',
      query_parameters: query,
    });
    const { results, evidence } = grade(traffic);
    expect(results.no_secrets_in_url).toBe('fail');
    expect(evidence('no_secrets_in_url')).toContain(named);
  });

  it.each([
    [[], null],
    [['pass', 'not_observed'], 100],
    [['pass', 'fail', 'fail', 'not_observed'], 33],
    [['not_observed', 'not_observed'], null],
  ] as const)('scores %j as %s', (results, score) => {
    expect(
      scoreOf(results.map((result) => ({ id: 'reuses_tokens', title: '', result, evidence: '', doc: '' }))),
    ).toBe(score);
  });
});
