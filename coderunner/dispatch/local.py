"""The in-process broker (`dispatch.backend = "local"`, the default): one machine, no
other server. A submitted job runs in this process as soon as one of
`queue.max_concurrent` slots is free; at most `queue.max_size` wait (FIFO)."""

from __future__ import annotations

import asyncio
import collections
import logging
import socket
import time
from typing import Any

from ..errors import QueueFull, Unavailable
from .base import Job, Outcome, Run, Sink, WorkerInfo

log = logging.getLogger("coderunner.dispatch")


class LocalBroker:
    name = "local"

    def __init__(
        self,
        run: Run,
        *,
        max_size: int,
        max_concurrent: int,
        retry_after_s: int,
        languages: list[str] | None = None,
    ) -> None:
        self._run = run
        self.max_size = max_size
        self.max_concurrent = max_concurrent
        self.retry_after_s = retry_after_s
        self.languages = languages or []
        self._sink: Sink | None = None
        self._waiting: collections.deque[Job] = collections.deque()
        self._running: dict[str, asyncio.Task[None]] = {}
        self._closed = False

    async def start(self, sink: Sink, recover: Any = None) -> None:
        # Restart recovery is the task service's: its store knows what never finished.
        self._sink = sink

    async def close(self) -> None:
        self._closed = True
        self._waiting.clear()
        for task in list(self._running.values()):
            task.cancel()
        await asyncio.gather(*self._running.values(), return_exceptions=True)

    @property
    def depth(self) -> int:
        return len(self._waiting)

    @property
    def running(self) -> int:
        return len(self._running)

    async def submit(self, job: Job) -> None:
        if self._closed or self._sink is None:
            raise Unavailable("the service is shutting down", headers={"Retry-After": "5"})
        if len(self._running) < self.max_concurrent:
            self._start(job)
        elif len(self._waiting) >= self.max_size:
            raise QueueFull(
                f"the task queue is full ({self.max_size} tasks waiting)",
                retry_after=self.retry_after_s,
            )
        else:
            self._waiting.append(job)

    def _start(self, job: Job) -> None:
        self._running[job.task_id] = asyncio.create_task(self._one(job), name=f"job-{job.task_id}")

    async def _one(self, job: Job) -> None:
        sink = self._sink
        assert sink is not None

        async def emit(type: str, data: dict[str, Any]) -> None:
            await sink.event(job.task_id, type, data)

        try:
            await sink.started(job.task_id, job.attempt, "local")
            try:
                outcome = await self._run(job, emit)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the runner answers its own errors; a last resort
                log.exception("job failed", extra={"task": job.task_id})
                outcome = Outcome(error={"code": "internal_error", "message": repr(exc)[:500]})
            await sink.finished(
                job.task_id, Outcome(outcome.result, outcome.error, "local", job.attempt)
            )
        except Exception:
            log.exception("reporting a job failed", extra={"task": job.task_id})
        finally:
            self._running.pop(job.task_id, None)
            while self._waiting and len(self._running) < self.max_concurrent and not self._closed:
                self._start(self._waiting.popleft())

    async def workers(self) -> list[WorkerInfo]:
        return [
            WorkerInfo(
                id="local",
                host=socket.gethostname(),
                slots=self.max_concurrent,
                running=len(self._running),
                languages=self.languages,
                last_seen=time.time(),
            )
        ]

    async def health(self) -> dict[str, Any]:
        return {"backend": self.name, "reachable": True, "workers": 1}
