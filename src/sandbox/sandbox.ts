import { createClientAuthenticator } from './authorization/client-authentication.ts';
import { createIntrospectionEndpoint } from './authorization/introspect.ts';
import { authorizationServerMetadata } from './authorization/metadata.ts';
import { createRegistrationEndpoint } from './authorization/register.ts';
import { createRevocationEndpoint } from './authorization/revoke.ts';
import { createTokenEndpoint } from './authorization/token.ts';
import { epochSeconds, systemClock, type Clock } from './clock.ts';
import { jsonResponse } from './http/json-response.ts';
import { allowMethods } from './http/limits.ts';
import { OAuthError, errorResponse } from './http/oauth-error.ts';
import { createRateLimiter, defaultRateLimits } from './http/rate-limit.ts';
import { loadSigningKeys, type SigningKeys } from './keys/signing-keys.ts';
import { createAccessTokenVerifier } from './resource/access-token-verifier.ts';
import { apiResource, protectedResourceMetadata, protectedResourceMetadataUrl } from './resource/protected-resource-metadata.ts';
import { createReportsApi } from './resource/reports.ts';
import { createBearerAuthenticator } from './resource/verify-bearer-token.ts';
import { openSqliteStore } from './store/sqlite-store.ts';
import type { Store } from './store/store.ts';

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
  /** Per-address limits on registrations and failed client authentications; default on. */
  rateLimit?: boolean;
  /** The time source; tests pass a frozen one. Default: the system clock. */
  clock?: Clock;
  /** Rotate the signing key once it is this many seconds old; default 30 days. */
  signingKeyMaxAge?: number;
}

/** Facts about the connection that a `Request` does not carry. */
export interface RequestContext {
  /** The client's IP address, for per-address rate limits. */
  clientAddress?: string;
}

export interface Sandbox {
  /** Answers one HTTP request. Never throws: every failure is a Response. */
  handle(request: Request, context?: RequestContext): Promise<Response>;
  /**
   * Replaces the signing key. Tokens signed by the old key keep verifying: it stays published
   * until the last of them has expired.
   */
  rotateSigningKey(): Promise<void>;
  /** Releases the store; the sandbox answers nothing after this. */
  close(): Promise<void>;
}

/** The path prefixes the sandbox owns; everything else belongs to the docs site. */
export const sandboxPathPrefixes = ['/.well-known/oauth-authorization-server', '/.well-known/oauth-protected-resource', '/oauth/', '/api/'] as const;

/** True when `pathname` is the sandbox's to answer. */
export function isSandboxPath(pathname: string): boolean {
  return sandboxPathPrefixes.some((prefix) => pathname === prefix.replace(/\/$/, '') || pathname.startsWith(prefix));
}

/** How often expired clients, revocations and keys are swept; the sweep rides on a request, so an idle sandbox does no work. */
const sweepIntervalMs = 60_000;
const defaultSigningKeyMaxAge = 30 * 24 * 60 * 60;

type Handler = (request: Request, clientAddress: string) => Promise<Response> | Response;

/** Creates a sandbox: the OAuth 2.0 authorization server and the protected sample API. */
export async function createSandbox(options: SandboxOptions): Promise<Sandbox> {
  const issuer = options.issuer.replace(/\/+$/, '');
  const clock = options.clock ?? systemClock;
  const store = options.store ?? openSqliteStore(options.dataPath ?? ':memory:');
  const rateLimit = options.rateLimit ?? true;
  const signingKeyMaxAge = options.signingKeyMaxAge ?? defaultSigningKeyMaxAge;

  let keys: SigningKeys;
  try {
    keys = await loadSigningKeys(store, clock);
  } catch (error) {
    await store.close();
    throw error;
  }
  const audience = apiResource(issuer);
  const verifier = createAccessTokenVerifier({ issuer, audience, keys, store, clock });
  const authenticateClient = createClientAuthenticator({
    store,
    clock,
    failures: createRateLimiter(defaultRateLimits.failedAuthentication, clock, rateLimit, 'failed client authentications'),
  });
  const registrations = createRateLimiter(defaultRateLimits.registration, clock, rateLimit, 'registrations');
  const reports = createReportsApi(createBearerAuthenticator(verifier, protectedResourceMetadataUrl(issuer)), clock);

  const metadataDocument = authorizationServerMetadata(issuer);
  const resourceDocument = protectedResourceMetadata(issuer);
  const getOnly = (body: () => unknown): Handler => (request) => {
    allowMethods(request, ['GET']);
    return jsonResponse(body());
  };

  const routes = new Map<string, Handler>([
    ['/.well-known/oauth-authorization-server', getOnly(() => metadataDocument)],
    ['/.well-known/oauth-protected-resource/api', getOnly(() => resourceDocument)],
    ['/oauth/jwks', getOnly(() => keys.jwks())],
    ['/oauth/register', createRegistrationEndpoint({ store, clock, registrations })],
    ['/oauth/token', createTokenEndpoint({ issuer, audience, keys, clock, authenticateClient })],
    ['/oauth/introspect', createIntrospectionEndpoint({ verifier, authenticateClient })],
    ['/oauth/revoke', createRevocationEndpoint({ verifier, authenticateClient, store, clock })],
    ['/api/v1/reports', reports],
  ]);

  let closed = false;
  let nextSweepAt = 0;
  async function sweep() {
    nextSweepAt = clock.now() + sweepIntervalMs;
    try {
      await store.sweep(epochSeconds(clock));
      await keys.maintain(signingKeyMaxAge);
    } catch (error) {
      // Housekeeping must not fail the request it rides on; the next sweep tries again.
      console.error(JSON.stringify({ level: 'error', message: 'sandbox sweep failed', error: error instanceof Error ? error.message : typeof error }));
    }
  }

  return {
    async handle(request, context = {}) {
      try {
        if (closed) throw new OAuthError('temporarily_unavailable', 503, 'The sandbox is shutting down.');
        if (clock.now() >= nextSweepAt) await sweep();
        const url = request.url;
        // The path without building a URL object: this runs on every API call.
        const pathStart = url.indexOf('/', url.indexOf('//') + 2);
        const queryStart = url.indexOf('?', pathStart);
        const pathname = pathStart < 0 ? '/' : url.slice(pathStart, queryStart < 0 ? undefined : queryStart);
        const handler = routes.get(pathname);
        if (!handler) {
          throw new OAuthError('not_found', 404, 'No sandbox endpoint at this path. The list is at /.well-known/oauth-authorization-server.');
        }
        return await handler(request, context.clientAddress ?? 'unknown');
      } catch (error) {
        return errorResponse(error);
      }
    },
    async rotateSigningKey() {
      await keys.rotate();
    },
    async close() {
      if (closed) return;
      closed = true;
      await store.close();
    },
  };
}
