#!/usr/bin/env bash
# Requests an access token with the client's ID and secret in the form body
# (client_secret_post, RFC 6749 §2.3.1) instead of a Basic header. Needs bash, curl and jq.
# The client must be registered with "token_endpoint_auth_method": "client_secret_post".
# Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
set -euo pipefail
: "${CLIENT_ID:?Set CLIENT_ID}" "${CLIENT_SECRET:?Set CLIENT_SECRET}"
: "${SANDBOX_URL:?Set SANDBOX_URL to the origin that serves this guide, e.g. {{ORIGIN}}}"

if ! response=$(curl --silent --show-error --fail-with-body \
  --data grant_type=client_credentials \
  --data-urlencode "client_id=$CLIENT_ID" \
  --data-urlencode "client_secret=$CLIENT_SECRET" \
  --data-urlencode scope={{READ_SCOPE}} \
  "$SANDBOX_URL/oauth/token"); then
  echo "Token request failed: $response" >&2
  exit 1
fi

jq -r '"token_type: \(.token_type)",
       "expires_in: \(.expires_in)",
       "scope: \(.scope)",
       "access_token: \(.access_token | length) characters, not printed"' <<<"$response"
