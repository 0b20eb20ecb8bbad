#!/usr/bin/env bash
# Gets an access token, then calls the API with it. Needs bash, curl and jq.
# Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
set -euo pipefail
: "${CLIENT_ID:?Set CLIENT_ID}" "${CLIENT_SECRET:?Set CLIENT_SECRET}"
: "${SANDBOX_URL:?Set SANDBOX_URL to the origin that serves this guide, e.g. {{ORIGIN}}}"

if ! token_response=$(curl --silent --show-error --fail-with-body \
  --user "$CLIENT_ID:$CLIENT_SECRET" \
  --data grant_type=client_credentials \
  --data-urlencode scope={{READ_SCOPE}} \
  "$SANDBOX_URL/oauth/token"); then
  echo "Token request failed: $token_response" >&2
  exit 1
fi
access_token=$(jq -r .access_token <<<"$token_response")

# RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.
# --fail-with-body makes curl exit non-zero on a 4xx or 5xx and still print the error body.
curl --silent --show-error --fail-with-body \
  --header "Authorization: Bearer $access_token" \
  --write-out '\nGET /api/v1/reports: HTTP %{http_code}\n' \
  "$SANDBOX_URL/api/v1/reports"
