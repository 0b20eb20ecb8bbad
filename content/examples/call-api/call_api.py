"""Gets an access token, then calls the API with it.
Run: python3 call_api.py (needs the requests package).
Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment."""

import os
import sys
from urllib.parse import quote_plus

import requests

token_url = f"{os.environ['SANDBOX_URL']}/oauth/token"
api_base_url = f"{os.environ['SANDBOX_URL']}/api/v1"


def request_access_token() -> str:
    response = requests.post(
        token_url,
        data={"grant_type": "client_credentials", "scope": "{{READ_SCOPE}}"},
        auth=(quote_plus(os.environ["CLIENT_ID"]), quote_plus(os.environ["CLIENT_SECRET"])),
        headers={"Accept": "application/json"},
        timeout=10,
    )
    body = response.json()
    if not response.ok:
        sys.exit(f"Token request failed: HTTP {response.status_code} {body.get('error')}: {body.get('error_description', '')}")
    return body["access_token"]


access_token = request_access_token()

# RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.
response = requests.get(
    f"{api_base_url}/reports",
    headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
    timeout=10,
)

print(f"GET /api/v1/reports: HTTP {response.status_code}")
if not response.ok:
    # RFC 6750 §3: the reason is in the WWW-Authenticate header.
    sys.exit(f"WWW-Authenticate: {response.headers.get('WWW-Authenticate')}")
print(response.text)
