"""Every malformed body gets a clear 400 with the SPEC's error body (real server)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from coderunner.errors import InvalidRequest
from coderunner.schemas import parse_submission
from tests.helpers import RunningServer

GOOD: dict[str, Any] = {"code": "print(1)", "language": "python", "testCases": [""]}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    from tests.helpers import settings_for, start_server

    running = start_server(
        settings_for(
            tmp_path_factory.mktemp("validation"),
            limits={
                "max_code_lines": 5,
                "max_code_bytes": 200,
                "max_test_cases": 3,
                "max_input_bytes": 10,
            },
            pool={"enabled": False},  # no warm directories: the root must stay empty
            ratelimit={"requests_per_minute": 100_000, "per_user_requests_per_minute": 100_000},
        )
    )
    yield running
    running.stop()


def with_(**changes: Any) -> dict[str, Any]:
    body = dict(GOOD)
    for key, value in changes.items():
        if value is ...:
            body.pop(key)
        else:
            body[key] = value
    return body


CASES: list[tuple[str, Any, str, str]] = [
    ("not json", b"{nope", "invalid_request", "not valid JSON"),
    ("empty body", b"", "invalid_request", "empty"),
    ("array body", b"[1, 2]", "invalid_request", "JSON object"),
    ("missing code", with_(code=...), "invalid_request", "code"),
    ("empty code", with_(code=""), "invalid_request", "code must not be empty"),
    ("code not a string", with_(code=5), "invalid_request", "code"),
    ("missing language", with_(language=...), "invalid_request", "language"),
    ("missing testCases", with_(testCases=...), "invalid_request", "testCases"),
    ("no test cases", with_(testCases=[]), "invalid_request", "at least one test case"),
    ("testCases not a list", with_(testCases="abc"), "invalid_request", "testCases"),
    ("test case not a string", with_(testCases=[1]), "invalid_request", "testCases.0"),
    ("timeLimitMs as string", with_(timeLimitMs="100"), "invalid_request", "timeLimitMs"),
    ("negative timeLimitMs", with_(timeLimitMs=-5), "invalid_request", "timeLimitMs"),
    (
        "expectedOutputs length",
        with_(expectedOutputs=["a", "b"]),
        "invalid_request",
        "expectedOutputs has 2 items but testCases has 1",
    ),
    ("unknown language", with_(language="cobol-85"), "unsupported_language", "valid ids"),
    ("too many lines", with_(code="\n".join(["x=1"] * 6)), "code_too_long", ""),
    ("too many bytes", with_(code="#" * 201), "code_too_long", ""),
    ("too many tests", with_(testCases=["1", "2", "3", "4"]), "too_many_test_cases", ""),
    ("input too large", with_(testCases=["x" * 11]), "input_too_large", ""),
]


@pytest.mark.parametrize(("name", "body", "code", "text"), CASES, ids=[c[0] for c in CASES])
def test_bad_bodies_get_400(
    server: RunningServer, name: str, body: Any, code: str, text: str
) -> None:
    server.state.lifecycle.languages.setdefault(
        "python", server.state.lifecycle.catalogue["python"]
    )
    with server.client() as client:
        if isinstance(body, bytes):
            resp = client.post(
                "/isolatedTest", content=body, headers={"content-type": "application/json"}
            )
        else:
            resp = client.post("/isolatedTest", json=body)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["code"] == code
    assert text in error["message"]
    # Nothing was staged for a refused request.
    assert list(server.settings.sessions.root.iterdir()) == []


def test_unknown_route_and_method_use_the_error_body(server: RunningServer) -> None:
    with server.client() as client:
        missing = client.get("/nope")
        wrong = client.get("/isolatedTest")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "method_not_allowed"


def test_unknown_fields_are_ignored() -> None:
    sub = parse_submission(b'{"code": "x", "language": "c", "testCases": [""], "extra": 1}')
    assert sub.code == "x"


def test_bool_is_not_an_int() -> None:
    with pytest.raises(InvalidRequest):
        parse_submission(b'{"code": "x", "language": "c", "testCases": [""], "timeLimitMs": true}')
