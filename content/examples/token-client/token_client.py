"""A token client for the client credentials grant. It keeps the token, renews it before it
expires, lets concurrent callers share one renewal, retries an API call once on 401, and
backs off on 429 and 5xx. Run: python3 token_client.py (needs the requests package).
Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment."""

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote_plus

import requests

token_url = f"{os.environ['SANDBOX_URL']}/oauth/token"
api_base_url = f"{os.environ['SANDBOX_URL']}/api/v1"

# Renew this long before the token expires; short-lived tokens renew at half their life.
SAFETY_MARGIN_SECONDS = 60


def with_backoff(send, max_attempts=4):
    """Sends a request again on 429 or 5xx: after Retry-After when the server gives one, else 1, 2, 4 s."""
    for attempt in range(1, max_attempts + 1):
        response = send()
        if (response.status_code != 429 and response.status_code < 500) or attempt == max_attempts:
            return response
        retry_after = response.headers.get("Retry-After", "")
        time.sleep(min(int(retry_after), 60) if retry_after.isdigit() else 2 ** (attempt - 1))


class TokenClient:
    def __init__(self, client_id: str, client_secret: str):
        # client_secret_basic (RFC 6749 §2.3.1): form-encode each part before Basic.
        self._auth = (quote_plus(client_id), quote_plus(client_secret))
        self._lock = threading.Lock()
        self._token = None
        self._renew_at = 0.0
        self.token_requests = 0

    def access_token(self) -> str:
        """A token that is valid now: the kept one, or a new one."""
        # One renewal for everyone: the first caller renews while the others wait for the lock,
        # then find the new token. time.monotonic() ignores changes of the wall clock.
        with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                self._request_token()
            return self._token

    def _request_token(self) -> None:
        self.token_requests += 1
        # expires_in counts from when the server answered; timing from the request errs on the safe side.
        sent_at = time.monotonic()
        response = with_backoff(lambda: requests.post(
            token_url,
            data={"grant_type": "client_credentials", "scope": "reports:read"},
            auth=self._auth,
            headers={"Accept": "application/json"},
            timeout=10,
        ))
        body = response.json()
        if not response.ok:
            raise RuntimeError(f"Token request failed: HTTP {response.status_code} {body.get('error')}: {body.get('error_description', '')}")
        lifetime = body["expires_in"]
        self._token = body["access_token"]
        self._renew_at = sent_at + lifetime - min(SAFETY_MARGIN_SECONDS, lifetime / 2)

    def _forget(self, token: str) -> None:
        with self._lock:
            # Forget the refused token, unless another caller has already replaced it.
            if self._token == token:
                self._token = None

    def get(self, path: str) -> requests.Response:
        """Calls the API. On 401 the token was refused (revoked, expired early): renew once and retry."""
        for attempt in (1, 2):
            token = self.access_token()
            response = with_backoff(lambda: requests.get(
                f"{api_base_url}{path}",
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                timeout=10,
            ))
            if response.status_code != 401 or attempt == 2:
                return response
            self._forget(token)


client = TokenClient(os.environ["CLIENT_ID"], os.environ["CLIENT_SECRET"])

# Three calls at once share one token request.
with ThreadPoolExecutor(max_workers=3) as pool:
    responses = list(pool.map(lambda _: client.get("/reports"), range(3)))

for index, response in enumerate(responses, start=1):
    print(f"call {index}: GET /api/v1/reports: HTTP {response.status_code}")
print(f"token requests: {client.token_requests}")
if any(not response.ok for response in responses):
    sys.exit(1)
