import type { HttpExchange } from '../http-exchange.ts';
import { responseHeader, type HttpRequestDescription } from '../http-message.ts';
import { assertBody, expectStatus, invalidField, type JsonObject } from './assertions.ts';
import { clientConfigurationPathPrefix } from './paths.ts';

/**
 * "Check my client": the report card. A client's owner starts a check on the client's
 * configuration endpoint (RFC 7592; the registration access token authorises it); for the
 * check's window the sandbox injects faults into that client's traffic and grades how the
 * client answered. This file is the wire contract shared by the sandbox, the page and the tests.
 */

/** A check's window, in seconds: `{"duration": n}` in the start request. */
export const checkDuration = { min: 60, max: 600, default: 180 } as const;

/** During a check, the client's tokens live this long (seconds), so renewals happen inside the window. */
export const checkTokenLifetimeSeconds = 30;

/** The faults a check injects, once each, with the `Retry-After` (seconds) the 503 and 429 carry. */
export const checkFaults = {
  /** The token the client is using is revoked server-side: its next API call gets 401 invalid_token. */
  token_revoked: { title: 'Token revoked by the server', retryAfterSeconds: undefined },
  /** A token request gets 503 Service Unavailable with Retry-After. */
  token_endpoint_unavailable: { title: 'Token endpoint answered 503', retryAfterSeconds: 3 },
  /** An API call gets 429 Too Many Requests with Retry-After. */
  api_rate_limited: { title: 'API answered 429', retryAfterSeconds: 2 },
} as const;

export type CheckFaultKind = keyof typeof checkFaults;
export const checkFaultKinds = Object.keys(checkFaults) as CheckFaultKind[];

/**
 * The criteria, by stable id: what the guide teaches a client to do. `doc` is the guide page and
 * anchor that teaches it (relative to the site's base), so a failed criterion links there.
 */
export const checkCriteria = {
  reuses_tokens: {
    title: 'Reuses its token',
    doc: '/expiration-and-refresh/#renew-before-expiry-with-a-margin',
  },
  renews_before_expiry: {
    title: 'Renews before the token expires',
    doc: '/expiration-and-refresh/#renew-before-expiry-with-a-margin',
  },
  single_flight: {
    title: 'Asks once when several callers need a token',
    doc: '/expiration-and-refresh/#one-renewal-for-all-callers',
  },
  retries_once_on_invalid_token: {
    title: 'Retries once after invalid_token',
    doc: '/expiration-and-refresh/#when-to-retry-and-when-not',
  },
  honours_retry_after: {
    title: 'Honours Retry-After',
    doc: '/expiration-and-refresh/#when-to-retry-and-when-not',
  },
  least_scope: {
    title: 'Asks for the scopes it uses, no more',
    doc: '/security/#ask-for-the-least-scope',
  },
  credentials_in_header: {
    title: 'Sends credentials in the header (or a client assertion)',
    doc: '/requesting-a-token/#authenticating-the-client',
  },
  no_secrets_in_url: {
    title: 'Keeps secrets out of URLs',
    doc: '/security/#keep-tokens-out-of-logs-and-urls',
  },
} as const;

export type CheckCriterionId = keyof typeof checkCriteria;
export const checkCriterionIds = Object.keys(checkCriteria) as CheckCriterionId[];

export const checkStatuses = ['running', 'done'] as const;
export type CheckStatus = (typeof checkStatuses)[number];

export const criterionResults = ['pass', 'fail', 'not_observed'] as const;
/** A criterion the traffic never exercised is `not_observed`, never a pass. */
export type CriterionResult = (typeof criterionResults)[number];

export interface CheckCriterion {
  id: CheckCriterionId;
  title: string;
  result: CriterionResult;
  /** Concrete, from the traffic: "31 token requests for 40 API calls in 60 s; ...". */
  evidence: string;
  doc: string;
}

/** One injected fault, when it happened (ISO 8601), and what it hit. */
export interface InjectedFault {
  kind: CheckFaultKind;
  at: string;
  detail: string;
}

/** The check resource: `GET {registration_client_uri}/checks/{id}`. */
export interface ClientCheck {
  id: string;
  status: CheckStatus;
  started_at: string;
  ends_at: string;
  /** Present once the check is `done`. */
  ended_at?: string;
  /** The check's own URL (its permalink as JSON). */
  url: string;
  criteria: CheckCriterion[];
  faults: InjectedFault[];
  /** Criteria passed out of criteria observed, 0..100; null while nothing was observed. */
  score: number | null;
}

/** A client's checks: its configuration endpoint plus this. */
export const clientChecksPathSuffix = '/checks';

/** `/oauth/clients/{client_id}/checks`: POST starts a check. */
export function clientChecksPath(clientId: string): string {
  return `${clientConfigurationPathPrefix}${encodeURIComponent(clientId)}${clientChecksPathSuffix}`;
}

/** `/oauth/clients/{client_id}/checks/{id}`: GET reads one (JSON, or server-sent events). */
export function clientCheckPath(clientId: string, checkId: string): string {
  return `${clientChecksPath(clientId)}/${encodeURIComponent(checkId)}`;
}

/** `POST .../checks` with `{"duration": seconds}`, authorised by the registration access token. */
export function buildStartCheckRequest(
  clientId: string,
  registrationAccessToken: string,
  durationSeconds: number = checkDuration.default,
): HttpRequestDescription {
  return {
    method: 'POST',
    target: clientChecksPath(clientId),
    headers: {
      authorization: `Bearer ${registrationAccessToken}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: JSON.stringify({ duration: durationSeconds }),
  };
}

/**
 * `GET .../checks/{id}` as JSON. The read needs no credentials (the check id is the capability:
 * that is what makes a report's permalink shareable); without a token none is sent.
 */
export function buildReadCheckRequest(
  clientId: string,
  registrationAccessToken: string | undefined,
  checkId: string,
): HttpRequestDescription {
  return {
    method: 'GET',
    target: clientCheckPath(clientId, checkId),
    headers: {
      ...(registrationAccessToken === undefined
        ? {}
        : { authorization: `Bearer ${registrationAccessToken}` }),
      accept: 'application/json',
    },
  };
}

/** Reads a start answer (201) field by field; 409 (a check already running) and the rest throw coded. */
export function processStartCheckResponse(exchange: HttpExchange): ClientCheck {
  return readCheck(assertBody(expectStatus(exchange, 201, 'Starting a check'), 201).object(), 201);
}

/**
 * The running check a 409 answer to a start request points at: its `Location` header names the
 * check's URL (RFC 9110 §15.5.10: a 409 says enough for the user to resolve the conflict). The id
 * is the URL's last segment; undefined when the answer names none.
 */
export function runningCheckIdOf(exchange: HttpExchange): string | undefined {
  const response = exchange.response;
  if (response?.status !== 409) return undefined;
  const location = responseHeader(response, 'location');
  if (location === undefined) return undefined;
  const path = location.replace(/[?#].*$/, '');
  const marker = `${clientChecksPathSuffix}/`;
  const at = path.lastIndexOf(marker);
  if (at < 0) return undefined;
  const id = decodeURIComponent(path.slice(at + marker.length));
  return id === '' || id.includes('/') ? undefined : id;
}

/** Reads a check (200) field by field. */
export function processReadCheckResponse(exchange: HttpExchange): ClientCheck {
  return readCheck(assertBody(expectStatus(exchange, 200, 'Reading a check'), 200).object(), 200);
}

/** Validates a check resource (also used for each server-sent event's data). */
export function readCheck(body: JsonObject, status: number): ClientCheck {
  const check = assertBody(body, status);
  const criteria = (Array.isArray(body.criteria) ? body.criteria : []).map((item: unknown) =>
    readCriterion(item, status),
  );
  const faults = (Array.isArray(body.faults) ? body.faults : []).map((item: unknown) =>
    readFault(item, status),
  );
  const score = body.score;
  if (score !== null && score !== undefined && typeof score !== 'number')
    throw invalidField('score', 'a number or null', status);
  const endedAt = check.optionalString('ended_at');
  return {
    id: check.nonEmptyString('id'),
    status: oneOf(check.string('status'), checkStatuses, 'status', status),
    started_at: check.nonEmptyString('started_at'),
    ends_at: check.nonEmptyString('ends_at'),
    ...(endedAt === undefined ? {} : { ended_at: endedAt }),
    url: check.nonEmptyString('url'),
    criteria,
    faults,
    score: typeof score === 'number' ? score : null,
  };
}

function readCriterion(item: unknown, status: number): CheckCriterion {
  const check = assertBody(item, status);
  return {
    id: oneOf(check.string('id'), checkCriterionIds, 'criteria[].id', status),
    title: check.string('title'),
    result: oneOf(check.string('result'), criterionResults, 'criteria[].result', status),
    evidence: check.string('evidence'),
    doc: check.string('doc'),
  };
}

function readFault(item: unknown, status: number): InjectedFault {
  const check = assertBody(item, status);
  return {
    kind: oneOf(check.string('kind'), checkFaultKinds, 'faults[].kind', status),
    at: check.nonEmptyString('at'),
    detail: check.string('detail'),
  };
}

function oneOf<T extends string>(value: string, allowed: readonly T[], name: string, status: number): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw invalidField(name, `one of ${allowed.join(', ')}`, status);
}
