// Gets a token with private_key_jwt (RFC 7523) and calls the API, with openid-client
// (npm install openid-client@6 && npm pkg set type=module in a fresh folder: the sample is an ES
// module, and Node warns MODULE_TYPELESS_PACKAGE_JSON without "type"): the library signs a fresh
// 60-second assertion for every request. Run: node private-key-jwt.ts (Node 24 or later).
// Reads CLIENT_ID, KEY_ID, PRIVATE_KEY_FILE (an Ed25519 key, PKCS#8 PEM) and SANDBOX_URL.
import { readFileSync } from 'node:fs';
import * as oauth from 'openid-client';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} in the environment.`);
  return value;
}

const sandboxUrl = new URL(env('SANDBOX_URL'));

// The private key (PKCS#8 PEM), as a WebCrypto key that cannot be exported again.
const pem = readFileSync(env('PRIVATE_KEY_FILE'), 'utf8');
const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
const privateKey = await crypto.subtle.importKey('pkcs8', der, 'Ed25519', false, ['sign']);

const config = await oauth.discovery(
  sandboxUrl,
  env('CLIENT_ID'),
  undefined,
  // kid names the registered public key that verifies the signature.
  oauth.PrivateKeyJwt({ key: privateKey, kid: env('KEY_ID') }),
  {
    // OAuth metadata at /.well-known/oauth-authorization-server, not OpenID Connect's.
    algorithm: 'oauth2',
    // A sandbox on localhost speaks plain HTTP. Never allow it anywhere else.
    execute: sandboxUrl.protocol === 'http:' ? [oauth.allowInsecureRequests] : [],
  },
);

const tokens = await oauth.clientCredentialsGrant(config, { scope: '{{READ_SCOPE}}' });
console.log(`token_type: ${tokens.token_type === 'bearer' ? 'Bearer' : tokens.token_type}`);
console.log(`expires_in: ${tokens.expires_in}`);
console.log(`scope: ${tokens.scope}`);
console.log(`access_token: ${tokens.access_token.length} characters, not printed`);

const response = await oauth.fetchProtectedResource(
  config,
  tokens.access_token,
  new URL('/api/v1/reports', sandboxUrl),
  'GET',
);
console.log(`GET /api/v1/reports: HTTP ${response.status}`);
if (!response.ok) process.exit(1);
