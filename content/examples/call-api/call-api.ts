// Gets an access token, then calls the API with it. Run: node call-api.ts (Node 22.18 or later
// runs TypeScript as is; on an older Node, `npx node@24 call-api.ts`). No dependencies.
// Reads CLIENT_ID, CLIENT_SECRET, TOKEN_URL and API_BASE_URL from the environment; in the
// sandbox, they default to $SANDBOX_URL/oauth/token and $SANDBOX_URL/api/v1.
import { Buffer } from 'node:buffer';

const timeoutMs = 10_000;

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

const sandboxUrl = process.env.SANDBOX_URL;
const tokenUrl = env('TOKEN_URL', sandboxUrl && `${sandboxUrl}/oauth/token`);
const apiBaseUrl = env('API_BASE_URL', sandboxUrl && `${sandboxUrl}/api/v1`);

/** Sends one request with a 10 s timeout and no redirects; ends the program when none comes back. */
async function send(
  what: string,
  url: string,
  init: RequestInit,
): Promise<{ response: Response; text: string }> {
  try {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { response, text: await response.text() };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    fail(
      `${what} failed: ${timedOut ? `no answer from ${url} within ${timeoutMs / 1000} s` : `${url}: ${error instanceof Error ? (error.cause ?? error.message) : error}`}`,
    );
  }
}

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const oneLine = (body: string) => body.replace(/\s+/g, ' ').trim().slice(0, 200);
const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);

/** One line for a failed answer: the status, then the OAuth error when there is one. */
function describeFailure(
  response: Response,
  text: string,
  json: Record<string, unknown> | undefined,
): string {
  if (response.status >= 300 && response.status < 400) {
    return `HTTP ${response.status}, a redirect to ${response.headers.get('location') ?? 'an unnamed place'}; token requests do not follow redirects (check the URL)`;
  }
  // RFC 6749 §5.2 and RFC 6750 §3: "error" and maybe "error_description".
  if (typeof json?.error === 'string')
    return `HTTP ${response.status} ${json.error}: ${json.error_description ?? ''}`;
  return `HTTP ${response.status}, not an OAuth error answer: ${oneLine(text)}`;
}

async function requestAccessToken(): Promise<string> {
  // client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, then Basic.
  const credentials = Buffer.from(
    `${formEncode(env('CLIENT_ID'))}:${formEncode(env('CLIENT_SECRET'))}`,
  ).toString('base64');
  const { response, text } = await send('Token request', tokenUrl, {
    method: 'POST',
    headers: { authorization: `Basic ${credentials}`, accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: '{{READ_SCOPE}}' }),
  });
  // Check the status before trusting the body as JSON: a proxy's 502 page is HTML.
  const json = parseJson(text);
  if (response.status !== 200) fail(`Token request failed: ${describeFailure(response, text, json)}`);
  if (typeof json?.access_token !== 'string') {
    fail(`Token request failed: HTTP 200 without an access_token: ${oneLine(text)}`);
  }
  // A job that keeps the token would also read expires_in here, 300 s when it is missing (RFC
  // 6749 §5.1); see the token clients on the Expiration and refresh page.
  return json.access_token;
}

const accessToken = await requestAccessToken();

// RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.
const { response, text } = await send('API call', `${apiBaseUrl}/reports`, {
  headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
});
if (!response.ok) {
  const json = parseJson(text);
  // RFC 6750 §3: the reason is in the WWW-Authenticate header too; log it, it holds no secret.
  const challenge = response.headers.get('www-authenticate');
  fail(
    `API call failed: GET /api/v1/reports: ${describeFailure(response, text, json)}${challenge ? ` (WWW-Authenticate: ${challenge})` : ''}`,
  );
}
console.log(`GET /api/v1/reports: HTTP ${response.status}`);
console.log(text);
