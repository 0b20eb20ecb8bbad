"""A client credentials token source (RFC 6749 §4.4) that always has a valid access token.

- get_token() returns the cached token and requests a new one before it expires: 60 s before,
  or halfway through its life when it lives less than 2 minutes (the margin is the smaller of
  60 s and half the lifetime, so the later of the two moments), so normal calls never carry an
  expired token. A token answered without expires_in is given DEFAULT_EXPIRES_IN (300 s).
- When that early refresh fails, the cached token, still valid, goes on being served until it
  expires (an "early-refresh-failed" event says so); the refresh is tried again halfway to expiry.
- Threads that need a token at the same time share one token request (single flight).
- request() adds "Authorization: Bearer"; on 401 invalid_token it drops the token and retries
  once with a new one, never more.
- 429, 5xx and network failures of the token endpoint are retried with exponential back-off and
  jitter, never sooner than Retry-After, a bounded number of times. Each attempt has a timeout
  (`timeout` seconds to connect and for each read); one that runs out counts as a network
  failure. invalid_client is never retried: it raises TokenSourceError with code "invalid_client".
- Token requests never follow a redirect (allow_redirects=False): the request carries the
  secret, and a 3xx raises TokenSourceError with code "token_endpoint_redirected".
- With private_key (and issuer) instead of client_secret, it authenticates with private_key_jwt
  (RFC 7523 §2.2): every token request, retries included, carries a new assertion signed with
  the key (iss = sub = client_id, aud = issuer, a random jti, 60 s of life). Needs PyJWT with
  cryptography (pip install "pyjwt[crypto]"; Debian: python3-jwt python3-cryptography).
- The clock, sleep, random and HTTP session can be replaced, so tests are deterministic.
  It logs nothing; no event carries a secret or any part of a token.

Run: python3 token_manager.py (Python 3.9 or later, needs the requests package).
Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment (or, for a key,
PRIVATE_KEY_FILE, a PKCS#8 PEM, and KEY_ID instead of CLIENT_SECRET).
"""

import random as random_module
import re
import threading
import time
import uuid
from concurrent.futures import Future
from email.utils import parsedate_to_datetime
from urllib.parse import quote_plus

import requests

# The codes a TokenSourceError can carry; callers compare against these, not the message.
ERROR_CODES = (
    "invalid_client",
    "token_request_refused",
    "invalid_token_response",
    "token_endpoint_redirected",
    "token_endpoint_unavailable",
)

# seconds: the lifetime assumed when a token answer has no expires_in (RFC 6749 §5.1 makes it
# RECOMMENDED only). Short, so a token that lives less is rarely used past its end.
DEFAULT_EXPIRES_IN = 300

MAX_REFRESH_MARGIN = 60.0  # seconds: refresh at the latest 60 s before expiry
# Short-lived tokens: half the lifetime. It must outlast a request's travel and a server that
# counts whole seconds (its exp can come up to 1 s before expires_in says).
REFRESH_MARGIN_SHARE = 0.5

# RFC 7523 §2.2: the client_assertion_type of a JWT client assertion.
JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def _assertion_signer(private_key, algorithm):
    """The private key, loaded once, and its JWS alg: EdDSA for Ed25519, ES256 for P-256, RS256 for RSA."""
    # Imported here: a client with a secret needs only requests.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if isinstance(private_key, str):
        private_key = private_key.encode()
    if isinstance(private_key, bytes):
        private_key = serialization.load_pem_private_key(private_key, password=None)
    if algorithm is None:
        if isinstance(private_key, ed25519.Ed25519PrivateKey):
            algorithm = "EdDSA"
        elif isinstance(private_key, ec.EllipticCurvePrivateKey) and private_key.curve.name == "secp256r1":
            algorithm = "ES256"
        elif isinstance(private_key, rsa.RSAPrivateKey):
            algorithm = "RS256"
        else:
            raise ValueError("private_key must be an Ed25519, P-256 or RSA private key (PKCS#8 PEM)")
    return private_key, algorithm


def sign_client_assertion(private_key, algorithm, key_id, client_id, audience, now, lifetime=60):
    """A fresh client assertion (RFC 7523 §3): iss = sub = client_id, one aud, iat now, a short exp, a random jti."""
    import jwt  # PyJWT

    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "iat": now,
        "exp": now + lifetime,
        "jti": str(uuid.uuid4()),  # single use: the server refuses a jti it has seen
    }
    headers = {"kid": key_id} if key_id is not None else None
    return jwt.encode(claims, private_key, algorithm=algorithm, headers=headers)


class TokenSourceError(Exception):
    """An error of the token source; switch on .code (one of ERROR_CODES)."""

    def __init__(self, code, message, status=None, oauth_error=None, retry_after=None):
        super().__init__(message)
        self.code = code
        self.status = status
        self.oauth_error = oauth_error
        self.retry_after = retry_after


class _CachedToken:
    def __init__(self, access_token, number, expires_at, refresh_at):
        self.access_token = access_token
        self.number = number
        self.expires_at = expires_at
        self.refresh_at = refresh_at

    def __repr__(self):
        return f"<token {self.number}>"  # never the token itself


def parse_retry_after(value, now_epoch):
    """Retry-After (RFC 9110 §10.2.3) in seconds: delay-seconds or an HTTP-date; None if neither."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now_epoch)
    except (TypeError, ValueError, IndexError):
        return None


def _refused_as_invalid_token(response):
    """True when the API refused the token itself: 401 with a Bearer error="invalid_token" (RFC 6750 §3.1)."""
    if response.status_code != 401:
        return False
    header = response.headers.get("WWW-Authenticate", "")
    return re.search(r'(?i)\bbearer\b.*?\berror\s*=\s*"?invalid_token\b', header) is not None


def process_token_response(status, body):
    """Validates a token endpoint answer field by field (RFC 6749 §5.1, §5.2); returns (token, expires_in, scope)."""

    def invalid(message):
        return TokenSourceError("invalid_token_response", message, status=status)

    if status != 200:
        error = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), str) else None
        description = body.get("error_description") if isinstance(body, dict) else None
        detail = f": {description}" if isinstance(description, str) else ""
        # RFC 6749 §5.2: invalid_client is 401 when the client used Basic; a bare 401 says the same.
        if error == "invalid_client" or (status == 401 and error is None):
            raise TokenSourceError(
                "invalid_client",
                f"The token endpoint refused the client credentials (HTTP {status} invalid_client{detail}). "
                "Check the client ID, the secret and the authentication method; this is not retried.",
                status=status,
                oauth_error="invalid_client",
            )
        if error is None:
            raise invalid(f'"response" body "error" must be a string (HTTP {status})')
        raise TokenSourceError(
            "token_request_refused", f"The token endpoint refused the request (HTTP {status} {error}{detail}).", status=status, oauth_error=error
        )

    if not isinstance(body, dict):
        raise invalid('"response" body must be a JSON object')
    access_token = body.get("access_token")
    if not isinstance(access_token, str) or access_token == "":
        raise invalid('"response" body "access_token" must be a non-empty string')
    token_type = body.get("token_type")
    if not isinstance(token_type, str):
        raise invalid('"response" body "token_type" must be a string')
    if token_type.lower() != "bearer":  # RFC 6749 §7.1: case-insensitive
        raise invalid('"response" body "token_type" must be "Bearer"')
    expires_in = body.get("expires_in")
    # RFC 6749 §5.1: expires_in is RECOMMENDED, so it may be absent; when present it must make sense.
    if "expires_in" in body and (isinstance(expires_in, bool) or not isinstance(expires_in, (int, float)) or not expires_in > 0 or expires_in == float("inf")):
        raise invalid('"response" body "expires_in" must be a positive number')
    scope = body.get("scope")
    if scope is not None and not isinstance(scope, str):
        raise invalid('"response" body "scope" must be a string')
    return access_token, expires_in, scope


class ClientCredentialsTokenSource:
    """The Python twin of src/lib/client-credentials-token-source.ts; times are in seconds."""

    def __init__(
        self,
        token_endpoint,
        client_id,
        client_secret=None,
        scopes=(),
        auth_method="client_secret_basic",
        max_attempts=4,
        base_delay=0.5,
        max_delay=30.0,
        clock=time.monotonic,  # monotonic: a change of the wall clock cannot expire or revive a token
        sleep=time.sleep,
        random=random_module.random,
        session=None,
        on_event=None,
        timeout=10.0,
        default_expires_in=DEFAULT_EXPIRES_IN,
        private_key=None,  # a PKCS#8 PEM (str or bytes) or a cryptography private key: private_key_jwt
        key_id=None,  # the kid of the registered public key
        issuer=None,  # with private_key: the server's issuer identifier, the aud of each assertion
        algorithm=None,  # default EdDSA for Ed25519, ES256 for P-256, RS256 for RSA
        assertion_lifetime=60,  # seconds; each assertion is used at once, and once
        wall_clock=time.time,  # an assertion's iat and exp are read against the server's clock
    ):
        self._token_endpoint = token_endpoint
        self._client_id = client_id
        self._form = {"grant_type": "client_credentials"}
        if scopes:
            self._form["scope"] = " ".join(scopes)
        self._signer = None
        if private_key is not None:
            if client_secret is not None:
                raise ValueError("give client_secret or private_key, not both: a client has one authentication method")
            if issuer is None:
                raise ValueError("private_key needs issuer: the server's issuer identifier, the aud of each assertion (RFC 7523 §3)")
            if not 1 <= assertion_lifetime <= 300:
                raise ValueError("assertion_lifetime must be 1 to 300 seconds")
            key, algorithm = _assertion_signer(private_key, algorithm)
            self._signer = (key, algorithm, key_id, str(issuer), assertion_lifetime)
            self._wall_clock = wall_clock
            self._auth = None
            # RFC 7521 §4.2: the assertion goes in the form, with its type; client_id may go too.
            self._form["client_id"] = client_id
            self._form["client_assertion_type"] = JWT_BEARER_ASSERTION_TYPE
        elif client_secret is None:
            raise ValueError("give client_secret, or private_key (private_key_jwt) with issuer")
        elif auth_method == "client_secret_basic":
            # RFC 6749 §2.3.1: form-urlencode the id and the secret before HTTP Basic encodes them.
            self._auth = (quote_plus(client_id), quote_plus(client_secret))
        elif auth_method == "client_secret_post":
            self._auth = None
            self._form.update(client_id=client_id, client_secret=client_secret)
        else:
            raise ValueError("auth_method must be client_secret_basic or client_secret_post")
        self._max_attempts = max(1, max_attempts)
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._clock = clock
        self._sleep = sleep
        self._random = random
        self._session = session or requests.Session()
        self._on_event = on_event
        self._timeout = timeout
        self._default_expires_in = default_expires_in

        self._lock = threading.Lock()
        self._cached = None
        self._in_flight = None
        self._rejected = False
        self._tokens_issued = 0

    def __repr__(self):
        return "<ClientCredentialsTokenSource>"  # keeps the secret out of logs and tracebacks

    def get_token(self):
        """A valid access token: the cached one, or a new one when it is missing, expired or about to expire."""
        return self._current().access_token

    def invalidate(self, access_token):
        """Forgets access_token if it is the cached one, so the next get_token() requests a new one."""
        with self._lock:
            if self._cached is not None and self._cached.access_token == access_token:
                self._cached = None
                self._rejected = True

    def request(self, method, url, **kwargs):
        """requests.request with "Authorization: Bearer"; a 401 invalid_token is retried once with a new token."""
        token = self._current()
        response = self._send(method, url, token, kwargs)
        if not _refused_as_invalid_token(response):
            return response
        self._emit("retrying-after-invalid-token", token=token.number)
        response.close()
        self.invalidate(token.access_token)
        return self._send(method, url, self._current(), kwargs)

    def _send(self, method, url, token, kwargs):
        headers = dict(kwargs.get("headers") or {})
        headers["Authorization"] = f"Bearer {token.access_token}"  # RFC 6750 §2.1
        return self._session.request(method, url, **{"timeout": self._timeout, **kwargs, "headers": headers})

    def _current(self):
        with self._lock:
            cached = self._cached
            now = self._clock()
            if cached is not None and now < cached.refresh_at:
                return cached
            # Single flight: threads that arrive while a request runs wait for that same request.
            if self._in_flight is not None:
                in_flight, leader = self._in_flight, False
            else:
                if self._rejected:
                    reason = "rejected"
                elif cached is None:
                    reason = "no-token"
                elif now >= cached.expires_at:
                    reason = "expired"
                else:
                    reason = "proactive-refresh"
                self._rejected = False
                in_flight, leader = Future(), True
                self._in_flight = in_flight
        if not leader:
            return in_flight.result()
        try:
            try:
                token = self._request_token(reason)
            except Exception as error:
                if reason != "proactive-refresh":
                    raise
                token = self._keep_serving(cached, error)
            in_flight.set_result(token)
            return token
        except BaseException as error:
            in_flight.set_exception(error)
            raise
        finally:
            with self._lock:
                self._in_flight = None

    def _keep_serving(self, cached, error):
        """An early refresh failed: serve the still-valid token until it expires; try again halfway there."""
        with self._lock:
            now = self._clock()
            if self._cached is not cached or now >= cached.expires_at:
                raise error
            cached.refresh_at = now + (cached.expires_at - now) / 2
        code = error.code if isinstance(error, TokenSourceError) else "token_endpoint_unavailable"
        self._emit("early-refresh-failed", token=cached.number, code=code, expires_at=cached.expires_at, retry_at=cached.refresh_at)
        return cached

    def _request_token(self, reason):
        self._emit("token-requested", reason=reason)
        for attempt in range(1, self._max_attempts + 1):
            # expires_in counts from when the server answered; counting from the send errs on the safe side.
            sent_at = self._clock()
            form = self._form
            if self._signer is not None:
                # A new assertion for each attempt: the server may have used up the jti of one it answered 5xx.
                key, algorithm, key_id, issuer, lifetime = self._signer
                assertion = sign_client_assertion(key, algorithm, key_id, self._client_id, issuer, int(self._wall_clock()), lifetime)
                form = {**self._form, "client_assertion": assertion}
            try:
                response = self._session.post(
                    self._token_endpoint,
                    data=form,
                    auth=self._auth,
                    headers={"Accept": "application/json"},
                    timeout=self._timeout,
                    # A redirect would carry the form (and the secret) wherever it points: never followed.
                    allow_redirects=False,
                )
            except requests.RequestException as error:
                self._wait_before_retry(attempt, "network-error", None, None, error)
                continue
            if 300 <= response.status_code < 400:
                response.close()
                self._emit("token-request-failed", code="token_endpoint_redirected")
                raise TokenSourceError(
                    "token_endpoint_redirected",
                    f"The token endpoint answered HTTP {response.status_code}, a redirect. Token requests are never redirected, "
                    "since the request carries the client secret: configure the token endpoint's own URL.",
                    status=response.status_code,
                )
            if response.status_code == 429 or response.status_code >= 500:
                retry_after = parse_retry_after(response.headers.get("Retry-After"), time.time())
                response.close()
                cause = "rate-limited" if response.status_code == 429 else "server-error"
                self._wait_before_retry(attempt, cause, response.status_code, retry_after)
                continue
            try:
                body = response.json()
            except ValueError:
                body = None
            try:
                access_token, expires_in, _scope = process_token_response(response.status_code, body)
            except TokenSourceError as error:
                self._emit("token-request-failed", code=error.code)
                raise
            lifetime_assumed = expires_in is None
            if lifetime_assumed:
                expires_in = self._default_expires_in
            expires_at = sent_at + expires_in
            # The margin is the smaller of 60 s and half the lifetime: the refresh is the later moment.
            refresh_at = expires_at - min(MAX_REFRESH_MARGIN, expires_in * REFRESH_MARGIN_SHARE)
            with self._lock:
                self._tokens_issued += 1
                token = _CachedToken(access_token, self._tokens_issued, expires_at, refresh_at)
                self._cached = token
                self._rejected = False
            self._emit("token-issued", token=token.number, expires_at=expires_at, refresh_at=refresh_at, lifetime_assumed=lifetime_assumed)
            return token
        raise AssertionError("unreachable: the last attempt raises")

    def _wait_before_retry(self, attempt, cause, status, retry_after, error=None):
        """Exponential back-off with equal jitter; Retry-After plus up to half a step when the server sent one."""
        what = "could not be reached" if status is None else f"answered HTTP {status}"
        if attempt >= self._max_attempts:
            self._emit("token-request-failed", code="token_endpoint_unavailable")
            raise TokenSourceError("token_endpoint_unavailable", f"The token endpoint {what} on each of {attempt} attempts.", status=status) from error
        if retry_after is not None and retry_after > self._max_delay:
            self._emit("token-request-failed", code="token_endpoint_unavailable")
            raise TokenSourceError(
                "token_endpoint_unavailable",
                f"The token endpoint {what} and asked to wait {retry_after:.0f} s (Retry-After), longer than this client waits ({self._max_delay:.0f} s).",
                status=status,
                retry_after=retry_after,
            )
        step = min(self._max_delay, self._base_delay * 2 ** (attempt - 1))
        if retry_after is not None:
            delay = retry_after + self._random() * step / 2
        else:
            delay = step / 2 + self._random() * step / 2
        self._emit("backing-off", attempt=attempt, delay=delay, cause=cause, status=status)
        self._sleep(delay)

    def _emit(self, event_type, **fields):
        if self._on_event is not None:
            self._on_event({"type": event_type, "at": self._clock(), **fields})


if __name__ == "__main__":
    import os
    import sys
    from concurrent.futures import ThreadPoolExecutor

    sandbox_url = os.environ["SANDBOX_URL"]
    token_requests = []
    if os.environ.get("PRIVATE_KEY_FILE"):
        with open(os.environ["PRIVATE_KEY_FILE"]) as key_file:
            # The sandbox's issuer identifier is its origin (its metadata's "issuer").
            credentials = {"private_key": key_file.read(), "key_id": os.environ.get("KEY_ID"), "issuer": sandbox_url}
    else:
        credentials = {"client_secret": os.environ["CLIENT_SECRET"]}
    tokens = ClientCredentialsTokenSource(
        f"{sandbox_url}/oauth/token",
        os.environ["CLIENT_ID"],
        scopes=["{{READ_SCOPE}}"],
        **credentials,
        # Events carry no secret and no token: safe to count or log.
        on_event=lambda event: token_requests.append(event) if event["type"] == "token-requested" else None,
    )
    # Three calls at once share one token request; later calls reuse the token until it nears expiry.
    with ThreadPoolExecutor(max_workers=3) as pool:
        responses = list(pool.map(lambda _: tokens.request("GET", f"{sandbox_url}/api/v1/reports"), range(3)))
    for number, response in enumerate(responses, start=1):
        print(f"call {number}: GET /api/v1/reports: HTTP {response.status_code}")
    print(f"token requests: {len(token_requests)}")
    if any(not response.ok for response in responses):
        sys.exit(1)
