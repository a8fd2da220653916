"""POST /log, GET /log, /health and access control against a real server process."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.logserver import LogServer


def test_post_stores_and_answers_the_id(make_logserver: Callable[..., LogServer]) -> None:
    server = make_logserver()
    response = server.post(
        type="warning",
        message="sanitizer: suspicious import",
        user="alice",
        source="coderunner",
        details={"session": "4f0c", "violations": [{"line": 3, "level": 1}]},
        time="2030-01-02T03:04:05+02:00",
    )
    assert response.status_code == 200, response.text
    event_id = response.json()["id"]
    (stored,) = server.events()
    assert stored["id"] == event_id
    assert stored["type"] == "warning"
    assert stored["message"] == "sanitizer: suspicious import"
    assert stored["user"] == "alice"
    assert stored["source"] == "coderunner"
    assert stored["broadcast"] is False
    assert stored["details"] == {"session": "4f0c", "violations": [{"line": 3, "level": 1}]}
    assert stored["time"] == "2030-01-02T01:04:05.000000Z"  # normalised to UTC
    assert stored["client"] == "127.0.0.1"
    assert stored["mail_status"] is None


def test_a_repeated_client_id_is_stored_once(make_logserver: Callable[..., LogServer]) -> None:
    server = make_logserver()
    first = server.post(id="evt-0001", type="info", message="first")
    again = server.post(id="evt-0001", type="info", message="retry of the same event")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"id": "evt-0001"}
    stored = server.events()
    assert [(e["id"], e["message"]) for e in stored] == [("evt-0001", "first")]


BAD_BODIES: list[tuple[str, bytes | dict[str, Any]]] = [
    ("not json", b"type=info&message=hello"),
    ("truncated json", b'{"type": "info", "message": "hel'),
    ("a json array", b'[{"type": "info", "message": "hello"}]'),
    ("NaN in details", b'{"type": "info", "message": "x", "details": {"v": NaN}}'),
    (
        "nested too deeply",
        b'{"type": "info", "message": "x", "details": {"a": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
    ),
    ("wrong type", {"type": "debug", "message": "hello"}),
    ("type not a string", {"type": 3, "message": "hello"}),
    ("missing message", {"type": "info"}),
    ("empty message", {"type": "info", "message": ""}),
    ("message not a string", {"type": "info", "message": ["a"]}),
    ("huge message", {"type": "info", "message": "x" * 20_000}),
    ("details not an object", {"type": "info", "message": "x", "details": ["a", "b"]}),
    ("details a string", {"type": "info", "message": "x", "details": "{}"}),
    ("huge details", {"type": "info", "message": "x", "details": {"blob": "y" * 70_000}}),
    ("broadcast not a bool", {"type": "breach", "message": "x", "broadcast": "yes"}),
    ("misspelt field", {"type": "breach", "message": "x", "brodcast": True}),
    ("id too long", {"type": "info", "message": "x", "id": "i" * 129}),
    ("id with a space", {"type": "info", "message": "x", "id": "a b"}),
    ("user too long", {"type": "info", "message": "x", "user": "u" * 300}),
    ("bad time", {"type": "info", "message": "x", "time": "yesterday"}),
    ("time out of range", {"type": "info", "message": "x", "time": "0001-01-01T00:00:00+05:00"}),
]


@pytest.mark.parametrize("body", [b for _, b in BAD_BODIES], ids=[n for n, _ in BAD_BODIES])
def test_bad_bodies_are_refused_and_nothing_is_stored(
    make_logserver: Callable[..., LogServer], body: bytes | dict[str, Any]
) -> None:
    server = make_logserver()
    if isinstance(body, bytes):
        response = server.http.post("/log", content=body)
    else:
        response = server.http.post("/log", json=body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["message"]
    assert server.events() == []
    # Nothing half-stored behind the API either.
    with sqlite3.connect(server.workdir / "db" / "events.db") as db:
        assert db.execute("SELECT count(*) FROM events").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM mails").fetchone() == (0,)


@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "streamed"])
def test_a_body_over_the_limit_is_413_like_coderunners(
    make_logserver: Callable[..., LogServer], chunked: bool
) -> None:
    # The same status and code as coderunner's for the same condition (plumbing.http).
    server = make_logserver()
    body = json.dumps({"type": "info", "message": "x", "details": {"b": "z" * 300_000}})
    if chunked:  # no Content-Length: refused while streaming
        response = server.http.post("/log", content=iter([body.encode()]))
    else:
        response = server.http.post("/log", content=body)
    assert response.status_code == 413, response.text
    error = response.json()["error"]
    assert (error["code"], error["limit"]) == ("payload_too_large", 262_144)
    assert server.events() == []


def test_get_log_filters_newest_first(make_logserver: Callable[..., LogServer]) -> None:
    server = make_logserver()
    posts: list[dict[str, Any]] = [
        dict(type="info", message="m0", user="alice", time="2030-01-01T10:00:00Z"),
        dict(type="breach", message="m1", user="bob", time="2030-01-01T11:00:00Z"),
        dict(type="error", message="m2", user="alice", time="2030-01-01T12:00:00Z", broadcast=True),
        dict(type="breach", message="m3", user="alice", time="2030-01-01T13:00:00Z"),
        dict(type="warning", message="m4", time="2030-01-01T14:00:00Z"),
    ]
    for body in posts:
        assert server.post(**body).status_code == 200

    def messages(**params: Any) -> list[str]:
        return [e["message"] for e in server.events(**params)]

    assert messages() == ["m4", "m3", "m2", "m1", "m0"]
    assert messages(type="breach") == ["m3", "m1"]
    assert messages(type=["breach", "error"]) == ["m3", "m2", "m1"]
    assert messages(user="alice") == ["m3", "m2", "m0"]
    assert messages(user="alice", type="breach") == ["m3"]
    assert messages(broadcast="true") == ["m2"]
    assert messages(broadcast="false") == ["m4", "m3", "m1", "m0"]
    assert messages(since="2030-01-01T11:00:00Z", until="2030-01-01T13:00:00Z") == [
        "m3",
        "m2",
        "m1",
    ]
    assert messages(since="2030-01-01T13:30:00+01:00") == ["m4", "m3"]
    assert messages(limit=2) == ["m4", "m3"]

    for params in (
        {"type": "debug"},
        {"limit": "0"},
        {"limit": "x"},
        {"limit": "²"},  # str.isdigit() says yes, int() says no: was a 500
        {"limit": "١٢"},  # Arabic-Indic digits
        {"since": "soon"},
        {"broadcast": "maybe"},
    ):
        response = server.http.get("/log", params=params)
        assert response.status_code == 400, params
        assert response.json()["error"]["code"] == "invalid_request"


def test_untrusted_addresses_are_refused(
    make_logserver: Callable[..., LogServer], logserver_config: dict[str, Any]
) -> None:
    # The server only trusts a network the test client is not in.
    logserver_config["logserver"]["trusted_hosts"] = ["192.0.2.0/24"]
    server = make_logserver()
    for method, path in (("POST", "/log"), ("GET", "/log"), ("GET", "/"), ("GET", "/health")):
        response = server.http.request(method, path, json={"type": "info", "message": "x"})
        assert response.status_code == 403, (method, path)
        assert response.json()["error"]["code"] == "forbidden"
    # Nothing the refused callers sent was stored; the refusals themselves are one
    # folded breach alarm (one per address per minute, constant message).
    with sqlite3.connect(server.workdir / "db" / "events.db") as db:
        rows = db.execute("SELECT type, message, source, details FROM events").fetchall()
    assert len(rows) == 1, rows
    kind, message, source, details = rows[0]
    assert (kind, source) == ("breach", "logserver")
    assert "127.0.0.1" not in message
    assert json.loads(details)["address"] == "127.0.0.1"


def test_the_token_is_required_by_every_endpoint(
    make_logserver: Callable[..., LogServer], logserver_config: dict[str, Any]
) -> None:
    logserver_config["logserver"]["token"] = "s3cret-log-token"
    server = make_logserver()
    paths = (
        ("POST", "/log"),
        ("GET", "/log"),
        ("GET", "/"),
        ("GET", "/health"),
        ("GET", "/metrics"),
        ("GET", "/openapi.json"),
    )
    wrong: list[dict[str, Any]] = [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "s3cret-log-token"},
        {"Authorization": "Bearer s3cret-log-tokén".encode()},  # non-ASCII: not a 500
    ]
    for headers in wrong:
        for method, path in paths:
            response = server.http.request(
                method, path, json={"type": "info", "message": "forged"}, headers=headers
            )
            assert response.status_code == 403, (headers, method, path, response.text)
            assert response.json()["error"]["code"] == "forbidden"
    good = {"Authorization": "Bearer s3cret-log-token"}
    for method, path in paths:
        response = server.http.request(
            method, path, json={"type": "info", "message": "real"}, headers=good
        )
        assert response.status_code == 200, (method, path, response.text)
    events = server.http.get("/log", headers=good).json()["events"]
    # The one real event, and one folded breach for the 24 refusals: not 24 alarms.
    assert [e["message"] for e in events if e["type"] == "info"] == ["real"]
    (breach,) = [e for e in events if e["type"] == "breach"]
    assert breach["broadcast"] and breach["details"]["address"] == "127.0.0.1"
    assert "forged" not in json.dumps(events)


def test_unknown_paths_answer_the_error_body(make_logserver: Callable[..., LogServer]) -> None:
    server = make_logserver()
    response = server.http.get("/nowhere")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    response = server.http.delete("/log")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_health_in_outbox_mode(make_logserver: Callable[..., LogServer]) -> None:
    server = make_logserver()
    response = server.http.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["smtp"]["mode"] == "outbox"
    assert body["mails"] == {"pending": 0, "sending": 0, "failed": 0, "retrying": 0}
    assert body["mailer"] == {"running": True, "restarts": 0, "lastCrash": None}
    assert body["disk"]["ok"] is True and body["disk"]["freeBytes"] > 0


def test_health_is_503_when_the_database_is_unusable(
    make_logserver: Callable[..., LogServer], logserver_config: dict[str, Any]
) -> None:
    logserver_config["logserver"]["busy_timeout_s"] = 0.3
    server = make_logserver()
    assert server.post(type="info", message="before").status_code == 200
    # Another process holds the write lock (a stuck backup, a sqlite3 shell).
    holder = sqlite3.connect(server.workdir / "db" / "events.db", isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        response = server.http.get("/health")
        assert response.status_code == 503, response.text
        assert response.json()["status"] == "unavailable"
        assert "locked" in response.json()["database"]
        refused = server.post(type="info", message="while locked")
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "unavailable"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert server.http.get("/health").status_code == 200
    assert [e["message"] for e in server.events()] == ["before"]
