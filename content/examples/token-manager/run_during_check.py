"""Calls the API through the reference token source for as long as a check of the client runs.

Three workers call GET /api/v1/reports together about once a second, as a small service would: they
share one ClientCredentialsTokenSource (one cached token, one renewal for all of them, one retry
after 401 invalid_token). A 429 from the API makes every worker wait its Retry-After
(RFC 9110 §10.2.3) before the next call.

Save it beside token_manager.py, then run: python3 run_during_check.py
Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment, and CHECK_SECONDS (how long to
run; default 180, the check's default window).
"""

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from token_manager import ClientCredentialsTokenSource, TokenSourceError, parse_retry_after

WORKERS = 3
PAUSE = 1.0  # seconds between rounds of calls


def main():
    sandbox_url = os.environ["SANDBOX_URL"]
    run_for = float(os.environ.get("CHECK_SECONDS", "180"))
    tokens = ClientCredentialsTokenSource(
        f"{sandbox_url}/oauth/token",
        os.environ["CLIENT_ID"],
        os.environ["CLIENT_SECRET"],
        # Only the scope the calls below need (RFC 9700 §2.3: least privilege).
        scopes=["{{READ_SCOPE}}"],
    )
    statuses = {}
    lock = threading.Lock()
    not_before = [0.0]  # monotonic time before which no call may be sent (the last Retry-After)

    def call(_):
        try:
            response = tokens.request("GET", f"{sandbox_url}/api/v1/reports")
        except (TokenSourceError, OSError) as error:
            # The token source already retried what is worth retrying; this round failed.
            return f"error {getattr(error, 'code', type(error).__name__)}"
        if response.status_code == 429:
            wait = parse_retry_after(response.headers.get("Retry-After"), time.time()) or PAUSE
            with lock:
                not_before[0] = max(not_before[0], time.monotonic() + wait)
        response.close()
        return response.status_code

    end = time.monotonic() + run_for
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        while time.monotonic() < end:
            for status in pool.map(call, range(WORKERS)):
                statuses[status] = statuses.get(status, 0) + 1
            with lock:
                wait = max(PAUSE, not_before[0] - time.monotonic())
            time.sleep(max(0.0, min(wait, end - time.monotonic())))

    print("answers:", ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items(), key=str)))
    if 200 not in statuses:
        sys.exit(1)


if __name__ == "__main__":
    main()
