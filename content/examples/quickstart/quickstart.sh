#!/usr/bin/env bash
# Quickstart: register a sandbox client, get an access token, call the API.
# Needs bash, curl and jq. Reads SANDBOX_URL from the environment, e.g. {{ORIGIN}}.
set -euo pipefail
: "${SANDBOX_URL:?Set SANDBOX_URL to the origin that serves this guide, e.g. {{ORIGIN}}}"

# 1. Register a disposable client (RFC 7591). The sandbox answers with a new client ID and secret.
registration=$(curl --silent --show-error --fail-with-body \
  --json '{"client_name": "quickstart"}' \
  "$SANDBOX_URL/oauth/register")
CLIENT_ID=$(jq -r .client_id <<<"$registration")
CLIENT_SECRET=$(jq -r .client_secret <<<"$registration")

# 2. Trade the client's ID and secret for an access token (RFC 6749 §4.4).
access_token=$(curl --silent --show-error --fail-with-body \
  --user "$CLIENT_ID:$CLIENT_SECRET" \
  --data grant_type=client_credentials \
  "$SANDBOX_URL/oauth/token" | jq -r .access_token)

# 3. Call the API with the token in the Authorization header (RFC 6750 §2.1).
curl --silent --show-error --fail-with-body \
  --header "Authorization: Bearer $access_token" \
  --write-out '\nGET /api/v1/reports: HTTP %{http_code}\n' \
  "$SANDBOX_URL/api/v1/reports"
