import { timingSafeEqual } from 'node:crypto';
import { apiScopeNames } from '../../lib/api-profile.ts';
import { parseBasicCredentials } from '../../lib/basic-auth.ts';
import { errorDocUrl } from '../../lib/error-page.ts';
import { isoTime } from '../../lib/iso-time.ts';
import { clientJournalPathSuffix, sandboxPaths } from '../../lib/sandbox-contract/paths.ts';
import { findingCatalogue, type Finding, type FindingCode } from '../../lib/finding-catalogue.ts';
import { hashClientSecret } from '../authorization/client-authentication.ts';
import { clientConfigurationPathPrefix } from '../authorization/client-information.ts';
import type { Clock } from '../clock.ts';
import { decodeUtf8Body, readBodyBytes } from '../http/body.ts';
import { mediaType } from '../http/media-type.ts';
import type { InspectionTrace, RequestObservations } from '../http/request-context.ts';
import type { SigningKeys } from '../keys/signing-keys.ts';
import type { ClientRecord, Store } from '../store/store.ts';
import type {
  CredentialsLocation,
  JournalEntry,
  ReceivedFacts,
} from '../../lib/sandbox-contract/journal-entry.ts';
import { editDistance, suggestPath } from './near-miss-paths.ts';
import { diagnoseToken, passedVerdict, type TokenDiagnosis } from './token-verdict.ts';

/** One answered request, as the sandbox hands it to the inspector. */
export interface AnsweredRequest {
  request: Request;
  pathname: string;
  requestId: string;
  status: number;
  /** When the request arrived (ms since the epoch). */
  receivedAtMs: number;
  observed: RequestObservations;
  trace: InspectionTrace;
}

/** What {@link createRequestInspector} needs. */
export interface RequestInspectorOptions {
  issuer: string;
  audience: string;
  keys: SigningKeys;
  store: Store;
  clock: Clock;
}

/**
 * The client a request is attributed to, and its journal entry. The entry is made on first call
 * (then kept): the journal keeps a client's last 100 entries only, so of a busy client's
 * thousands a second, only those it keeps, streams or files with a check are ever made.
 */
export interface AttributedEntry {
  clientId: string;
  entry: () => JournalEntry;
}

/** `make`, called on first need only, and once. */
function madeOnce<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** What the renewal check (`token_per_call`) found: the message, when there is a finding. */
type RenewalCheck = { message: string | undefined } | undefined;

/** Bounds on what one entry keeps, so an entry stays small whatever a client sends. */
const maxHeaderNames = 32;
const maxNameLength = 64;
const maxValueLength = 100;
const maxScopes = 10;
/** Clients whose last token the renewal check remembers; the least recently seen go first. */
const maxTrackedClients = 10_000;
/** `token_per_call`: a new token while the previous one had more than this share of its life left. */
const tokenPerCallShare = 0.75;

const tokenPath: string = sandboxPaths.token;
const clientAuthenticatedPaths = new Set<string>([
  tokenPath,
  sandboxPaths.introspection,
  sandboxPaths.revocation,
]);
const apiPath: string = sandboxPaths.reports;
/** Values every honest request sends: kept as they are, without the secret check's hashing. */
const wellKnownValues = new Set([
  'client_credentials',
  'application/x-www-form-urlencoded',
  'application/json',
  ...apiScopeNames,
]);
const jwtShape = /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/;

/** What every part of the inspection needs to know about the request. */
interface Context {
  failed: boolean;
  isToken: boolean;
  isApi: boolean;
  isManagement: boolean;
  /** The path a 404 most likely meant. */
  nearMiss: string | undefined;
  authorization: string | null;
  url: URL | undefined;
}

type BodyFields = { kind: 'form' | 'json' | 'other' | 'empty'; fields: Map<string, string> };

interface TokenHistory {
  iat: number;
  exp: number;
  /** Tokens requested before the previous one expired. */
  earlyRenewals: number;
}

/**
 * Creates the request inspector: it attributes an answered request to the client it names, draws
 * the facts the sandbox received, and recognises the classic mistakes (findings, with a message,
 * a fix and a link to their row on the errors page). Requests that name no client are ignored.
 *
 * Attribution (issue 11): `client_id` in Basic or the form (when it is a registered client), the
 * `client_id` claim of a Bearer token whose signature verifies (expired or revoked included), a
 * registration access token. The costly checks (a signature, a body read) run only for failed
 * requests, which the hot paths are not.
 */
export function createRequestInspector({ issuer, audience, keys, store, clock }: RequestInspectorOptions) {
  const history = new Map<string, TokenHistory>();
  const diagnosisOptions = { issuer, audience, keys, store, clock };

  function finding(code: FindingCode, message: string): Finding {
    const kind = findingCatalogue[code];
    return { code, severity: kind.severity, message, fix: kind.fix, doc: errorDocUrl(issuer, code) };
  }

  /** A value a client sent, safe to keep: short, and never this client's secret or a token. */
  function safeValue(value: string, client: ClientRecord | undefined): string {
    if (wellKnownValues.has(value)) return value;
    const trimmed = value.trim();
    if (jwtShape.test(trimmed) && trimmed.length > 40) return '(a token: not kept)';
    if (client && trimmed.length > 0 && trimmed.length <= 512) {
      const hash = hashClientSecret(trimmed);
      if (
        (client.secretHash && timingSafeEqual(hash, client.secretHash)) ||
        (client.registrationTokenHash && timingSafeEqual(hash, client.registrationTokenHash))
      )
        return '(a secret: not kept)';
    }
    return value.length > maxValueLength ? `${value.slice(0, maxValueLength)}…` : value;
  }

  function headerNames(request: Request): string[] {
    const names: string[] = [];
    for (const name of request.headers.keys()) {
      if (names.length >= maxHeaderNames) break;
      names.push(name.length > maxNameLength ? name.slice(0, maxNameLength) : name);
    }
    return names;
  }

  /** The body as form parameters or JSON fields, read again only on failure paths that did not parse it. */
  async function bodyFields(request: Request, trace: InspectionTrace): Promise<BodyFields> {
    const fields = new Map<string, string>();
    if (trace.form) {
      for (const [name, values] of trace.form) fields.set(name, values[0]!);
      return { kind: 'form', fields };
    }
    let text: string;
    try {
      const bytes = await readBodyBytes(request);
      if (bytes.byteLength === 0) return { kind: 'empty', fields };
      text = decodeUtf8Body(bytes);
    } catch {
      return { kind: 'other', fields };
    }
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) {
      try {
        const json: unknown = JSON.parse(trimmed);
        if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
          for (const [name, value] of Object.entries(json).slice(0, 50))
            if (typeof value === 'string') fields.set(name, value);
          return { kind: 'json', fields };
        }
      } catch {
        // Not JSON after all.
      }
      return { kind: 'other', fields };
    }
    if (/^[\w.~%-]+=/.test(trimmed)) {
      for (const pair of trimmed.split('&').slice(0, 50)) {
        const equals = pair.indexOf('=');
        if (equals <= 0) continue;
        try {
          const name = decodeURIComponent(pair.slice(0, equals).replace(/\+/g, ' '));
          const value = decodeURIComponent(pair.slice(equals + 1).replace(/\+/g, ' '));
          if (!fields.has(name)) fields.set(name, value);
        } catch {
          // A broken escape: the pair says nothing.
        }
      }
      return { kind: 'form', fields };
    }
    return { kind: 'other', fields };
  }

  /** A Bearer-ish token anywhere a confused client puts one: the header (with or without the scheme) or the URL. */
  function presentedToken(
    authorization: string | null,
    url: URL | undefined,
  ): { token: string; where: 'header' | 'query' } | undefined {
    if (authorization !== null) {
      const candidate = authorization.trim().replace(/^(?:(?:bearer|token|jwt|access_token)\s+)+/i, '');
      if (jwtShape.test(candidate)) return { token: candidate, where: 'header' };
    }
    const fromQuery = url?.searchParams.get('access_token');
    if (fromQuery && jwtShape.test(fromQuery)) return { token: fromQuery, where: 'query' };
    return undefined;
  }

  async function registered(clientId: string | undefined): Promise<ClientRecord | undefined> {
    if (clientId === undefined || clientId === '' || clientId.length > 256) return undefined;
    return store.findClient(clientId);
  }

  function remember(clientId: string, entry: TokenHistory) {
    history.delete(clientId);
    if (history.size >= maxTrackedClients) history.delete(history.keys().next().value!);
    history.set(clientId, entry);
  }

  /**
   * Attribution when the request failed: the failure paths did not name a client, so look for one
   * in what was sent (Basic, a token whose signature verifies, the body's client_id).
   */
  async function inspectFailure(
    answered: AnsweredRequest,
    context: Context,
  ): Promise<AttributedEntry | undefined> {
    const { request, observed, trace } = answered;
    let clientId = observed.clientId ?? trace.authentication?.clientId;
    const presented =
      context.isApi || context.nearMiss ? presentedToken(context.authorization, context.url) : undefined;
    let diagnosis: TokenDiagnosis | undefined;
    if (presented) {
      diagnosis = await diagnoseToken(presented.token, trace.requiredScope, diagnosisOptions);
      const claimed = diagnosis.signatureVerified ? diagnosis.payload?.client_id : undefined;
      if (clientId === undefined && typeof claimed === 'string' && (await registered(claimed)))
        clientId = claimed;
    }
    let basicClientId: string | undefined;
    if (context.authorization !== null && /^basic\s/i.test(context.authorization.trim())) {
      const parsed = parseBasicCredentials(context.authorization.trim());
      if (parsed.ok) basicClientId = parsed.credentials.clientId;
    }
    const body = !context.isApi && !context.isManagement ? await bodyFields(request, trace) : undefined;
    if (clientId === undefined) {
      for (const candidate of [basicClientId, basicClientId?.trim(), body?.fields.get('client_id')?.trim()]) {
        if (candidate && (await registered(candidate))) {
          clientId = candidate;
          break;
        }
      }
    }
    if (clientId === undefined) return undefined;
    const client = await registered(clientId);
    if (!client) return undefined;
    const renewal = checkRenewal(answered, client.clientId);
    const entry = build(answered, context, client.clientId, client, presented, diagnosis, body, renewal);
    return { clientId: client.clientId, entry: () => entry };
  }

  /**
   * `token_per_call`: a token issued while the client's previous one had most of its life left.
   * It reads and updates what the inspector remembers of the client's tokens, so it runs as the
   * request is inspected, in request order, even when the entry is made later.
   */
  function checkRenewal({ trace, pathname, receivedAtMs }: AnsweredRequest, clientId: string): RenewalCheck {
    if (!trace.issued || pathname !== tokenPath) return undefined;
    const previous = history.get(clientId);
    const now = receivedAtMs / 1000;
    let earlyRenewals = previous?.earlyRenewals ?? 0;
    let message: string | undefined;
    if (previous && now < previous.exp) {
      earlyRenewals++;
      const lifetime = previous.exp - previous.iat;
      const left = previous.exp - now;
      if (lifetime > 0 && left > tokenPerCallShare * lifetime)
        message = `A new token was requested while the previous one still had ${Math.floor(left)} of its ${lifetime} seconds left.`;
    }
    remember(clientId, { iat: trace.issued.iat, exp: trace.issued.exp, earlyRenewals });
    return { message };
  }

  function contextOf(answered: AnsweredRequest): Context {
    const { request, pathname, status } = answered;
    const isManagement = pathname.startsWith(clientConfigurationPathPrefix);
    return {
      failed: status >= 400,
      isToken: clientAuthenticatedPaths.has(pathname),
      isApi: pathname === apiPath,
      isManagement,
      nearMiss: status === 404 && !isManagement ? suggestPath(pathname) : undefined,
      authorization: request.headers.get('authorization'),
      url: request.url.includes('?') ? new URL(request.url) : undefined,
    };
  }

  return {
    /**
     * The journal entry for one answered request, or undefined when it names no client. A
     * successful request named its client already: it is attributed at once, without a promise,
     * and its entry made only when needed (the hot paths: npm run bench); a failed one may need
     * the store and a signature check, and its entry is made at once.
     */
    inspect(answered: AnsweredRequest): AttributedEntry | undefined | Promise<AttributedEntry | undefined> {
      const { pathname, observed } = answered;
      // The journal's own reader is not journalled: a page watching would fill it with itself.
      if (pathname.startsWith(clientConfigurationPathPrefix) && pathname.endsWith(clientJournalPathSuffix))
        return undefined;
      const failed = answered.status >= 400;
      if (!failed && observed.clientId !== undefined) {
        const clientId = observed.clientId;
        const renewal = checkRenewal(answered, clientId);
        return {
          clientId,
          entry: madeOnce(() =>
            build(
              answered,
              contextOf(answered),
              clientId,
              undefined,
              undefined,
              undefined,
              undefined,
              renewal,
            ),
          ),
        };
      }
      if (!failed) return undefined;
      return inspectFailure(answered, contextOf(answered));
    },
  };

  /** The entry itself: facts and findings. `client` is known on failure paths only (safeValue needs it). */
  function build(
    answered: AnsweredRequest,
    { failed, isToken, isApi, isManagement, nearMiss, authorization, url }: Context,
    clientId: string,
    client: ClientRecord | undefined,
    presented: { token: string; where: 'header' | 'query' } | undefined,
    diagnosis: TokenDiagnosis | undefined,
    body: BodyFields | undefined,
    renewal: RenewalCheck,
  ): JournalEntry {
    const { request, pathname, status, observed, trace } = answered;
    // --- What was received -------------------------------------------------------------------
    const form = trace.form;
    const bodySecret = form?.has('client_secret') ?? body?.fields.has('client_secret') ?? false;
    const bodyClientId = form?.has('client_id') ?? body?.fields.has('client_id') ?? false;
    const assertion = form?.has('client_assertion') ?? body?.fields.has('client_assertion') ?? false;
    const scheme = authScheme(authorization);
    let credentials: CredentialsLocation = 'none';
    if (isManagement) credentials = authorization ? 'registration_token' : 'none';
    else if (scheme === 'basic') credentials = bodySecret ? 'both' : 'basic';
    else if (assertion) credentials = 'assertion';
    else if (bodySecret || (bodyClientId && isToken)) credentials = 'body';
    else if (scheme === 'bearer') credentials = 'bearer';
    else if (authorization) credentials = 'other_scheme';
    else if (presented?.where === 'query') credentials = 'query';

    const received: ReceivedFacts = { credentials, header_names: headerNames(request) };
    const contentType = request.headers.get('content-type');
    if (contentType !== null) received.content_type = safeValue(mediaType(request).type, client);
    const fields = form
      ? new Map([...form].map(([name, values]) => [name, values[0]!] as const))
      : body?.fields;
    const grantType = fields?.get('grant_type');
    if (grantType !== undefined) received.grant_type = safeValue(grantType, client);
    const scopeValue = fields?.get('scope');
    const scopesRequested =
      scopeValue !== undefined
        ? scopeValue
            .split(/[\s,]+/)
            .filter((scope) => scope !== '')
            .slice(0, maxScopes)
            .map((scope) => safeValue(scope, client))
        : undefined;
    if (scopesRequested) received.scopes_requested = scopesRequested;
    if (fields && fields.size > 0)
      received.body_parameters = [...fields.keys()]
        .slice(0, maxHeaderNames)
        .map((n) => n.slice(0, maxNameLength));
    if (url) received.query_parameters = [...new Set(url.searchParams.keys())].slice(0, maxHeaderNames);
    if (trace.issued)
      received.issued = { jti: trace.issued.jti, exp: trace.issued.exp, scope: trace.issued.scope };

    // --- Findings -------------------------------------------------------------------------------
    const findings: Finding[] = [];
    const add = (code: FindingCode, message: string) => findings.push(finding(code, message));

    if (nearMiss) {
      add('wrong_path', `Nothing is at ${pathname.slice(0, 100)} in the sandbox. Did you mean ${nearMiss}?`);
    }

    if (isToken || (nearMiss === tokenPath && failed)) {
      const type = contentType === null ? undefined : mediaType(request).type;
      if (body?.kind === 'json' || (type === 'application/json' && !form)) {
        add(
          'json_body',
          'The token request was sent as JSON; the token endpoint reads only a form (application/x-www-form-urlencoded).',
        );
      } else if (body?.kind === 'form' && type !== 'application/x-www-form-urlencoded') {
        add(
          'form_content_type_missing',
          type === undefined
            ? 'The body is a form (grant_type=…) but the request had no Content-Type header.'
            : `The body is a form (grant_type=…) but the request said Content-Type: ${safeValue(type, client)}.`,
        );
      }
      const authentication = trace.authentication;
      if (authentication?.outcome === 'both' || credentials === 'both') {
        add(
          'credentials_in_header_and_body',
          'The request authenticated twice: an Authorization: Basic header and client_secret in the form body.',
        );
      }
      if (authentication?.secretWhitespace) {
        add(
          'secret_whitespace',
          'The client_secret was right except for whitespace around it (a trailing newline or spaces).',
        );
      }
      if (authentication?.clientIdWhitespace) {
        add(
          'secret_whitespace',
          'The client_id was right except for whitespace around it (a trailing newline or spaces).',
        );
      }
      if (authentication?.swapped) {
        add(
          'id_secret_swapped',
          "The client_id field held this client's secret, and the client_secret field its client_id.",
        );
      }
      if (authentication?.outcome === 'wrong_method') {
        add(
          'wrong_auth_method',
          credentials === 'assertion'
            ? `This client is registered for ${authentication.registeredMethod}, with a secret, but the ` +
                `request sent a client_assertion: only a private_key_jwt client authenticates with one.`
            : authentication.registeredMethod === 'private_key_jwt'
              ? 'This client is registered for private_key_jwt (a client_assertion signed with its private ' +
                'key), but the request sent a client secret; the client has none.'
              : authentication.registeredMethod === 'client_secret_basic'
                ? 'This client is registered for client_secret_basic (the Authorization: Basic header), but the request sent its credentials in the form body.'
                : `This client is registered for ${authentication.registeredMethod}, but the request sent its credentials in an Authorization: Basic header.`,
        );
      }
      // private_key_jwt: the rule of RFC 7523 §3 / RFC 7521 §4.2 the assertion broke, as the
      // client was told (the description names claim and header values, never the JWT).
      if (trace.assertion) add(trace.assertion.code, trace.assertion.description);
      if (pathname === tokenPath && form) {
        if (grantType === undefined) add('grant_type_missing', 'The form had no grant_type parameter.');
        else if (grantType !== 'client_credentials') {
          const shown = safeValue(grantType, client);
          const close =
            editDistance(grantType.toLowerCase().replace(/[\s-]/g, '_'), 'client_credentials') <= 3;
          add(
            'grant_type_unsupported',
            close
              ? `grant_type was "${shown}". Did you mean client_credentials?`
              : `grant_type was "${shown}"; the sandbox supports only client_credentials (this is a server-to-server client, with no user).`,
          );
        }
      }
      if (observed.error === 'invalid_scope' && scopesRequested) {
        const unknown = scopesRequested.filter((scope) => !apiScopeNames.includes(scope));
        if (unknown.length > 0 || /[,]|\s{2,}/.test(scopeValue ?? '')) {
          const suggestions = unknown.map((scope) => {
            const nearest = nearestScope(scope, client?.scope ?? []);
            return nearest ? `"${scope}" (did you mean ${nearest}?)` : `"${scope}"`;
          });
          add(
            'scope_unknown',
            unknown.length > 0
              ? `The API does not define ${suggestions.join(', ')}. Scopes are case-sensitive and separated by single spaces.`
              : 'Scopes must be separated by single spaces, not commas.',
          );
        } else {
          const registeredScopes = client?.scope ?? [];
          const missing = scopesRequested.filter((scope) => !registeredScopes.includes(scope));
          add(
            'scope_not_registered',
            `This client did not register ${missing.join(' ')}; it registered: ${registeredScopes.join(' ')}.`,
          );
        }
      }
      if (renewal?.message !== undefined) add('token_per_call', renewal.message);
    }

    if (isApi || (nearMiss && presented)) {
      if (url?.searchParams.has('access_token'))
        add(
          'token_in_query',
          'The access token was sent in the URL (access_token=…), not in the Authorization header.',
        );
      if (scheme === 'basic')
        add(
          'basic_at_api',
          'The API call carried Authorization: Basic with client credentials instead of Authorization: Bearer and an access token.',
        );
      const trimmedAuthorization = authorization?.trim() ?? '';
      if (/^bearer\s+bearer(?:\s|$)/i.test(trimmedAuthorization))
        add('bearer_prefix_repeated', 'The Authorization header started with "Bearer Bearer".');
      else if (presented?.where === 'header' && scheme !== 'bearer') {
        add(
          'bearer_scheme_missing',
          jwtShape.test(trimmedAuthorization)
            ? 'The Authorization header held the token alone, without "Bearer " before it.'
            : `The Authorization header used the scheme "${safeValue(scheme ?? '', client).slice(0, 20)}" instead of Bearer.`,
        );
      }
      if (diagnosis) {
        received.verdict = diagnosis.verdict;
        const payload = diagnosis.signatureVerified ? diagnosis.payload : undefined;
        if (payload) received.token = tokenFacts(payload, diagnosis.kid);
        const failedStep = diagnosis.failedStep;
        if (failedStep === 'exp' && payload && typeof payload.exp === 'number') {
          const ago = Math.max(0, Math.floor(answered.receivedAtMs / 1000 - payload.exp));
          const renewals = history.get(clientId)?.earlyRenewals ?? 0;
          add(
            'token_expired',
            `The token expired ${ago} second${ago === 1 ? '' : 's'} before this call. ${
              renewals > 0
                ? `This client has renewed a token before expiry ${renewals} time${renewals === 1 ? '' : 's'} here, but not this one.`
                : 'This client has never renewed a token before it expired here.'
            }`,
          );
        } else if (failedStep === 'revoked') {
          add('token_revoked', 'The token was revoked (RFC 7009) before this call.');
        } else if (failedStep && ['format', 'signature', 'typ', 'iss', 'aud'].includes(failedStep)) {
          const step = diagnosis.verdict.at(-1);
          add(
            'token_foreign',
            `The token failed the ${failedStep} check${step?.detail ? ` (${step.detail})` : ''}: it was not issued by this sandbox for this API.`,
          );
        } else if (failedStep === 'scope' && payload) {
          add(
            'insufficient_scope',
            `This call needs ${trace.requiredScope}; the token had ${typeof payload.scope === 'string' && payload.scope !== '' ? payload.scope : 'no scope'}.`,
          );
        }
      } else if (isApi && !failed && trace.tokenClaims) {
        const kid = kidOf(authorization);
        received.verdict = passedVerdict(kid, trace.requiredScope);
        received.token = tokenFacts(trace.tokenClaims, kid);
      }
    }

    const entry: JournalEntry = {
      id: answered.requestId,
      time: isoTime(answered.receivedAtMs),
      method: request.method.slice(0, 16),
      path: pathname.length > 128 ? `${pathname.slice(0, 128)}…` : pathname,
      status,
      ...(observed.error !== undefined ? { error: observed.error } : {}),
      received,
      findings,
    };
    return entry;
  }
}

/** The registered (or else defined) scope nearest to a misspelt one: `reports.read` → `reports:read`. */
export function nearestScope(scope: string, registered: readonly string[]): string | undefined {
  const normalized = scope.toLowerCase().replace(/[._/\-|]/g, ':');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of [...registered, ...apiScopeNames]) {
    const distance = editDistance(normalized, candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(2, Math.floor(scope.length / 3)) ? best : undefined;
}

function tokenFacts(
  payload: Readonly<Record<string, unknown>>,
  kid: string | undefined,
): NonNullable<ReceivedFacts['token']> {
  return {
    ...(typeof payload.jti === 'string' ? { jti: payload.jti.slice(0, 64) } : {}),
    ...(typeof payload.exp === 'number' ? { exp: payload.exp } : {}),
    ...(typeof payload.scope === 'string' ? { scope: payload.scope.slice(0, 200) } : {}),
    ...(kid ? { kid } : {}),
  };
}

function decodeSegment(segment: string | undefined): Record<string, unknown> | undefined {
  if (!segment) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The auth-scheme of an Authorization header, lowercased (RFC 9110 §11.6.2). */
function authScheme(authorization: string | null): string | undefined {
  if (authorization === null) return undefined;
  const value = authorization.trimStart();
  const space = value.search(/[ \t]/);
  return (space < 0 ? value : value.slice(0, space)).toLowerCase();
}

/** Every token a key signs has the same header: its kid is decoded once per header. */
const kidByHeader = new Map<string, string | undefined>();

function kidOf(authorization: string | null): string | undefined {
  if (authorization === null) return undefined;
  // "Bearer <header>.<payload>.<signature>": the header segment, without copying the token.
  const dot = authorization.indexOf('.');
  if (dot < 0) return undefined;
  const segment = authorization.slice(authorization.lastIndexOf(' ', dot) + 1, dot);
  if (!segment) return undefined;
  if (kidByHeader.has(segment)) return kidByHeader.get(segment);
  const kid = decodeSegment(segment)?.kid;
  const result = typeof kid === 'string' ? kid.slice(0, 64) : undefined;
  if (kidByHeader.size >= 64) kidByHeader.clear();
  kidByHeader.set(segment, result);
  return result;
}
