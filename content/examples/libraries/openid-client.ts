// Gets a token and calls the API with openid-client (npm install openid-client), an OAuth
// library that reads the server's metadata (RFC 8414) to find the token endpoint.
// Run: node openid-client.ts (Node 24 or later).
// Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
import * as oauth from 'openid-client';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} in the environment.`);
  return value;
}

const sandboxUrl = new URL(env('SANDBOX_URL'));

const config = await oauth.discovery(
  sandboxUrl,
  env('CLIENT_ID'),
  undefined,
  // The sandbox expects the method the client registered with: client_secret_basic by default.
  oauth.ClientSecretBasic(env('CLIENT_SECRET')),
  {
    // OAuth metadata at /.well-known/oauth-authorization-server, not OpenID Connect's.
    algorithm: 'oauth2',
    // A sandbox on localhost speaks plain HTTP. Never allow it anywhere else.
    execute: sandboxUrl.protocol === 'http:' ? [oauth.allowInsecureRequests] : [],
  },
);

const tokens = await oauth.clientCredentialsGrant(config, { scope: '{{READ_SCOPE}}' });
console.log(`expires_in: ${tokens.expires_in}`);
console.log(`scope: ${tokens.scope}`);

const response = await oauth.fetchProtectedResource(
  config,
  tokens.access_token,
  new URL('/api/v1/reports', sandboxUrl),
  'GET',
);
console.log(`GET /api/v1/reports: HTTP ${response.status}`);
if (!response.ok) process.exit(1);
