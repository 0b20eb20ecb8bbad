"""Gets an access token, then calls the API with it.
Run: python3 call_api.py (needs the requests package).
Reads CLIENT_ID, CLIENT_SECRET, TOKEN_URL and API_BASE_URL from the environment; in the sandbox,
they default to $SANDBOX_URL/oauth/token and $SANDBOX_URL/api/v1."""

import os
import sys
from urllib.parse import quote_plus

import requests

TIMEOUT = 10  # seconds, for connecting and for each read


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name) or default
    if not value:
        sys.exit(f"Set {name} in the environment.")
    return value


sandbox_url = os.environ.get("SANDBOX_URL")
token_url = env("TOKEN_URL", sandbox_url and f"{sandbox_url}/oauth/token")
api_base_url = env("API_BASE_URL", sandbox_url and f"{sandbox_url}/api/v1")


def send(what: str, method: str, url: str, **kwargs) -> requests.Response:
    """One request with a 10 s timeout and no redirects; ends the program when none comes back."""
    try:
        return requests.request(method, url, timeout=TIMEOUT, allow_redirects=False, **kwargs)
    except requests.Timeout:
        sys.exit(f"{what} failed: no answer from {url} within {TIMEOUT} s")
    except requests.RequestException as error:
        sys.exit(f"{what} failed: {url}: {error}")


def json_object(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def describe_failure(response: requests.Response) -> str:
    """One line: the status, then the OAuth error (RFC 6749 §5.2, RFC 6750 §3) when there is one."""
    if response.is_redirect:
        return f"HTTP {response.status_code}, a redirect to {response.headers.get('Location')}; token requests do not follow redirects (check the URL)"
    body = json_object(response)
    if isinstance(body.get("error"), str):
        return f"HTTP {response.status_code} {body['error']}: {body.get('error_description', '')}"
    return f"HTTP {response.status_code}, not an OAuth error answer: {' '.join(response.text.split())[:200]}"


def request_access_token() -> str:
    response = send(
        "Token request",
        "POST",
        token_url,
        data={"grant_type": "client_credentials", "scope": "{{READ_SCOPE}}"},
        # client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, then Basic.
        auth=(quote_plus(env("CLIENT_ID")), quote_plus(env("CLIENT_SECRET"))),
        headers={"Accept": "application/json"},
    )
    # Check the status before trusting the body as JSON: a proxy's 502 page is HTML.
    if response.status_code != 200:
        sys.exit(f"Token request failed: {describe_failure(response)}")
    access_token = json_object(response).get("access_token")
    if not isinstance(access_token, str):
        sys.exit(f"Token request failed: HTTP 200 without an access_token: {response.text[:200]}")
    # A job that keeps the token would also read expires_in here, 300 s when it is missing (RFC
    # 6749 §5.1); see the token clients on the Expiration and refresh page.
    return access_token


access_token = request_access_token()

# RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.
response = send(
    "API call",
    "GET",
    f"{api_base_url}/reports",
    headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
)
if not response.ok:
    # RFC 6750 §3: the reason is in the WWW-Authenticate header too; log it, it holds no secret.
    challenge = response.headers.get("WWW-Authenticate")
    sys.exit(f"API call failed: GET /api/v1/reports: {describe_failure(response)}" + (f" (WWW-Authenticate: {challenge})" if challenge else ""))
print(f"GET /api/v1/reports: HTTP {response.status_code}")
print(response.text)
