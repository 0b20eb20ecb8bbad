// Requests an access token with the client credentials grant (RFC 6749 §4.4) and prints what
// came back. Run: node request-token.ts (Node 22.18 or later runs TypeScript as is; on an older
// Node, install one with `npx node@24 request-token.ts`). No dependencies.
// Reads CLIENT_ID, CLIENT_SECRET and TOKEN_URL from the environment; in the sandbox, TOKEN_URL
// defaults to $SANDBOX_URL/oauth/token.
import { Buffer } from 'node:buffer';

/** RFC 6749 §5.1: expires_in is RECOMMENDED, not REQUIRED. Without it, assume 5 minutes. */
const defaultExpiresInSeconds = 300;
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

/** application/x-www-form-urlencoded, as RFC 6749 §2.3.1 asks for the ID and the secret. */
const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);

// client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, join them with
// ":", then base64 the result into an HTTP Basic header.
const credentials = Buffer.from(
  `${formEncode(env('CLIENT_ID'))}:${formEncode(env('CLIENT_SECRET'))}`,
).toString('base64');

let response: Response;
try {
  response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { authorization: `Basic ${credentials}`, accept: 'application/json' },
    // A URLSearchParams body is sent as application/x-www-form-urlencoded.
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: '{{READ_SCOPE}}' }),
    // A redirected token request would carry the secret elsewhere: treat a 3xx as an error.
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
} catch (error) {
  const timedOut = error instanceof Error && error.name === 'TimeoutError';
  fail(
    `Token request failed: ${timedOut ? `no answer from ${tokenUrl} within ${timeoutMs / 1000} s` : `${tokenUrl}: ${error instanceof Error ? (error.cause ?? error.message) : error}`}`,
  );
}

// Check the status before reading the body as JSON: a proxy's 502 page is HTML.
const text = await response.text();
const json = parseJson(text);
if (response.status >= 300 && response.status < 400) {
  fail(
    `Token request failed: HTTP ${response.status}, a redirect to ${response.headers.get('location') ?? 'an unnamed place'}; token requests do not follow redirects (check TOKEN_URL)`,
  );
}
if (response.status !== 200) {
  // RFC 6749 §5.2: an OAuth error answer is JSON with "error" and maybe "error_description".
  if (typeof json?.error === 'string') {
    fail(`Token request failed: HTTP ${response.status} ${json.error}: ${json.error_description ?? ''}`);
  }
  fail(`Token request failed: HTTP ${response.status}, not an OAuth error answer: ${oneLine(text)}`);
}
if (typeof json?.access_token !== 'string') {
  fail(`Token request failed: HTTP 200 without an access_token: ${oneLine(text)}`);
}

const expiresIn =
  typeof json.expires_in === 'number'
    ? `${json.expires_in}`
    : `not sent; assuming ${defaultExpiresInSeconds}`;
console.log(`token_type: ${json.token_type}`);
console.log(`expires_in: ${expiresIn}`);
console.log(`scope: ${json.scope ?? 'not sent'}`);
// The token is a credential: print its length, never the token itself.
console.log(`access_token: ${json.access_token.length} characters, not printed`);

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function oneLine(body: string): string {
  return body.replace(/\s+/g, ' ').trim().slice(0, 200);
}
