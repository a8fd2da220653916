"""The Redis Streams broker against a real redis-server (started per test on a free
loopback port): routing, leases and the reaper, attempts, first-wins, the queue
bound across workers, Redis going away and coming back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any, cast

import pytest
import redis.asyncio as aioredis

from coderunner.dispatch.base import Job, Outcome
from coderunner.dispatch.redis import MARKER_TTL_S, Entry, RedisBroker, stream_read
from coderunner.dispatch.scripts import FINISH, GROUP, Keys
from coderunner.dispatch.worker import RedisWorker
from coderunner.errors import BrokerUnavailable, QueueFull
from tests.helpers import until
from tests.support.dispatch import RecordingSink as Sink
from tests.support.dispatch import Runs, dispatch_settings, job
from tests.support.redisserver import RedisServer

Make = Callable[..., Any]


@pytest.fixture
async def parts(redis_server: RedisServer) -> AsyncIterator[dict[str, Any]]:
    """Factories for a serving broker and workers on the test's Redis; all closed after."""
    made: dict[str, Any] = {"brokers": [], "workers": [], "runs": Runs(), "sink": Sink()}

    async def broker(max_size: int = 64, recover: Any = None, **values: Any) -> RedisBroker:
        b = RedisBroker(
            dispatch_settings(redis_server.url, **values), max_size=max_size, retry_after_s=2
        )
        await b.start(made["sink"], recover)
        made["brokers"].append(b)
        return b

    async def worker(
        worker_id: str, languages: list[str], slots: int = 2, **values: Any
    ) -> RedisWorker:
        w = RedisWorker(
            dispatch_settings(redis_server.url, **values),
            run=made["runs"].for_worker(worker_id),
            worker_id=worker_id,
            languages=languages,
            slots=slots,
        )
        await w.start()
        made["workers"].append(w)
        return w

    made["broker"], made["worker"] = broker, worker
    yield made
    made["runs"].release_all()
    for w in made["workers"]:
        await w.close(grace_s=0.1)
    for b in made["brokers"]:
        await b.close()


async def test_jobs_reach_only_workers_with_their_language(parts: dict[str, Any]) -> None:
    broker = await parts["broker"]()
    await parts["worker"]("py", ["python"])
    await parts["worker"]("cc", ["c", "cpp"])
    sink, runs = parts["sink"], parts["runs"]
    jobs = [job("python") for _ in range(6)] + [job("c") for _ in range(4)] + [job("cpp")]
    for j in jobs:
        await broker.submit(j)
    await until(lambda: all(sink.done(j.task_id) for j in jobs), what="all jobs")
    where = {task: worker for worker, task, _ in runs.ran}
    for j in jobs:
        expected = "py" if j.language == "python" else "cc"
        assert where[j.task_id] == expected
        [outcome] = sink.outcomes[j.task_id]
        assert outcome.result == {"ranOn": expected, "attempt": 1, "echo": "print(1)"}
        assert outcome.worker == expected
        # The live event went through Redis to the server, in order before the result.
        assert sink.events[j.task_id] == [("test", {"index": 0, "attempt": 1})]
    assert len(runs.ran) == len(jobs)  # each job ran once


async def test_a_hung_worker_loses_its_lease_and_another_finishes_once(
    parts: dict[str, Any],
) -> None:
    """Worker A takes the job and hangs (its lease is never renewed: it renews every
    100 s); the reaper takes the job back after lease_s and worker B runs it. When A
    wakes up and finishes late, nothing changes: the first finished attempt won."""
    sink, runs = parts["sink"], parts["runs"]
    await parts["broker"](lease_s=1)
    hung = await parts["worker"]("A", ["python"], slots=1, lease_s=300)
    j = job("python")
    gate = runs.hold(j.task_id)
    await parts["brokers"][0].submit(j)
    await until(lambda: ("A", j.task_id, 1) in runs.ran, what="A takes the job")
    # Only now does B come: the retry can only reach it through the reaper.
    await parts["worker"]("B", ["python"])
    await until(lambda: ("B", j.task_id, 2) in runs.ran, what="B gets attempt 2")
    gate.set()  # both runs may end now: B's attempt 2 and the late A
    await until(lambda: sink.done(j.task_id), what="a result")
    await until(lambda: hung.finished == 1, what="A finishes late")
    await asyncio.sleep(0.5)  # time for a wrong second result to arrive
    assert [(o.worker, o.attempt) for o in sink.outcomes[j.task_id]] in (
        [("B", 2)],
        [("A", 1)],
    )  # exactly one, whichever finished first
    assert sink.retries == [(j.task_id, 2, "lease expired")]
    assert parts["brokers"][0].reclaimed == 1


async def test_after_max_attempts_the_task_fails_with_worker_lost(parts: dict[str, Any]) -> None:
    sink, runs = parts["sink"], parts["runs"]
    broker = await parts["broker"](lease_s=1, max_attempts=2)
    worker = await parts["worker"]("A", ["python"], slots=2, lease_s=300)
    j = job("python")
    runs.hold(j.task_id)
    await broker.submit(j)
    await until(lambda: sink.done(j.task_id), what="worker_lost")
    [outcome] = sink.outcomes[j.task_id]
    assert outcome.error is not None and outcome.error["code"] == "worker_lost"
    assert outcome.result is None
    assert [attempt for _, task, attempt in runs.ran if task == j.task_id] == [1, 2]
    # Never retried again, never a second result, also when the hung runs end.
    await asyncio.sleep(1.5)
    assert len(runs.ran) == 2 and len(sink.outcomes[j.task_id]) == 1
    assert await broker.queued() == 0
    runs.release_all()
    await until(lambda: worker.finished == 2, what="the late runs end")
    await asyncio.sleep(0.5)
    assert len(sink.outcomes[j.task_id]) == 1
    assert sink.outcomes[j.task_id][0].error == outcome.error


async def test_a_worker_that_lost_its_lease_cancels_its_run(parts: dict[str, Any]) -> None:
    """A worker frozen past its lease (its renewals stall) finds the job taken away
    when it renews again, and stops the run (the real runner removes its container)."""
    sink, runs = parts["sink"], parts["runs"]
    await parts["broker"](lease_s=1)
    frozen = await parts["worker"]("A", ["python"], slots=1, lease_s=1.5)
    thaw = asyncio.Event()
    renew = frozen._renew

    async def stalled(**kwargs: Any) -> Any:
        await thaw.wait()
        return await renew(**kwargs)

    frozen._renew = stalled
    j = job("python")
    runs.hold(j.task_id)
    await parts["brokers"][0].submit(j)
    await until(lambda: ("A", j.task_id, 1) in runs.ran, what="A takes the job")
    await parts["worker"]("B", ["python"])
    await until(lambda: ("B", j.task_id, 2) in runs.ran, what="B gets attempt 2")
    thaw.set()
    await until(lambda: ("A", j.task_id) in runs.cancelled, what="A cancels its run")
    assert frozen.running == 0 and frozen.finished == 0
    runs.release_all()
    await until(lambda: sink.done(j.task_id), what="B's result")
    assert [(o.worker, o.attempt) for o in sink.outcomes[j.task_id]] == [("B", 2)]
    # A's event from attempt 1 was passed on while it was the running attempt; nothing
    # A sends after losing the lease is.
    assert sink.events[j.task_id] == [
        ("test", {"index": 0, "attempt": 1}),
        ("test", {"index": 0, "attempt": 2}),
    ]


async def test_first_finished_attempt_wins_a_late_duplicate_changes_nothing(
    redis_server: RedisServer,
) -> None:
    keys = Keys("t")
    client = aioredis.from_url(redis_server.url, decode_responses=True)
    finish = client.register_script(FINISH)
    task, stream = "f" * 32, keys.stream("python")

    async def send(attempt: int, worker: str) -> int:
        outcome = Outcome(result={"by": worker})
        return int(
            await finish(
                keys=[stream, keys.done(task), keys.live, keys.results, keys.attempt(task)],
                args=[GROUP, "0-1", task, attempt, worker, outcome.dumps(), MARKER_TTL_S],
            )
        )

    await client.xgroup_create(stream, GROUP, mkstream=True)
    assert await send(2, "B") == 1
    assert await send(1, "A") == 0  # the late attempt 1 of a hung worker
    assert await send(2, "B") == 0  # a repeated report of the winner
    entries = cast(list[Entry], await client.xrange(keys.results))
    assert [(f["type"], f["worker"], f["attempt"]) for _, f in entries] == [("finished", "B", "2")]
    assert await client.get(keys.done(task)) == "2"
    await client.aclose()


async def test_the_queue_bound_holds_across_workers(parts: dict[str, Any]) -> None:
    sink, runs = parts["sink"], parts["runs"]
    broker = await parts["broker"](max_size=3)
    await parts["worker"]("A", ["python"], slots=1)
    await parts["worker"]("B", ["python"], slots=1)
    jobs = [job("python") for _ in range(5)]
    for j in jobs:
        runs.hold(j.task_id)
    for j in jobs[:2]:
        await broker.submit(j)
    # Both workers are busy (one slot each), so the next three wait in Redis.
    await until(lambda: runs.running["A"] == 1 and runs.running["B"] == 1, what="both busy")
    for j in jobs[2:]:
        await broker.submit(j)
    assert await broker.queued() == 3
    with pytest.raises(QueueFull) as refused:
        await broker.submit(job("python"))
    assert refused.value.status == 503 and refused.value.headers["Retry-After"] == "2"
    # A waiting job of another language counts too: the bound is for all of them.
    with pytest.raises(QueueFull):
        await broker.submit(job("c"))
    runs.release_all()
    await until(lambda: all(sink.done(j.task_id) for j in jobs), what="all done")
    assert {w for w, _, _ in runs.ran} == {"A", "B"}
    assert max(runs.running.values()) == 0
    late = job("python")
    await broker.submit(late)  # room again
    await until(lambda: sink.done(late.task_id), what="the late job")


async def test_per_worker_slots_are_never_exceeded(parts: dict[str, Any]) -> None:
    sink, runs = parts["sink"], parts["runs"]
    broker = await parts["broker"]()
    worker = await parts["worker"]("A", ["python", "c"], slots=2)
    jobs = [job("python") for _ in range(4)] + [job("c") for _ in range(4)]
    for j in jobs:
        runs.hold(j.task_id)
        await broker.submit(j)
    await until(lambda: runs.running["A"] == 2, what="two running")
    await asyncio.sleep(1.5)  # several reads later: still two
    assert runs.running["A"] == 2 and worker.running == 2
    assert await broker.queued() == 6
    runs.release_all()
    await until(lambda: all(sink.done(j.task_id) for j in jobs), what="all done")
    # A read that brought more than the free slots put the surplus back untouched.
    assert all(len(sink.outcomes[j.task_id]) == 1 for j in jobs)


async def test_broker_down_refuses_with_retry_after_then_recovers(
    parts: dict[str, Any],
    redis_server: RedisServer,
) -> None:
    sink = parts["sink"]
    broker = await parts["broker"]()
    await parts["worker"]("A", ["python"])
    first = job("python")
    await broker.submit(first)
    await until(lambda: sink.done(first.task_id), what="first job")
    redis_server.stop()
    with pytest.raises(BrokerUnavailable) as refused:
        await broker.submit(job("python"))
    assert refused.value.status == 503 and refused.value.code == "broker_unavailable"
    assert refused.value.headers["Retry-After"] == "5"
    health = await broker.health()
    assert health["reachable"] is False
    redis_server.start()
    # Back by itself: no restart of the server or the worker.
    after = job("python")
    await until_accepted(broker, after)
    await until(lambda: sink.done(after.task_id), what="a job after the outage")
    assert (await broker.health())["reachable"] is True


async def until_accepted(broker: RedisBroker, j: Job, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            await broker.submit(j)
            return
        except BrokerUnavailable:
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.1)


async def test_redis_restarted_while_jobs_wait_loses_none(
    parts: dict[str, Any],
    redis_server: RedisServer,
) -> None:
    sink = parts["sink"]
    broker = await parts["broker"]()
    jobs = [job("python") for _ in range(8)]
    for j in jobs:
        await broker.submit(j)
    redis_server.restart()  # SIGTERM: the append-only file keeps them
    await parts["worker"]("A", ["python"])
    await until(lambda: all(sink.done(j.task_id) for j in jobs), what="all jobs")
    assert all(len(sink.outcomes[j.task_id]) == 1 for j in jobs)


async def test_a_redis_that_lost_its_data_gets_unfinished_jobs_again_from_the_store(
    parts: dict[str, Any],
    redis_server: RedisServer,
) -> None:
    """The server's store is the source of truth: a Redis that comes back empty is
    given again every job of a task the store holds unfinished."""
    sink = parts["sink"]
    jobs = [job("python") for _ in range(5)]

    async def unfinished() -> list[Job]:  # what the task store would list
        return [j for j in jobs if not sink.done(j.task_id)]

    broker = await parts["broker"](recover=unfinished)
    for j in jobs:
        await broker.submit(j)
    redis_server.wipe()
    redis_server.start()
    await parts["worker"]("A", ["python"])
    await until(lambda: all(sink.done(j.task_id) for j in jobs), what="all jobs")
    assert all(len(sink.outcomes[j.task_id]) == 1 for j in jobs)


async def test_a_restarted_worker_puts_back_what_it_held(
    parts: dict[str, Any],
    redis_server: RedisServer,
) -> None:
    """A worker that died holding a job (here: a read as its consumer, never
    finished) gives it back when it starts again, as a new attempt."""
    sink, runs = parts["sink"], parts["runs"]
    broker = await parts["broker"](lease_s=300)  # the reaper would wait long
    j = job("python")
    await broker.submit(j)
    client = aioredis.from_url(redis_server.url, decode_responses=True)
    taken = stream_read(
        await client.xreadgroup(GROUP, "A", {Keys("t").stream("python"): ">"}, count=1)
    )
    assert taken[0][1][0][1]["task"] == j.task_id
    await client.aclose()
    await parts["worker"]("A", ["python"], lease_s=300)
    await until(lambda: sink.done(j.task_id), what="the job")
    assert runs.ran == [("A", j.task_id, 2)]
    assert sink.retries == [(j.task_id, 2, "its worker restarted")]


async def test_the_registry_lists_live_workers(parts: dict[str, Any]) -> None:
    broker = await parts["broker"]()
    await parts["worker"]("A", ["python", "c"], slots=3)
    b = await parts["worker"]("B", ["java"], slots=1)
    await until(lambda: len(parts["workers"]) == 2)
    await asyncio.sleep(0.3)
    listed = {w.id: w for w in await broker.workers()}
    assert set(listed) == {"A", "B"}
    assert listed["A"].languages == ["c", "python"] and listed["A"].slots == 3
    assert listed["A"].running == 0
    body = listed["B"].public()
    assert set(body) == {"id", "host", "slots", "running", "languages", "lastSeen"}
    assert body["lastSeen"].endswith("Z")
    await b.close(grace_s=0.1)
    parts["workers"].remove(b)
    assert [w.id for w in await broker.workers()] == ["A"]
    assert (await broker.health()) == {"backend": "redis", "reachable": True, "workers": 1}


async def test_cancelling_a_waiting_job_means_it_never_runs(parts: dict[str, Any]) -> None:
    sink, runs = parts["sink"], parts["runs"]
    broker = await parts["broker"]()
    waiting, other = job("python"), job("python")
    await broker.submit(waiting)
    await broker.submit(other)
    assert await broker.cancel(waiting.task_id) == "removed"
    assert await broker.cancel(waiting.task_id) == "finished"  # nothing more to do
    assert await broker.cancel("0" * 32) == "unknown"
    await parts["worker"]("A", ["python"])
    await until(lambda: sink.done(other.task_id), what="the other job")
    await asyncio.sleep(0.5)
    assert [task for _, task, _ in runs.ran] == [other.task_id]
    assert not sink.done(waiting.task_id)  # the server finalises what it removed
    assert await broker.queued() == 0


async def test_cancelling_a_running_job_stops_it_and_reports_what_it_has(
    parts: dict[str, Any],
    redis_server: RedisServer,
) -> None:
    """With a stop hook (the real worker stops the container) the run ends by itself
    and its partial outcome is reported; without one, the run is cancelled and the
    outcome is `cancelled`."""
    sink, runs = parts["sink"], parts["runs"]
    broker = await parts["broker"]()
    stopped: list[str] = []

    async def stop(j: Job) -> None:
        stopped.append(j.task_id)
        runs.held[j.task_id].set()  # "the container stopped": the run returns

    hooked = RedisWorker(
        dispatch_settings(redis_server.url, lease_s=1),
        worker_id="H",
        run=runs.for_worker("H"),
        languages=["c"],
        slots=1,
        stop=stop,
    )
    await hooked.start()
    parts["workers"].append(hooked)
    await parts["worker"]("P", ["python"], lease_s=1)
    soft, hard = job("c"), job("python")
    for j in (soft, hard):
        runs.hold(j.task_id)
        await broker.submit(j)
    await until(lambda: runs.running["H"] == 1 and runs.running["P"] == 1, what="both run")
    assert await broker.cancel(soft.task_id) == "stopping"
    assert await broker.cancel(hard.task_id) == "stopping"
    await until(lambda: sink.done(soft.task_id) and sink.done(hard.task_id), what="outcomes")
    assert stopped == [soft.task_id]
    assert sink.outcomes[soft.task_id][0].result is not None  # what it had
    assert sink.outcomes[hard.task_id][0].error == {
        "code": "cancelled",
        "message": "the task was cancelled",
    }
    assert ("P", hard.task_id) in runs.cancelled


async def test_a_cancelled_job_whose_worker_died_is_not_run_again(
    parts: dict[str, Any],
    redis_server: RedisServer,
) -> None:
    sink, runs = parts["sink"], parts["runs"]
    broker = await parts["broker"](lease_s=1)
    j = job("python")
    await broker.submit(j)
    client = aioredis.from_url(redis_server.url, decode_responses=True)
    await client.xreadgroup(GROUP, "dead", {Keys("t").stream("python"): ">"}, count=1)
    await client.aclose()
    assert await broker.cancel(j.task_id) == "stopping"
    await parts["worker"]("A", ["python"])
    await until(lambda: sink.done(j.task_id), what="the reaper's verdict")
    assert sink.outcomes[j.task_id][0].error is not None
    assert sink.outcomes[j.task_id][0].error["code"] == "cancelled"
    assert runs.ran == []
