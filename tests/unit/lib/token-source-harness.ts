import {
  ClientCredentialsTokenSource,
  type ClientCredentialsTokenSourceOptions,
  type TokenSourceEvent,
} from '../../../src/lib/client-credentials-token-source.ts';
import { apiProfile } from '../../../src/lib/api-profile.ts';

const { readScope } = apiProfile;

export const tokenEndpoint = 'https://auth.example.test/oauth/token';
export const apiUrl = 'https://api.example.test/v1/reports';
/** Characters that RFC 6749 §2.3.1's form-encoding changes: space, colon, plus, percent, non-ASCII. */
export const clientId = 'reports client:1';
export const clientSecret = 's3cret+with%odd chars:é';

/** A token endpoint answer: a Response, or an Error to make fetch reject (a network failure). */
export type TokenAnswer = Response | Error;

/** A 200 token response (RFC 6749 §5.1); `expiresIn: 'absent'` leaves the field out. */
export function tokenResponse(accessToken: string, expiresIn: number | 'absent' = 3600): Response {
  return Response.json({
    access_token: accessToken,
    token_type: 'Bearer',
    ...(expiresIn === 'absent' ? {} : { expires_in: expiresIn }),
  });
}

/** An RFC 6749 §5.2 error response. */
export function oauthError(status: number, error: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error, error_description: `the server says ${error}` }, { status, headers });
}

/** The RFC 6750 §3 answer of an API that refuses the token. */
export function invalidTokenResponse(): Response {
  return new Response(null, {
    status: 401,
    headers: {
      'www-authenticate':
        'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
    },
  });
}

export interface RecordedRequest {
  at: number;
  url: string;
  headers: Headers;
  body: string;
}

export interface HarnessOptions {
  /** Answers the n-th token request (1-based). Default: token-n, valid for `expiresIn` seconds. */
  tokenAnswer?: (n: number) => TokenAnswer;
  expiresIn?: number;
  /** Answers the n-th API request (1-based), given the bearer token it carried. Default 200. */
  apiAnswer?: (token: string, n: number) => Response;
  /** How far the clock moves while the token endpoint answers. */
  latencyMs?: number;
  /** Starting time of the fake clock. */
  startAt?: number;
  options?: Partial<ClientCredentialsTokenSourceOptions>;
}

/**
 * A token source on a fake clock: `sleep` moves the clock instead of waiting, fetch is a script.
 * Everything it sent and reported is recorded for the assertions.
 */
export function createHarness({
  tokenAnswer,
  expiresIn = 3600,
  apiAnswer,
  latencyMs = 0,
  startAt = 1_000_000,
  options = {},
}: HarnessOptions = {}) {
  const clock = { now: startAt };
  const events: TokenSourceEvent[] = [];
  const tokenRequests: RecordedRequest[] = [];
  const apiRequests: RecordedRequest[] = [];
  const sleeps: number[] = [];

  async function fakeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const recorded: RecordedRequest = {
      at: clock.now,
      url: request.url,
      headers: request.headers,
      body: await request.text(),
    };
    // Let other callers run first, as a real network round trip would.
    await Promise.resolve();
    if (request.url === tokenEndpoint) {
      tokenRequests.push(recorded);
      clock.now += latencyMs;
      const answer = tokenAnswer
        ? tokenAnswer(tokenRequests.length)
        : tokenResponse(`token-${tokenRequests.length}`, expiresIn);
      if (answer instanceof Error) throw answer;
      return answer;
    }
    apiRequests.push(recorded);
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
    return apiAnswer ? apiAnswer(token, apiRequests.length) : Response.json({ reports: [] });
  }

  const source = new ClientCredentialsTokenSource({
    tokenEndpoint,
    clientId,
    clientSecret,
    scopes: [readScope],
    now: () => clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    random: () => 0.5,
    fetch: fakeFetch,
    onEvent: (event) => events.push(event),
    ...options,
  });

  return {
    clock,
    source,
    events,
    tokenRequests,
    apiRequests,
    sleeps,
    /** Moves the fake clock by `ms`. */
    advance(ms: number) {
      clock.now += ms;
    },
    /** The events of one type, in order. */
    eventsOf<T extends TokenSourceEvent['type']>(type: T): Extract<TokenSourceEvent, { type: T }>[] {
      return events.filter((event): event is Extract<TokenSourceEvent, { type: T }> => event.type === type);
    },
  };
}
