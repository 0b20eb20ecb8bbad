"""Requests an access token with the client credentials grant (RFC 6749 §4.4) and prints what
came back. Run: python3 request_token.py (needs the requests package).
Reads CLIENT_ID, CLIENT_SECRET and TOKEN_URL from the environment; in the sandbox, TOKEN_URL
defaults to $SANDBOX_URL/oauth/token."""

import os
import sys
from urllib.parse import quote_plus

import requests

# RFC 6749 §5.1: expires_in is RECOMMENDED, not REQUIRED. Without it, assume 5 minutes.
DEFAULT_EXPIRES_IN = 300
TIMEOUT = 10  # seconds, for connecting and for each read


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name) or default
    if not value:
        sys.exit(f"Set {name} in the environment.")
    return value


sandbox_url = os.environ.get("SANDBOX_URL")
token_url = env("TOKEN_URL", sandbox_url and f"{sandbox_url}/oauth/token")

try:
    response = requests.post(
        token_url,
        data={"grant_type": "client_credentials", "scope": "{{READ_SCOPE}}"},
        # client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, then send them
        # as HTTP Basic credentials. requests does the Basic part; quote_plus does the form-encoding.
        auth=(quote_plus(env("CLIENT_ID")), quote_plus(env("CLIENT_SECRET"))),
        headers={"Accept": "application/json"},
        timeout=TIMEOUT,
        # A redirected token request would carry the secret elsewhere: treat a 3xx as an error.
        allow_redirects=False,
    )
except requests.Timeout:
    sys.exit(f"Token request failed: no answer from {token_url} within {TIMEOUT} s")
except requests.RequestException as error:
    sys.exit(f"Token request failed: {token_url}: {error}")

# Check the status before reading the body as JSON: a proxy's 502 page is HTML.
try:
    body = response.json()
except ValueError:
    body = None
if not isinstance(body, dict):
    body = {}
one_line = " ".join(response.text.split())[:200]

if response.is_redirect:
    sys.exit(
        f"Token request failed: HTTP {response.status_code}, a redirect to {response.headers.get('Location')}; "
        "token requests do not follow redirects (check TOKEN_URL)"
    )
if response.status_code != 200:
    # RFC 6749 §5.2: an OAuth error answer is JSON with "error" and maybe "error_description".
    if isinstance(body.get("error"), str):
        sys.exit(f"Token request failed: HTTP {response.status_code} {body['error']}: {body.get('error_description', '')}")
    sys.exit(f"Token request failed: HTTP {response.status_code}, not an OAuth error answer: {one_line}")
if not isinstance(body.get("access_token"), str):
    sys.exit(f"Token request failed: HTTP 200 without an access_token: {one_line}")

expires_in = body.get("expires_in")
print(f"token_type: {body.get('token_type')}")
print(f"expires_in: {expires_in if expires_in is not None else f'not sent; assuming {DEFAULT_EXPIRES_IN}'}")
print(f"scope: {body.get('scope', 'not sent')}")
# The token is a credential: print its length, never the token itself.
print(f"access_token: {len(body['access_token'])} characters, not printed")
