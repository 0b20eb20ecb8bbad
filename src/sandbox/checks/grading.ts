import {
  checkCriteria,
  checkCriterionIds,
  checkFaults,
  checkTokenLifetimeSeconds,
  type CheckCriterion,
  type CheckCriterionId,
  type CriterionResult,
} from '../../lib/sandbox-contract/checks.ts';
import { sandboxPaths } from '../../lib/sandbox-contract/paths.ts';
import type { StoredFault } from '../store/check-store.ts';
import type { CheckEntry } from './check-entry.ts';

/**
 * The grading of a check: pure functions from the requests seen during the window and the faults
 * injected to one result per criterion, with the evidence in numbers. A criterion the traffic
 * never exercised is `not_observed`, never a pass. Each rule is the behaviour the guide teaches
 * (the criterion's `doc`), measured from the server's side only: arrival times, tokens' `jti`
 * and `exp`, statuses, where the credentials were.
 */

/** What the grading reads. Times are ms since the epoch. */
export interface GradingInput {
  startedAtMs: number;
  endsAtMs: number;
  /** The moment graded: the end of the window, or now while the check runs. */
  gradedAtMs: number;
  /** The requests of the client seen during the check, in any order. */
  entries: readonly CheckEntry[];
  faults: readonly StoredFault[];
  /** The API profile's scopes: `GET` of the API needs the read scope, `POST` the write scope. */
  readScope: string;
  writeScope: string;
  /** The lifetime of the tokens issued during the check (seconds). */
  tokenLifetimeSeconds?: number;
}

/** When, as a share of the window, each fault is injected (at the first request that qualifies). */
export const faultSchedule = {
  token_endpoint_unavailable: 0.2,
  token_revoked: 0.4,
  api_rate_limited: 0.65,
} as const;

/**
 * The 503 is not injected this soon after the revocation: the client is getting a new token then,
 * and a 503 on that request would make the two faults' answers impossible to tell apart.
 */
export const faultSeparationMs = 5_000;

/**
 * Requests that arrive this soon after a fault were on their way before the client could read it
 * (measured: up to 0.3 s on a loaded two-core machine, between the answer and the other callers).
 */
export const inFlightGraceMs = 500;
/**
 * Two token requests closer than this, the second sent before the first one's token served any
 * call, are parallel: callers did not share one request.
 */
export const burstWindowMs = 1_000;
/** API calls closer than this overlapped: several callers were at work. */
const overlapMs = 100;
/** After a refused token, a call must succeed with a new one within this. */
const retryWithinMs = 3_000;
/** The revoked token may still arrive this long after its first refusal (calls already sent). */
const revokedTokenGraceMs = 2_000;

/** Query parameters that put a secret or a token in a URL. */
const secretParameters = ['client_secret', 'client_assertion', 'access_token', 'registration_access_token'];

interface Traffic {
  input: GradingInput;
  lifetime: number;
  windowEndMs: number;
  windowSeconds: number;
  all: CheckEntry[];
  tokenRequests: CheckEntry[];
  apiCalls: CheckEntry[];
  fault: (kind: StoredFault['kind']) => StoredFault | undefined;
  /** "24.1 s" after the start of the check. */
  at: (ms: number) => string;
}

type Verdict = { result: CriterionResult; evidence: string };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** "27 s", or "between 14 and 16 s". */
function range(values: readonly number[]): string {
  const rounded = values.map((ms) => Math.max(0, Math.round(ms / 1000)));
  const low = Math.min(...rounded);
  const high = Math.max(...rounded);
  return low === high ? `${low} s` : `between ${low} and ${high} s`;
}

function isApiCall(entry: CheckEntry): boolean {
  return entry.path === sandboxPaths.reports || entry.path.startsWith(`${sandboxPaths.reports}/`);
}

function trafficOf(input: GradingInput): Traffic {
  const windowEndMs = Math.min(input.endsAtMs, input.gradedAtMs);
  const all = input.entries
    .filter((entry) => entry.atMs >= input.startedAtMs && entry.atMs <= windowEndMs)
    .sort((a, b) => a.atMs - b.atMs);
  return {
    input,
    lifetime: input.tokenLifetimeSeconds ?? checkTokenLifetimeSeconds,
    windowEndMs,
    windowSeconds: Math.max(0, (windowEndMs - input.startedAtMs) / 1000),
    all,
    tokenRequests: all.filter((entry) => entry.path === sandboxPaths.token && entry.method === 'POST'),
    apiCalls: all.filter(isApiCall),
    // A fault after the moment graded has not happened yet, as far as this grading knows.
    fault: (kind) => input.faults.find((fault) => fault.kind === kind && fault.atMs <= windowEndMs),
    at: (ms) => `${seconds(ms - input.startedAtMs)} in`,
  };
}

/** Token requests of the order of the window ÷ the lifetime, and far fewer than API calls. */
function reusesTokens(traffic: Traffic): Verdict {
  const { tokenRequests, apiCalls, lifetime, windowSeconds } = traffic;
  const calls = apiCalls.length;
  const requests = tokenRequests.length;
  const span = `${Math.round(windowSeconds)} s`;
  if (calls === 0)
    return {
      result: 'not_observed',
      evidence: `No API call in ${span}: reuse shows only when a token serves calls.`,
    };
  if (requests === 0)
    return {
      result: 'pass',
      evidence: `No token request in ${span}: one token, obtained before the check, served all ${plural(calls, 'API call')}.`,
    };
  // How long the previous token still had when each new one was asked for.
  const left: number[] = [];
  let previousExpMs: number | undefined;
  for (const request of tokenRequests) {
    if (previousExpMs !== undefined) left.push(previousExpMs - request.atMs);
    if (request.issued) previousExpMs = request.issued.exp * 1000;
  }
  const leftNote = left.length > 0 ? `; the previous token had ${range(left)} left each time` : '';
  // Renewing at half-life is the reference; the faults force up to two more, and callers start.
  const halfLives = Math.ceil(windowSeconds / (lifetime / 2));
  const allowance = 4 * Math.ceil(windowSeconds / lifetime) + 3;
  // Moments when the client renewed: a burst of parallel requests counts once here (single_flight
  // grades bursts), so this criterion measures reuse alone.
  const moments = tokenRequests.filter(
    (request, index) => index === 0 || request.atMs - tokenRequests[index - 1]!.atMs >= burstWindowMs,
  ).length;
  const base = `${plural(requests, 'token request')} for ${plural(calls, 'API call')} in ${span}`;
  if (moments > allowance || (calls >= 8 && requests * 2 > calls))
    return {
      result: 'fail',
      evidence: `${base}${leftNote}. With ${lifetime}-second tokens, about ${halfLives + 1} would do (renewing at half-life).`,
    };
  return { result: 'pass', evidence: `${base}${leftNote}.` };
}

/** No API call carried an expired token, over a window in which tokens did expire. */
function renewsBeforeExpiry(traffic: Traffic): Verdict {
  const withToken = traffic.apiCalls.filter((call) => call.token?.exp !== undefined);
  if (withToken.length === 0)
    return { result: 'not_observed', evidence: 'No API call carried a token this sandbox issued.' };
  const expired = withToken.filter((call) => call.atMs >= call.token!.exp! * 1000);
  if (expired.length > 0) {
    const first = expired[0]!;
    return {
      result: 'fail',
      evidence:
        `${expired.length} of ${plural(withToken.length, 'API call')} carried an expired token; ` +
        `the first, ${traffic.at(first.atMs)}, ${seconds(first.atMs - first.token!.exp! * 1000)} ` +
        `after it expired.`,
    };
  }
  const firstCall = withToken[0]!.atMs;
  const lastCall = withToken.at(-1)!.atMs;
  const expiries = new Set<number>();
  for (const entry of traffic.all) {
    const exp = entry.issued?.exp ?? (isApiCall(entry) ? entry.token?.exp : undefined);
    if (exp !== undefined && exp * 1000 > firstCall && exp * 1000 <= lastCall) expiries.add(exp);
  }
  if (expiries.size === 0)
    return {
      result: 'not_observed',
      evidence: `No token expired while the client was calling (${traffic.at(firstCall)} to ${traffic.at(lastCall)}): nothing needed renewing.`,
    };
  return {
    result: 'pass',
    evidence: `${plural(withToken.length, 'API call')}, none with an expired token, while ${plural(expiries.size, 'token')} reached expiry.`,
  };
}

/** No burst of token requests: callers that need a token at the same moment share one request. */
function singleFlight(traffic: Traffic): Verdict {
  const { tokenRequests, apiCalls } = traffic;
  if (tokenRequests.length === 0) return { result: 'not_observed', evidence: 'No token request.' };
  // The second of two close requests was sent without waiting for the first's token: no call
  // carried that token in between. (A new token revoked at its first call, then replaced, is not.)
  const parallel = (earlier: CheckEntry, later: CheckEntry) =>
    later.atMs - earlier.atMs < burstWindowMs &&
    earlier.issued !== undefined &&
    !apiCalls.some(
      (call) =>
        call.token?.jti === earlier.issued!.jti && call.atMs >= earlier.atMs && call.atMs <= later.atMs,
    );
  let bursts = 0;
  let largest = 1;
  let firstBurstAt: number | undefined;
  let run = 1;
  for (let i = 1; i <= tokenRequests.length; i++) {
    if (i < tokenRequests.length && parallel(tokenRequests[i - 1]!, tokenRequests[i]!)) {
      run++;
      continue;
    }
    if (run > 1) {
      bursts++;
      largest = Math.max(largest, run);
      firstBurstAt ??= tokenRequests[i - run]!.atMs;
    }
    run = 1;
  }
  if (bursts > 0)
    return {
      result: 'fail',
      evidence:
        `${plural(tokenRequests.length, 'token request')}; ${plural(bursts, 'time')} several were ` +
        `sent at once, without waiting for one answer (up to ${largest} within ` +
        `${seconds(burstWindowMs)}, first ${traffic.at(firstBurstAt!)}).`,
    };
  let overlaps = 0;
  for (let i = 1; i < apiCalls.length; i++)
    if (apiCalls[i]!.atMs - apiCalls[i - 1]!.atMs < overlapMs) overlaps++;
  if (tokenRequests.length < 2)
    return { result: 'not_observed', evidence: 'One token request only: no renewal for callers to share.' };
  if (overlaps < 3)
    return {
      result: 'not_observed',
      evidence: `API calls hardly overlapped (${plural(overlaps, 'pair')} less than ${overlapMs} ms apart): no moment when several callers needed a token.`,
    };
  return {
    result: 'pass',
    evidence:
      `${plural(tokenRequests.length, 'token request')}, never two at once, while calls ` +
      `overlapped (${plural(overlaps, 'pair')} of API calls less than ${overlapMs} ms apart).`,
  };
}

/** After the revocation: a new token and the call retried within a few seconds, and no loop. */
function retriesOnceOnInvalidToken(traffic: Traffic): Verdict {
  const fault = traffic.fault('token_revoked');
  if (!fault)
    return {
      result: 'not_observed',
      evidence:
        `No token was revoked: the check revokes one after ` +
        `${Math.round(faultSchedule.token_revoked * 100)}% of the window, at an API call that ` +
        `succeeds.`,
    };
  const revoked = fault.jti;
  // The call at which the token was revoked succeeded; the calls refused with it are the revocation's
  // (calls that arrived with it at the same moment may be refused too), not its expiry's.
  const refused = traffic.apiCalls.filter((call) => {
    const exp = call.token?.exp;
    return (
      call.token?.jti === revoked && call.status === 401 && (exp === undefined || call.atMs < exp * 1000)
    );
  });
  if (refused.length === 0)
    return {
      result: 'not_observed',
      evidence: `The token revoked ${traffic.at(fault.atMs)} was never sent again, so no call was refused.`,
    };
  const first = refused[0]!;
  const late = refused.filter((call) => call.atMs > first.atMs + revokedTokenGraceMs);
  if (late.length > 0)
    return {
      result: 'fail',
      evidence:
        `The revoked token was refused ${traffic.at(first.atMs)} and sent ` +
        `${plural(late.length, 'more time')} afterwards, the last ` +
        `${traffic.at(late.at(-1)!.atMs)}: on invalid_token, drop the token and get a new one.`,
    };
  const recovery = traffic.apiCalls.find(
    (call) =>
      call.atMs >= first.atMs &&
      call.token?.jti !== undefined &&
      call.token.jti !== revoked &&
      call.status < 400,
  );
  const tokenRequestsUntil = (ms: number) =>
    traffic.tokenRequests.filter((request) => request.atMs >= first.atMs && request.atMs <= ms).length;
  if (!recovery) {
    if (traffic.windowEndMs - first.atMs < retryWithinMs)
      return {
        result: 'not_observed',
        evidence: `The revoked token was refused ${traffic.at(first.atMs)}, too close to the end to see a retry.`,
      };
    return {
      result: 'fail',
      evidence:
        `The revoked token was refused ${traffic.at(first.atMs)}; no call succeeded with a new ` +
        `token afterwards (${plural(tokenRequestsUntil(traffic.windowEndMs), 'token request')} ` +
        `followed).`,
    };
  }
  const delay = recovery.atMs - first.atMs;
  const requests = tokenRequestsUntil(recovery.atMs);
  if (delay > retryWithinMs)
    return {
      result: 'fail',
      evidence:
        `The revoked token was refused ${traffic.at(first.atMs)}; the next successful call came ` +
        `${seconds(delay)} later: retry at once with a new token.`,
    };
  if (requests > 2)
    return {
      result: 'fail',
      evidence:
        `The revoked token was refused ${traffic.at(first.atMs)}; ${requests} token requests went ` +
        `out before a call succeeded: retry once, not in a loop.`,
    };
  return {
    result: 'pass',
    evidence:
      `The revoked token was refused ${traffic.at(first.atMs)} ` +
      `(${plural(refused.length, 'call')}); ${plural(requests, 'token request')} and a ` +
      `successful call ${delay} ms later, and the revoked token was not sent again.`,
  };
}

/** Nothing of the kind sent again before `Retry-After` elapsed, after the 503 and after the 429. */
function honoursRetryAfter(traffic: Traffic): Verdict {
  const cases = [
    {
      fault: traffic.fault('token_endpoint_unavailable'),
      what: 'token request',
      answer: '503',
      waitMs: checkFaults.token_endpoint_unavailable.retryAfterSeconds * 1000,
      followers: traffic.tokenRequests,
    },
    {
      fault: traffic.fault('api_rate_limited'),
      what: 'API call',
      answer: '429',
      waitMs: checkFaults.api_rate_limited.retryAfterSeconds * 1000,
      followers: traffic.apiCalls,
    },
  ];
  const notes: string[] = [];
  let injected = 0;
  let failed = false;
  for (const { fault, what, answer, waitMs, followers } of cases) {
    if (!fault) {
      notes.push(`no ${answer} was injected yet`);
      continue;
    }
    injected++;
    const after = followers.filter((entry) => entry.atMs > fault.atMs + inFlightGraceMs);
    const early = after.filter((entry) => entry.atMs < fault.atMs + waitMs);
    const next = after[0];
    const wait = `Retry-After: ${waitMs / 1000}`;
    if (early.length > 0) {
      failed = true;
      notes.push(
        `after the ${answer} (${wait}) ${traffic.at(fault.atMs)}, ${plural(early.length, what)} ` +
          `came within ${seconds(waitMs)}, the first ${seconds(early[0]!.atMs - fault.atMs)} later`,
      );
    } else if (next) {
      notes.push(
        `after the ${answer} (${wait}) ${traffic.at(fault.atMs)}, the next ${what} came ${seconds(next.atMs - fault.atMs)} later`,
      );
    } else {
      notes.push(`after the ${answer} (${wait}) ${traffic.at(fault.atMs)}, no ${what} followed`);
    }
  }
  const evidence = `${notes.join('; ')}.`;
  const sentence = evidence.charAt(0).toUpperCase() + evidence.slice(1);
  if (injected === 0) return { result: 'not_observed', evidence: sentence };
  return { result: failed ? 'fail' : 'pass', evidence: sentence };
}

/** The tokens carried only scopes that the client's calls needed. */
function leastScope(traffic: Traffic): Verdict {
  const { readScope, writeScope } = traffic.input;
  const needed = new Set<string>();
  for (const call of traffic.apiCalls) {
    if (call.method === 'GET' || call.method === 'HEAD') needed.add(readScope);
    else if (call.method === 'POST') needed.add(writeScope);
  }
  const granted = new Set<string>();
  let withoutScope = 0;
  for (const entry of traffic.all) {
    const scope = entry.issued?.scope ?? (isApiCall(entry) ? entry.token?.scope : undefined);
    for (const name of scope?.split(' ') ?? []) if (name !== '') granted.add(name);
    if (entry.issued && entry.scopes_requested === undefined) withoutScope++;
  }
  if (needed.size === 0 || granted.size === 0)
    return {
      result: 'not_observed',
      evidence: 'No API call with a token whose scope the sandbox could read.',
    };
  const extra = [...granted].filter((scope) => !needed.has(scope));
  const list = (scopes: Iterable<string>) => [...scopes].sort().join(' ');
  if (extra.length > 0)
    return {
      result: 'fail',
      evidence: `Its tokens carried ${list(granted)}; its calls needed only ${list(needed)}${
        withoutScope > 0
          ? ` (${plural(withoutScope, 'token request')} named no scope, which gets every scope the client registered)`
          : ''
      }.`,
    };
  return {
    result: 'pass',
    evidence: `Its tokens carried ${list(granted)}, which its calls needed.`,
  };
}

/** Basic (RFC 6749 §2.3.1) or a client assertion (RFC 7523), not the secret in the body. */
function credentialsInHeader(traffic: Traffic): Verdict {
  const known = traffic.tokenRequests.filter((request) =>
    ['basic', 'assertion', 'body', 'both'].includes(request.credentials),
  );
  if (known.length === 0)
    return { result: 'not_observed', evidence: 'No token request carried client credentials.' };
  const inBody = known.filter((request) => request.credentials === 'body' || request.credentials === 'both');
  if (inBody.length > 0) {
    const both = inBody.filter((request) => request.credentials === 'both').length;
    return {
      result: 'fail',
      evidence:
        `${inBody.length} of ${plural(known.length, 'token request')} carried the client secret in ` +
        `the form body${both > 0 ? ` (${both} in both the header and the body)` : ''}.`,
    };
  }
  const assertions = known.filter((request) => request.credentials === 'assertion').length;
  const how =
    assertions === known.length
      ? 'a client assertion'
      : assertions === 0
        ? 'HTTP Basic'
        : 'HTTP Basic or a client assertion';
  return {
    result: 'pass',
    evidence: `All ${plural(known.length, 'token request')} authenticated with ${how}.`,
  };
}

/** No secret or token in a query string, where logs, proxies and browser history keep it. */
function noSecretsInUrl(traffic: Traffic): Verdict {
  const { all } = traffic;
  if (all.length === 0) return { result: 'not_observed', evidence: 'No request during the check.' };
  const names = new Set<string>();
  const bad = all.filter((entry) => {
    const found = (entry.query_parameters ?? []).filter((name) => secretParameters.includes(name));
    for (const name of found) names.add(name);
    if (entry.credentials === 'query') names.add('access_token');
    return found.length > 0 || entry.credentials === 'query';
  });
  if (bad.length > 0)
    return {
      result: 'fail',
      evidence: `${bad.length} of ${plural(all.length, 'request')} carried ${[...names].sort().join(', ')} in the URL; the first ${traffic.at(bad[0]!.atMs)}.`,
    };
  return {
    result: 'pass',
    evidence: `None of ${plural(all.length, 'request')} carried a secret or a token in the URL.`,
  };
}

const rules: Record<CheckCriterionId, (traffic: Traffic) => Verdict> = {
  reuses_tokens: reusesTokens,
  renews_before_expiry: renewsBeforeExpiry,
  single_flight: singleFlight,
  retries_once_on_invalid_token: retriesOnceOnInvalidToken,
  honours_retry_after: honoursRetryAfter,
  least_scope: leastScope,
  credentials_in_header: credentialsInHeader,
  no_secrets_in_url: noSecretsInUrl,
};

/** Grades every criterion, in the contract's order. */
export function gradeCheck(input: GradingInput): CheckCriterion[] {
  const traffic = trafficOf(input);
  return checkCriterionIds.map((id) => {
    const { result, evidence } = rules[id](traffic);
    return { id, title: checkCriteria[id].title, result, evidence, doc: checkCriteria[id].doc };
  });
}

/** Criteria passed out of criteria observed, as a whole percentage; null when none was observed. */
export function scoreOf(criteria: readonly CheckCriterion[]): number | null {
  const observed = criteria.filter((criterion) => criterion.result !== 'not_observed');
  if (observed.length === 0) return null;
  return Math.round(
    (100 * observed.filter((criterion) => criterion.result === 'pass').length) / observed.length,
  );
}
