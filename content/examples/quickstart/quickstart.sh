#!/usr/bin/env bash
# Quickstart: register a sandbox client, get an access token, call the API.
# Needs bash, curl and jq. Run: SANDBOX_URL={{ORIGIN}} bash quickstart.sh
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

# RFC 6749 §2.3.1: form-encode the ID and the secret before HTTP Basic. curl's --user does not;
# jq's @uri does (its input comes on stdin, so the secret never becomes an argument).
form_encode() { jq --raw-input --raw-output @uri <<<"$1"; }

# 1. Register a disposable client (RFC 7591). The sandbox answers with a new client ID and secret.
send "Registration" \
  --header 'Content-Type: application/json' \
  --data '{"client_name": "quickstart", "scope": "{{READ_SCOPE}}"}' \
  "$SANDBOX_URL/oauth/register"
[[ $status == 201 ]] || { echo "Registration failed: $(describe_failure)" >&2; exit 1; }
CLIENT_ID=$(jq --raw-output .client_id <<<"$body")
CLIENT_SECRET=$(jq --raw-output .client_secret <<<"$body")

# 2. Trade the client's ID and secret for an access token (RFC 6749 §4.4), asking only for the
# scope the job needs. The credentials reach curl on stdin (--config -), never as arguments:
# any user on the host can read a process's arguments with `ps`.
send "Token request" --config - \
  --data grant_type=client_credentials \
  --data-urlencode scope={{READ_SCOPE}} \
  "$SANDBOX_URL/oauth/token" <<CONFIG
user = "$(form_encode "$CLIENT_ID"):$(form_encode "$CLIENT_SECRET")"
CONFIG
[[ $status == 200 ]] || { echo "Token request failed: $(describe_failure)" >&2; exit 1; }
access_token=$(jq --raw-output .access_token <<<"$body")

# 3. Call the API with the token in the Authorization header (RFC 6750 §2.1).
send "API call" --config - "$SANDBOX_URL/api/v1/reports" <<CONFIG
header = "Authorization: Bearer $access_token"
CONFIG
[[ $status == 200 ]] || { echo "API call failed: GET /api/v1/reports: $(describe_failure)" >&2; exit 1; }
echo "$body"
echo "GET /api/v1/reports: HTTP $status"
