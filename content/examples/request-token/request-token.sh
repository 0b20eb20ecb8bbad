#!/usr/bin/env bash
# Requests an access token with the client credentials grant (RFC 6749 §4.4) and prints what
# came back. Needs bash, curl and jq. Run: bash request-token.sh
# Reads CLIENT_ID, CLIENT_SECRET and TOKEN_URL from the environment; in the sandbox, TOKEN_URL
# defaults to $SANDBOX_URL/oauth/token.
set -euo pipefail
: "${CLIENT_ID:?Set CLIENT_ID}" "${CLIENT_SECRET:?Set CLIENT_SECRET}"
TOKEN_URL=${TOKEN_URL:-${SANDBOX_URL:?Set TOKEN_URL, or SANDBOX_URL for the sandbox}/oauth/token}
# RFC 6749 §5.1: expires_in is RECOMMENDED, not REQUIRED. Without it, assume 5 minutes.
DEFAULT_EXPIRES_IN=300

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

# client_secret_basic. The credentials reach curl on stdin (--config -), never as arguments:
# any user on the host can read a process's arguments with `ps`.
send "Token request" --config - \
  --header 'Accept: application/json' \
  --data grant_type=client_credentials \
  --data-urlencode scope={{READ_SCOPE}} \
  "$TOKEN_URL" <<CONFIG
user = "$(form_encode "$CLIENT_ID"):$(form_encode "$CLIENT_SECRET")"
CONFIG
# Check the status before reading the body as JSON: a proxy's 502 page is HTML.
[[ $status == 200 ]] || { echo "Token request failed: $(describe_failure)" >&2; exit 1; }
jq --exit-status '.access_token | strings' <<<"$body" >/dev/null 2>&1 ||
  { echo "Token request failed: HTTP 200 without an access_token" >&2; exit 1; }

# The token is a credential: print its length, never the token itself.
jq --raw-output --argjson default "$DEFAULT_EXPIRES_IN" \
  '"token_type: \(.token_type)",
   "expires_in: \(.expires_in // "not sent; assuming \($default)")",
   "scope: \(.scope // "not sent")",
   "access_token: \(.access_token | length) characters, not printed"' <<<"$body"
