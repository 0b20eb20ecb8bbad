"""Gets a token with private_key_jwt (RFC 7523) and calls the API, with Authlib's PrivateKeyJWT
on a requests session. Run: python3 private_key_jwt.py (Debian: python3-authlib python3-requests).
Reads CLIENT_ID, KEY_ID, PRIVATE_KEY_FILE (an Ed25519 key, PKCS#8 PEM) and SANDBOX_URL.
"""

import os
import sys

from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT, private_key_jwt_sign


def env(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"Set {name} in the environment.")
    return value


sandbox_url = env("SANDBOX_URL")
token_endpoint = f"{sandbox_url}/oauth/token"
with open(env("PRIVATE_KEY_FILE")) as key_file:
    private_key = key_file.read()


class PrivateKeyJWT60s(PrivateKeyJWT):
    """Authlib's PrivateKeyJWT signs assertions that live an hour (Authlib 1.2); the sandbox takes
    at most five minutes. This one lives 60 s, has a fresh jti and names its key by kid."""

    def sign(self, auth, token_endpoint):
        return private_key_jwt_sign(
            auth.client_secret,  # Authlib passes the private key in this slot
            client_id=auth.client_id,
            token_endpoint=token_endpoint,  # Authlib's aud: the token endpoint URL
            alg=self.alg,
            header={"kid": env("KEY_ID")},
            expires_in=60,
        )


session = OAuth2Session(env("CLIENT_ID"), private_key, token_endpoint_auth_method="private_key_jwt")
session.register_client_auth_method(PrivateKeyJWT60s(token_endpoint, alg="EdDSA"))

token = session.fetch_token(token_endpoint, grant_type="client_credentials", scope="{{READ_SCOPE}}")
print(f"token_type: {token['token_type']}")
print(f"expires_in: {token['expires_in']}")
print(f"scope: {token['scope']}")
print(f"access_token: {len(token['access_token'])} characters, not printed")

response = session.get(f"{sandbox_url}/api/v1/reports", timeout=10)
print(f"GET /api/v1/reports: HTTP {response.status_code}")
sys.exit(0 if response.ok else 1)
