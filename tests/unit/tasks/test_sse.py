"""Live events over SSE: a real uvicorn server running a tiny app made of the task
modules (tests/support/sseapp.py), a real SSE client (httpx + httpx-sse), a producer
driven over HTTP."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from httpx_sse import aconnect_sse

from coderunner.tasks import EventHub, SubscriptionLagged, TaskEvent
from coderunner.tasks.sse import last_event_id
from tests.helpers import Served, until
from tests.support.sseapp import create_app


async def new_task(http: httpx.AsyncClient) -> str:
    task_id: str = (await http.post("/tasks")).json()["id"]
    return task_id


async def produce(
    http: httpx.AsyncClient, task_id: str, *events: tuple[str, dict[str, Any]]
) -> list[int]:
    body = [{"type": type_, "data": data} for type_, data in events]
    answer = await http.post(f"/tasks/{task_id}/produce", json=body)
    answer.raise_for_status()
    ids: list[int] = answer.json()["ids"]
    return ids


async def subscribers(http: httpx.AsyncClient) -> int:
    count: int = (await http.get("/stats")).json()["subscribers"]
    return count


async def collect(
    http: httpx.AsyncClient, task_id: str, **headers: str
) -> list[tuple[int, str, Any]]:
    got = []
    async with aconnect_sse(http, "GET", f"/tasks/{task_id}/events", headers=headers) as source:
        assert source.response.headers["content-type"].startswith("text/event-stream")
        async for sse in source.aiter_sse():
            got.append((int(sse.id), sse.event, json.loads(sse.data)))
    return got


@pytest.fixture
def app_url(serve: Callable[..., Served], tmp_path: Path) -> Callable[..., str]:
    def start(**options: Any) -> str:
        return serve(create_app(tmp_path / f"t{time.monotonic_ns()}.db", **options)).url

    return start


async def test_live_events_in_order_then_stream_ends_after_done(
    app_url: Callable[..., str],
) -> None:
    async with httpx.AsyncClient(base_url=app_url(), timeout=30) as http:
        task_id = await new_task(http)
        reader = asyncio.create_task(collect(http, task_id))
        await until(lambda: _eq(subscribers(http), 1))
        await produce(http, task_id, ("status", {"status": "running"}))
        await produce(http, task_id, ("test", {"index": 0, "stdout": "a\nb\n"}))
        await asyncio.sleep(0.2)
        assert not reader.done()  # still streaming: no "done" yet
        await produce(http, task_id, ("test", {"index": 1}), ("done", {"status": "done"}))
        got = await asyncio.wait_for(reader, 30)
        assert [(i, t) for i, t, _ in got] == [(1, "status"), (2, "test"), (3, "test"), (4, "done")]
        assert got[1][2] == {"index": 0, "stdout": "a\nb\n"}
        await until(lambda: _eq(subscribers(http), 0))


async def test_each_event_arrives_while_the_producer_is_still_going(
    app_url: Callable[..., str],
) -> None:
    async with httpx.AsyncClient(base_url=app_url(), timeout=30) as http:
        task_id = await new_task(http)
        async with aconnect_sse(http, "GET", f"/tasks/{task_id}/events") as source:
            events = source.aiter_sse()
            for index in range(3):
                await produce(http, task_id, ("test", {"index": index}))
                sse = await asyncio.wait_for(anext(events), 30)
                assert json.loads(sse.data) == {"index": index} and sse.id == str(index + 1)
            await produce(http, task_id, ("done", {"status": "done"}))
            assert (await anext(events)).event == "done"


async def test_replay_after_last_event_id_then_live_without_duplicates(
    app_url: Callable[..., str],
) -> None:
    async with httpx.AsyncClient(base_url=app_url(), timeout=30) as http:
        task_id = await new_task(http)
        await produce(http, task_id, *[("test", {"index": i}) for i in range(5)])
        reader = asyncio.create_task(collect(http, task_id, **{"Last-Event-ID": "3"}))
        await until(lambda: _eq(subscribers(http), 1))
        await produce(http, task_id, ("test", {"index": 5}), ("done", {"status": "done"}))
        got = await asyncio.wait_for(reader, 30)
        assert [i for i, _, _ in got] == [4, 5, 6, 7]
        # A finished task replays everything and ends at once.
        assert [i for i, _, _ in await collect(http, task_id)] == [1, 2, 3, 4, 5, 6, 7]
        assert [i for i, _, _ in await collect(http, task_id, **{"Last-Event-ID": "6"})] == [7]


async def test_a_subscriber_that_falls_behind_gets_every_event_from_the_store(
    app_url: Callable[..., str],
) -> None:
    async with httpx.AsyncClient(base_url=app_url(buffer=4), timeout=30) as http:
        task_id = await new_task(http)
        reader = asyncio.create_task(collect(http, task_id))
        await until(lambda: _eq(subscribers(http), 1))
        # 60 events published in one go: the 4-event buffer overflows.
        await produce(
            http,
            task_id,
            *[("test", {"index": i}) for i in range(59)],
            ("done", {"status": "done"}),
        )
        got = await asyncio.wait_for(reader, 30)
        assert [i for i, _, _ in got] == list(range(1, 61))


async def test_pings_keep_an_idle_stream_alive(app_url: Callable[..., str]) -> None:
    async with httpx.AsyncClient(base_url=app_url(ping_s=0.2), timeout=30) as http:
        task_id = await new_task(http)
        pings = 0
        async with http.stream("GET", f"/tasks/{task_id}/events") as response:
            async for line in response.aiter_lines():
                if line == ": ping":
                    pings += 1
                    if pings == 4:
                        break
        assert pings == 4


async def test_a_disconnecting_client_frees_its_subscription(app_url: Callable[..., str]) -> None:
    # Pings an hour apart: the server learns of the disconnect by listening, not by a
    # failed write.
    async with httpx.AsyncClient(base_url=app_url(ping_s=3600), timeout=30) as http:
        task_id = await new_task(http)
        clients = [httpx.AsyncClient(base_url=http.base_url, timeout=30) for _ in range(5)]
        streams = [c.stream("GET", f"/tasks/{task_id}/events") for c in clients]
        for stream in streams:
            await stream.__aenter__()
        await until(lambda: _eq(subscribers(http), 5))
        for stream, client in zip(streams, clients, strict=True):
            await stream.__aexit__(None, None, None)
            await client.aclose()
        # No event is ever published: only the disconnect can free them.
        await until(lambda: _eq(subscribers(http), 0))


async def test_unknown_task_is_404(app_url: Callable[..., str]) -> None:
    async with httpx.AsyncClient(base_url=app_url(), timeout=30) as http:
        answer = await http.get("/tasks/" + "0" * 32 + "/events")
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
        assert await subscribers(http) == 0


def test_last_event_id_header_parsing() -> None:
    assert last_event_id(None) == 0
    assert last_event_id(" 7 ") == 7
    assert last_event_id("x") == 0
    assert last_event_id("-5") == 0
    assert last_event_id("9" * 40) == 2**62  # would overflow an SQLite integer


async def test_a_client_that_has_done_gets_an_ended_stream_at_once(
    app_url: Callable[..., str],
) -> None:
    async with httpx.AsyncClient(base_url=app_url(), timeout=30) as http:
        task_id = await new_task(http)
        await produce(http, task_id, ("test", {"index": 0}), ("done", {"status": "done"}))
        started = time.monotonic()
        assert await collect(http, task_id, **{"Last-Event-ID": "9" * 40}) == []
        assert await collect(http, task_id, **{"Last-Event-ID": "2"}) == []
        assert time.monotonic() - started < 10  # not left to the 15 s ping


async def test_a_final_task_without_done_does_not_hold_the_stream(
    app_url: Callable[..., str], tmp_path: Path
) -> None:
    # A producer that died after storing the final status: the stream ends at a ping.
    async with httpx.AsyncClient(base_url=app_url(ping_s=0.2), timeout=30) as http:
        task_id = await new_task(http)
        await produce(http, task_id, ("test", {"index": 0}))
        [db] = tmp_path.glob("*.db")  # written here through a second connection (WAL)
        with sqlite3.connect(db) as conn:
            conn.execute(
                "UPDATE tasks SET status = 'failed', finished_at = 1 WHERE id = ?", (task_id,)
            )
        got = await asyncio.wait_for(collect(http, task_id), 30)
        assert [i for i, _, _ in got] == [1]


async def test_hub_fan_out_bounded_buffer_and_end_after_done() -> None:
    hub = EventHub(buffer=3)
    first, second = hub.subscribe("t"), hub.subscribe("t")
    other = hub.subscribe("u")
    assert hub.count() == 3 and hub.count("t") == 2
    for i in range(1, 3):
        await hub.publish(TaskEvent("t", i, "test", {}))
    await hub.publish(TaskEvent("t", 3, "done", {}))
    assert [e.id async for e in first] == [1, 2, 3]  # ends after done, unsubscribes
    assert hub.count("t") == 1
    assert await other.get(timeout=0.01) is None  # another task's events are not seen
    # Overflow (4th event into a 3-event buffer): the buffer is emptied at once (the
    # memory is freed) and the reader is told, once, to catch up from the store.
    for i in range(4, 10):
        await hub.publish(TaskEvent("t", i, "test", {}))
    assert len(second._events) == 0
    with pytest.raises(SubscriptionLagged):
        await second.get()
    await hub.publish(TaskEvent("t", 10, "test", {}))
    tenth = await second.get()
    assert tenth is not None and tenth.id == 10
    second.close()
    other.close()
    assert hub.count() == 0


async def _eq(awaitable: Awaitable[object], value: object) -> bool:
    return await awaitable == value
