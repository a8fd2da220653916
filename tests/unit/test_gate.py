"""gate.admit() over plain values: no Starlette, no server, no Docker.

Real parts: the real Admission (rate windows on a fake clock), the real language
table and rules from images/, the real resource plan (tasks.service.plan_request)
and the real sanitizer. Each refusal reason is asserted with its status and code,
and with what it reports (or does not report) to the event sink.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest

from coderunner.admission import Admission, Caller
from coderunner.config import LimitsSettings, RateLimitSettings, ServerSettings, Settings
from coderunner.errors import CodeRunnerError, PayloadTooLarge, RateLimited
from coderunner.gate import REFUSED_CALLER, Admitted, Gate, access, admit
from coderunner.kinds import KINDS, Kind
from coderunner.languages import Language, load_languages
from coderunner.sanitizer import Sanitizer, SanitizerPolicy
from coderunner.tasks.service import Planned, plan_request
from tests.helpers import REPO

T = TypeVar("T")
CLEAN = "print(input())\n"
DANGER = 'import os\nos.system("id")\n'  # python rules: level 3


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


class Events:
    """The event sink: records what admit() reports."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def emit(
        self,
        type: str,
        message: str,
        *,
        user: str | None = None,
        broadcast: bool = False,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.sent.append(
            {
                "type": type,
                "message": message,
                "user": user,
                "broadcast": broadcast,
                "details": details or {},
            }
        )


@pytest.fixture(scope="module")
def languages() -> dict[str, Language]:
    return load_languages(REPO / "images", "coderunner/")


@pytest.fixture(scope="module")
def scanner() -> Sanitizer:
    return Sanitizer.from_images(REPO / "images")


class Edge:
    """A gate with overridable settings, plus its event sink and clock."""

    def __init__(
        self,
        languages: dict[str, Language],
        scanner: Sanitizer,
        *,
        server: dict[str, Any] | None = None,
        rate: dict[str, Any] | None = None,
        limits: dict[str, Any] | None = None,
        reject_level: int = 4,
        broadcast_level: int = 3,
        webhook_hosts: tuple[str, ...] = (),
    ) -> None:
        self.clock = Clock()
        self.events = Events()
        lim = LimitsSettings(**(limits or {}))
        settings = Settings(limits=lim)
        self.gate = Gate(
            admission=Admission(
                ServerSettings(**(server or {})),
                RateLimitSettings(**(rate or {})),
                lim,
                clock=self.clock,
            ),
            plan=lambda kind, body: self.plan(settings, kind, body, languages),
            sanitizer=SanitizerPolicy(scanner, broadcast_level, reject_level),
            events=self.events,
            webhook_hosts=webhook_hosts,
        )

    @staticmethod
    def plan(settings: Settings, kind: Kind, body: Any, languages: dict[str, Language]) -> Planned:
        return plan_request(settings, kind, body, languages)

    def types(self) -> list[str]:
        return [e["type"] for e in self.events.sent]


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def body(**fields: Any) -> bytes:
    data = {"language": "python", "code": CLEAN, "testCases": ["1"], **fields}
    return json.dumps(data).encode()


LOCAL = Caller("127.0.0.1", path="/isolatedTest")


def refused(
    edge: Edge,
    raw: bytes | None = None,
    *,
    caller: Caller = LOCAL,
    kind: Kind | None = KINDS["isolatedTest"],
    draining: bool = False,
) -> CodeRunnerError:
    with pytest.raises(CodeRunnerError) as info:
        run(admit(edge.gate, caller, body() if raw is None else raw, kind=kind, draining=draining))
    return info.value


@pytest.fixture()
def edge(languages: dict[str, Language], scanner: Sanitizer) -> Edge:
    return Edge(languages, scanner)


# ---- admitted -------------------------------------------------------------------------


def test_admitted_carries_the_plan_the_body_and_who(edge: Edge) -> None:
    raw = body(testCases=["1", "2"], timeLimitMs=1500)
    admitted = run(admit(edge.gate, LOCAL, raw, kind=KINDS["isolatedTest"]))
    assert isinstance(admitted, Admitted)
    assert admitted.request == json.loads(raw)
    assert admitted.address == admitted.user == "127.0.0.1"
    assert admitted.planned.language.id == "python"
    assert admitted.planned.prepared.tests == [b"1", b"2"]
    assert admitted.planned.plan.tests == 2
    assert admitted.callback_url is None
    assert edge.events.sent == []  # clean code, nothing refused: nothing to report


def test_user_is_the_body_s_then_the_header_s_then_the_address(edge: Edge) -> None:
    kind = KINDS["isolatedTest"]
    header = Caller("127.0.0.1", user="from-header")
    assert run(admit(edge.gate, header, body(user="alice"), kind=kind)).user == "alice"
    assert run(admit(edge.gate, header, body(), kind=kind)).user == "from-header"
    assert run(admit(edge.gate, LOCAL, body(), kind=kind)).user == "127.0.0.1"


def test_a_body_reader_is_awaited_once_the_caller_is_allowed(edge: Edge) -> None:
    reads: list[int] = []

    async def reader() -> bytes:
        reads.append(1)
        return body()

    run(admit(edge.gate, LOCAL, reader, kind=KINDS["isolatedTest"]))
    assert reads == [1]
    refused(edge, caller=Caller("203.0.113.9"))  # bytes given; the reader case below
    with pytest.raises(CodeRunnerError):
        run(admit(edge.gate, Caller("203.0.113.9"), reader, kind=KINDS["isolatedTest"]))
    assert reads == [1]  # an untrusted caller's body is never read


# ---- who --------------------------------------------------------------------------------


def test_untrusted_address_is_403_with_one_folded_breach_alarm(edge: Edge) -> None:
    stranger = Caller("203.0.113.9", path="/isolatedTest")
    for _ in range(3):
        error = refused(edge, caller=stranger)
        assert (error.status, error.code) == (403, "forbidden")
    breaches = [e for e in edge.events.sent if e["type"] == "breach"]
    assert len(breaches) == 1  # the next two are folded into the next report
    assert breaches[0]["message"] == REFUSED_CALLER and breaches[0]["broadcast"]
    assert breaches[0]["details"] == {"address": "203.0.113.9", "path": "/isolatedTest", "count": 1}
    edge.clock.now += 61
    refused(edge, caller=stranger)
    assert [e["details"]["count"] for e in edge.events.sent if e["type"] == "breach"] == [1, 3]


def test_token_is_checked_when_set(languages: dict[str, Language], scanner: Sanitizer) -> None:
    edge = Edge(languages, scanner, server={"token": "s3cret"})
    for header in ("", "Bearer wrong", "Basic s3cret", "Bearer s3cretx", "Bearer s3crét€"):
        error = refused(edge, caller=Caller("127.0.0.1", authorization=header))
        assert (error.status, error.code) == (403, "forbidden"), header
    ok = run(
        admit(
            edge.gate,
            Caller("127.0.0.1", authorization="Bearer s3cret"),
            body(),
            kind=KINDS["isolatedTest"],
        )
    )
    assert ok.address == "127.0.0.1"
    assert access(edge.gate, Caller("::1", authorization="bearer s3cret")) == "::1"


def test_draining_is_503_after_access(edge: Edge) -> None:
    error = refused(edge, draining=True)
    assert (error.status, error.code) == (503, "draining")
    # Access comes first: a stranger learns nothing about the server's state.
    error = refused(edge, caller=Caller("203.0.113.9"), draining=True)
    assert error.code == "forbidden"


# ---- what -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"", "invalid_request"),
        (b"{not json", "invalid_request"),
        (b"[1, 2]", "invalid_request"),
        (b'{"language": "python", "testCases": ["1"]}', "invalid_request"),  # no code
        (b'{"language": "python", "code": "x", "testCases": "1"}', "invalid_request"),
    ],
)
def test_malformed_bodies_are_400_and_reported(edge: Edge, raw: bytes, code: str) -> None:
    error = refused(edge, raw)
    assert (error.status, error.code) == (400, code)
    assert edge.events.sent[-1]["message"] == f"refused request: {code}"
    assert edge.events.sent[-1]["details"]["address"] == "127.0.0.1"


def test_a_payload_over_the_cap_from_the_reader_is_413_and_reported(edge: Edge) -> None:
    async def too_big() -> bytes:
        raise PayloadTooLarge("request body is over the limit of 10 bytes")

    with pytest.raises(CodeRunnerError) as info:
        run(admit(edge.gate, LOCAL, too_big, kind=KINDS["isolatedTest"]))
    assert (info.value.status, info.value.code) == (413, "payload_too_large")
    assert edge.types() == ["warning"]


def test_tasks_name_their_kind(edge: Edge) -> None:
    error = refused(edge, body(kind="cobolTest"), kind=None)
    assert (error.status, error.code) == (400, "invalid_request")
    assert "valid kinds" in error.message
    admitted = run(admit(edge.gate, LOCAL, body(kind="isolatedTest"), kind=None))
    assert admitted.planned.kind.name == "isolatedTest"
    default = run(admit(edge.gate, LOCAL, body(), kind=None))  # no kind: isolatedTest
    assert default.planned.kind.name == "isolatedTest"


def test_unsupported_language_is_400(edge: Edge) -> None:
    error = refused(edge, body(language="no-such-language"))
    assert (error.status, error.code) == (400, "unsupported_language")


# ---- how often ----------------------------------------------------------------------------


def test_per_user_then_global_rate_limit_is_429(
    languages: dict[str, Language], scanner: Sanitizer
) -> None:
    edge = Edge(
        languages, scanner, rate={"per_user_requests_per_minute": 2, "requests_per_minute": 3}
    )
    kind = KINDS["isolatedTest"]
    for _ in range(2):
        run(admit(edge.gate, LOCAL, body(user="alice"), kind=kind))
    error = refused(edge, body(user="alice"))
    assert (error.status, error.code) == (429, "rate_limited")
    assert isinstance(error, RateLimited) and error.retry_after == 60
    assert error.details["scope"] == "per-user"
    run(admit(edge.gate, LOCAL, body(user="bob"), kind=kind))  # another user still fits
    error = refused(edge, body(user="carol"))  # ... until the global limit
    assert error.code == "rate_limited" and error.details["scope"] == "global"
    edge.clock.now += 60
    assert run(admit(edge.gate, LOCAL, body(user="alice"), kind=kind)).user == "alice"


def test_a_rate_slot_is_taken_once_the_request_parses(
    languages: dict[str, Language], scanner: Sanitizer
) -> None:
    edge = Edge(languages, scanner, rate={"per_user_requests_per_minute": 2})
    kind = KINDS["isolatedTest"]
    # Refused after the rate check (an unknown language): the slot is taken.
    assert refused(edge, body(user="alice", language="nope")).code == "unsupported_language"
    # Refused before it (not JSON): no slot, so one more request of alice's still fits.
    refused(edge, b"{", caller=Caller("127.0.0.1", user="alice"))
    run(admit(edge.gate, LOCAL, body(user="alice"), kind=kind))
    assert refused(edge, body(user="alice")).code == "rate_limited"


# ---- how much -----------------------------------------------------------------------------


def test_size_limits_are_their_own_codes(
    languages: dict[str, Language], scanner: Sanitizer
) -> None:
    edge = Edge(
        languages,
        scanner,
        limits={
            "max_code_bytes": 64,
            "max_code_lines": 3,
            "max_test_cases": 2,
            "max_input_bytes": 8,
        },
    )
    cases = [
        (body(code="x = 1\n" * 20), "code_too_long"),
        (body(code="\n".join("x" for _ in range(5))), "code_too_long"),
        (body(testCases=["1", "2", "3"]), "too_many_test_cases"),
        (body(testCases=["123456789"]), "input_too_large"),
        (body(code="x\x00y"), "invalid_request"),
    ]
    for raw, code in cases:
        error = refused(edge, raw)
        assert (error.status, error.code) == (400, code), code


def test_the_resource_plan_refuses_a_session_too_long(
    languages: dict[str, Language], scanner: Sanitizer
) -> None:
    edge = Edge(languages, scanner, limits={"max_session_s": 10})
    error = refused(edge, body(testCases=["1"] * 10, timeLimitMs=5000))
    assert (error.status, error.code) == (400, "session_too_long")
    assert error.details["maxSessionS"] == 10


# ---- callbackUrl --------------------------------------------------------------------------


def test_callback_url_only_for_tasks_and_only_to_allowed_hosts(
    languages: dict[str, Language], scanner: Sanitizer
) -> None:
    edge = Edge(languages, scanner, webhook_hosts=("127.0.0.1",))
    error = refused(edge, body(callbackUrl=5), kind=None)
    assert (error.status, error.code) == (400, "invalid_request")
    error = refused(edge, body(callbackUrl="http://198.51.100.7/hook"), kind=None)
    assert (error.status, error.code) == (400, "callback_not_allowed")
    ok = run(admit(edge.gate, LOCAL, body(callbackUrl="http://127.0.0.1:9/hook"), kind=None))
    assert ok.callback_url == "http://127.0.0.1:9/hook"
    # A synchronous endpoint has no callback: the field is ignored, not refused.
    sync = run(admit(edge.gate, LOCAL, body(callbackUrl=5), kind=KINDS["isolatedTest"]))
    assert sync.callback_url is None


# ---- sanitizer policy ---------------------------------------------------------------------


def test_findings_below_the_reject_level_are_logged_and_admitted(edge: Edge) -> None:
    admitted = run(
        admit(edge.gate, LOCAL, body(code="import socket\n"), kind=KINDS["isolatedTest"])
    )
    assert admitted.user == "127.0.0.1"
    [event] = edge.events.sent
    assert event["type"] == "warning" and not event["broadcast"]  # level 2 < broadcast 3
    assert event["message"] == "sanitizer: 1 finding(s), worst level 2"
    assert event["details"]["language"] == "python"
    assert event["details"]["violations"][0]["dangerLevel"] == 2


def test_findings_at_the_broadcast_level_are_broadcast(edge: Edge) -> None:
    run(admit(edge.gate, LOCAL, body(code=DANGER), kind=KINDS["isolatedTest"]))
    assert [e["broadcast"] for e in edge.events.sent] == [True]


def test_findings_at_the_reject_level_are_refused(
    languages: dict[str, Language], scanner: Sanitizer
) -> None:
    edge = Edge(languages, scanner, reject_level=3)
    error = refused(edge, body(code=DANGER))
    assert (error.status, error.code) == (400, "rejected_by_sanitizer")
    assert error.details["violations"][0]["line"] == 2
    # The finding is logged, then the refusal.
    assert [e["message"] for e in edge.events.sent] == [
        "sanitizer: 1 finding(s), worst level 3",
        "refused request: rejected_by_sanitizer",
    ]
    # Lower findings still pass.
    run(admit(edge.gate, LOCAL, body(code="import socket\n"), kind=KINDS["isolatedTest"]))


def test_every_kind_is_scanned_by_its_own_code(
    languages: dict[str, Language], scanner: Sanitizer
) -> None:
    edge = Edge(languages, scanner, reject_level=3)
    raw = json.dumps({"language": "python", "code": DANGER, "testCode": "test.pass_()"})
    error = refused(edge, raw.encode(), kind=KINDS["unitTest"])
    assert error.code == "rejected_by_sanitizer"
