"""Drives content/examples/token-manager/token_manager.py (as the page shows it) for a client check:
a few threads call the API through one token source for RUN_SECONDS, and the program honours a
429's Retry-After for all of them (the token source backs off at the token endpoint, not at the
API). Prints what it saw as one JSON line. Reads TOKEN_MANAGER_DIR, SANDBOX_URL, CLIENT_ID,
CLIENT_SECRET, RUN_SECONDS, CALLERS, CALL_EVERY_SECONDS, SCOPE."""

import json
import os
import sys
import threading
import time

sys.path.insert(0, os.environ["TOKEN_MANAGER_DIR"])
from token_manager import ClientCredentialsTokenSource  # noqa: E402

origin = os.environ["SANDBOX_URL"]
source = ClientCredentialsTokenSource(
    f"{origin}/oauth/token", os.environ["CLIENT_ID"], os.environ["CLIENT_SECRET"], scopes=[os.environ["SCOPE"]]
)
until = time.monotonic() + float(os.environ["RUN_SECONDS"])
call_every = float(os.environ["CALL_EVERY_SECONDS"])
lock = threading.Lock()
paused_until = 0.0
statuses = {}
failures = []


def caller():
    global paused_until
    while time.monotonic() < until:
        with lock:
            wait = paused_until - time.monotonic()
        if wait > 0:
            time.sleep(wait)
            continue
        try:
            response = source.request("GET", f"{origin}/api/v1/reports", headers={"Accept": "application/json"})
            with lock:
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                retry_after = response.headers.get("Retry-After", "")
                if response.status_code == 429 and retry_after.isdigit():
                    paused_until = max(paused_until, time.monotonic() + int(retry_after) + 0.1)
            response.close()
        except Exception as error:  # noqa: BLE001 - reported, the run goes on
            failures.append(type(error).__name__)
        time.sleep(call_every)


threads = [threading.Thread(target=caller) for _ in range(int(os.environ["CALLERS"]))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"calls": sum(statuses.values()), "statuses": statuses, "failures": failures}))
