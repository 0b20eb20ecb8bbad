"""Drives content/examples/token-manager/token_manager.py with a private key (private_key_jwt)
against a running sandbox and prints what happened as one JSON line, for
tests/integration/reference-clients-private-key.test.ts. Reads SANDBOX_URL, ISSUER, CLIENT_ID,
KEY_ID, PRIVATE_KEY_FILE, OTHER_KEY_FILE (a key the client did not register) and SCOPE."""

import base64
import json
import os
import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "content" / "examples" / "token-manager"))
from token_manager import ClientCredentialsTokenSource, TokenSourceError  # noqa: E402

origin = os.environ["SANDBOX_URL"]
client_id = os.environ["CLIENT_ID"]


class RecordingSession(requests.Session):
    """Keeps the form of every token request, to read the assertions it carried."""

    forms = []

    def post(self, url, data=None, **kwargs):
        self.forms.append(dict(data))
        return super().post(url, data=data, **kwargs)


def claims_of(assertion):
    header, payload = (json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))) for part in assertion.split(".")[:2])
    return header, payload


def source(key_file, session):
    with open(key_file) as handle:
        key = handle.read()
    return ClientCredentialsTokenSource(
        f"{origin}/oauth/token", client_id, private_key=key, key_id=os.environ["KEY_ID"], issuer=os.environ["ISSUER"], scopes=[os.environ["SCOPE"]], session=session
    )


session = RecordingSession()
tokens = source(os.environ["PRIVATE_KEY_FILE"], session)
statuses = [tokens.request("GET", f"{origin}/api/v1/reports").status_code for _ in range(2)]
first = tokens.get_token()
tokens.invalidate(first)  # as after a 401 invalid_token: the next call needs a new token, so a new assertion
statuses.append(tokens.request("GET", f"{origin}/api/v1/reports").status_code)
decoded = [claims_of(form["client_assertion"]) for form in session.forms]

wrong = {"code": None}
try:
    source(os.environ["OTHER_KEY_FILE"], requests.Session()).get_token()
except TokenSourceError as error:
    wrong = {"code": error.code, "message": str(error)}

print(
    json.dumps(
        {
            "statuses": statuses,
            "token_requests": len(session.forms),
            "secrets_sent": sum("client_secret" in form for form in session.forms),
            "assertion_types": sorted({form["client_assertion_type"] for form in session.forms}),
            "headers": [header for header, _ in decoded],
            "iss_sub": sorted({(claims["iss"], claims["sub"]) == (client_id, client_id) for _, claims in decoded}),
            "auds": sorted({claims["aud"] for _, claims in decoded}),
            "lifetimes": [claims["exp"] - claims["iat"] for _, claims in decoded],
            "distinct_jtis": len({claims["jti"] for _, claims in decoded}),
            "wrong_key": wrong,
        }
    )
)
