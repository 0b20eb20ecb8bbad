"""Gets a token and calls the API with Authlib (pip install Authlib requests, or Debian's
python3-authlib), a maintained OAuth library. Run: python3 authlib_client.py
Reads CLIENT_ID, CLIENT_SECRET, TOKEN_URL and API_BASE_URL from the environment; in the sandbox,
they default to $SANDBOX_URL/oauth/token and $SANDBOX_URL/api/v1."""

import os
import sys
import time
from urllib.parse import quote_plus

import requests
from authlib.integrations.requests_client import OAuth2Session

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
api_base_url = env("API_BASE_URL", sandbox_url and f"{sandbox_url}/api/v1")


class RequestFailed(Exception):
    pass


def describe_failure(response: requests.Response) -> str:
    """One line: the status, then the OAuth error (RFC 6749 §5.2, RFC 6750 §3) when there is one."""
    if response.is_redirect:
        return f"HTTP {response.status_code}, a redirect to {response.headers.get('Location')}; token requests do not follow redirects (check TOKEN_URL)"
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return f"HTTP {response.status_code} {body['error']}: {body.get('error_description', '')}"
    return f"HTTP {response.status_code}, not an OAuth error answer: {' '.join(response.text.split())[:200]}"


def check_token_response(response: requests.Response) -> requests.Response:
    """Authlib reads any answer under 500 as JSON: check the status first, so that a redirect or a
    proxy's HTML page reads as what it is."""
    if response.status_code != 200:
        raise RequestFailed(describe_failure(response))
    return response


client = OAuth2Session(
    scope="{{READ_SCOPE}}",
    token_endpoint=token_url,
    grant_type="client_credentials",
    default_timeout=TIMEOUT,
)
client.register_compliance_hook("access_token_response", check_token_response)

try:
    token = client.fetch_token(
        token_url,
        # client_secret_basic (RFC 6749 §2.3.1). Authlib 1.2 does not form-encode the ID and the
        # secret before Basic, so this passes them form-encoded, as requests' Basic auth.
        auth=(quote_plus(env("CLIENT_ID")), quote_plus(env("CLIENT_SECRET"))),
        # A redirected token request would carry the secret elsewhere: treat a 3xx as an error.
        allow_redirects=False,
    )
except RequestFailed as failure:
    sys.exit(f"Token request failed: {failure}")
except requests.Timeout:
    sys.exit(f"Token request failed: no answer from {token_url} within {TIMEOUT} s")
except (requests.RequestException, ValueError) as error:
    sys.exit(f"Token request failed: {token_url}: {error}")

if "expires_at" not in token:
    # Without expires_in Authlib would keep the token forever: give it the default lifetime.
    token["expires_at"] = int(time.time()) + DEFAULT_EXPIRES_IN
# Authlib 1.2 renews a client credentials token on the next call after it expired, with no
# safety margin. A long-running job renews it itself before expires_at, as on the Expiration
# and refresh page.

try:
    response = client.get(f"{api_base_url}/reports", headers={"Accept": "application/json"}, allow_redirects=False)
except requests.Timeout:
    sys.exit(f"API call failed: no answer from {api_base_url} within {TIMEOUT} s")
except requests.RequestException as error:
    sys.exit(f"API call failed: {api_base_url}: {error}")
if not response.ok:
    sys.exit(f"API call failed: GET /api/v1/reports: {describe_failure(response)}")
print(f"GET /api/v1/reports: HTTP {response.status_code}")
print(response.text)
