#!/usr/bin/env bash
# Requests a token with private_key_jwt (RFC 7523 §2.2): no secret, a signed assertion instead,
# made by client-assertion.sh next to this file. Then calls the API with the token.
# Needs: bash, curl 7.82+, jq, openssl 3. Reads CLIENT_ID, KEY_ID, PRIVATE_KEY_FILE, SANDBOX_URL.
set -euo pipefail
here=$(dirname "$0")

response=$(curl -sS "$SANDBOX_URL/oauth/token" \
  -d grant_type=client_credentials \
  -d scope={{READ_SCOPE}} \
  --data-urlencode "client_id=$CLIENT_ID" \
  -d client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer \
  -d "client_assertion=$(bash "$here/client-assertion.sh")")

if [ "$(jq -r '.access_token // empty' <<<"$response")" = "" ]; then
  echo "token request failed: $response" >&2
  exit 1
fi
jq -r '"token_type: \(.token_type)", "expires_in: \(.expires_in)", "scope: \(.scope)",
  "access_token: \(.access_token | length) characters, not printed"' <<<"$response"

access_token=$(jq -r .access_token <<<"$response")
status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $access_token" "$SANDBOX_URL/api/v1/reports")
echo "GET /api/v1/reports: HTTP $status"
[ "$status" = 200 ]
