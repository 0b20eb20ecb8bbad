// Gets an access token, then calls the API with it.
// Run: node call-api.ts (Node 24 or later; no dependencies).
// Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
import { Buffer } from 'node:buffer';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} in the environment.`);
  return value;
}

const tokenUrl = `${env('SANDBOX_URL')}/oauth/token`;
const apiBaseUrl = `${env('SANDBOX_URL')}/api/v1`;

async function requestAccessToken(): Promise<string> {
  const credentials = Buffer.from(
    `${encodeURIComponent(env('CLIENT_ID'))}:${encodeURIComponent(env('CLIENT_SECRET'))}`,
  ).toString('base64');
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { authorization: `Basic ${credentials}`, accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: '{{READ_SCOPE}}' }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new Error(
      `Token request failed: HTTP ${response.status} ${body.error}: ${body.error_description ?? ''}`,
    );
  }
  return body.access_token;
}

const accessToken = await requestAccessToken();

// RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.
const response = await fetch(`${apiBaseUrl}/reports`, {
  headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
});

console.log(`GET /api/v1/reports: HTTP ${response.status}`);
if (!response.ok) {
  // RFC 6750 §3: the reason is in the WWW-Authenticate header.
  console.error(`WWW-Authenticate: ${response.headers.get('www-authenticate')}`);
  process.exit(1);
}
console.log(await response.text());
