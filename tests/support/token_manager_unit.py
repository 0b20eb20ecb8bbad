"""Unit tests of content/examples/token-manager/token_manager.py on a fake clock and a scripted
session, rule by rule as tests/unit/lib/client-credentials-token-source.test.ts checks the
TypeScript client. Run by tests/integration/token-manager-python.test.ts."""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "content" / "examples" / "token-manager"))
from token_manager import DEFAULT_EXPIRES_IN, ClientCredentialsTokenSource, TokenSourceError, parse_retry_after  # noqa: E402

TOKEN_URL = "https://auth.example.test/oauth/token"
API_URL = "https://api.example.test/v1/reports"


class FakeResponse:
    def __init__(self, status, body=None, headers=None):
        self.status_code = status
        self._body = body
        self.headers = headers or {}

    def json(self):
        if self._body is None:
            raise ValueError("no JSON")
        return self._body

    def close(self):
        pass


class FakeSession:
    """Answers token requests from `token_answers` (then token-n), API requests from `api_answer`."""

    def __init__(self, clock, token_answers=(), api_answer=None, expires_in=3600):
        self.clock = clock
        self.token_answers = list(token_answers)
        self.api_answer = api_answer or (lambda token: FakeResponse(200, {}))
        self.expires_in = expires_in
        self.token_requests = []
        self.api_tokens = []

    def post(self, url, data=None, auth=None, headers=None, timeout=None, **kwargs):
        self.token_requests.append({"at": self.clock.now, "data": data, "auth": auth, "timeout": timeout, **kwargs})
        if self.token_answers:
            answer = self.token_answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        return FakeResponse(200, {"access_token": f"token-{len(self.token_requests)}", "token_type": "Bearer", "expires_in": self.expires_in})

    def request(self, method, url, headers=None, timeout=None, **kwargs):
        token = headers["Authorization"].removeprefix("Bearer ")
        self.api_tokens.append(token)
        return self.api_answer(token)


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def make(clock, session, random=lambda: 0.5, **options):
    events = []
    source = ClientCredentialsTokenSource(
        TOKEN_URL, "reports client:1", "s3cret+odd:é", scopes=["orders:read"], clock=lambda: clock.now, sleep=clock.sleep,
        random=random, session=session, on_event=events.append, **options,
    )
    return source, events


def invalid_token():
    return FakeResponse(401, headers={"WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'})


class Rules(unittest.TestCase):
    def test_basic_credentials_are_form_urlencoded_first(self):
        clock = FakeClock()
        session = FakeSession(clock)
        source, _ = make(clock, session)
        source.get_token()
        self.assertEqual(session.token_requests[0]["auth"], ("reports+client%3A1", "s3cret%2Bodd%3A%C3%A9"))
        self.assertEqual(session.token_requests[0]["data"], {"grant_type": "client_credentials", "scope": "orders:read"})

    def test_refresh_margin_is_60_s_or_half_the_lifetime_whichever_is_smaller(self):
        # expires_in, refresh moment (s after the request was sent) = expires_in - min(60, expires_in / 2)
        for expires_in, refresh_after in [(3600, 3540), (600, 540), (300, 240), (121, 61), (120, 60), (90, 45), (60, 30), (10, 5), (5, 2.5)]:
            with self.subTest(expires_in=expires_in):
                clock = FakeClock()
                source, events = make(clock, FakeSession(clock, expires_in=expires_in))
                start = clock.now
                self.assertEqual(source.get_token(), "token-1")
                clock.now = start + refresh_after - 0.001
                self.assertEqual(source.get_token(), "token-1")
                clock.now = start + refresh_after
                self.assertEqual(source.get_token(), "token-2")
                self.assertEqual([e["reason"] for e in events if e["type"] == "token-requested"], ["no-token", "proactive-refresh"])

    def test_expired_by_a_clock_jump(self):
        clock = FakeClock()
        source, events = make(clock, FakeSession(clock, expires_in=10))
        source.get_token()
        clock.now += 90
        jumped = clock.now
        self.assertEqual(source.get_token(), "token-2")
        # The new token's life is counted on the same (jumped) clock: refreshed after 5 s as usual.
        clock.now = jumped + 4.999
        self.assertEqual(source.get_token(), "token-2")
        clock.now = jumped + 5
        self.assertEqual(source.get_token(), "token-3")
        self.assertEqual([e["reason"] for e in events if e["type"] == "token-requested"], ["no-token", "expired", "proactive-refresh"])

    def test_one_retry_after_invalid_token(self):
        clock = FakeClock()
        session = FakeSession(clock, api_answer=lambda token: invalid_token() if token == "token-1" else FakeResponse(200, {}))
        source, events = make(clock, session)
        self.assertEqual(source.request("GET", API_URL).status_code, 200)
        self.assertEqual(session.api_tokens, ["token-1", "token-2"])
        self.assertIn({"type": "retrying-after-invalid-token", "at": clock.now, "token": 1}, events)

    def test_never_more_than_one_retry(self):
        clock = FakeClock()
        session = FakeSession(clock, api_answer=lambda token: invalid_token())
        source, _ = make(clock, session)
        self.assertEqual(source.request("GET", API_URL).status_code, 401)
        self.assertEqual(len(session.api_tokens), 2)

    def test_no_retry_without_invalid_token(self):
        for header in ['Bearer realm="api"', 'Bearer error="insufficient_scope"', ""]:
            with self.subTest(header=header):
                clock = FakeClock()
                session = FakeSession(clock, api_answer=lambda token: FakeResponse(401, headers={"WWW-Authenticate": header}))
                source, _ = make(clock, session)
                source.request("GET", API_URL)
                self.assertEqual(len(session.api_tokens), 1)

    def test_back_off_with_jitter_and_retry_after(self):
        cases = [
            ([FakeResponse(503), FakeResponse(503)], 0.0, [0.25, 0.5]),
            ([FakeResponse(503), FakeResponse(503), FakeResponse(502)], 0.5, [0.375, 0.75, 1.5]),
            ([FakeResponse(429, headers={"Retry-After": "3"})], 0.5, [3.125]),
            ([ConnectionError_()], 0.0, [0.25]),
            ([Timeout_()], 0.0, [0.25]),
        ]
        for answers, random, sleeps in cases:
            with self.subTest(sleeps=sleeps):
                clock = FakeClock()
                session = FakeSession(clock, token_answers=answers)
                source, _ = make(clock, session, random=lambda: random)
                self.assertEqual(source.get_token(), f"token-{len(answers) + 1}")
                self.assertEqual(clock.sleeps, sleeps)

    def test_gives_up_after_max_attempts(self):
        clock = FakeClock()
        session = FakeSession(clock, token_answers=[FakeResponse(503)] * 10)
        source, _ = make(clock, session)
        with self.assertRaises(TokenSourceError) as raised:
            source.get_token()
        self.assertEqual(raised.exception.code, "token_endpoint_unavailable")
        self.assertEqual(len(session.token_requests), 4)

    def test_too_long_retry_after_fails_at_once(self):
        clock = FakeClock()
        session = FakeSession(clock, token_answers=[FakeResponse(429, headers={"Retry-After": "120"})])
        source, _ = make(clock, session)
        with self.assertRaises(TokenSourceError) as raised:
            source.get_token()
        self.assertEqual((raised.exception.code, raised.exception.retry_after, clock.sleeps), ("token_endpoint_unavailable", 120.0, []))

    def test_errors_that_are_never_retried(self):
        cases = [
            (FakeResponse(401, {"error": "invalid_client"}), "invalid_client"),
            (FakeResponse(401), "invalid_client"),
            (FakeResponse(400, {"error": "invalid_scope"}), "token_request_refused"),
            (FakeResponse(200, {"access_token": "t", "token_type": "Bearer", "expires_in": 0}), "invalid_token_response"),
        ]
        for answer, code in cases:
            with self.subTest(code=code):
                clock = FakeClock()
                session = FakeSession(clock, token_answers=[answer])
                source, _ = make(clock, session)
                with self.assertRaises(TokenSourceError) as raised:
                    source.get_token()
                self.assertEqual(raised.exception.code, code)
                self.assertEqual((len(session.token_requests), clock.sleeps), (1, []))
                self.assertNotIn("s3cret", str(raised.exception))

    def test_labelled_validation_messages(self):
        base = {"access_token": "t", "token_type": "Bearer", "expires_in": 60}
        cases = [
            ({**base, "expires_in": -1}, '"response" body "expires_in" must be a positive number'),
            ({**base, "expires_in": "60"}, '"response" body "expires_in" must be a positive number'),
            ({**base, "access_token": ""}, '"response" body "access_token" must be a non-empty string'),
            ({**base, "token_type": "DPoP"}, '"response" body "token_type" must be "Bearer"'),
            ([base], '"response" body must be a JSON object'),
        ]
        for body, message in cases:
            with self.subTest(message=message):
                clock = FakeClock()
                source, _ = make(clock, FakeSession(clock, token_answers=[FakeResponse(200, body)]))
                with self.assertRaises(TokenSourceError) as raised:
                    source.get_token()
                self.assertEqual(str(raised.exception), message)

    def test_retry_after_forms(self):
        now = 1748779200.0  # 2025-06-01T12:00:00Z
        self.assertEqual(parse_retry_after("120", now), 120.0)
        self.assertEqual(parse_retry_after("Sun, 01 Jun 2025 12:00:30 GMT", now), 30.0)
        self.assertIsNone(parse_retry_after("soon", now))

    def test_nothing_secret_in_repr_or_events(self):
        clock = FakeClock()
        source, events = make(clock, FakeSession(clock))
        token = source.get_token()
        self.assertNotIn("s3cret", repr(source))
        self.assertNotIn(token, repr(events))


class Hardening(unittest.TestCase):
    def test_a_redirect_is_an_error_and_is_not_followed(self):
        for status in (301, 302, 303, 307, 308):
            with self.subTest(status=status):
                clock = FakeClock()
                session = FakeSession(clock, token_answers=[FakeResponse(status, headers={"Location": "https://elsewhere.test/token"})])
                source, _ = make(clock, session)
                with self.assertRaises(TokenSourceError) as raised:
                    source.get_token()
                self.assertEqual((raised.exception.code, raised.exception.status), ("token_endpoint_redirected", status))
                self.assertIn("redirect", str(raised.exception))
                self.assertEqual(session.token_requests[0]["allow_redirects"], False)
                self.assertEqual((len(session.token_requests), clock.sleeps), (1, []))

    def test_a_real_redirect_never_reaches_the_other_host(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        received = []

        class Elsewhere(BaseHTTPRequestHandler):
            def do_POST(self):
                received.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                body = b'{"access_token": "theirs", "token_type": "Bearer", "expires_in": 3600}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        elsewhere = ThreadingHTTPServer(("127.0.0.1", 0), Elsewhere)

        class Redirecting(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(307)
                self.send_header("Location", f"http://127.0.0.1:{elsewhere.server_port}/oauth/token")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        endpoint = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
        for server in (elsewhere, endpoint):
            threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            source = ClientCredentialsTokenSource(
                f"http://127.0.0.1:{endpoint.server_port}/oauth/token", "client", "secret", auth_method="client_secret_post", timeout=5
            )
            with self.assertRaises(TokenSourceError) as raised:
                source.get_token()
            self.assertEqual(raised.exception.code, "token_endpoint_redirected")
            self.assertEqual(received, [])
        finally:
            for server in (elsewhere, endpoint):
                server.shutdown()
                server.server_close()

    def test_each_attempt_has_a_timeout(self):
        clock = FakeClock()
        session = FakeSession(clock)
        source, _ = make(clock, session, timeout=7.5)
        source.get_token()
        self.assertEqual(session.token_requests[0]["timeout"], 7.5)

    def test_a_failed_early_refresh_keeps_serving_the_valid_token(self):
        for failure in (FakeResponse(503), FakeResponse(401, {"error": "invalid_client"})):
            with self.subTest(status=failure.status_code):
                clock = FakeClock()
                session = FakeSession(clock)
                source, events = make(clock, session, max_attempts=2)
                start = clock.now
                self.assertEqual(source.get_token(), "token-1")
                session.token_answers = [failure] * 10
                clock.now = start + 3540  # the refresh moment
                self.assertEqual(source.get_token(), "token-1")
                failed = [e for e in events if e["type"] == "early-refresh-failed"]
                self.assertEqual(len(failed), 1)
                self.assertEqual((failed[0]["token"], failed[0]["expires_at"]), (1, start + 3600))
                # The next try waits for half the time left: no request at every call.
                requests_so_far = len(session.token_requests)
                self.assertEqual(source.get_token(), "token-1")
                self.assertEqual(len(session.token_requests), requests_so_far)
                # Past expiry the failure is the caller's.
                clock.now = start + 3600
                with self.assertRaises(TokenSourceError):
                    source.get_token()
                session.token_answers = []
                self.assertTrue(source.get_token().startswith("token-"))

    def test_a_token_without_expires_in_gets_the_default_lifetime(self):
        clock = FakeClock()
        session = FakeSession(clock, token_answers=[FakeResponse(200, {"access_token": "t1", "token_type": "Bearer"})])
        source, events = make(clock, session)
        start = clock.now
        self.assertEqual(source.get_token(), "t1")
        issued = [e for e in events if e["type"] == "token-issued"][0]
        self.assertEqual(DEFAULT_EXPIRES_IN, 300)
        self.assertEqual((issued["expires_at"], issued["refresh_at"], issued["lifetime_assumed"]), (start + 300, start + 240, True))
        clock.now = start + 240
        self.assertEqual(source.get_token(), "token-2")


def Timeout_():
    import requests

    return requests.Timeout("read timed out")


def ConnectionError_():
    import requests

    return requests.ConnectionError("connection refused")


if __name__ == "__main__":
    unittest.main()
