"""The in-process broker: same contract as the Redis one, inside one process."""

from __future__ import annotations

import asyncio

import pytest

from coderunner.dispatch.base import Emit, Job, Outcome
from coderunner.dispatch.local import LocalBroker
from coderunner.errors import QueueFull
from tests.helpers import until
from tests.support.dispatch import RecordingSink, Runs, job


async def test_jobs_run_in_order_with_bounded_slots_and_queue() -> None:
    runs, sink = Runs(), RecordingSink()
    broker = LocalBroker(
        runs.for_worker("local"),
        max_size=2,
        max_concurrent=1,
        retry_after_s=3,
        languages=["python"],
    )
    await broker.start(sink)
    jobs = [job() for _ in range(3)]
    for j in jobs:
        runs.hold(j.task_id)
        await broker.submit(j)
    assert broker.running == 1 and broker.depth == 2
    with pytest.raises(QueueFull) as refused:
        await broker.submit(job())
    assert refused.value.headers["Retry-After"] == "3"
    runs.release_all()
    await until(lambda: all(sink.done(j.task_id) for j in jobs))
    assert [task for _, task, _ in runs.ran] == [j.task_id for j in jobs]  # FIFO
    assert [s[0] for s in sink.starts] == [j.task_id for j in jobs]
    for j in jobs:
        assert sink.events[j.task_id] == [("test", {"index": 0, "attempt": 1})]
        [outcome] = sink.outcomes[j.task_id]
        assert outcome.result is not None and outcome.worker == "local"
    assert [w.public()["id"] for w in await broker.workers()] == ["local"]
    await broker.close()


async def test_a_crashing_run_is_reported_as_an_internal_error() -> None:
    sink = RecordingSink()

    async def broken(job: Job, emit: Emit) -> Outcome:
        raise RuntimeError("boom")

    broker = LocalBroker(broken, max_size=1, max_concurrent=1, retry_after_s=1)
    await broker.start(sink)
    j = job()
    await broker.submit(j)
    await until(lambda: sink.done(j.task_id))
    [outcome] = sink.outcomes[j.task_id]
    assert outcome.error is not None and outcome.error["code"] == "internal_error"
    assert "boom" in outcome.error["message"]
    await broker.close()


async def test_close_cancels_running_jobs() -> None:
    runs, sink = Runs(), RecordingSink()
    broker = LocalBroker(runs.for_worker("local"), max_size=1, max_concurrent=1, retry_after_s=1)
    await broker.start(sink)
    j = job()
    runs.hold(j.task_id)
    await broker.submit(j)
    await until(lambda: runs.running["local"] == 1)
    await asyncio.wait_for(broker.close(), 5)
    assert runs.cancelled == [("local", j.task_id)]
    assert not sink.done(j.task_id)
