#!/usr/bin/env bash
# Registers a disposable sandbox client (RFC 7591) and prints its credentials as shell exports.
# Needs bash, curl and jq. Reads SANDBOX_URL from the environment.
# Use: eval "$(bash register-client.sh)" sets CLIENT_ID and CLIENT_SECRET in your shell.
# Sandbox secrets are disposable test values; never print a production secret like this.
set -euo pipefail
: "${SANDBOX_URL:?Set SANDBOX_URL to the origin that serves this guide}"

# Sends one request with curl: 10 s at most, redirects not followed (curl follows none unless
# told to). Arguments: what it is (for messages), then curl's arguments. A curl config on stdin,
# if any, passes on. Sets $status, $location and $body; ends the script when no answer came.
send() {
  local what=$1 answer code
  shift
  answer=$(curl --silent --max-time 10 --write-out '\n%{http_code} %{redirect_url}' "$@") || {
    code=$?
    case $code in
      6) echo "$what failed: could not resolve the host of ${*: -1}" >&2 ;;
      7) echo "$what failed: could not connect to ${*: -1}" >&2 ;;
      28) echo "$what failed: no answer from ${*: -1} within 10 s" >&2 ;;
      *) echo "$what failed: curl exit code $code for ${*: -1}" >&2 ;;
    esac
    exit 1
  }
  body=${answer%$'\n'*}
  read -r status location <<<"${answer##*$'\n'}"
}

# One line: the status, then the OAuth error (RFC 6749 §5.2, RFC 6750 §3) when the body is one.
describe_failure() {
  local one_line
  one_line=$(tr -s '[:space:]' ' ' <<<"$body")
  if [[ $status == 3?? ]]; then
    echo "HTTP $status, a redirect to ${location:-an unnamed place}; token requests do not follow redirects (check the URL)"
  elif jq --exit-status '.error | strings' <<<"$body" >/dev/null 2>&1; then
    jq --raw-output --arg status "$status" '"HTTP \($status) \(.error): \(.error_description // "")"' <<<"$body"
  else
    echo "HTTP $status, not an OAuth error answer: ${one_line:0:200}"
  fi
}

# Every field is optional. Leave out scope to get every scope; access_token_lifetime is
# 5 to 3600 seconds; token_endpoint_auth_method is client_secret_basic or client_secret_post.
metadata='{
  "client_name": "my first client",
  "scope": "{{READ_SCOPE}}",
  "token_endpoint_auth_method": "client_secret_basic",
  "access_token_lifetime": 3600
}'

send "Registration" --header 'Content-Type: application/json' --data "$metadata" "$SANDBOX_URL/oauth/register"
[[ $status == 201 ]] || { echo "Registration failed: $(describe_failure)" >&2; exit 1; }

jq --raw-output '"export CLIENT_ID=\(.client_id | @sh)",
       "export CLIENT_SECRET=\(.client_secret | @sh)",
       "# scope: \(.scope); expires: \(.client_secret_expires_at | todate)"' <<<"$body"
