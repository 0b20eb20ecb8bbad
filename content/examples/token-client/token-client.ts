// A token client for the client credentials grant. It keeps the token, renews it before it
// expires, lets concurrent callers share one renewal, retries an API call once on 401, and
// backs off on 429 and 5xx. Run: node token-client.ts (Node 24 or later; no dependencies).
// Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
import { Buffer } from 'node:buffer';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} in the environment.`);
  return value;
}

const tokenUrl = `${env('SANDBOX_URL')}/oauth/token`;
const apiBaseUrl = `${env('SANDBOX_URL')}/api/v1`;

/** Renew this long before the token expires; short-lived tokens renew at half their life. */
const safetyMarginMs = 60_000;

/** Sends a request again on 429 or 5xx: after Retry-After when the server gives one, else 1, 2, 4 s. */
async function withBackoff(send: () => Promise<Response>, maxAttempts = 4): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const response = await send();
    if ((response.status !== 429 && response.status < 500) || attempt === maxAttempts) return response;
    const retryAfter = Number(response.headers.get('retry-after'));
    const delaySeconds = retryAfter > 0 ? Math.min(retryAfter, 60) : 2 ** (attempt - 1);
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, delaySeconds * 1000));
  }
}

class TokenClient {
  readonly #basic: string;
  #token: { value: string; renewAt: number } | undefined;
  #renewal: Promise<string> | undefined;
  /** How many times this client asked for a token. */
  tokenRequests = 0;

  constructor(clientId: string, clientSecret: string) {
    // client_secret_basic (RFC 6749 §2.3.1): form-encode each part, then base64.
    this.#basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
  }

  /** A token that is valid now: the kept one, or a new one. */
  async accessToken(): Promise<string> {
    // performance.now() is monotonic: a change of the wall clock cannot expire or revive a token.
    if (this.#token && performance.now() < this.#token.renewAt) return this.#token.value;
    // One renewal for everyone: callers that arrive while it runs wait for the same request.
    this.#renewal ??= this.#requestToken().finally(() => (this.#renewal = undefined));
    return this.#renewal;
  }

  async #requestToken(): Promise<string> {
    this.tokenRequests++;
    // expires_in counts from when the server answered; timing from the request errs on the safe side.
    const sentAt = performance.now();
    const response = await withBackoff(() =>
      fetch(tokenUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${this.#basic}`, accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'reports:read' }),
      }),
    );
    const body = (await response.json()) as Record<string, unknown>;
    if (!response.ok || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new Error(`Token request failed: HTTP ${response.status} ${body.error}: ${body.error_description ?? ''}`);
    }
    const lifetimeMs = body.expires_in * 1000;
    this.#token = { value: body.access_token, renewAt: sentAt + lifetimeMs - Math.min(safetyMarginMs, lifetimeMs / 2) };
    return body.access_token;
  }

  /** Calls the API. On 401 the token was refused (revoked, expired early): renew once and retry. */
  async fetchApi(path: string, init: RequestInit = {}): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.accessToken();
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      const response = await withBackoff(() => fetch(`${apiBaseUrl}${path}`, { ...init, headers }));
      if (response.status !== 401 || attempt === 2) return response;
      await response.body?.cancel();
      // Forget the refused token, unless another caller has already replaced it.
      if (this.#token?.value === token) this.#token = undefined;
    }
  }
}

const client = new TokenClient(env('CLIENT_ID'), env('CLIENT_SECRET'));

// Three calls at once share one token request.
const responses = await Promise.all([1, 2, 3].map(() => client.fetchApi('/reports')));
responses.forEach((response, index) => console.log(`call ${index + 1}: GET /api/v1/reports: HTTP ${response.status}`));
console.log(`token requests: ${client.tokenRequests}`);
if (responses.some((response) => !response.ok)) process.exit(1);
