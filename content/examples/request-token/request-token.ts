// Requests an access token with the client credentials grant (RFC 6749 §4.4) and prints
// what came back. Run: node request-token.ts (Node 24 or later; no dependencies).
// Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
import { Buffer } from 'node:buffer';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} in the environment.`);
  return value;
}

const tokenUrl = `${env('SANDBOX_URL')}/oauth/token`;

// client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, join them with
// ":", then base64 the result into an HTTP Basic header.
const credentials = Buffer.from(
  `${encodeURIComponent(env('CLIENT_ID'))}:${encodeURIComponent(env('CLIENT_SECRET'))}`,
).toString('base64');

const response = await fetch(tokenUrl, {
  method: 'POST',
  headers: { authorization: `Basic ${credentials}`, accept: 'application/json' },
  // A URLSearchParams body is sent as application/x-www-form-urlencoded.
  body: new URLSearchParams({ grant_type: 'client_credentials', scope: '{{READ_SCOPE}}' }),
});
const body = (await response.json()) as Record<string, unknown>;

if (!response.ok) {
  // RFC 6749 §5.2: an error answer names the problem in "error".
  console.error(
    `Token request failed: HTTP ${response.status} ${body.error}: ${body.error_description ?? ''}`,
  );
  process.exit(1);
}
if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
  throw new Error('The token response lacks "access_token" or "expires_in".');
}

console.log(`token_type: ${body.token_type}`);
console.log(`expires_in: ${body.expires_in}`);
console.log(`scope: ${body.scope}`);
// The token is a credential: print its length, never the token itself.
console.log(`access_token: ${body.access_token.length} characters, not printed`);
