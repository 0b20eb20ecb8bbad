"""Gets a token and calls the API with requests-oauthlib (pip install requests-oauthlib, or
Debian's python3-requests-oauthlib), the OAuth layer over requests.
Run: python3 requests_oauthlib_client.py
Reads CLIENT_ID, CLIENT_SECRET, TOKEN_URL and API_BASE_URL from the environment; in the sandbox,
they default to $SANDBOX_URL/oauth/token and $SANDBOX_URL/api/v1.

oauthlib refuses plain http (InsecureTransportError) unless OAUTHLIB_INSECURE_TRANSPORT=1 is set.
The local sandbox speaks plain http, so this program sets it for a loopback URL only; a token
request to any other host must use https."""

import os
import sys
from urllib.parse import quote_plus, urlsplit

import requests
from oauthlib.oauth2 import BackendApplicationClient, OAuth2Error
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth2Session

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

if urlsplit(token_url).scheme == "http" and urlsplit(token_url).hostname in ("localhost", "127.0.0.1", "::1"):
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"


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


def refuse_redirects(response: requests.Response, *args, **kwargs) -> None:
    """fetch_token cannot be told not to follow redirects, and a followed redirect would carry the
    credentials elsewhere: a response hook sees the 3xx before requests follows it."""
    if response.is_redirect:
        raise RequestFailed(describe_failure(response))


def check_token_response(response: requests.Response) -> requests.Response:
    """oauthlib parses any answer as a token answer: check the status first, so that a proxy's
    HTML page or an OAuth error reads as what it is."""
    if response.status_code != 200:
        raise RequestFailed(describe_failure(response))
    return response


# BackendApplicationClient is oauthlib's client credentials grant; the scope goes to it, not to
# fetch_token (requests-oauthlib 1.3 leaves the scope out of the request otherwise).
session = OAuth2Session(client=BackendApplicationClient(client_id=env("CLIENT_ID"), scope=["{{READ_SCOPE}}"]))
session.hooks["response"].append(refuse_redirects)
session.register_compliance_hook("access_token_response", check_token_response)

try:
    token = session.fetch_token(
        token_url=token_url,
        # client_secret_basic (RFC 6749 §2.3.1): requests' Basic auth does not form-encode the ID
        # and the secret, so they are passed form-encoded; include_client_id=False keeps the ID
        # out of the body (a client uses one method only).
        auth=HTTPBasicAuth(quote_plus(env("CLIENT_ID")), quote_plus(env("CLIENT_SECRET"))),
        include_client_id=False,
        timeout=TIMEOUT,
    )
except RequestFailed as failure:
    sys.exit(f"Token request failed: {failure}")
except requests.Timeout:
    sys.exit(f"Token request failed: no answer from {token_url} within {TIMEOUT} s")
except (requests.RequestException, OAuth2Error, ValueError) as error:
    sys.exit(f"Token request failed: {token_url}: {error}")

# oauthlib keeps expires_in as sent, and without it no expiry at all: a long-running job renews
# the token itself before it expires (after DEFAULT_EXPIRES_IN without one), as on the
# Expiration and refresh page.
print(f"expires_in: {token.get('expires_in', f'not sent; assuming {DEFAULT_EXPIRES_IN}')}")
print(f"scope: {' '.join(token.get('scope') or []) or 'not sent'}")

try:
    response = session.get(f"{api_base_url}/reports", headers={"Accept": "application/json"}, timeout=TIMEOUT)
except RequestFailed as failure:
    sys.exit(f"API call failed: GET /api/v1/reports: {failure}")
except requests.Timeout:
    sys.exit(f"API call failed: no answer from {api_base_url} within {TIMEOUT} s")
except requests.RequestException as error:
    sys.exit(f"API call failed: {api_base_url}: {error}")
if not response.ok:
    sys.exit(f"API call failed: GET /api/v1/reports: {describe_failure(response)}")
print(f"GET /api/v1/reports: HTTP {response.status_code}")
print(response.text)
