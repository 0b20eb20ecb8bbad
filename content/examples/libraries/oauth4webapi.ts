// Gets a token and calls the API with oauth4webapi (npm install oauth4webapi@3), the low-level
// OAuth library that openid-client is built on: one function builds each request, another checks
// its answer field by field; nothing is kept between calls, and it never follows a redirect.
// In a fresh folder: npm install oauth4webapi@3 && npm pkg set type=module (an ES module: npm
// writes a package.json without "type", and Node then warns MODULE_TYPELESS_PACKAGE_JSON).
// Run: node oauth4webapi.ts (Node 22.18 or later runs TypeScript as is; on an older Node,
// `npx node@24 oauth4webapi.ts`).
// Reads CLIENT_ID, CLIENT_SECRET, TOKEN_URL and API_BASE_URL from the environment; in the
// sandbox, they default to $SANDBOX_URL/oauth/token and $SANDBOX_URL/api/v1.
import * as oauth from 'oauth4webapi';

/** RFC 6749 §5.1: expires_in is RECOMMENDED, not REQUIRED. Without it, assume 5 minutes. */
const defaultExpiresInSeconds = 300;

function env(name: string, fallback?: string): string {
  const value = process.env[name] || fallback;
  if (!value) fail(`Set ${name} in the environment.`);
  return value;
}

/** Ends the program with one line on stderr and exit code 1: no stack trace. */
function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** One line for what the library threw: the HTTP status and OAuth error when an answer came. */
async function describe(error: unknown, url: string): Promise<string> {
  if (error instanceof oauth.ResponseBodyError) {
    // RFC 6749 §5.2: the server's "error" and "error_description".
    return `HTTP ${error.status} ${error.error}: ${error.error_description ?? ''}`;
  }
  // A 401 with a WWW-Authenticate challenge, a redirect, an HTML error page: the library hands
  // over the Response it refused.
  const response =
    error instanceof oauth.WWWAuthenticateChallengeError
      ? error.response
      : error instanceof Error && error.cause instanceof Response
        ? error.cause
        : undefined;
  if (response) {
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400) {
      return `HTTP ${response.status}, a redirect to ${location ?? 'an unnamed place'}; token requests do not follow redirects (check TOKEN_URL)`;
    }
    const text = await response.text().catch(() => '');
    try {
      const json = JSON.parse(text) as { error?: unknown; error_description?: unknown };
      if (typeof json.error === 'string')
        return `HTTP ${response.status} ${json.error}: ${json.error_description ?? ''}`;
    } catch {
      // not JSON: shown below
    }
    return `HTTP ${response.status}, not an OAuth error answer: ${text.replace(/\s+/g, ' ').trim().slice(0, 200)}`;
  }
  const timedOut =
    error instanceof Error &&
    (error.name === 'TimeoutError' || (error.cause as Error | undefined)?.name === 'TimeoutError');
  if (timedOut) return `no answer from ${url} within 10 s`;
  return `${url}: ${error instanceof Error ? error.message : error}`;
}

const sandboxUrl = process.env.SANDBOX_URL;
const tokenUrl = new URL(env('TOKEN_URL', sandboxUrl && `${sandboxUrl}/oauth/token`));
const apiBaseUrl = env('API_BASE_URL', sandboxUrl && `${sandboxUrl}/api/v1`);
const timeoutMs = 10_000; // for every request, from sending it to the end of its answer

// The token endpoint is named directly, as a production job is configured. (With only an
// issuer, `oauth.discoveryRequest()` reads it from the RFC 8414 metadata instead.)
const as: oauth.AuthorizationServer = { issuer: tokenUrl.origin, token_endpoint: tokenUrl.href };
const client: oauth.Client = { client_id: env('CLIENT_ID') };
// client_secret_basic: the method the sandbox registers clients with by default.
const clientAuth = oauth.ClientSecretBasic(env('CLIENT_SECRET'));
// A sandbox on localhost speaks plain HTTP. Never allow it anywhere else.
const insecure = tokenUrl.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {};

let tokens: oauth.TokenEndpointResponse;
try {
  const answer = await oauth.clientCredentialsGrantRequest(
    as,
    client,
    clientAuth,
    { scope: '{{READ_SCOPE}}' },
    { ...insecure, signal: AbortSignal.timeout(timeoutMs) },
  );
  tokens = await oauth.processClientCredentialsResponse(as, client, answer);
} catch (error) {
  fail(`Token request failed: ${await describe(error, tokenUrl.href)}`);
}
console.log(`expires_in: ${tokens.expires_in ?? `not sent; assuming ${defaultExpiresInSeconds}`}`);
console.log(`scope: ${tokens.scope ?? 'not sent'}`);

let response: Response;
try {
  response = await oauth.protectedResourceRequest(
    tokens.access_token,
    'GET',
    new URL(`${apiBaseUrl}/reports`),
    undefined,
    undefined,
    { ...insecure, signal: AbortSignal.timeout(timeoutMs) },
  );
} catch (error) {
  fail(`API call failed: ${await describe(error, apiBaseUrl)}`);
}
const text = await response.text();
if (!response.ok)
  fail(`API call failed: GET /api/v1/reports: HTTP ${response.status}: ${text.slice(0, 200)}`);
console.log(`GET /api/v1/reports: HTTP ${response.status}`);
console.log(text);
