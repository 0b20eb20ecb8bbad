"""Drives content/examples/token-manager/token_manager.py against a running sandbox and prints
what happened as one JSON line, for tests/integration/token-manager-python.test.ts to check.
Reads SANDBOX_URL, CLIENT_ID, CLIENT_SECRET, RUN_SECONDS, CALL_EVERY_SECONDS, REVOKE_AT_SECONDS."""

import json
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote_plus

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "content" / "examples" / "token-manager"))
from token_manager import ClientCredentialsTokenSource, TokenSourceError  # noqa: E402

origin = os.environ["SANDBOX_URL"]
client_id = os.environ["CLIENT_ID"]
client_secret = os.environ["CLIENT_SECRET"]
run_seconds = float(os.environ["RUN_SECONDS"])
call_every = float(os.environ["CALL_EVERY_SECONDS"])
revoke_at = float(os.environ["REVOKE_AT_SECONDS"])
# The API profile's read scope, from the test.
scope = os.environ["SCOPE"]

events = []
source = ClientCredentialsTokenSource(f"{origin}/oauth/token", client_id, client_secret, scopes=[scope], on_event=events.append)

# Single flight: eight threads that need a token at the same moment share one request.
barrier = threading.Barrier(8)
first_tokens = []
threads = [threading.Thread(target=lambda: (barrier.wait(), first_tokens.append(source.get_token()))) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
single_flight = {"threads": len(first_tokens), "distinct_tokens": len(set(first_tokens)), "token_requests": sum(e["type"] == "token-requested" for e in events)}

statuses = []
call_starts = []  # time.monotonic() at the start of each call, the token manager's own clock
revoked_token = None
revoked_at_call = None
start = time.monotonic()
call = 0
while time.monotonic() - start < run_seconds:
    if revoked_token is None and time.monotonic() - start >= revoke_at:
        token = source.get_token()
        revoked_token = [e for e in events if e["type"] == "token-issued"][-1]["token"]
        revocation = requests.post(f"{origin}/oauth/revoke", data={"token": token}, auth=(quote_plus(client_id), quote_plus(client_secret)), timeout=10)
        revocation.raise_for_status()
        revoked_at_call = len(statuses)
    call_starts.append(time.monotonic())
    response = source.request("GET", f"{origin}/api/v1/reports", headers={"Accept": "application/json"})
    statuses.append(response.status_code)
    call += 1
    time.sleep(max(0.0, start + call * call_every - time.monotonic()))


class CountingSession(requests.Session):
    requests_sent = 0

    def request(self, *args, **kwargs):
        CountingSession.requests_sent += 1
        return super().request(*args, **kwargs)


wrong = ClientCredentialsTokenSource(f"{origin}/oauth/token", client_id, client_secret + "-wrong", session=CountingSession())
try:
    wrong.get_token()
    wrong_secret = {"code": None}
except TokenSourceError as error:
    wrong_secret = {"code": error.code, "requests": CountingSession.requests_sent, "leaks_secret": client_secret in str(error)}



def calls_started_after_due_before(due, at):
    """How many calls started at or after `due` and before `at`: 0 or 1 when a refresh due at `due`
    came with the call in progress at `due` or with the first call after it, however slow each call."""
    return sum(due <= started < at for started in call_starts)


issued = [e for e in events if e["type"] == "token-issued"]
requested = [e for e in events if e["type"] == "token-requested"]
retries = [e for e in events if e["type"] == "retrying-after-invalid-token"]
print(
    json.dumps(
        {
            "calls": len(statuses),
            "seconds": round(time.monotonic() - start, 2),
            "non_200": [s for s in statuses if s != 200],
            "token_requests": len(requested),
            "reasons": [e["reason"] for e in requested],
            "retries_after_401": [e["token"] for e in retries],
            # Each token's safety margin (expires_at - refresh_at), in seconds.
            "margins": [round(e["expires_at"] - e["refresh_at"], 3) for e in issued],
            # How long after the replaced token's refresh_at each proactive refresh came, in seconds.
            "refresh_lateness": [
                round(e["at"] - issued[index - 1]["refresh_at"], 3) for index, e in enumerate(requested) if e["reason"] == "proactive-refresh"
            ],
            # For each proactive refresh, the calls that started between the replaced token's
            # refresh_at and the refresh: at most 1 (the first call after refresh_at brings it).
            "calls_between_due_and_refresh": [
                calls_started_after_due_before(issued[index - 1]["refresh_at"], e["at"]) for index, e in enumerate(requested) if e["reason"] == "proactive-refresh"
            ],
            "revoked_token": revoked_token,
            "status_after_revocation": statuses[revoked_at_call] if revoked_at_call is not None and revoked_at_call < len(statuses) else None,
            "single_flight": single_flight,
            "wrong_secret": wrong_secret,
            "events_leak_token": any(token in json.dumps(events) for token in first_tokens),
        }
    )
)
