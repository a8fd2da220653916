"""The working side of the Redis broker: what `coderunner worker` runs.

A worker reads only the job streams of the languages it has (so a job reaches only a
worker that can run it), takes at most `slots` jobs at a time (XREADGROUP), renews
each job's lease while it runs, and sends the job's live events and its outcome back
through Redis. It needs no inbound port. When its lease is taken away (it hung, or
Redis was away too long) or another attempt finished first, it cancels the run.
At start it queues again whatever an earlier life of the same worker id left
pending (it died in the middle), and it heartbeats into the registry (GET /workers).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import time
from typing import Any, cast

from redis.exceptions import RedisError, ResponseError
from redis.typing import KeyT, StreamIdT

from ..config import DispatchSettings
from . import scripts
from .base import Job, Outcome, Run, Stop, cancelled, finish_loops
from .redis import (
    MARKER_TTL_S,
    Entry,
    Fields,
    Script,
    connect,
    ensure_group,
    list_workers,
    requeue,
    stream_read,
)
from .scripts import GROUP, Keys

log = logging.getLogger("coderunner.worker")


class RedisWorker:
    def __init__(
        self,
        settings: DispatchSettings,
        *,
        run: Run,
        worker_id: str,
        languages: list[str],
        slots: int,
        host: str | None = None,
        stop: Stop | None = None,
        versions: dict[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self.keys = Keys(settings.prefix)
        self.id = worker_id
        self.host = host or socket.gethostname()
        self.languages = sorted(languages)
        self.versions = versions or {}
        self.slots = slots
        self._run = run
        self._stop = stop
        self.client = connect(settings.url)
        self._start_script = self.client.register_script(scripts.START)
        # Typed as what is used of it (a call), so that a test can stand in for it.
        self._renew: Script = self.client.register_script(scripts.RENEW)
        self._emit = self.client.register_script(scripts.EMIT)
        self._finish = self.client.register_script(scripts.FINISH)
        self._requeue = self.client.register_script(scripts.REQUEUE)
        self._jobs: dict[str, asyncio.Task[None]] = {}  # entry id -> its task
        self._slot_free = asyncio.Event()
        self._loops: list[asyncio.Task[None]] = []
        self._stopping = False
        self._closed = False
        self.finished = 0  # attempts this worker finished (recorded or too late)

    @property
    def running(self) -> int:
        return len(self._jobs)

    # ---- life cycle -----------------------------------------------------------

    async def start(self) -> None:
        self._loops = [
            asyncio.create_task(self._take_loop(), name="worker-take"),
            asyncio.create_task(self._heartbeat_loop(), name="worker-heartbeat"),
        ]

    async def close(self, grace_s: float = 10.0) -> None:
        """Stop taking jobs; give running ones `grace_s`, then put them back in the
        queue (not counted as an attempt) and cancel them."""
        self._stopping = True
        self._slot_free.set()
        if self._jobs:
            await asyncio.wait(list(self._jobs.values()), timeout=grace_s)
        for task in list(self._jobs.values()):
            task.cancel()
        await asyncio.gather(*self._jobs.values(), return_exceptions=True)
        await finish_loops(self._loops)
        with contextlib.suppress(RedisError):
            await self.client.delete(self.keys.worker(self.id))
            await self.client.zrem(self.keys.workers, self.id)
        await self.client.aclose()

    async def _prepare(self) -> None:
        """Groups for our streams; requeue what a previous life of this id left."""
        for language in self.languages:
            stream = self.keys.stream(language)
            await ensure_group(self.client, stream, GROUP)
            await self.client.sadd(self.keys.streams, stream)
            stale = await self.client.xpending_range(
                stream, GROUP, "-", "+", 1000, consumername=self.id
            )
            for entry in stale:
                entry_id = cast(str, entry["message_id"])  # decoded: see dispatch/redis.py
                if entry_id in self._jobs:
                    continue
                await self._requeue_own(stream, entry_id, "its worker restarted", count=True)

    async def _requeue_own(self, stream: str, entry_id: str, reason: str, *, count: bool) -> None:
        found = cast(list[Entry], await self.client.xrange(stream, entry_id, entry_id))
        task_id = found[0][1].get("task", "") if found else ""
        await requeue(
            self._requeue,
            self.keys,
            stream=stream,
            entry_id=entry_id,
            task_id=task_id,
            consumer=self.id,
            max_attempts=self.settings.max_attempts,
            count=count,
            reason=reason,
        )

    # ---- taking jobs -------------------------------------------------------------

    async def _take_loop(self) -> None:
        backoff = 0.2
        prepared = False
        streams: dict[KeyT, StreamIdT] = {self.keys.stream(lang): ">" for lang in self.languages}
        while not self._stopping:
            try:
                if not prepared:
                    await self._prepare()
                    prepared = True
                free = self.slots - len(self._jobs)
                if free <= 0:
                    self._slot_free.clear()
                    await self._slot_free.wait()
                    continue
                answer = stream_read(
                    await self.client.xreadgroup(GROUP, self.id, streams, count=free, block=1000)
                )
                for stream, entries in answer:
                    for entry_id, fields in entries:
                        await self._take(stream, entry_id, fields)
                backoff = 0.2
            except asyncio.CancelledError:
                raise
            except RedisError as exc:
                if isinstance(exc, ResponseError) and "NOGROUP" in str(exc):
                    prepared = False  # Redis lost its data: create the groups again
                else:
                    log.warning("broker unreachable: %s", exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    async def _take(self, stream: str, entry_id: str, fields: Fields) -> None:
        if self._stopping or len(self._jobs) >= self.slots:
            # XREADGROUP's COUNT is per stream: more than our free slots can come.
            await self._requeue_own(stream, entry_id, "worker busy", count=False)
            return
        task_id, attempt = fields["task"], int(fields["attempt"])
        k = self.keys
        go = await self._start_script(
            keys=[stream, k.done(task_id), k.attempt(task_id), k.results],
            args=[GROUP, entry_id, task_id, attempt, self.id, MARKER_TTL_S],
        )
        if not go:
            return  # an earlier attempt finished meanwhile
        job = Job.loads(fields["job"], attempt=attempt)
        self._jobs[entry_id] = asyncio.create_task(
            self._one(stream, entry_id, job), name=f"job-{task_id}"
        )

    async def _one(self, stream: str, entry_id: str, job: Job) -> None:
        lost = asyncio.Event()
        run = asyncio.create_task(self._run(job, self._emitter(job)))
        renew = asyncio.create_task(self._renew_loop(stream, entry_id, job, lost, run))
        waiter = asyncio.create_task(lost.wait())
        try:
            await asyncio.wait({run, waiter}, return_when=asyncio.FIRST_COMPLETED)
            if not run.done():
                log.warning(
                    "task %s attempt %d taken away: cancelling it", job.task_id, job.attempt
                )
                run.cancel()
                with contextlib.suppress(BaseException):
                    await run
                return
            try:
                outcome = run.result()
            except asyncio.CancelledError:  # cancelled by DELETE /tasks/{id}, no stop hook
                outcome = cancelled()
            except Exception as exc:  # the runner answers its own errors; a last resort
                log.exception("running task %s failed", job.task_id)
                outcome = Outcome(error={"code": "internal_error", "message": repr(exc)[:500]})
            await self._finish_job(stream, entry_id, job, outcome)
        except asyncio.CancelledError:
            # The worker is stopping: the job goes back to the queue, not counted.
            run.cancel()
            with contextlib.suppress(BaseException):
                await run
            with contextlib.suppress(RedisError):
                await self._requeue_own(stream, entry_id, "its worker stopped", count=False)
            raise
        finally:
            for task in (renew, waiter):
                task.cancel()
            self._jobs.pop(entry_id, None)
            self._slot_free.set()

    async def _renew_loop(
        self,
        stream: str,
        entry_id: str,
        job: Job,
        lost: asyncio.Event,
        run: asyncio.Task[Any],
    ) -> None:
        k = self.keys
        stopping = False
        while True:
            await asyncio.sleep(self.settings.lease_s / 3)
            try:
                answer = await self._renew(
                    keys=[stream, k.done(job.task_id), k.cancel(job.task_id)],
                    args=[GROUP, entry_id, self.id],
                )
            except RedisError as exc:
                log.warning("cannot renew the lease of task %s: %s", job.task_id, exc)
                continue
            if answer == -2 and not stopping:  # cancelled: stop it, report what it has
                stopping = True
                log.info("task %s cancelled: stopping it", job.task_id)
                if self._stop is not None:
                    await self._stop(job)
                else:
                    run.cancel()
            elif answer in (0, -1):
                lost.set()
                return

    def _emitter(self, job: Job) -> Any:
        k = self.keys

        async def emit(type: str, data: dict[str, Any]) -> None:
            # Live events are news, not the result: one that cannot be sent (broker
            # away) is dropped after a second try; the outcome carries everything.
            for _ in range(2):
                try:
                    await self._emit(
                        keys=[k.done(job.task_id), k.attempt(job.task_id), k.results],
                        args=[
                            job.task_id,
                            job.attempt,
                            type,
                            json.dumps(data, separators=(",", ":")),
                        ],
                    )
                    return
                except RedisError as exc:
                    log.warning("cannot send an event of task %s: %s", job.task_id, exc)
                    await asyncio.sleep(0.2)

        return emit

    async def _finish_job(self, stream: str, entry_id: str, job: Job, outcome: Outcome) -> None:
        k = self.keys
        backoff = 0.2
        while True:  # the result is the point of the work: retried until Redis takes it
            try:
                won = await self._finish(
                    keys=[stream, k.done(job.task_id), k.live, k.results, k.attempt(job.task_id)],
                    args=[
                        GROUP,
                        entry_id,
                        job.task_id,
                        job.attempt,
                        self.id,
                        outcome.dumps(),
                        MARKER_TTL_S,
                    ],
                )
                break
            except RedisError as exc:
                log.warning("cannot send the result of task %s: %s", job.task_id, exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
        self.finished += 1
        if not won:
            log.info(
                "task %s attempt %d finished too late: another attempt won",
                job.task_id,
                job.attempt,
            )

    # ---- the registry -------------------------------------------------------------

    async def _heartbeat_loop(self) -> None:
        while True:
            try:
                await self.heartbeat()
            except RedisError as exc:
                log.warning("heartbeat failed: %s", exc)
            await asyncio.sleep(self.settings.heartbeat_s)

    async def heartbeat(self) -> None:
        key = self.keys.worker(self.id)
        now = time.time()
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(
                key,
                mapping={
                    "id": self.id,
                    "host": self.host,
                    "slots": self.slots,
                    "running": len(self._jobs),
                    "languages": ",".join(self.languages),
                    "versions": json.dumps(self.versions),
                    "lastSeen": now,
                },
            )
            pipe.expire(key, max(1, int(self.settings.heartbeat_s * 3 + 0.999)))
            pipe.zadd(self.keys.workers, {self.id: now})
            await pipe.execute()

    async def peers(self) -> list[Any]:
        return await list_workers(self.client, self.keys)
