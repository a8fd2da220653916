"""The bounded queue on its own, with a runner that waits for a signal."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from coderunner.errors import QueueFull, Unavailable
from coderunner.runner.queue import TaskQueue


class FakeSession:
    def __init__(self, sid: str) -> None:
        self.id = sid
        self.release = asyncio.Event()
        self.result: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()


async def make(max_size: int, max_concurrent: int) -> tuple[TaskQueue, list[str]]:
    started: list[str] = []

    async def runner(session: FakeSession) -> None:
        started.append(session.id)
        await session.release.wait()

    return TaskQueue(
        max_size=max_size, max_concurrent=max_concurrent, retry_after_s=3, runner=runner
    ), started


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_slots_then_waiting_then_refusal_fifo() -> None:
    queue, started = await make(max_size=2, max_concurrent=2)
    sessions = [FakeSession(f"s{i}") for i in range(5)]
    for s in sessions[:4]:
        queue.submit(s)
    await settle()
    assert started == ["s0", "s1"] and queue.running == 2 and queue.depth == 2
    with pytest.raises(QueueFull) as refused:
        queue.submit(sessions[4])
    assert refused.value.headers["Retry-After"] == "3" and refused.value.status == 503

    sessions[1].release.set()
    await settle()
    assert started == ["s0", "s1", "s2"] and queue.running == 2 and queue.depth == 1
    queue.release("s0")  # the callback frees a slot before the runner returns
    await settle()
    assert started[-1] == "s3" and queue.depth == 0
    queue.release("s0")  # idempotent
    assert queue.running == 2
    for s in sessions:
        s.release.set()
    await settle()
    assert queue.running == 0


async def test_withdraw_and_close() -> None:
    queue, started = await make(max_size=5, max_concurrent=1)
    a, b, c = FakeSession("a"), FakeSession("b"), FakeSession("c")
    for s in (a, b, c):
        queue.submit(s)
    assert queue.withdraw(b) is True and queue.withdraw(b) is False
    assert [s.id for s in queue.close()] == ["c"]
    with pytest.raises(Unavailable):
        queue.submit(FakeSession("d"))
    a.release.set()
    assert await queue.drain(5) == 0
    assert started == ["a"]


class UserSession(FakeSession):
    def __init__(self, sid: str, user: str) -> None:
        super().__init__(sid)
        self.user = user


async def make_fair(max_concurrent: int, max_per_user: int) -> tuple[TaskQueue, list[str]]:
    started: list[str] = []

    async def runner(session: UserSession) -> None:
        started.append(session.id)
        await session.release.wait()

    return TaskQueue(
        max_size=10,
        max_concurrent=max_concurrent,
        retry_after_s=1,
        runner=runner,
        max_per_user=max_per_user,
    ), started


async def test_waiting_users_are_served_round_robin() -> None:
    queue, started = await make_fair(max_concurrent=1, max_per_user=0)
    jobs = [
        UserSession("a1", "ann"),
        UserSession("a2", "ann"),
        UserSession("a3", "ann"),
        UserSession("b1", "bob"),
        UserSession("c1", "cy"),
        UserSession("b2", "bob"),
    ]
    for job in jobs:
        queue.submit(job)
    order = []
    for _ in jobs:
        await settle()
        current = started[-1]
        order.append(current)
        next(j for j in jobs if j.id == current).release.set()
    await settle()
    assert order == ["a1", "b1", "c1", "a2", "b2", "a3"]


async def test_max_per_user_leaves_a_slot_free_rather_than_give_it_to_the_same_user() -> None:
    queue, started = await make_fair(max_concurrent=2, max_per_user=1)
    a1, a2, b1 = UserSession("a1", "ann"), UserSession("a2", "ann"), UserSession("b1", "bob")
    for job in (a1, a2):
        queue.submit(job)
    await settle()
    assert started == ["a1"] and queue.running == 1 and queue.depth == 1
    queue.submit(b1)
    await settle()
    assert started == ["a1", "b1"]
    a1.release.set()
    await settle()
    assert started == ["a1", "b1", "a2"] and queue.running_for("ann") == 1
    for job in (a2, b1):
        job.release.set()
    await settle()
    assert queue.running == 0 and queue.running_for("ann") == 0


async def test_release_is_by_job_id_and_exactly_once() -> None:
    queue, started = await make_fair(max_concurrent=1, max_per_user=0)
    a, b = UserSession("a", "u"), UserSession("b", "u")
    queue.submit(a)
    queue.submit(b)
    await settle()
    queue.release("a")  # the container ended: the slot goes on at once
    queue.release("a")
    await settle()
    assert started == ["a", "b"] and queue.running == 1
    a.release.set()  # the end of a's runner releases "a" again: nothing changes
    await settle()
    assert queue.running == 1 and queue.is_running("b")
    b.release.set()
    await settle()
    assert queue.running == 0
