#!/usr/bin/env bash
# Prints a client assertion (RFC 7523 §3) for CLIENT_ID: a JWT signed with the Ed25519 private
# key in PRIVATE_KEY_FILE, valid for 60 seconds, with a fresh jti. Use each one once.
# Needs: bash, jq, openssl 3. Reads CLIENT_ID, KEY_ID, PRIVATE_KEY_FILE and SANDBOX_URL.
set -euo pipefail
: "${CLIENT_ID:?}" "${KEY_ID:?}" "${PRIVATE_KEY_FILE:?}" "${SANDBOX_URL:?}"

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

now=$(date +%s)
header=$(jq -cn --arg kid "$KEY_ID" '{alg: "EdDSA", kid: $kid}' | b64url)
# iss and sub: the client itself. aud: the authorization server's issuer identifier (here the
# sandbox's origin). exp: a minute from now; the sandbox refuses more than five.
payload=$(jq -cn --arg id "$CLIENT_ID" --arg aud "$SANDBOX_URL" --arg jti "$(openssl rand -hex 16)" \
  --argjson now "$now" '{iss: $id, sub: $id, aud: $aud, iat: $now, exp: ($now + 60), jti: $jti}' | b64url)

# openssl 3.0 signs Ed25519 in one shot, from a file.
signing_input=$(mktemp)
trap 'rm -f "$signing_input"' EXIT
printf '%s.%s' "$header" "$payload" >"$signing_input"
signature=$(openssl pkeyutl -sign -rawin -inkey "$PRIVATE_KEY_FILE" -in "$signing_input" | b64url)
echo "$header.$payload.$signature"
