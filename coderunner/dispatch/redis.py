"""The Redis Streams broker, serving side (`dispatch.backend = "redis"`).

`submit` queues a job on its language's stream (bounded across all workers, one Lua
script); a consumer reads the workers' reports from the results stream and hands
them to the task service (`Sink`); a reaper takes back jobs whose lease expired
(XAUTOCLAIM) and queues them again, or fails them with `worker_lost` after
`dispatch.max_attempts`. When Redis is unreachable, `submit` raises
BrokerUnavailable; the loops retry by themselves, and once Redis is back (or was
restarted: its run_id changed) the jobs of unfinished tasks it does not know are
published again from the server's store, the source of truth. Protocol and keys:
scripts.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any, cast

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError, ResponseError

from ..config import DispatchSettings
from ..errors import BrokerUnavailable, QueueFull
from . import scripts
from .base import (
    Job,
    Outcome,
    Sink,
    WorkerInfo,
    cancelled,
    finish_loops,
    worker_lost,
)
from .scripts import GROUP, REAPER, RESULTS_GROUP, Keys

log = logging.getLogger("coderunner.dispatch")

# How long a done/attempt marker is kept: longer than any attempt can last, so a
# late duplicate always finds it.
MARKER_TTL_S = 86_400
Recover = Callable[[], Awaitable[list[Job]]]

# What a client made by connect() gets back: decode_responses=True and RESP2, so every
# string is a str and a stream read is [(stream, [(entry id, fields)])]. redis-py types
# its answers for every client at once (bytes or str, RESP2 or RESP3 shapes), which no
# check can narrow from here; these name the one shape ours receives, in one place.
Fields = dict[str, str]
# A registered Lua script: called with keys= and args=, answers what the script returns.
Script = Callable[..., Awaitable[Any]]
Entry = tuple[str, Fields]
StreamRead = list[tuple[str, list[Entry]]]


def stream_read(answer: Any) -> StreamRead:
    """An XREADGROUP answer (None when the block timed out)."""
    return cast(StreamRead, answer or [])


def strings(answer: Any) -> list[str]:
    """A SMEMBERS / ZRANGE answer."""
    return cast(list[str], list(answer))


def fields(answer: Any) -> Fields:
    """An HGETALL answer."""
    return cast(Fields, answer)


def connect(url: str) -> aioredis.Redis:
    """A client that fails fast when Redis is away (one quick retry, for a pooled
    connection that went stale when Redis restarted) instead of hanging."""
    return aioredis.from_url(
        url,
        decode_responses=True,
        socket_connect_timeout=2,
        socket_timeout=10,
        health_check_interval=15,
        retry=Retry(NoBackoff(), 1),
    )


async def ensure_group(client: aioredis.Redis, stream: str, group: str) -> None:
    try:
        await client.xgroup_create(stream, group, id="0", mkstream=True)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


async def requeue(
    script: Any,
    keys: Keys,
    *,
    stream: str,
    entry_id: str,
    task_id: str,
    consumer: str,
    max_attempts: int,
    count: bool,
    reason: str,
) -> int:
    """Run the REQUEUE script (scripts.py) for one pending entry; returns its answer."""
    return int(
        await script(
            keys=[
                stream,
                keys.done(task_id),
                keys.live,
                keys.results,
                keys.attempt(task_id),
                keys.cancel(task_id),
            ],
            args=[
                GROUP,
                entry_id,
                consumer,
                max_attempts,
                int(count),
                MARKER_TTL_S,
                reason,
                worker_lost(max_attempts).dumps(),
                cancelled().dumps(),
            ],
        )
    )


class RedisBroker:
    name = "redis"

    def __init__(
        self,
        settings: DispatchSettings,
        *,
        max_size: int,
        retry_after_s: int,
        consumer: str | None = None,
    ) -> None:
        self.settings = settings
        self.keys = Keys(settings.prefix)
        self.max_size = max_size
        self.retry_after_s = retry_after_s
        self.consumer = consumer or f"server-{socket.gethostname()}"
        self.client = connect(settings.url)
        self._publish = self.client.register_script(scripts.PUBLISH)
        self._requeue = self.client.register_script(scripts.REQUEUE)
        self._cancel = self.client.register_script(scripts.CANCEL)
        self._sink: Sink | None = None
        self._recover: Recover | None = None
        self._loops: list[asyncio.Task[None]] = []
        self.reachable = False
        self._run_id: str | None = None
        # The reaper waits one lease after Redis came back, so that the workers'
        # leases (idle times kept across the outage) can be renewed first.
        self._reap_after = 0.0
        self.reclaimed = 0  # jobs queued again after a lost lease (metrics)
        self.lost = 0  # tasks failed with worker_lost

    # ---- life cycle -----------------------------------------------------------

    async def start(self, sink: Sink, recover: Recover | None = None) -> None:
        self._sink = sink
        self._recover = recover
        # Redis away at start is not fatal: the loops connect when it comes.
        await self._check()
        self._loops = [
            asyncio.create_task(self._consume_loop(), name="dispatch-results"),
            asyncio.create_task(self._reap_loop(), name="dispatch-reaper"),
        ]

    async def close(self) -> None:
        await finish_loops(self._loops)
        self._loops = []
        await self.client.aclose()

    # ---- submitting -------------------------------------------------------------

    async def submit(self, job: Job) -> None:
        try:
            answer = await self._publish_job(job, bound=self.max_size)
        except RedisError as exc:
            self._down(exc)
            raise BrokerUnavailable(
                "the task broker cannot be reached; nothing was queued",
                retry_after=self.settings.retry_after_s,
            ) from exc
        if answer == -1:
            raise QueueFull(
                f"the task queue is full ({self.max_size} tasks waiting)",
                retry_after=self.retry_after_s,
            )

    async def _publish_job(self, job: Job, *, bound: int) -> int:
        k = self.keys
        return int(
            await self._publish(
                keys=[k.stream(job.language), k.live, k.done(job.task_id), k.streams],
                args=[job.task_id, job.attempt, job.dumps(), bound, GROUP],
            )
        )

    # ---- reachability and recovery -------------------------------------------

    def _down(self, exc: BaseException) -> None:
        if self.reachable:
            log.error("task broker unreachable: %s", exc)
        self.reachable = False

    async def _check(self) -> bool:
        """Ping Redis; after an outage or a restart of Redis, recover. True when up."""
        try:
            info = await self.client.info("server")
        except RedisError as exc:
            self._down(exc)
            return False
        run_id = str(info.get("run_id", ""))
        if not self.reachable or run_id != self._run_id:
            if self._run_id is not None:
                log.warning("task broker back (run_id %s): recovering", run_id[:8])
            try:
                await self._recover_jobs()
            except RedisError as exc:
                self._down(exc)
                return False
            self._run_id = run_id
            self.reachable = True
            self._reap_after = time.monotonic() + self.settings.lease_s
        return True

    async def _recover_jobs(self) -> None:
        await ensure_group(self.client, self.keys.results, RESULTS_GROUP)
        if self._recover is None:
            return
        jobs = await self._recover()
        again = 0
        for job in jobs:
            again += await self._publish_job(job, bound=-1) == 1
        if again:
            log.warning("published %d unfinished task(s) again that Redis did not know", again)

    # ---- reports from the workers ----------------------------------------------

    async def _consume_loop(self) -> None:
        backoff = 0.2
        # First what was delivered to us before but not acknowledged (a crash between
        # reading and storing), then new reports.
        cursor = "0"
        while True:
            try:
                if not self.reachable and not await self._check():
                    raise ConnectionError("broker unreachable")
                answer = stream_read(
                    await self.client.xreadgroup(
                        RESULTS_GROUP,
                        self.consumer,
                        {self.keys.results: cursor},
                        count=100,
                        block=1000,
                    )
                )
                entries = answer[0][1] if answer else []
                if cursor == "0" and not entries:
                    cursor = ">"
                for _, report in entries:
                    await self._report(report)
                if entries:
                    # Acknowledged once stored: a crash before this reads them again.
                    ids = [entry_id for entry_id, _ in entries]
                    async with self.client.pipeline(transaction=True) as pipe:
                        pipe.xack(self.keys.results, RESULTS_GROUP, *ids)
                        pipe.xdel(self.keys.results, *ids)
                        await pipe.execute()
                backoff = 0.2
            except asyncio.CancelledError:
                raise
            except (RedisError, ConnectionError, OSError) as exc:
                if isinstance(exc, ResponseError) and "NOGROUP" in str(exc):
                    # Redis lost its data: the next check recovers (groups, jobs).
                    self.reachable = False
                else:
                    self._down(exc)
                cursor = "0"
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            except Exception:
                log.exception("handling a worker's report failed")
                await asyncio.sleep(1.0)

    async def _report(self, fields: dict[str, str]) -> None:
        sink = self._sink
        assert sink is not None
        kind, task_id = fields.get("type"), fields.get("task", "")
        attempt = int(fields.get("attempt") or 0)
        if kind == "started":
            await sink.started(task_id, attempt, fields.get("worker", ""))
        elif kind == "event":
            await sink.event(task_id, fields["event"], json.loads(fields["data"]))
        elif kind == "retried":
            await sink.retried(task_id, attempt, fields.get("reason", ""))
        elif kind == "finished":
            await sink.finished(
                task_id,
                Outcome.loads(fields["data"], worker=fields.get("worker", ""), attempt=attempt),
            )

    # ---- the reaper -----------------------------------------------------------------

    async def _reap_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.reap_interval_s)
            try:
                if await self._check() and time.monotonic() >= self._reap_after:
                    await self.reap()
            except asyncio.CancelledError:
                raise
            except RedisError as exc:
                self._down(exc)
            except Exception:
                log.exception("the reaper failed")

    async def reap(self) -> int:
        """Take back every job whose lease expired; returns how many."""
        lease_ms = int(self.settings.lease_s * 1000)
        taken = 0
        for stream in strings(await self.client.smembers(self.keys.streams)):
            cursor = "0-0"
            while True:
                try:
                    # [next cursor, claimed entries, (Redis 7) deleted ids]
                    claim = await self.client.xautoclaim(
                        stream, GROUP, REAPER, lease_ms, start_id=cursor, count=100
                    )
                    cursor, claimed = cast(str, claim[0]), cast(list[Entry], claim[1])
                except ResponseError as exc:
                    if "NOGROUP" in str(exc):
                        break
                    raise
                for entry_id, job in claimed:
                    if job:
                        taken += await self.requeue(
                            stream, entry_id, job["task"], REAPER, reason="lease expired"
                        )
                if cursor == "0-0":
                    break
        return taken

    async def requeue(
        self,
        stream: str,
        entry_id: str,
        task_id: str,
        consumer: str,
        *,
        reason: str,
        count: bool = True,
    ) -> int:
        answer = await requeue(
            self._requeue,
            self.keys,
            stream=stream,
            entry_id=entry_id,
            task_id=task_id,
            consumer=consumer,
            max_attempts=self.settings.max_attempts,
            count=count,
            reason=reason,
        )
        if answer == 2:
            self.lost += 1
            log.error("task %s failed: worker lost %d times", task_id, self.settings.max_attempts)
        elif answer == 3:
            self.reclaimed += 1
            log.warning("task %s queued again: %s", task_id, reason)
        return int(answer in (2, 3))

    # ---- cancelling -------------------------------------------------------------------

    async def cancel(self, task_id: str) -> str:
        k = self.keys
        try:
            answer = int(
                await self._cancel(
                    keys=[k.live, k.done(task_id), k.cancel(task_id)],
                    args=[task_id, GROUP, MARKER_TTL_S],
                )
            )
        except RedisError as exc:
            self._down(exc)
            raise BrokerUnavailable(
                "the task broker cannot be reached", retry_after=self.settings.retry_after_s
            ) from exc
        return {0: "finished", -1: "unknown", 1: "removed", 2: "stopping"}[answer]

    # ---- the registry and health --------------------------------------------------

    async def workers(self) -> list[WorkerInfo]:
        return await list_workers(self.client, self.keys)

    async def health(self) -> dict[str, Any]:
        try:
            workers = len(await self.workers())
            reachable = True
        except RedisError:
            workers, reachable = 0, False
        return {"backend": self.name, "reachable": reachable, "workers": workers}

    async def queued(self) -> int:
        """Jobs no worker has taken yet, all languages."""
        total = 0
        for stream in strings(await self.client.smembers(self.keys.streams)):
            length = await self.client.xlen(stream)
            if length:
                with contextlib.suppress(ResponseError):
                    length -= (await self.client.xpending(stream, GROUP))["pending"]
            total += length
        return total


async def list_workers(client: aioredis.Redis, keys: Keys) -> list[WorkerInfo]:
    """Live workers (whose registry entry has not expired), by id."""
    found: list[WorkerInfo] = []
    for worker_id in strings(await client.zrange(keys.workers, 0, -1)):
        data = fields(await client.hgetall(keys.worker(worker_id)))
        if not data:
            await client.zrem(keys.workers, worker_id)  # expired: it stopped heartbeating
            continue
        found.append(
            WorkerInfo(
                id=data.get("id", worker_id),
                host=data.get("host", ""),
                slots=int(data.get("slots", 0)),
                running=int(data.get("running", 0)),
                languages=[x for x in data.get("languages", "").split(",") if x],
                last_seen=float(data.get("lastSeen", 0)),
                versions=_versions(data.get("versions")),
            )
        )
    return found


def _versions(text: str | None) -> dict[str, str]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items()}
