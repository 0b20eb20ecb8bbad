import { apiProfile, profileProblems, scopeNamesOf, type ApiProfile } from '../lib/api-profile.ts';
import { randomUUID } from 'node:crypto';
import { sandboxPaths } from '../lib/sandbox-contract/paths.ts';
import { silentLogger, type SandboxLogger } from './logger.ts';
import { createClientAuthenticator } from './authorization/client-authentication.ts';
import {
  createClientConfigurationEndpoint,
  createRegistrationTokenAuthenticator,
} from './authorization/client-configuration.ts';
import { clientConfigurationPathPrefix } from './authorization/client-information.ts';
import { createIntrospectionEndpoint } from './authorization/introspect.ts';
import { authorizationServerMetadata } from './authorization/metadata.ts';
import { createRegistrationEndpoint } from './authorization/register.ts';
import { createRevocationEndpoint } from './authorization/revoke.ts';
import { createTokenEndpoint } from './authorization/token.ts';
import { epochSeconds, systemClock, type Clock } from './clock.ts';
import { jsonResponse } from './http/json-response.ts';
import { createCorsPolicy } from './http/cors.ts';
import { allowMethods } from './http/methods.ts';
import { OAuthError, describeUnexpectedError, errorResponse } from './http/oauth-error.ts';
import { rateLimitAddress } from './http/client-address.ts';
import { createSharedRateLimiter, type SharedRateLimiter } from './http/shared-rate-limit.ts';
import {
  createRateLimiter,
  defaultRateLimits,
  type RateLimiter,
  type RateLimitRule,
} from './http/rate-limit.ts';
import type { EndpointContext, InspectionTrace, RequestObservations } from './http/request-context.ts';
import { strictTransportSecurityFor } from './http/security-headers.ts';
import { loadSigningKeys, type SigningKeys } from './keys/signing-keys.ts';
import { createAccessTokenVerifier } from './resource/access-token-verifier.ts';
import {
  apiResource,
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
} from './resource/protected-resource-metadata.ts';
import { createCheckFaults } from './checks/check-faults.ts';
import { createCheckRecorder } from './checks/check-recorder.ts';
import { createChecksEndpoint } from './checks/checks-endpoint.ts';
import { createRequestInspector } from './inspector/inspect-request.ts';
import { createJournalEndpoint } from './inspector/journal-endpoint.ts';
import { createJournal } from './inspector/journal.ts';
import { isNearMissPath, suggestPath } from './inspector/near-miss-paths.ts';
import { openApiDocument } from './openapi-document.ts';
import { createReportsApi } from './resource/reports.ts';
import { createBearerAuthenticator } from './resource/verify-bearer-token.ts';
import { openSqliteStore } from './store/sqlite-store.ts';
import { StoreUnavailableError, type Store } from './store/store.ts';

/** What the sandbox needs from its host: nothing of Astro, nothing of node:http. */
export interface SandboxOptions {
  /**
   * The public origin (no trailing slash): the `issuer`, and the base of every URL the sandbox
   * publishes. Taken from here only, never from a request's Host, which the client controls.
   */
  issuer: string;
  /** A store to use; the sandbox owns it from now on and closes it in `close()`. */
  store?: Store;
  /** Where the embedded sqlite store lives when no `store` is given; ':memory:' (the default) keeps nothing. */
  dataPath?: string;
  /** Per-address limits on registrations and failed client authentications, per-client limits on tokens and revocations; default on. */
  rateLimit?: boolean;
  /** The time source; tests pass a frozen one. Default: the system clock. */
  clock?: Clock;
  /** Rotate the signing key once it is this many seconds old; default 30 days. */
  signingKeyMaxAge?: number;
  /**
   * Origins (`scheme://host[:port]`, or `*` for any) whose browser apps may call discovery, the
   * JWKS and the token endpoint (CORS). Default: none, so no CORS header is ever sent.
   */
  corsOrigins?: readonly string[];
  /**
   * The API the sandbox stands in for: its scopes (which one reads, which one writes), name and
   * token lifetime. Default: the profile the site was built with (src/lib/api-profile.ts); the
   * server passes the one it loaded (API_OPENAPI), so pages and sandbox agree.
   */
  profile?: ApiProfile;
  /** Where unexpected failures are reported; the sandbox never writes to the console. Default: nowhere. */
  logger?: SandboxLogger;
}

export type { RequestObservations } from './http/request-context.ts';

/** Facts about the connection that a `Request` does not carry, and what the sandbox reports back. */
export interface RequestContext {
  /** The client's IP address, for per-address rate limits. */
  clientAddress?: string | undefined;
  /**
   * The host's id for this request (sent as `x-request-id`): error answers carry it, and it is the
   * `id` of the request's journal entry. One is made when the host gives none.
   */
  requestId?: string | undefined;
  /**
   * Filled in while the sandbox answers: the client_id (once it names a registered client) and
   * the error code, for the host's request log. Never a secret or a token.
   */
  observed?: RequestObservations | undefined;
}

export interface Sandbox {
  /** Answers one HTTP request. Never throws: every failure is a Response. */
  handle(request: Request, context?: RequestContext): Promise<Response>;
  /**
   * Replaces the signing key. Tokens signed by the old key keep verifying: it stays published
   * until the last of them has expired.
   */
  rotateSigningKey(): Promise<void>;
  /**
   * Ends the live journal streams (server-sent events), which would otherwise hold a draining
   * server open: call it when shutting down, before waiting for requests in flight.
   */
  closeStreams(): void;
  /** Ends the streams, writes the journal's last entries, releases the store; the sandbox answers nothing after this. */
  close(): Promise<void>;
}

// Which paths are the sandbox's: src/lib/sandbox-contract/paths.ts (hosts route by it).
export { isSandboxPath, sandboxPathPrefixes } from '../lib/sandbox-contract/paths.ts';
import { clientJournalPathSuffix, isSandboxPath } from '../lib/sandbox-contract/paths.ts';
import { clientChecksPathSuffix } from '../lib/sandbox-contract/checks.ts';

/**
 * True when a request is the sandbox's to answer: a sandbox path, or a near miss of one
 * (`/oauth2/token`, `/token`, `/reports` …) that a program sent (a POST, or credentials in an
 * Authorization header), so the request inspector can tell its owner the right path. A browser's
 * GET of such a path stays with the site (its 404 page).
 */
export function isSandboxRequest(pathname: string, method: string, hasAuthorization: boolean): boolean {
  if (isSandboxPath(pathname)) return true;
  return isNearMissPath(pathname) && (hasAuthorization || (method !== 'GET' && method !== 'HEAD'));
}

/**
 * How often expired clients, revocations and keys are swept and the signing keys reloaded from
 * the store; the sweep rides on a request, so an idle sandbox does no work.
 */
export const maintenanceIntervalSeconds = 60;
const sweepIntervalMs = maintenanceIntervalSeconds * 1000;
/** The signing key's default maximum age: 30 days. */
export const defaultSigningKeyMaxAge = 30 * 24 * 60 * 60;

/**
 * Rotates the signing key in a store that a running sandbox may be serving from (`npm run
 * rotate-key`). The running sandbox goes on signing with the old key until its next maintenance,
 * at most {@link maintenanceIntervalSeconds} later, so the old key stays published that much
 * longer (twice, for margin) than a rotation inside the sandbox needs. Returns both kids.
 *
 * `withdrawNow` is the incident procedure for a leaked key: every key but the new one leaves the
 * store at once, so a running sandbox stops publishing them, and refuses every token they signed
 * (remembered verifications included), at its next maintenance.
 */
export async function rotateSigningKeyInStore(
  store: Store,
  clock: Clock = systemClock,
  { withdrawNow = false }: { withdrawNow?: boolean } = {},
): Promise<{ retiredKid: string; activeKid: string; withdrawnKids: string[] }> {
  const keys = await loadSigningKeys(store, clock);
  const retiredKid = keys.activeKid();
  await keys.rotate(2 * maintenanceIntervalSeconds);
  const activeKid = keys.activeKid();
  const withdrawnKids = withdrawNow ? await store.withdrawSigningKeys(activeKid) : [];
  return { retiredKid, activeKid, withdrawnKids };
}

/** Seconds a client is asked to wait when the shared store is unreachable; it reconnects by itself within one. */
const storeRetryAfterSeconds = 1;

/**
 * The answer when the store cannot be reached (Redis down): 503 with Retry-After (RFC 9110
 * §15.6.4, §10.2.3) and RFC 6749 §4.1.2.1's `temporarily_unavailable`, never a 500, and never a 401
 * for a client that could not be looked up.
 */
function storeUnavailable(): OAuthError {
  return new OAuthError(
    'temporarily_unavailable',
    503,
    `The sandbox cannot reach its store just now. Retry in ${storeRetryAfterSeconds} second.`,
    { headers: { 'retry-after': String(storeRetryAfterSeconds) } },
  );
}

type Handler = (request: Request, context: EndpointContext) => Promise<Response> | Response;

/** An endpoint, and the methods other origins may use on it when CORS origins are configured. */
interface Route {
  handler: Handler;
  corsMethods?: readonly string[];
}

/** Creates a sandbox: the OAuth 2.0 authorization server and the protected sample API. */
export async function createSandbox(options: SandboxOptions): Promise<Sandbox> {
  const issuer = options.issuer.replace(/\/+$/, '');
  const profile = options.profile ?? apiProfile;
  const problems = profileProblems(profile);
  if (problems.length > 0) throw new Error(`The API profile is not usable: ${problems.join('; ')}.`);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const store = options.store ?? openSqliteStore(options.dataPath ?? ':memory:');
  const rateLimit = options.rateLimit ?? true;
  const signingKeyMaxAge = options.signingKeyMaxAge ?? defaultSigningKeyMaxAge;
  const cors = createCorsPolicy(options.corsOrigins ?? []);
  const strictTransportSecurity = strictTransportSecurityFor(issuer);

  let keys: SigningKeys;
  try {
    keys = await loadSigningKeys(store, clock);
  } catch (error) {
    await store.close();
    throw error;
  }
  const audience = apiResource(issuer);
  const verifier = createAccessTokenVerifier({ issuer, audience, keys, store, clock });
  // With a shared store (Redis) the limits count across every instance; `awaited` limiters' counts
  // reach the store before the answer leaves (failures, registrations, revocations), the token
  // issuance count does not hold up the token.
  const awaitedLimiters: SharedRateLimiter[] = [];
  const limiter = (rule: RateLimitRule, name: string, refusal: string, awaited = true): RateLimiter => {
    if (!rateLimit || !store.rateLimitBuckets) return createRateLimiter(rule, clock, rateLimit, refusal);
    const shared = createSharedRateLimiter(rule, clock, store.rateLimitBuckets, name, refusal);
    if (awaited) awaitedLimiters.push(shared);
    return shared;
  };
  const authenticateClient = createClientAuthenticator({
    issuer,
    store,
    clock,
    failuresPerClient: limiter(
      defaultRateLimits.failedAuthentication,
      'failed-authentications',
      'Too many failed authentications of this client from this address',
    ),
    failuresPerAddress: limiter(
      defaultRateLimits.failedAuthenticationPerAddress,
      'failed-authentications-per-address',
      'Too many failed client authentications from this address',
    ),
  });
  const registrations = limiter(
    defaultRateLimits.registration,
    'registrations',
    'Too many registrations from this address',
  );
  const tokensPerClient = limiter(
    defaultRateLimits.tokenIssuancePerClient,
    'token-issuance',
    'Too many token requests for this client: reuse a token until it is about to expire',
    false,
  );
  const revocationsPerClient = limiter(
    defaultRateLimits.revocationPerClient,
    'revocations',
    'Too many revocations for this client',
  );
  const countsSettled = () =>
    awaitedLimiters.length === 0 ? undefined : Promise.all(awaitedLimiters.map((shared) => shared.settled()));
  // "Check my client" (issue 12): during a client's check, its tokens live 30 s and faults are
  // injected into its token requests and API calls.
  const checkFaults = createCheckFaults({ store, clock });
  const authenticateBearer = createBearerAuthenticator(verifier, protectedResourceMetadataUrl(issuer));
  const reports = createReportsApi(
    async (request, scope, observed, trace) => {
      const caller = await authenticateBearer(request, scope, observed, trace);
      await checkFaults.afterApiAuthenticated(caller.claims);
      return caller;
    },
    clock,
    profile,
  );

  const metadataDocument = authorizationServerMetadata(issuer, profile);
  const resourceDocument = protectedResourceMetadata(issuer, profile);
  const openApi = openApiDocument(issuer, profile);
  const getOnly =
    (body: () => unknown): Handler =>
    (request) => {
      allowMethods(request, ['GET']);
      return jsonResponse(body());
    };

  // CORS is limited to what a browser app elsewhere has a reason to call: the public documents and
  // the token endpoint. Registration, introspection, revocation and the API stay same-origin.
  const routes = new Map<string, Route>([
    [
      sandboxPaths.authorizationServerMetadata,
      { handler: getOnly(() => metadataDocument), corsMethods: ['GET'] },
    ],
    [
      sandboxPaths.protectedResourceMetadata,
      { handler: getOnly(() => resourceDocument), corsMethods: ['GET'] },
    ],
    [sandboxPaths.openApi, { handler: getOnly(() => openApi), corsMethods: ['GET'] }],
    [sandboxPaths.jwks, { handler: getOnly(() => keys.jwks()), corsMethods: ['GET'] }],
    [
      sandboxPaths.registration,
      { handler: createRegistrationEndpoint({ issuer, store, clock, registrations, profile }) },
    ],
    [
      sandboxPaths.token,
      {
        handler: createTokenEndpoint({
          issuer,
          audience,
          keys,
          clock,
          authenticateClient,
          scopeNames: scopeNamesOf(profile),
          tokensPerClient,
          beforeIssue: (...args) => checkFaults.beforeTokenIssued(...args),
        }),
        corsMethods: ['POST'],
      },
    ],
    [sandboxPaths.introspection, { handler: createIntrospectionEndpoint({ verifier, authenticateClient }) }],
    [
      sandboxPaths.revocation,
      {
        handler: createRevocationEndpoint({
          verifier,
          authenticateClient,
          store,
          clock,
          revocationsPerClient,
        }),
      },
    ],
    [sandboxPaths.reports, { handler: reports }],
  ]);

  // The request journal (issue 11): every request that names a client, with what was received
  // and the mistakes recognised in it, readable and streamed under the client's configuration URI.
  const journal = createJournal({
    store,
    onFlushError: (error) =>
      console.error(
        JSON.stringify({
          level: 'error',
          message: 'request journal write failed',
          error: error instanceof Error ? error.name : typeof error,
        }),
      ),
  });
  const inspector = createRequestInspector({ issuer, audience, keys, store, clock });
  const journalEndpoint = createJournalEndpoint(journal);
  const checkRecorder = createCheckRecorder({
    store,
    running: checkFaults.running,
    onFlushError: (error) =>
      console.error(
        JSON.stringify({
          level: 'error',
          message: 'check requests write failed',
          error: error instanceof Error ? error.name : typeof error,
        }),
      ),
  });
  const checksEndpoint = createChecksEndpoint({
    issuer,
    store,
    clock,
    profile,
    faults: checkFaults,
    recorder: checkRecorder,
  });
  const manageClient = createClientConfigurationEndpoint({
    issuer,
    store,
    authenticate: createRegistrationTokenAuthenticator({ store, clock }),
    subresources: new Map([
      [clientJournalPathSuffix.slice(1), journalEndpoint.handle],
      [clientChecksPathSuffix.slice(1), checksEndpoint.handle.bind(checksEndpoint)],
    ]),
    publicSubresources: new Map([
      [clientChecksPathSuffix.slice(1), checksEndpoint.read.bind(checksEndpoint)],
    ]),
    onDelete: (clientId) => journal.forget(clientId),
    profile,
  });

  let closed = false;
  let nextSweepAt = 0;
  async function sweep() {
    nextSweepAt = clock.now() + sweepIntervalMs;
    try {
      await store.sweep(epochSeconds(clock));
      await store.checks.sweep(clock.now());
      await keys.maintain(signingKeyMaxAge);
    } catch (error) {
      // Housekeeping must not fail the request it rides on; the next sweep tries again.
      logger.error('sandbox sweep failed', { error: describeUnexpectedError(error) });
    }
  }

  return {
    async handle(request, context = {}) {
      const requestId = context.requestId ?? randomUUID();
      const receivedAtMs = clock.now();
      const trace: InspectionTrace = {};
      const endpointContext: EndpointContext = {
        addressKey: rateLimitAddress(context.clientAddress ?? 'unknown'),
        observed: context.observed ?? {},
        trace,
      };
      let route: Route | undefined;
      let response: Response;
      let pathname = '/';
      try {
        if (closed) throw new OAuthError('temporarily_unavailable', 503, 'The sandbox is shutting down.');
        if (clock.now() >= nextSweepAt) await sweep();
        const url = request.url;
        // The path without building a URL object: this runs on every API call.
        const pathStart = url.indexOf('/', url.indexOf('//') + 2);
        const queryStart = url.indexOf('?', pathStart);
        pathname = pathStart < 0 ? '/' : url.slice(pathStart, queryStart < 0 ? undefined : queryStart);
        route = routes.get(pathname);
        if (!route && pathname.startsWith(clientConfigurationPathPrefix)) {
          route = { handler: (request, context) => manageClient(request, context, pathname) };
        }
        if (!route) {
          // The suggestion is one of the sandbox's own paths, never an echo of the request.
          const meant = suggestPath(pathname);
          throw new OAuthError(
            'not_found',
            404,
            `No sandbox endpoint at this path.${meant ? ` Did you mean ${meant}?` : ''} The list is at ${sandboxPaths.authorizationServerMetadata}.`,
          );
        }
        const preflight =
          cors && route.corsMethods && request.method === 'OPTIONS'
            ? cors.preflight(request, route.corsMethods)
            : undefined;
        if (preflight) {
          if (strictTransportSecurity)
            preflight.headers.set('strict-transport-security', strictTransportSecurity);
          return preflight;
        }
        try {
          response = await route.handler(request, endpointContext);
        } finally {
          await countsSettled();
        }
      } catch (thrown) {
        const error = thrown instanceof StoreUnavailableError ? storeUnavailable() : thrown;
        if (error instanceof OAuthError) endpointContext.observed.error = error.code;
        // RFC 6749 §5.2 error_uri: the guide's row for the code, on the public origin.
        response = errorResponse(error, { siteUrl: issuer, requestId, logger });
      }
      try {
        const inspected = inspector.inspect({
          request,
          pathname,
          requestId,
          status: response.status,
          receivedAtMs,
          observed: endpointContext.observed,
          trace,
        });
        // A successful request's entry comes back at once; a failed one's may need the store.
        const attributed = inspected instanceof Promise ? await inspected : inspected;
        if (attributed) {
          journal.record(attributed.clientId, attributed.entry);
          const filing = checkRecorder.record(attributed.clientId, attributed.entry);
          if (filing) await filing;
        }
      } catch (error) {
        // The journal must never cost a client its answer.
        console.error(
          JSON.stringify({
            level: 'error',
            message: 'request inspection failed',
            error: describeUnexpectedError(error),
          }),
        );
      }
      // Errors too: a cross-origin client must be able to read why its token request failed.
      if (cors && route?.corsMethods) cors.apply(request, response);
      if (strictTransportSecurity) response.headers.set('strict-transport-security', strictTransportSecurity);
      return response;
    },
    async rotateSigningKey() {
      await keys.rotate();
    },
    closeStreams() {
      journalEndpoint.closeAll();
      checksEndpoint.closeAll();
    },
    async close() {
      if (closed) return;
      closed = true;
      journalEndpoint.closeAll();
      checksEndpoint.closeAll();
      await journal.close();
      await checkRecorder.flush();
      await store.close();
    },
  };
}
