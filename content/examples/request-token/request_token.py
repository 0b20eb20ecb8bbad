"""Requests an access token with the client credentials grant (RFC 6749 §4.4) and prints
what came back. Run: python3 request_token.py (needs the requests package).
Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment."""

import os
import sys
from urllib.parse import quote_plus

import requests

token_url = f"{os.environ['SANDBOX_URL']}/oauth/token"

# client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, then send them as
# HTTP Basic credentials. requests does the Basic part; quote_plus does the form-encoding.
auth = (quote_plus(os.environ["CLIENT_ID"]), quote_plus(os.environ["CLIENT_SECRET"]))

response = requests.post(
    token_url,
    data={"grant_type": "client_credentials", "scope": "{{READ_SCOPE}}"},
    auth=auth,
    headers={"Accept": "application/json"},
    timeout=10,
)
body = response.json()

if not response.ok:
    # RFC 6749 §5.2: an error answer names the problem in "error".
    sys.exit(f"Token request failed: HTTP {response.status_code} {body.get('error')}: {body.get('error_description', '')}")

print(f"token_type: {body['token_type']}")
print(f"expires_in: {body['expires_in']}")
print(f"scope: {body.get('scope')}")
# The token is a credential: print its length, never the token itself.
print(f"access_token: {len(body['access_token'])} characters, not printed")
