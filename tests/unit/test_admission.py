"""Admission: access rules, rate limits, breach coalescing and size limits.

Most tests drive a tiny Starlette app that calls Admission the way coderunner/api/ does, over
httpx's ASGITransport (whose `client` sets the peer address: loopback only). A few
end-to-end checks go through the real `create_app` on a loopback uvicorn server.
"""

from __future__ import annotations

import asyncio
import copy
import json
import random
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Message

from coderunner.admission import Admission, count_lines, is_loopback, parse_address
from coderunner.config import LimitsSettings, RateLimitSettings, ServerSettings
from coderunner.errors import (
    CodeRunnerError,
    CodeTooLong,
    InputTooLarge,
    InvalidRequest,
    RateLimited,
    TooManyTestCases,
    error_response,
)


class FakeClock:
    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_admission(
    clock: FakeClock | None = None,
    *,
    server: dict[str, Any] | None = None,
    ratelimit: dict[str, Any] | None = None,
    limits: dict[str, Any] | None = None,
) -> Admission:
    return Admission(
        ServerSettings(**(server or {})),
        RateLimitSettings(**(ratelimit or {})),
        LimitsSettings(**(limits or {})),
        clock=clock or FakeClock(),
    )


def tiny_app(admission: Admission) -> Starlette:
    """What coderunner/api/ does before a container is spent: access, body, rate."""

    async def submit(request: Request) -> JSONResponse:
        address = admission.check_access(request)
        body = await admission.read_body(request)
        # The body is cached: later readers (request.json()) still work.
        data = await request.json() if body else {}
        admission.check_rate(data.get("user") or address)
        return JSONResponse({"address": address, "bytes": len(body)})

    return Starlette(
        routes=[Route("/submit", submit, methods=["POST"])],
        exception_handlers={CodeRunnerError: error_response},
    )


def client_for(app: Starlette, peer: str = "127.0.0.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(peer, 40_000))
    return httpx.AsyncClient(transport=transport, base_url="http://coderunner.test")


async def post(
    admission: Admission, peer: str, headers: dict[str, str] | None = None, content: Any = b"{}"
) -> httpx.Response:
    async with client_for(tiny_app(admission), peer) as client:
        return await client.post("/submit", content=content, headers=headers or {})


# -- access --------------------------------------------------------------------------------

ACCESS_CASES = [
    # (name, server settings, peer, headers, expected status, expected address)
    ("default allows IPv4 loopback", {}, "127.0.0.1", {}, 200, "127.0.0.1"),
    ("default allows IPv6 loopback", {}, "::1", {}, 200, "::1"),
    (
        "IPv4-mapped IPv6 peer matches IPv4 entry",
        {"trusted_hosts": ["127.0.0.1"]},
        "::ffff:127.0.0.1",
        {},
        200,
        "127.0.0.1",
    ),
    (
        "IPv4-mapped entry matches IPv4 peer",
        {"trusted_hosts": ["::ffff:127.0.0.1"]},
        "127.0.0.1",
        {},
        200,
        "127.0.0.1",
    ),
    ("CIDR range", {"trusted_hosts": ["127.0.0.0/29"]}, "127.0.0.6", {}, 200, "127.0.0.6"),
    ("outside CIDR range", {"trusted_hosts": ["127.0.0.0/29"]}, "127.0.0.9", {}, 403, ""),
    ("IPv6 CIDR range", {"trusted_hosts": ["::/127"]}, "::1", {}, 200, "::1"),
    ("untrusted IPv4", {"trusted_hosts": ["10.9.9.9"]}, "127.0.0.1", {}, 403, ""),
    ("untrusted IPv6", {"trusted_hosts": ["10.9.9.9"]}, "::1", {}, 403, ""),
    ("non-IP peer is never trusted", {}, "testclient", {}, 403, ""),
    # X-Forwarded-For is believed only from a configured proxy.
    (
        "XFF from a proxy names the client",
        {"trusted_hosts": ["127.0.0.9"], "proxies": ["127.0.0.1"]},
        "127.0.0.1",
        {"X-Forwarded-For": "127.0.0.9"},
        200,
        "127.0.0.9",
    ),
    (
        "XFF from a proxy: untrusted client refused",
        {"trusted_hosts": ["127.0.0.1"], "proxies": ["127.0.0.1"]},
        "127.0.0.1",
        {"X-Forwarded-For": "127.0.0.9"},
        403,
        "",
    ),
    (
        "XFF spoof from a non-proxy is ignored",
        {"trusted_hosts": ["127.0.0.9"], "proxies": ["127.0.0.1"]},
        "127.0.0.2",
        {"X-Forwarded-For": "127.0.0.9"},
        403,
        "",
    ),
    (
        "XFF: right-most untrusted hop wins over a forged left part",
        {"trusted_hosts": ["127.0.0.9"], "proxies": ["127.0.0.1", "127.0.0.2"]},
        "127.0.0.1",
        {"X-Forwarded-For": "127.0.0.8, 127.0.0.9, 127.0.0.2"},
        200,
        "127.0.0.9",
    ),
    (
        "XFF: forged trusted address left of the real client",
        {"trusted_hosts": ["127.0.0.9"], "proxies": ["127.0.0.1"]},
        "127.0.0.1",
        {"X-Forwarded-For": "127.0.0.9, 127.0.0.8"},
        403,
        "",
    ),
    (
        "XFF: garbage hop is not trusted",
        {"trusted_hosts": ["127.0.0.9"], "proxies": ["127.0.0.1"]},
        "127.0.0.1",
        {"X-Forwarded-For": "127.0.0.9, not-an-ip"},
        403,
        "",
    ),
    (
        "no XFF from a proxy: the proxy itself",
        {"trusted_hosts": ["127.0.0.1"], "proxies": ["127.0.0.1"]},
        "127.0.0.1",
        {},
        200,
        "127.0.0.1",
    ),
    # Tokens.
    (
        "token right",
        {"token": "s3cret"},
        "127.0.0.1",
        {"Authorization": "Bearer s3cret"},
        200,
        "127.0.0.1",
    ),
    (
        "token scheme is case-insensitive",
        {"token": "s3cret"},
        "127.0.0.1",
        {"Authorization": "bearer s3cret"},
        200,
        "127.0.0.1",
    ),
    ("token missing", {"token": "s3cret"}, "127.0.0.1", {}, 403, ""),
    ("token wrong", {"token": "s3cret"}, "127.0.0.1", {"Authorization": "Bearer s3cre"}, 403, ""),
    (
        "token with another scheme",
        {"token": "s3cret"},
        "127.0.0.1",
        {"Authorization": "Basic s3cret"},
        403,
        "",
    ),
    (
        "right token from an untrusted host",
        {"token": "s3cret", "trusted_hosts": ["10.9.9.9"]},
        "127.0.0.1",
        {"Authorization": "Bearer s3cret"},
        403,
        "",
    ),
]


@pytest.mark.parametrize(
    ("server", "peer", "headers", "status", "address"),
    [case[1:] for case in ACCESS_CASES],
    ids=[case[0] for case in ACCESS_CASES],
)
async def test_access(
    server: dict[str, Any], peer: str, headers: dict[str, str], status: int, address: str
) -> None:
    response = await post(make_admission(server=server), peer, headers)
    assert response.status_code == status, response.text
    if status == 200:
        assert response.json()["address"] == address
    else:
        error = response.json()["error"]
        assert error["code"] == "forbidden"
        assert "s3cret" not in error["message"]  # never echo the secret


def test_parse_address_forms() -> None:
    assert str(parse_address("[::1]:8080")) == "::1"
    assert str(parse_address("127.0.0.1:8080")) == "127.0.0.1"
    assert str(parse_address("::ffff:127.0.0.1")) == "127.0.0.1"
    assert parse_address("localhost") is None


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("10.9.9.9", False),
        ("::2", False),
        ("testclient", False),
        ("", False),
    ],
)
def test_is_loopback(address: str, expected: bool) -> None:
    assert is_loopback(address) is expected


# -- breach coalescing ----------------------------------------------------------------------


def test_breach_reports_first_then_one_per_minute_with_count() -> None:
    clock = FakeClock()
    admission = make_admission(clock)
    assert admission.breach_to_log("127.0.0.5") == 1
    suppressed = 0
    for _ in range(7):
        clock.advance(5)
        assert admission.breach_to_log("127.0.0.5") is None
        suppressed += 1
    # Another address is reported on its own.
    assert admission.breach_to_log("127.0.0.6") == 1
    clock.advance(60 - 35)  # one minute after the first report
    assert admission.breach_to_log("127.0.0.5") == suppressed + 1
    assert admission.breach_to_log("127.0.0.5") is None
    clock.advance(61)
    assert admission.breach_to_log("127.0.0.5") == 2  # the held-back one plus this one
    clock.advance(61)
    assert admission.breach_to_log("127.0.0.5") == 1


def test_breach_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("coderunner.admission.MAX_BREACH_ADDRESSES", 100)
    admission = make_admission()
    for i in range(1_000):
        assert admission.breach_to_log(f"127.0.{i // 250}.{i % 250}") == 1
    assert admission.tracked()["breachAddresses"] == 100


# -- rate limits ----------------------------------------------------------------------------


def test_per_user_limit_with_honest_retry_after() -> None:
    clock = FakeClock()
    admission = make_admission(clock, ratelimit={"per_user_requests_per_minute": 3})
    for _ in range(3):
        admission.check_rate("alice")
        clock.advance(10)
    with pytest.raises(RateLimited) as refused:
        admission.check_rate("alice")
    # The first request was 30 s ago: its slot frees in 30 s.
    assert refused.value.retry_after == 30
    assert refused.value.headers["Retry-After"] == "30"
    admission.check_rate("bob")  # other users are not affected
    clock.advance(29.5)
    with pytest.raises(RateLimited) as again:
        admission.check_rate("alice")
    assert again.value.retry_after == 1  # 0.5 s, rounded up to whole seconds
    clock.advance(again.value.retry_after)
    admission.check_rate("alice")


def test_global_limit() -> None:
    clock = FakeClock()
    admission = make_admission(
        clock, ratelimit={"requests_per_minute": 4, "per_user_requests_per_minute": 3}
    )
    for user in ("a", "b", "c", "d"):
        admission.check_rate(user)
        clock.advance(1)
    with pytest.raises(RateLimited) as refused:
        admission.check_rate("e")
    assert refused.value.details["scope"] == "global"
    assert refused.value.retry_after == 56  # the first of the 4 was 4 s ago
    clock.advance(56)
    admission.check_rate("e")


def test_refused_requests_do_not_take_a_slot() -> None:
    clock = FakeClock()
    admission = make_admission(clock, ratelimit={"per_user_requests_per_minute": 1})
    admission.check_rate("alice")
    for _ in range(50):  # hammering does not push the next free slot further away
        clock.advance(1)
        with pytest.raises(RateLimited):
            admission.check_rate("alice")
    clock.advance(10)
    admission.check_rate("alice")


@pytest.mark.parametrize("seed", range(5))
def test_retry_after_is_always_enough(seed: int) -> None:
    """Whatever the arrival pattern: waiting Retry-After seconds gets a slot."""
    rng = random.Random(seed)
    clock = FakeClock()
    admission = make_admission(
        clock, ratelimit={"requests_per_minute": 7, "per_user_requests_per_minute": 4}
    )
    for _ in range(300):
        clock.advance(rng.choice([0, 0.1, 0.7, 3, 11.3]))
        user = rng.choice(["u1", "u2"])
        try:
            admission.check_rate(user)
        except RateLimited as exc:
            assert 1 <= exc.retry_after <= 60
            # A copy sharing the clock: the probe must not change the real state.
            probe = copy.deepcopy(admission, {id(clock): clock})
            clock.advance(exc.retry_after)
            probe.check_rate(user)  # must not raise
            clock.advance(-exc.retry_after)


def test_rate_limit_memory_expires_old_users() -> None:
    clock = FakeClock()
    admission = make_admission(clock, ratelimit={"requests_per_minute": 100_000})
    for i in range(500):
        admission.check_rate(f"user-{i}")
    assert admission.tracked()["users"] == 500
    clock.advance(61)
    admission.check_rate("late")
    assert admission.tracked()["users"] == 1


def test_long_user_names_do_not_bloat_memory() -> None:
    admission = make_admission(ratelimit={"per_user_requests_per_minute": 1})
    admission.check_rate("x" * 100_000)
    with pytest.raises(RateLimited):  # still the same user
        admission.check_rate("x" * 100_000)
    admission.check_rate("x" * 99_999)


async def test_rate_limited_over_http_has_retry_after() -> None:
    admission = make_admission(ratelimit={"per_user_requests_per_minute": 2})
    async with client_for(tiny_app(admission)) as client:
        body = json.dumps({"user": "carol"})
        assert (await client.post("/submit", content=body)).status_code == 200
        assert (await client.post("/submit", content=body)).status_code == 200
        refused = await client.post("/submit", content=body)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert refused.headers["Retry-After"] == "60"


# -- body size ------------------------------------------------------------------------------


class Body:
    """A streaming request body that records how much of it the server pulled."""

    def __init__(self, chunks: int, size: int = 1024) -> None:
        self.chunks, self.size, self.consumed = chunks, size, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.chunks):
            self.consumed += self.size
            yield b" " * self.size
            await asyncio.sleep(0)


async def test_content_length_over_limit_refused_without_reading() -> None:
    admission = make_admission(limits={"max_body_bytes": 10_000})
    body = Body(chunks=100)
    response = await post(admission, "127.0.0.1", {"Content-Length": str(100 * 1024)}, body)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert body.consumed == 0


async def test_chunked_body_over_limit_stops_reading() -> None:
    admission = make_admission(limits={"max_body_bytes": 10_000})
    body = Body(chunks=1_000)  # no Content-Length: chunked transfer
    response = await post(admission, "127.0.0.1", {}, body)
    assert response.status_code == 413
    # Stopped as soon as the running total passed the limit, not at the end.
    assert body.consumed <= 10_000 + 1024


async def test_lying_content_length_still_stops_at_the_limit() -> None:
    admission = make_admission(limits={"max_body_bytes": 10_000})
    body = Body(chunks=1_000)
    response = await post(admission, "127.0.0.1", {"Content-Length": "5000"}, body)
    assert response.status_code in (413, 400)  # the ASGI stack may refuse the lie first
    assert body.consumed <= 10_000 + 1024


async def test_body_at_the_limit_is_read_whole() -> None:
    admission = make_admission(limits={"max_body_bytes": 10_000})
    payload = json.dumps({"user": "dave", "pad": "x" * (10_000 - 30)})
    payload += " " * (10_000 - len(payload))
    response = await post(admission, "127.0.0.1", {}, payload.encode())
    assert response.status_code == 200, response.text
    assert response.json()["bytes"] == 10_000


async def test_body_not_read_for_untrusted_callers() -> None:
    admission = make_admission(server={"trusted_hosts": ["10.9.9.9"]})
    body = Body(chunks=10)
    response = await post(admission, "127.0.0.1", {}, body)
    assert response.status_code == 403
    assert body.consumed == 0


async def test_bad_content_length() -> None:
    admission = make_admission()

    async def handler(request: Request) -> JSONResponse:
        await admission.read_body(request)
        return JSONResponse({})

    app = Starlette(
        routes=[Route("/", handler, methods=["POST"])],
        exception_handlers={CodeRunnerError: error_response},
    )
    scope_headers = [(b"content-length", b"12abc")]

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": scope_headers,
        "query_string": b"",
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "scheme": "http",
        "root_path": "",
        "http_version": "1.1",
    }
    await app(scope, receive, send)
    assert sent[0]["status"] == 400


# -- submission limits ---------------------------------------------------------------------

LIMITS = {"max_code_bytes": 50, "max_code_lines": 3, "max_test_cases": 2, "max_input_bytes": 10}

SUBMISSION_CASES: list[tuple[str, str, list[str], type[Exception] | None]] = [
    ("fits", "a\nb\nc\n", ["x"], None),
    ("3 lines without final newline", "a\nb\nc", ["x"], None),
    ("4 lines", "a\nb\nc\nd", ["x"], CodeTooLong),
    ("CRLF counts once", "a\r\nb\r\nc\r\n", ["x"], None),
    ("CRLF over", "a\r\nb\r\nc\r\nd\r\n", ["x"], CodeTooLong),
    ("lone CR is a line break", "a\rb\rc\rd", ["x"], CodeTooLong),
    ("bytes at limit", "#" * 50, ["x"], None),
    ("bytes over", "#" * 51, ["x"], CodeTooLong),
    ("multi-byte chars counted in bytes", "é" * 26, ["x"], CodeTooLong),
    ("NUL byte", "print(1)\n\x00", ["x"], InvalidRequest),
    ("lone surrogate in code", "print('\ud800')", ["x"], InvalidRequest),
    ("two tests", "x", ["1", "2"], None),
    ("three tests", "x", ["1", "2", "3"], TooManyTestCases),
    ("input at limit", "x", ["0123456789"], None),
    ("input over", "x", ["", "0123456789A"], InputTooLarge),
    ("input over in UTF-8 bytes only", "x", ["ééééé" + "é"], InputTooLarge),
    ("input of multi-byte chars at limit", "x", ["ééééé"], None),
    ("empty input is fine", "x", [""], None),
]


@pytest.mark.parametrize(
    ("code", "tests", "error"),
    [case[1:] for case in SUBMISSION_CASES],
    ids=[case[0] for case in SUBMISSION_CASES],
)
def test_submission_limits(code: str, tests: list[str], error: type[Exception] | None) -> None:
    admission = make_admission(limits=LIMITS)
    if error is None:
        admission.check_submission(code, tests)
    else:
        with pytest.raises(error):
            admission.check_submission(code, tests)


def test_nul_byte_message_names_the_line() -> None:
    with pytest.raises(InvalidRequest) as refused:
        make_admission().check_submission("a = 1\r\nb = 2\n c\x00", ["x"])
    assert "NUL" in refused.value.message
    assert refused.value.details["line"] == 3


def test_input_too_large_names_the_test() -> None:
    with pytest.raises(InputTooLarge) as refused:
        make_admission(limits=LIMITS).check_submission("x", ["ok", "x" * 11])
    assert refused.value.details["index"] == 1


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("", 0),
        ("a", 1),
        ("a\n", 1),
        ("a\nb", 2),
        ("a\r\nb\r\n", 2),
        ("a\rb", 2),
        ("\n", 1),
        ("\r\n\r\n", 2),
        ("a\n\rb", 3),
    ],
)
def test_count_lines(text: str, lines: int) -> None:
    assert count_lines(text) == lines


# -- end to end through the real app --------------------------------------------------------


@pytest.fixture(scope="module")
def e2e(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from tests.helpers import settings_for, start_server

    running = start_server(
        settings_for(
            tmp_path_factory.mktemp("admission"),
            limits={"max_body_bytes": 4_000},
            ratelimit={"per_user_requests_per_minute": 3},
            sanitizer={"reject_level": 2},
        )
    )
    # Every language of the catalogue counts as installed, built image or not: these
    # requests are all refused before a container would be used.
    lifecycle = running.state.lifecycle
    lifecycle.languages = {k: replace(v, version="test") for k, v in lifecycle.catalogue.items()}
    yield running
    running.stop()


def test_e2e_sanitizer_rejects_at_reject_level(e2e: Any) -> None:
    code = "import os\nm = __import__('o' + 's')\nm.system('id')\n"
    with e2e.client() as client:
        response = client.post(
            "/isolatedTest",
            json={
                "code": code,
                "language": "python",
                "testCases": [""],
                "user": "e2e-sanitizer",
            },
        )
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "rejected_by_sanitizer"
    lines = {v["line"] for v in error["violations"] if v["dangerLevel"] >= 2}
    assert 2 in lines
    assert all(set(v) == {"line", "dangerLevel", "text", "comment"} for v in error["violations"])


def test_e2e_rate_limited(e2e: Any) -> None:
    body = {
        "code": "print(1)",
        "language": "no-such-language",
        "testCases": [""],
        "user": "e2e-rate",
    }
    with e2e.client() as client:
        statuses = [client.post("/isolatedTest", json=body) for _ in range(4)]
    assert [r.status_code for r in statuses[:3]] == [400, 400, 400]
    assert statuses[3].status_code == 429
    assert statuses[3].json()["error"]["code"] == "rate_limited"
    assert 1 <= int(statuses[3].headers["Retry-After"]) <= 60


def test_e2e_payload_too_large(e2e: Any) -> None:
    with e2e.client() as client:
        response = client.post(
            "/isolatedTest",
            json={
                "code": "#" * 5_000,
                "language": "python",
                "testCases": [""],
            },
        )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_e2e_forbidden(tmp_path: Any) -> None:
    from tests.helpers import settings_for, start_server

    running = start_server(settings_for(tmp_path, server={"trusted_hosts": ["10.9.9.9"]}))
    try:
        with running.client() as client:
            response = client.post(
                "/isolatedTest", json={"code": "x", "language": "c", "testCases": [""]}
            )
    finally:
        running.stop()
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "forbidden"
    assert error["message"]
