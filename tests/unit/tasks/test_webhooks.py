"""Webhooks against a real receiver (uvicorn on loopback): signature, retries, a
hanging receiver, redirects, restart; and the callbackUrl allow-list attacked."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from coderunner.config import TasksSettings
from coderunner.errors import CallbackNotAllowed, InvalidRequest
from coderunner.tasks import Task, TaskStatus, TaskStore, Webhooks, check_callback_url
from coderunner.tasks.store import Delivery
from tests.helpers import Served, free_port
from tests.unit.tasks.conftest import make_task

SECRET = "s3cret-key"


class Receiver:
    """Records every request; /ok 200, /flaky 500 then 200, /fail 500, /hang never
    answers (until released), /redirect 302 to /target."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.hanging = 0
        self.released = False
        self.flaky_seen: set[str] = set()

    def app(self) -> Starlette:
        async def handle(request: Request) -> Response:
            body = await request.body()
            name = request.path_params["name"]
            self.requests.append({"path": name, "headers": dict(request.headers), "body": body})
            if name == "ok" or name == "target":
                return Response("ok")
            if name == "flaky":
                task = request.headers["x-coderunner-task"]
                if task not in self.flaky_seen:
                    self.flaky_seen.add(task)
                    return Response("busy", status_code=500)
                return Response("ok")
            if name == "redirect":
                return Response(status_code=302, headers={"Location": "/target"})
            if name == "hang":
                self.hanging += 1
                try:
                    while not self.released:
                        await asyncio.sleep(0.05)
                finally:
                    self.hanging -= 1
                return Response("late")
            return Response("no", status_code=500)

        return Starlette(routes=[Route("/{name}", handle, methods=["POST"])])

    def hits(self, name: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"] == name]


@pytest.fixture
def receiver(serve: Callable[..., Served]) -> Iterator[tuple[Receiver, str]]:
    rec = Receiver()
    served = serve(rec.app())
    yield rec, served.url
    rec.released = True


def settings(**overrides: Any) -> TasksSettings:
    values: dict[str, Any] = {
        "webhook_secret": SECRET,
        "webhook_hosts": ["127.0.0.1"],
        "webhook_attempts": 3,
        "webhook_timeout_s": 2,
        "webhook_backoff_s": 0.05,
        "webhook_backoff_max_s": 0.2,
    }
    return TasksSettings(**{**values, **overrides})


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def finished(url: str) -> Task:
    task = make_task(callback_url=url)
    task.status, task.started_at, task.finished_at = TaskStatus.DONE, time.time(), time.time()
    task.result = {"sessionId": "x", "stdout": ["é\n"], "results": [{"status": "OK"}]}
    return task


async def settled(store: TaskStore, task_id: str, timeout: float = 30) -> Any:
    """The task's (one) delivery once it is finished (delivered or given up)."""
    deadline = time.monotonic() + timeout
    while True:
        rows = await store.deliveries_for(task_id)
        if rows and rows[0].next_at is None:
            return rows[0]
        assert time.monotonic() < deadline, f"delivery not finished: {rows}"
        await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def running(
    store: TaskStore, http: httpx.AsyncClient, **overrides: Any
) -> AsyncIterator[Webhooks]:
    """A started Webhooks with settings(**overrides), closed at the end."""
    hooks = Webhooks(settings(**overrides), store, http)
    await hooks.start()
    try:
        yield hooks
    finally:
        await hooks.close()


async def deliver(
    store: TaskStore, http: httpx.AsyncClient, *urls: str, **overrides: Any
) -> list[tuple[Task, Any]]:
    """A finished task per URL, enqueued together; each with its settled delivery."""
    async with running(store, http, **overrides) as hooks:
        tasks = [finished(url) for url in urls]
        for task in tasks:
            await hooks.enqueue(task)
        return [(task, await settled(store, task.id)) for task in tasks]


class SlowDueReads(TaskStore):
    """The dispatcher's read of due deliveries answers late: an attempt in flight when
    the read began can end before its answer arrives, so that answer is stale."""

    async def due_deliveries(self, now: float, limit: int = 50) -> list[Delivery]:
        rows = await super().due_deliveries(now, limit)
        await asyncio.sleep(0.3)
        return rows


async def test_a_delivery_is_posted_once_when_a_due_read_returns_after_it_ended(
    tmp_path: Path, receiver: tuple[Receiver, str], http: httpx.AsyncClient
) -> None:
    rec, url = receiver
    store = SlowDueReads(tmp_path / "tasks.db", retention_s=60)
    await store.open()
    try:
        async with running(store, http) as hooks:
            task = finished(url + "/ok")
            await hooks.enqueue(task)
            delivery = await settled(store, task.id)
            # Two more dispatcher rounds: a stale read would post it again by now.
            await asyncio.sleep(1.0)
            delivery = (await store.deliveries_for(task.id))[0]
    finally:
        await store.close()
    assert len(rec.hits("ok")) == 1, rec.hits("ok")
    assert delivery.delivered and delivery.attempts == 1


async def test_signed_delivery_verifies(
    store: TaskStore, receiver: tuple[Receiver, str], http: httpx.AsyncClient
) -> None:
    rec, url = receiver
    [(task, delivery)] = await deliver(store, http, url + "/ok")
    assert delivery.delivered and delivery.attempts == 1 and delivery.last_error is None
    [hit] = rec.hits("ok")
    body, headers = hit["body"], hit["headers"]
    # What a receiver does: HMAC over the exact bytes received, constant-time compare.
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-coderunner-signature"], expected)
    assert headers["x-coderunner-task"] == task.id
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == task.public()
    # A tampered body or another key does not verify.
    forged = hmac.new(b"other", body, hashlib.sha256).hexdigest()
    assert headers["x-coderunner-signature"] != "sha256=" + forged
    tampered = hmac.new(SECRET.encode(), body.replace(b"OK", b"WA"), hashlib.sha256)
    assert headers["x-coderunner-signature"] != "sha256=" + tampered.hexdigest()


async def test_500_then_200_is_delivered_on_retry(
    store: TaskStore, receiver: tuple[Receiver, str], http: httpx.AsyncClient
) -> None:
    rec, url = receiver
    [(_, delivery)] = await deliver(store, http, url + "/flaky")
    assert delivery.delivered and delivery.attempts == 2
    first, second = rec.hits("flaky")
    assert first["body"] == second["body"]
    assert first["headers"]["x-coderunner-signature"] == second["headers"]["x-coderunner-signature"]


async def test_gives_up_after_the_configured_attempts(
    store: TaskStore, receiver: tuple[Receiver, str], http: httpx.AsyncClient
) -> None:
    rec, url = receiver
    (_, bad), (_, gone) = await deliver(
        store, http, url + "/fail", f"http://127.0.0.1:{free_port()}/x", webhook_attempts=3
    )
    assert not bad.delivered and bad.attempts == 3 and bad.last_error == "HTTP 500"
    assert len(rec.hits("fail")) == 3
    assert not gone.delivered and gone.attempts == 3 and "ConnectError" in gone.last_error


async def test_a_hanging_receiver_does_not_delay_other_deliveries(
    store: TaskStore, receiver: tuple[Receiver, str], http: httpx.AsyncClient
) -> None:
    rec, url = receiver
    async with running(store, http, webhook_timeout_s=2, webhook_attempts=2) as hooks:
        slow, fast = finished(url + "/hang"), finished(url + "/ok")
        await hooks.enqueue(slow)
        deadline = time.monotonic() + 30
        while rec.hanging == 0:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
        await hooks.enqueue(fast)
        delivered = await settled(store, fast.id)
        # The other delivery completed while the hanging request was still open.
        assert delivered.delivered and rec.hanging == 1
        # The hanging one costs at most the time budget per attempt, then gives up.
        started = time.monotonic()
        given_up = await settled(store, slow.id)
        assert time.monotonic() - started < 30
    assert not given_up.delivered and given_up.attempts == 2
    assert given_up.last_error == "no answer within 2 s"


async def test_a_redirect_is_not_followed(
    store: TaskStore, receiver: tuple[Receiver, str], http: httpx.AsyncClient
) -> None:
    rec, url = receiver
    [(_, delivery)] = await deliver(store, http, url + "/redirect", webhook_attempts=2)
    assert len(rec.hits("redirect")) == 2
    assert rec.hits("target") == []
    assert not delivery.delivered and delivery.last_error == "HTTP 302"


async def test_a_pending_delivery_resumes_after_a_restart(
    tmp_path: Path, receiver: tuple[Receiver, str], http: httpx.AsyncClient
) -> None:
    rec, url = receiver
    path = tmp_path / "tasks.db"
    store = TaskStore(path, retention_s=60)
    await store.open()
    # First run: one attempt fails (500), the retry is due far later; then it stops.
    hooks = Webhooks(settings(webhook_backoff_s=3600, webhook_backoff_max_s=3600), store, http)
    await hooks.start()
    task = finished(url + "/flaky")
    await hooks.enqueue(task)
    deadline = time.monotonic() + 30
    while (await store.deliveries_for(task.id))[0].attempts == 0:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)
    # And one never attempted at all: enqueued while the dispatcher is stopped.
    await hooks.close()
    other = finished(url + "/ok")
    await hooks.enqueue(other)
    await store.close()
    assert len(rec.hits("flaky")) == 1 and rec.hits("ok") == []

    # Second run (fresh objects, same file): both are delivered.
    store = TaskStore(path, retention_s=60)
    await store.open()
    # The retry would be due in an hour; a restart does not reset the schedule, so
    # make it due now the way time would.
    await store.db.write(
        lambda conn: conn.execute("UPDATE deliveries SET next_at = 0 WHERE next_at IS NOT NULL")
    )
    try:
        async with running(store, http):
            resumed = await settled(store, task.id)
            fresh = await settled(store, other.id)
    finally:
        await store.close()
    assert resumed.delivered and resumed.attempts == 2 and len(rec.hits("flaky")) == 2
    assert fresh.delivered and fresh.attempts == 1
    assert json.loads(rec.hits("ok")[0]["body"])["id"] == other.id


async def test_backoff_is_exponential_and_capped(store: TaskStore, http: httpx.AsyncClient) -> None:
    hooks = Webhooks(settings(webhook_backoff_s=2, webhook_backoff_max_s=30), store, http)
    assert [hooks.backoff(n) for n in range(1, 7)] == [2, 4, 8, 16, 30, 30]


ALLOWED = ["127.0.0.1", "10.20.0.0/16", "hooks.example.com", "::1", "fd00::/8"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "https://10.20.3.4/cb?x=1",
        "https://hooks.example.com/a/b",
        "https://HOOKS.Example.COM./a",
        "http://[::1]:9000/",
        "http://[fd12::5]/",
    ],
)
def test_allowed_callback_urls(url: str) -> None:
    assert check_callback_url(url, ALLOWED) == url


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.2/",  # not the address listed
        "http://10.21.0.1/",  # outside the range
        "http://evil.example.com/",
        "http://hooks.example.com.evil.net/",  # suffix trick
        "http://evilhooks.example.com/",
        "http://2130706433/",  # 127.0.0.1 as a decimal: a name, not listed
        "http://127.1/",  # short form: a name, not listed
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6 is not the IPv4 entry
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost/",
    ],
)
def test_callback_urls_outside_the_allow_list_are_refused(url: str) -> None:
    with pytest.raises(CallbackNotAllowed) as info:
        check_callback_url(url, ALLOWED)
    assert info.value.status == 400 and info.value.code == "callback_not_allowed"


@pytest.mark.parametrize(
    "url",
    [
        "",
        "ftp://127.0.0.1/",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "127.0.0.1/hook",  # no scheme
        "http:///path",  # no host
        "http://127.0.0.1:99999/",  # bad port
        "http://user:pw@127.0.0.1/",  # credentials
        "http://127.0.0.1@evil.example.com/",  # userinfo hiding the real host
        "http://127.0.0.1/a b",
        "http://127.0.0.1/\r\nX-Injected: 1",
        "http://" + "a" * 3000 + ".com/",
    ],
)
def test_malformed_callback_urls_are_invalid_requests(url: str) -> None:
    with pytest.raises(InvalidRequest) as info:
        check_callback_url(url, ALLOWED)
    assert info.value.status == 400 and info.value.code == "invalid_request"


def test_empty_allow_list_refuses_everything() -> None:
    with pytest.raises(CallbackNotAllowed):
        check_callback_url("http://127.0.0.1/", [])


def test_webhook_hosts_config_is_validated() -> None:
    from pydantic import ValidationError

    assert settings(webhook_hosts=["10.0.0.0/8", "a-b.example.org"]).webhook_hosts
    for bad in (["http://x"], ["a b"], ["-"], [""], ["x/y"]):
        with pytest.raises(ValidationError):
            settings(webhook_hosts=bad)
