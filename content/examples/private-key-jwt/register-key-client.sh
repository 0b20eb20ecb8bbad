#!/usr/bin/env bash
# Creates an Ed25519 key pair with openssl, registers its public half with the sandbox as a
# private_key_jwt client (RFC 7591 jwks), and prints the client's settings as export lines.
# The private key stays in client-key.pem (owner-only), next to where you run this.
# Needs: bash, curl, jq, openssl 3. Reads SANDBOX_URL.
set -euo pipefail
: "${SANDBOX_URL:?set SANDBOX_URL, e.g. {{ORIGIN}}}"
key_file="${PRIVATE_KEY_FILE:-client-key.pem}"
kid="key-$(date -u +%Y-%m-%d)"

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

# The private key: never sent anywhere, never committed. Owner-only from the first byte.
(umask 077 && openssl genpkey -algorithm ed25519 -out "$key_file")
# The public key as a JWK (RFC 8037): x is the last 32 bytes of the DER public key.
x=$(openssl pkey -in "$key_file" -pubout -outform DER | tail -c 32 | b64url)
jwks=$(jq -cn --arg x "$x" --arg kid "$kid" '{keys: [{kty: "OKP", crv: "Ed25519", x: $x, kid: $kid, alg: "EdDSA", use: "sig"}]}')

client_id=$(curl -sS --fail-with-body "$SANDBOX_URL/oauth/register" \
  -H 'Content-Type: application/json' \
  -d "$(jq -cn --argjson jwks "$jwks" '{client_name: "my key client", token_endpoint_auth_method: "private_key_jwt", jwks: $jwks}')" |
  jq -r .client_id)

echo "export CLIENT_ID='$client_id'"
echo "export KEY_ID='$kid'"
echo "export PRIVATE_KEY_FILE='$key_file'"
