#!/usr/bin/env bash
# Requests an access token with the client credentials grant (RFC 6749 §4.4) and prints
# what came back. Needs bash, curl and jq.
# Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
set -euo pipefail
: "${CLIENT_ID:?Set CLIENT_ID}" "${CLIENT_SECRET:?Set CLIENT_SECRET}"
: "${SANDBOX_URL:?Set SANDBOX_URL to the origin that serves this guide, e.g. {{ORIGIN}}}"

# --user sends the ID and secret in an HTTP Basic header: client_secret_basic (RFC 6749 §2.3.1).
# That section asks for each to be form-encoded first; sandbox IDs and secrets contain only
# characters that encoding leaves as they are.
if ! response=$(curl --silent --show-error --fail-with-body \
  --user "$CLIENT_ID:$CLIENT_SECRET" \
  --data grant_type=client_credentials \
  --data-urlencode scope={{READ_SCOPE}} \
  "$SANDBOX_URL/oauth/token"); then
  echo "Token request failed: $response" >&2
  exit 1
fi

# The token is a credential: print its length, never the token itself.
jq -r '"token_type: \(.token_type)",
       "expires_in: \(.expires_in)",
       "scope: \(.scope)",
       "access_token: \(.access_token | length) characters, not printed"' <<<"$response"
