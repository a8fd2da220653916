"""plumbing/: the one error renderer, the trusted-client middleware's edge cases, the
capped body reader, path labels, refusal folding and the event contract.

Each piece is driven through a real Starlette app over httpx's ASGITransport (whose
`client` sets the peer address), so what is checked is what a client would see.
The real-process checks of both servers are in tests/e2e/test_hardening.py.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Message, Scope

from coderunner.config import LoggingSettings
from coderunner.logclient import LogClient
from logserver.config import ServerSection
from plumbing import events
from plumbing.errors import Error, Forbidden, PayloadTooLarge, exception_handlers, render
from plumbing.http import (
    ClientPolicy,
    CountRequests,
    Refusals,
    TrustedClientMiddleware,
    client_address,
    parse_address,
    path_labels,
    read_body,
)
from tests.helpers import REPO

SECRET = "s3cret-db-password"


# -- the one renderer ------------------------------------------------------------------


class Teapot(Error):
    status, code = 418, "teapot"


class Point(BaseModel):
    x: int


async def _raise(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind == "ours":
        raise Teapot("short and stout", details={"spout": 1}, headers={"X-Tea": "yes"})
    if kind == "http":
        raise HTTPException(409, "conflicting")
    if kind == "pydantic":
        Point.model_validate({"x": "not a number"})
    raise RuntimeError(f"cannot connect with password {SECRET}")


def _error_app(seen: list[Exception]) -> Starlette:
    return Starlette(
        routes=[Route("/raise/{kind}", _raise, methods=["GET"])],
        exception_handlers=exception_handlers(on_unexpected=lambda _r, exc: seen.append(exc)),
    )


async def _get(app: Starlette, path: str, method: str = "GET") -> httpx.Response:
    # raise_app_exceptions=False: Starlette re-raises an unexpected error after the
    # 500 was sent (so the server logs it); the client still gets that response.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://plumbing.test") as client:
        return await client.request(method, path)


async def test_our_error_keeps_its_status_code_details_and_headers() -> None:
    answer = await _get(_error_app([]), "/raise/ours")
    assert answer.status_code == 418
    assert answer.json() == {"error": {"code": "teapot", "message": "short and stout", "spout": 1}}
    assert answer.headers["x-tea"] == "yes"


async def test_starlette_404_and_405_in_the_spec_body() -> None:
    app = _error_app([])
    missing = await _get(app, "/nowhere")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    wrong = await _get(app, "/raise/ours", method="DELETE")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in wrong.headers["allow"]
    other = await _get(app, "/raise/http")
    assert (other.status_code, other.json()["error"]) == (
        409,
        {"code": "http_error", "message": "conflicting"},
    )


async def test_a_validation_error_is_400_naming_the_field() -> None:
    seen: list[Exception] = []
    answer = await _get(_error_app(seen), "/raise/pydantic")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["message"].startswith("x: ")
    assert seen == []  # a client's mistake, not an alarm


async def test_anything_unexpected_is_a_bare_500_and_reported() -> None:
    seen: list[Exception] = []
    answer = await _get(_error_app(seen), "/raise/bug")
    assert answer.status_code == 500
    assert answer.json() == {"error": {"code": "internal_error", "message": "internal error"}}
    assert SECRET not in answer.text
    assert [type(exc) for exc in seen] == [RuntimeError]


def test_render_is_a_function_of_the_exception_alone() -> None:
    with pytest.raises(ValidationError) as caught:
        Point.model_validate({})
    response = render(caught.value)
    assert response.status_code == 400
    assert json.loads(bytes(response.body))["error"]["message"] == "x: Field required"
    assert render(KeyError(SECRET)).status_code == 500
    assert SECRET not in bytes(render(KeyError(SECRET)).body).decode()


# -- the trusted-client middleware -----------------------------------------------------


async def _whoami(request: Request) -> Response:
    return JSONResponse({"address": client_address(request)})


def _client_app(policy: ClientPolicy, refused: list[tuple[str, str]] | None = None) -> Starlette:
    async def on_refusal(scope: Scope, address: str, error: Forbidden) -> None:
        assert refused is not None
        refused.append((address, error.message))

    return Starlette(
        routes=[Route("/", _whoami, methods=["GET", "POST"])],
        middleware=[
            Middleware(
                TrustedClientMiddleware,
                policy=policy,
                enforce=refused is not None,
                on_refusal=on_refusal,
            ),
        ],
        exception_handlers=exception_handlers(),
    )


async def _call(
    app: Starlette,
    peer: str,
    headers: Mapping[str, str] | Mapping[bytes, bytes] | None = None,
    content: Any = None,
) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=(peer, 40_000))
    async with httpx.AsyncClient(transport=transport, base_url="http://plumbing.test") as client:
        if content is None:
            return await client.get("/", headers=headers or {})
        return await client.post("/", headers=headers or {}, content=content)


@pytest.mark.parametrize(
    ("trusted", "peer", "address"),
    [
        (["127.0.0.1"], "::ffff:127.0.0.1", "127.0.0.1"),  # dual-stack socket, IPv4 caller
        (["::ffff:10.0.0.0/104"], "10.1.2.3", "10.1.2.3"),  # a mapped range in the config
        (["fe80::/64"], "fe80::1%eth0", "fe80::1"),  # the zone names our interface only
        (["fe80::1%eth0"], "fe80::1", "fe80::1"),  # ... on either side
        (["::1"], "[::1]:8080", "::1"),
    ],
    ids=["mapped peer", "mapped range", "zone on the peer", "zone in the config", "v6 port"],
)
async def test_address_forms_that_must_match(trusted: list[str], peer: str, address: str) -> None:
    refused: list[tuple[str, str]] = []
    answer = await _call(_client_app(ClientPolicy.from_config(trusted), refused), peer)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"address": address}
    assert refused == []


@pytest.mark.parametrize(
    ("trusted", "peer"),
    [
        (["127.0.0.1"], "::ffff:127.0.0.2"),
        (["::ffff:127.0.0.1"], "127.0.0.2"),
        (["fe80::/64"], "fe81::1%eth0"),
        (["127.0.0.1"], "localhost"),  # a name is never an address
        (["::1"], "::2"),
    ],
)
async def test_address_forms_that_must_not_match(trusted: list[str], peer: str) -> None:
    refused: list[tuple[str, str]] = []
    answer = await _call(_client_app(ClientPolicy.from_config(trusted), refused), peer)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"
    assert len(refused) == 1 and "trusted_hosts" in refused[0][1]


async def test_forwarded_for_is_ignored_unless_the_peer_is_a_configured_proxy() -> None:
    forged = {"X-Forwarded-For": "203.0.113.7"}
    # No proxies: the header is the client's word, and changes nothing.
    policy = ClientPolicy.from_config(["203.0.113.7"])
    refused: list[tuple[str, str]] = []
    answer = await _call(_client_app(policy, refused), "127.0.0.1", forged)
    assert answer.status_code == 403
    assert refused[0][0] == "127.0.0.1"
    # A proxy that is not ours: still ignored.
    policy = ClientPolicy.from_config(["203.0.113.7"], proxies=["10.0.0.1"])
    assert (await _call(_client_app(policy, []), "127.0.0.1", forged)).status_code == 403
    # From our proxy (here as a mapped peer): believed.
    policy = ClientPolicy.from_config(["203.0.113.7"], proxies=["127.0.0.1"])
    answer = await _call(_client_app(policy, []), "::ffff:127.0.0.1", forged)
    assert answer.json() == {"address": "203.0.113.7"}


async def test_only_the_right_end_of_the_chain_is_believed() -> None:
    policy = ClientPolicy.from_config(["0.0.0.0/0"], proxies=["127.0.0.1", "10.0.0.0/8"])
    app = _client_app(policy)
    # The client wrote "203.0.113.7, 198.51.100.1"; our proxies appended the rest.
    chain = {"X-Forwarded-For": "203.0.113.7, 198.51.100.1, 10.0.0.5"}
    assert (await _call(app, "127.0.0.1", chain)).json() == {"address": "198.51.100.1"}
    # Two headers are one chain.
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://plumbing.test") as client:
        answer = await client.get(
            "/", headers=[("X-Forwarded-For", "198.51.100.9"), ("X-Forwarded-For", "10.0.0.5")]
        )
    assert answer.json() == {"address": "198.51.100.9"}
    # Garbage in the hop the proxy vouches for: kept for the logs, never trusted.
    junk = {"X-Forwarded-For": "not-an-address"}
    assert (await _call(app, "127.0.0.1", junk)).json() == {"address": "not-an-address"}
    refused: list[tuple[str, str]] = []
    answer = await _call(_client_app(policy, refused), "127.0.0.1", junk)
    assert answer.status_code == 403


async def test_token_is_checked_and_the_refused_body_never_read() -> None:
    policy = ClientPolicy.from_config(["127.0.0.1"], token="tok", setting="logserver")
    refused: list[tuple[str, str]] = []
    app = _client_app(policy, refused)
    consumed = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal consumed
        for _ in range(10):
            consumed += 1
            yield b"x" * 1024

    wrong = await _call(app, "127.0.0.1", {"Authorization": "Bearer nope"}, body())
    assert wrong.status_code == 403
    assert refused == [("127.0.0.1", "missing or wrong bearer token (logserver.token)")]
    assert consumed == 0
    latin = await _call(app, "127.0.0.1", {b"Authorization": "Bearer t\xf6k".encode("latin-1")})
    assert latin.status_code == 403  # not a 500 from comparing non-ASCII
    right = await _call(app, "127.0.0.1", {"Authorization": "bearer tok"})
    assert right.status_code == 200


async def test_without_enforce_the_endpoints_decide() -> None:
    app = _client_app(ClientPolicy.from_config(["10.0.0.1"]))
    answer = await _call(app, "::ffff:127.0.0.1")
    assert answer.status_code == 200
    assert answer.json() == {"address": "127.0.0.1"}


def test_parse_address_forms() -> None:
    assert str(parse_address(" 127.0.0.1:8080 ")) == "127.0.0.1"
    assert str(parse_address("[::ffff:10.0.0.1]:80")) == "10.0.0.1"
    assert str(parse_address("fe80::1%25eth0")) == "fe80::1"
    assert parse_address("[::1") is not None
    assert parse_address("") is None


# -- the capped body reader ------------------------------------------------------------


def _body_app(limit: int) -> Starlette:
    async def echo(request: Request) -> Response:
        body = await read_body(request, limit)
        return JSONResponse({"bytes": len(body), "cached": len(await request.body())})

    return Starlette(
        routes=[Route("/", echo, methods=["POST"])], exception_handlers=exception_handlers()
    )


async def test_body_reader_refuses_with_413_declared_or_streamed() -> None:
    app = _body_app(1_000)
    declared = await _call(app, "127.0.0.1", content=b"x" * 1_001)
    assert declared.status_code == 413
    assert declared.json()["error"] == {
        "code": "payload_too_large",
        "limit": 1_000,
        "message": "request body is 1001 bytes, over the limit of 1000",
    }

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"y" * 300

    streamed = await _call(app, "127.0.0.1", content=chunks())
    assert streamed.status_code == 413
    assert streamed.json()["error"]["code"] == PayloadTooLarge.code
    at_limit = await _call(app, "127.0.0.1", content=b"z" * 1_000)
    assert at_limit.json() == {"bytes": 1_000, "cached": 1_000}


@pytest.mark.parametrize(("value", "status"), [("12abc", 400), ("-1", 400), ("9" * 5000, 413)])
async def test_body_reader_content_length_forms(value: str, status: int) -> None:
    app = _body_app(1_000)
    sent: list[Message] = []
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": [(b"content-length", value.encode())],
        "query_string": b"",
        "root_path": "",
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    assert sent[0]["status"] == status


# -- metrics path labels, refusal folding ----------------------------------------------


def test_path_labels_follow_the_routes() -> None:
    async def nothing(request: Request) -> Response:
        return Response()

    routes = [
        Route("/tasks/{task_id}", nothing),
        Route("/tasks/{task_id}/events", nothing),
        Route("/health", nothing),
    ]
    label = path_labels(routes, {"task_id": "id"})
    assert label("/tasks/abc") == "/tasks/{id}"
    assert label("/tasks/abc/events") == "/tasks/{id}/events"
    assert label("/health") == "/health"
    assert label("/tasks/a/b/c") == "other"
    assert label("/wp-admin.php") == "other"


async def test_count_requests_counts_refusals_of_inner_middleware() -> None:
    from prometheus_client import CollectorRegistry, Counter

    registry = CollectorRegistry()
    counter = Counter("t_requests", "test", ["path", "code"], registry=registry)
    routes = [Route("/", _whoami)]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(CountRequests, counter=counter, label=path_labels(routes)),
            Middleware(
                TrustedClientMiddleware, policy=ClientPolicy.from_config(["10.0.0.1"]), enforce=True
            ),
        ],
    )
    await _call(app, "127.0.0.1")
    assert registry.get_sample_value("t_requests_total", {"path": "/", "code": "403"}) == 1


def test_refusals_fold_per_address_and_stay_bounded() -> None:
    now = [0.0]
    folder = Refusals(window_s=60, max_addresses=2, clock=lambda: now[0])
    assert folder.fold("a") == 1
    assert folder.fold("a") is None
    assert folder.fold("a") is None
    now[0] = 61
    assert folder.fold("a") == 3  # this one and the two held back
    folder.fold("b")
    folder.fold("c")
    assert len(folder) == 2


# -- the event contract ----------------------------------------------------------------


def test_the_client_never_sends_what_the_server_refuses_by_default(tmp_path: Path) -> None:
    server = ServerSection()
    assert server.max_message_chars > events.CLIENT_MESSAGE_CHARS
    assert server.max_details_bytes > events.CLIENT_DETAILS_BYTES
    client = LogClient(LoggingSettings(log_file=tmp_path / "spool.jsonl"))
    line = client._encode("bogus", "m" * 100_000, "u" * 1_000, True, {"blob": "d" * 200_000})
    event = events.EventIn.model_validate(json.loads(line))  # the server's wire model
    assert event.type == "error"  # an unknown type is kept as an error, not refused
    assert len(event.message) <= server.max_message_chars
    assert len(json.dumps(event.details)) <= server.max_details_bytes
    assert event.id is not None and event.source == "coderunner"


def test_mail_statuses_are_one_enum() -> None:
    assert set(events.OPEN_MAIL_STATUSES) | set(events.DELIVERED_MAIL_STATUSES) == set(
        events.MailStatus
    )
    assert json.dumps(events.MailStatus.OUTBOX) == '"outbox"'


# -- the import boundary ---------------------------------------------------------------


def _imported(package: str) -> set[str]:
    """Top-level names of every module imported by `package`'s files (lazy ones too)."""
    import ast

    found: set[str] = set()
    for path in (REPO / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def test_neither_server_imports_the_other() -> None:
    assert "coderunner" not in _imported("logserver")
    assert "logserver" not in _imported("coderunner")
    assert {"plumbing"} <= _imported("logserver") & _imported("coderunner")
    assert not {"coderunner", "logserver"} & _imported("plumbing")
