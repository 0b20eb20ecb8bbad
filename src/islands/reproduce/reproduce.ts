import type { HttpExchange } from '../../lib/http-exchange.ts';
import { responseHeader, responseJson, type HttpRequestDescription } from '../../lib/http-message.ts';
import { apiProfile } from '../../lib/api-profile.ts';
import { undefinedScopeOf } from '../../lib/example-placeholders.ts';
import { decodeJwt, numericDateMs } from '../../lib/jwt.ts';
import {
  accessTokenLifetime,
  buildClientCredentialsRequest,
  buildRegistrationRequest,
  buildReportsRequest,
  buildRevocationRequest,
  oauthErrorStatuses,
  processClientCredentialsResponse,
  processRegistrationResponse,
  refusalOf,
  reportsScopes,
  SandboxResponseError,
  sandboxScopes,
  sandboxPaths,
  type RegisteredClient,
} from '../../lib/sandbox-contract/index.ts';

/** The scope the `invalid_scope` scenario asks for: the same one the errors page's example prints. */
const undefinedScope = undefinedScopeOf(apiProfile);

/**
 * The errors page's "Reproduce" buttons: each makes its error happen for real against the
 * sandbox, in as few requests as it takes, and checks the answer is the error the page describes.
 * Every request goes through `send`, so tests drive the scenarios with a sandbox of their own.
 */

/** Every error the page can reproduce, by its anchor on the errors page. */
export const reproducibleErrors = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unsupported_grant_type',
  'invalid_scope',
  'no-error-code',
  'invalid_token',
  'insufficient_scope',
  'invalid_request-at-the-api',
  'invalid_client_metadata',
] as const;

export type ReproducibleError = (typeof reproducibleErrors)[number];

/** What a scenario must get, and how the page names it. */
export interface Expectation {
  status: number;
  /** The `error` code; undefined for the 401 that names none (RFC 6750 §3.1). */
  error: string | undefined;
  /** The button says "Reproduce " + this. */
  label: string;
  /** One sentence: what the button does. */
  how: string;
}

export const expectations: Record<ReproducibleError, Expectation> = {
  invalid_request: {
    status: oauthErrorStatuses.invalid_request,
    error: 'invalid_request',
    label: 'invalid_request',
    how: 'Sends a token request without grant_type.',
  },
  invalid_client: {
    status: oauthErrorStatuses.invalid_client,
    error: 'invalid_client',
    label: 'invalid_client',
    how: "Sends a real client's ID with a wrong secret.",
  },
  invalid_grant: {
    status: oauthErrorStatuses.invalid_grant,
    error: 'invalid_grant',
    label: 'invalid_grant',
    how: "Asks to revoke another client's token.",
  },
  unsupported_grant_type: {
    status: oauthErrorStatuses.unsupported_grant_type,
    error: 'unsupported_grant_type',
    label: 'unsupported_grant_type',
    how: 'Sends grant_type=password.',
  },
  invalid_scope: {
    status: oauthErrorStatuses.invalid_scope,
    error: 'invalid_scope',
    label: 'invalid_scope',
    how: `Asks for ${undefinedScope}, a scope this API does not define, as the example above does.`,
  },
  'no-error-code': {
    status: oauthErrorStatuses.no_credentials,
    error: undefined,
    label: '401 without an error code',
    how: 'Calls the API with no token at all.',
  },
  invalid_token: {
    status: oauthErrorStatuses.invalid_token,
    error: 'invalid_token',
    label: 'invalid_token',
    how: `Gets a token that lives ${accessTokenLifetime.min} seconds, waits until it has expired, then calls the API with it.`,
  },
  insufficient_scope: {
    status: oauthErrorStatuses.insufficient_scope,
    error: 'insufficient_scope',
    label: 'insufficient_scope',
    how: `Creates a report (needs ${reportsScopes.POST}) with a token that has ${reportsScopes.GET} only.`,
  },
  'invalid_request-at-the-api': {
    status: oauthErrorStatuses.invalid_request,
    error: 'invalid_request',
    label: 'invalid_request at the API',
    how: 'Sends the token in the URL instead of the header.',
  },
  invalid_client_metadata: {
    status: oauthErrorStatuses.invalid_client_metadata,
    error: 'invalid_client_metadata',
    label: 'invalid_client_metadata',
    how: `Registers a client with a token lifetime of 1 second (the sandbox allows ${accessTokenLifetime.min} to ${accessTokenLifetime.max}).`,
  },
};

/** The status and `error` an answer carries: from the JSON body, or from a Bearer challenge. */
export function errorOf(exchange: HttpExchange): { status: number | undefined; error: string | undefined } {
  const response = exchange.response;
  if (!response) return { status: undefined, error: undefined };
  const { error } = refusalOf(
    response.status,
    responseJson(response),
    responseHeader(response, 'www-authenticate'),
  );
  return { status: response.status, error };
}

/** Whether an answer is the expected error. */
export function matchesExpectation(exchange: HttpExchange, expected: Expectation): boolean {
  const got = errorOf(exchange);
  return got.status === expected.status && got.error === expected.error;
}

/** What the scenarios need from the page. */
export interface ScenarioDependencies {
  send: (request: HttpRequestDescription) => Promise<HttpExchange>;
  sleep: (ms: number) => Promise<void>;
  /** The page's clock, milliseconds since the epoch. */
  now: () => number;
  /** The clients the scenarios share, registered on first use. */
  clients: ScenarioClients;
  /** Each step as it happens, in words. */
  onStep?: (text: string) => void;
  /** While waiting for a token to expire: the milliseconds left, then undefined. */
  onCountdown?: (msLeft: number | undefined) => void;
}

/** A scenario's outcome: the last exchange (the one that shows the error) and whether it is the expected one. */
export interface ScenarioResult {
  exchange: HttpExchange;
  matched: boolean;
  expected: Expectation;
}

/** Thrown when a preparatory step fails (registration refused, rate-limited): the scenario cannot go on. */
export class ScenarioStepFailed extends Error {
  readonly exchange: HttpExchange;
  constructor(message: string, exchange: HttpExchange) {
    super(message);
    this.name = 'ScenarioStepFailed';
    this.exchange = exchange;
  }
}

/** The two disposable clients the scenarios use: one reading, one with 5-second tokens. */
export interface ScenarioClients {
  /** The reading scope, client_secret_basic, one-hour tokens. */
  reader(): Promise<RegisteredClient>;
  /** The reading scope, the shortest tokens the sandbox issues. */
  shortLived(): Promise<RegisteredClient>;
}

/** What a client store keeps between page loads; undefined stores nothing. */
export interface ClientCache {
  get(name: 'reader' | 'shortLived'): RegisteredClient | undefined;
  set(name: 'reader' | 'shortLived', client: RegisteredClient): void;
}

/** Registers each client the first time a scenario needs it, and reuses it (cached) after that. */
export function createScenarioClients(
  send: ScenarioDependencies['send'],
  cache?: ClientCache,
  nowSeconds: () => number = () => Date.now() / 1000,
): ScenarioClients {
  const pending = new Map<string, Promise<RegisteredClient>>();
  function get(name: 'reader' | 'shortLived', lifetime: number): Promise<RegisteredClient> {
    const cached = cache?.get(name);
    // A cached client is reused until an hour before the sandbox forgets it.
    if (cached && (cached.clientSecretExpiresAt === 0 || cached.clientSecretExpiresAt - 3600 > nowSeconds()))
      return Promise.resolve(cached);
    let promise = pending.get(name);
    if (!promise) {
      promise = (async () => {
        const exchange = await send(
          buildRegistrationRequest({
            clientName: `Errors page (${name})`,
            scopes: [reportsScopes.GET],
            accessTokenLifetime: lifetime,
          }),
        );
        const client = processStep(exchange, processRegistrationResponse, 'Registering a client failed');
        cache?.set(name, client);
        return client;
      })();
      void promise.catch(() => pending.delete(name));
      pending.set(name, promise);
    }
    return promise;
  }
  return {
    reader: () => get('reader', accessTokenLifetime.max),
    shortLived: () => get('shortLived', accessTokenLifetime.min),
  };
}

/** A preparatory step's answer, processed by the contract; a refusal stops the scenario. */
function processStep<T>(exchange: HttpExchange, process: (exchange: HttpExchange) => T, failed: string): T {
  try {
    return process(exchange);
  } catch (error) {
    if (error instanceof SandboxResponseError)
      throw new ScenarioStepFailed(`${failed}: ${error.message}`, exchange);
    throw error;
  }
}

function tokenRequest(client: RegisteredClient, scopes: string[] = []): HttpRequestDescription {
  return buildClientCredentialsRequest(client, { scopes });
}

function withBody(request: HttpRequestDescription, body: string): HttpRequestDescription {
  return { ...request, body };
}

async function getToken(
  deps: ScenarioDependencies,
  client: RegisteredClient,
): Promise<{ accessToken: string; expiresAtMs: number; exchange: HttpExchange }> {
  const sentAt = deps.now();
  const exchange = await deps.send(tokenRequest(client));
  const token = processStep(exchange, processClientCredentialsResponse, 'The token request failed');
  const decoded = decodeJwt(token.accessToken);
  const exp = decoded.ok ? numericDateMs(decoded.jwt.payload, 'exp') : undefined;
  const fromExpiresIn = sentAt + token.expiresInSeconds * 1000;
  // The later of the two: the token is surely expired by both clocks then.
  const expiresAtMs = exp === undefined ? fromExpiresIn : Math.max(exp, fromExpiresIn);
  return { accessToken: token.accessToken, expiresAtMs, exchange };
}

function apiRequest(method: 'GET' | 'POST', accessToken: string | undefined): HttpRequestDescription {
  return buildReportsRequest(method, accessToken, { title: 'From the errors page' });
}

async function waitUntil(deps: ScenarioDependencies, at: number) {
  for (let left = at - deps.now(); left > 0; left = at - deps.now()) {
    deps.onCountdown?.(left);
    // To the next whole second left, so the countdown ticks once a second.
    await deps.sleep(left % 1000 || 1000);
  }
  deps.onCountdown?.(undefined);
}

async function scenario(error: ReproducibleError, deps: ScenarioDependencies): Promise<HttpExchange> {
  const step = (text: string) => deps.onStep?.(text);
  switch (error) {
    case 'invalid_request': {
      const client = await deps.clients.reader();
      step('Uses a sandbox client registered for this page, with correct credentials.');
      step('Sends the token request with scope but no grant_type.');
      return deps.send(withBody(tokenRequest(client), 'scope=reports%3Aread'));
    }
    case 'invalid_client': {
      const client = await deps.clients.reader();
      step("Sends this page's client ID with a secret that is not its secret.");
      return deps.send(tokenRequest({ ...client, clientSecret: 'not-the-right-secret' }));
    }
    case 'invalid_grant': {
      const [reader, other] = await Promise.all([deps.clients.reader(), deps.clients.shortLived()]);
      const { accessToken } = await getToken(deps, other);
      step('Got a token for a second client.');
      step('Asks to revoke it with the first client’s credentials (RFC 7009).');
      return deps.send(buildRevocationRequest(reader, accessToken));
    }
    case 'unsupported_grant_type': {
      const client = await deps.clients.reader();
      step('Sends correct credentials with grant_type=password.');
      return deps.send(withBody(tokenRequest(client), 'grant_type=password'));
    }
    case 'invalid_scope': {
      const client = await deps.clients.reader();
      step(
        `Asks for ${undefinedScope}, which the API does not define (its scopes: ${sandboxScopes.join(' ')}).`,
      );
      return deps.send(tokenRequest(client, [undefinedScope]));
    }
    case 'no-error-code':
      step(`Calls GET ${sandboxPaths.reports} with no Authorization header.`);
      return deps.send(apiRequest('GET', undefined));
    case 'invalid_token': {
      const client = await deps.clients.shortLived();
      const token = await getToken(deps, client);
      step(`Got a token that lives ${accessTokenLifetime.min} seconds.`);
      const fresh = await deps.send(apiRequest('GET', token.accessToken));
      step(`Called the API with it at once: HTTP ${fresh.response?.status ?? 'no answer'}.`);
      // Past exp by a margin: the API allows no leeway, and the clocks may differ by a little.
      await waitUntil(deps, token.expiresAtMs + 500);
      step('Waited until the token expired, and called the API with it again.');
      let exchange = await deps.send(apiRequest('GET', token.accessToken));
      // If this page's clock runs behind the sandbox's, the token may still be valid: wait a little more.
      for (let retry = 0; retry < 5 && exchange.response?.status === 200; retry++) {
        await deps.sleep(1000);
        exchange = await deps.send(apiRequest('GET', token.accessToken));
      }
      return exchange;
    }
    case 'insufficient_scope': {
      const client = await deps.clients.reader();
      const { accessToken } = await getToken(deps, client);
      step(`Got a token with ${reportsScopes.GET} only.`);
      step(`Calls POST ${sandboxPaths.reports}, which needs ${reportsScopes.POST}.`);
      return deps.send(apiRequest('POST', accessToken));
    }
    case 'invalid_request-at-the-api': {
      const client = await deps.clients.reader();
      const { accessToken } = await getToken(deps, client);
      step('Got a valid token.');
      step('Sends it in the URL, as ?access_token=..., instead of the Authorization header.');
      return deps.send(buildReportsRequest('GET', accessToken, { tokenIn: 'query' }));
    }
    case 'invalid_client_metadata':
      step('Registers a client with access_token_lifetime 1.');
      return deps.send(
        buildRegistrationRequest({ clientName: 'Errors page (bad metadata)', accessTokenLifetime: 1 }),
      );
  }
}

/** Runs one scenario; a failed preparatory step throws {@link ScenarioStepFailed}. */
export async function reproduce(
  error: ReproducibleError,
  deps: ScenarioDependencies,
): Promise<ScenarioResult> {
  const exchange = await scenario(error, deps);
  const expected = expectations[error];
  return { exchange, matched: matchesExpectation(exchange, expected), expected };
}
