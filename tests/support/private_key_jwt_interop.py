"""Gets tokens from a listening sandbox with private_key_jwt, the way Python integrators do:
Authlib's PrivateKeyJWT on a requests session, and PyJWT signing the assertion by hand.

Usage: private_key_jwt_interop.py ORIGIN. Prints one JSON line: for each library, the HTTP status
of the token request, of the API call, the aud and lifetime its assertion carried, and what the
sandbox said to Authlib's defaults.
"""

import base64
import json
import sys
import time
import uuid

import jwt  # PyJWT
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey
from authlib.oauth2.rfc7523 import PrivateKeyJWT, private_key_jwt_sign
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
origin = sys.argv[1]
metadata = requests.get(f"{origin}/.well-known/oauth-authorization-server", timeout=10).json()
issuer = metadata["issuer"]
token_endpoint = metadata["token_endpoint"]


def claims_of(assertion):
    payload = assertion.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def register():
    """A fresh P-256 key pair; the public half is registered as the client's jwks."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    jwk = JsonWebKey.import_key(public_pem).as_dict()
    response = requests.post(
        f"{origin}/oauth/register",
        json={"token_endpoint_auth_method": "private_key_jwt", "jwks": {"keys": [jwk]}},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["client_id"], pem, jwk["kid"]


def api_status(access_token):
    return requests.get(
        f"{origin}/api/v1/reports", headers={"Authorization": f"Bearer {access_token}"}, timeout=10
    ).status_code


def sent_assertion(response):
    body = dict(part.split("=", 1) for part in response.request.body.split("&"))
    return claims_of(requests.utils.unquote(body["client_assertion"]))


result = {}

# Authlib as its documentation shows it: its default assertion lives an hour, which the sandbox
# refuses (at most 5 minutes).
client_id, pem, kid = register()
session = OAuth2Session(client_id, pem, token_endpoint_auth_method="private_key_jwt")
session.register_client_auth_method(PrivateKeyJWT(token_endpoint, alg="ES256"))
try:
    session.fetch_token(token_endpoint, grant_type="client_credentials")
    result["authlib_default"] = {"status": 200}
except Exception as error:  # Authlib raises OAuthError with the server's error code
    result["authlib_default"] = {"error": getattr(error, "error", str(error)), "description": getattr(error, "description", "")}


class ShortLivedPrivateKeyJWT(PrivateKeyJWT):
    """Authlib's PrivateKeyJWT with a 60-second assertion and a fresh jti each time."""

    def sign(self, auth, token_endpoint):
        return private_key_jwt_sign(
            auth.client_secret,
            client_id=auth.client_id,
            token_endpoint=token_endpoint,
            alg=self.alg,
            headers={"kid": kid},
            expires_in=60,
        )


session = OAuth2Session(client_id, pem, token_endpoint_auth_method="private_key_jwt")
session.register_client_auth_method(ShortLivedPrivateKeyJWT(token_endpoint, alg="ES256"))
captured = []
session.hooks["response"].append(lambda response, *args, **kwargs: captured.append(response))
tokens = [session.fetch_token(token_endpoint, grant_type="client_credentials") for _ in range(2)]
claims = sent_assertion(captured[0])
result["authlib"] = {
    "status": 200,
    "api": api_status(tokens[1]["access_token"]),
    "aud": claims["aud"],
    "lifetime": claims["exp"] - claims["iat"],
}

# PyJWT: the assertion built by hand, aud the issuer identifier.
now = int(time.time())
assertion = jwt.encode(
    {"iss": client_id, "sub": client_id, "aud": issuer, "iat": now, "exp": now + 60, "jti": str(uuid.uuid4())},
    pem,
    algorithm="ES256",
    headers={"kid": kid},
)
response = requests.post(
    token_endpoint,
    data={
        "grant_type": "client_credentials",
        "client_id": client_id,
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": assertion,
    },
    timeout=10,
)
result["pyjwt"] = {
    "status": response.status_code,
    "api": api_status(response.json().get("access_token", "")),
    "aud": claims_of(assertion)["aud"],
}
print(json.dumps(result))
