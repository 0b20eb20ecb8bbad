#!/usr/bin/env bash
# Registers a disposable sandbox client (RFC 7591) and prints its credentials as shell exports.
# Needs bash, curl and jq. Reads SANDBOX_URL from the environment.
# Use: eval "$(bash register-client.sh)" sets CLIENT_ID and CLIENT_SECRET in your shell.
# Sandbox secrets are disposable test values; never print a production secret like this.
set -euo pipefail
: "${SANDBOX_URL:?Set SANDBOX_URL to the origin that serves this guide, e.g. {{ORIGIN}}}"

# Every field is optional. Leave out scope to get every scope; access_token_lifetime is
# 5 to 3600 seconds; token_endpoint_auth_method is client_secret_basic or client_secret_post.
metadata='{
  "client_name": "my first client",
  "scope": "{{ALL_SCOPES}}",
  "token_endpoint_auth_method": "client_secret_basic",
  "access_token_lifetime": {{SANDBOX_TOKEN_LIFETIME}}
}'

if ! registration=$(curl --silent --show-error --fail-with-body --json "$metadata" "$SANDBOX_URL/oauth/register"); then
  echo "Registration failed: $registration" >&2
  exit 1
fi

jq -r '"export CLIENT_ID=\(.client_id | @sh)",
       "export CLIENT_SECRET=\(.client_secret | @sh)",
       "# scope: \(.scope); expires: \(.client_secret_expires_at | todate)"' <<<"$registration"
