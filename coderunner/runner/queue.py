"""The bounded queue and its container slots.

At most `max_concurrent` jobs hold a container slot; at most `max_size` more wait;
beyond that `submit` refuses with QueueFull (503 + Retry-After) so that a client can
tell "retry later" from "fix your request".

Slots are filed under the job's id, which is the task's id and never changes (a warm
container has its own id, the job keeps its own): `release(job_id)` frees exactly the
slot the job took, once, whoever calls it first (the runner when the container has
ended, or the end of the job).

Fairness: a user holds at most `max_per_user` slots (0 = no cap), and the users with
waiting jobs are served round-robin (the one served least recently first), each
user's jobs in their order.
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from ..errors import QueueFull, Unavailable

log = logging.getLogger("coderunner.queue")


class Queued(Protocol):
    id: str
    result: asyncio.Future[Any]


Runner = Callable[[Any], Awaitable[None]]


class TaskQueue:
    def __init__(
        self,
        *,
        max_size: int,
        max_concurrent: int,
        retry_after_s: int,
        runner: Runner,
        max_per_user: int = 0,
    ) -> None:
        self.max_size = max_size
        self.max_concurrent = max_concurrent
        self.max_per_user = max_per_user
        self.retry_after_s = retry_after_s
        self._runner = runner
        # user -> that user's waiting jobs.
        self._waiting: dict[str, collections.deque[Any]] = {}
        # user -> when (a serial number) a job of theirs last started: the turn order.
        self._served: dict[str, int] = {}
        self._serial = 0
        self._depth = 0
        self._running: dict[str, asyncio.Task[None]] = {}
        self._user_of: dict[str, str] = {}
        self._per_user: collections.Counter[str] = collections.Counter()
        self._closed = False

    @property
    def depth(self) -> int:
        """Jobs waiting for a slot."""
        return self._depth

    @property
    def running(self) -> int:
        return len(self._running)

    def is_running(self, job_id: str) -> bool:
        return job_id in self._running

    def running_for(self, user: str) -> int:
        return self._per_user[user]

    def _may_start(self, user: str) -> bool:
        return len(self._running) < self.max_concurrent and (
            self.max_per_user <= 0 or self._per_user[user] < self.max_per_user
        )

    def check_room(self, user: str = "") -> None:
        """Raise what `submit` would raise for a job of this user now."""
        if self._closed:
            raise Unavailable("the service is shutting down", headers={"Retry-After": "5"})
        full = self._depth >= self.max_size
        if full and (user in self._waiting or not self._may_start(user)):
            raise QueueFull(
                f"the task queue is full ({self.max_size} sessions waiting)",
                retry_after=self.retry_after_s,
            )

    def submit(self, job: Queued, *, force: bool = False) -> None:
        """Start the job, queue it, or refuse (QueueFull; with force: queue it anyway,
        its room was checked before an await)."""
        if self._closed:
            raise Unavailable("the service is shutting down", headers={"Retry-After": "5"})
        user = _user(job)
        if user not in self._waiting and self._may_start(user):
            self._start(job)
            return
        if not force:
            self.check_room(user)
        self._waiting.setdefault(user, collections.deque()).append(job)
        self._depth += 1

    def withdraw(self, job: Queued) -> bool:
        """Take a job that has not started out of the queue."""
        user = _user(job)
        waiting = self._waiting.get(user)
        if not waiting or job not in waiting:
            return False
        waiting.remove(job)
        self._depth -= 1
        if not waiting:
            del self._waiting[user]
        return True

    def _start(self, job: Queued) -> None:
        user = _user(job)
        self._serial += 1
        self._served[user] = self._serial
        self._user_of[job.id] = user
        self._per_user[user] += 1
        self._running[job.id] = asyncio.create_task(self._run(job), name=f"job-{job.id}")

    async def _run(self, job: Queued) -> None:
        try:
            await self._runner(job)
        except Exception:  # the runner answers its own errors; this is a last resort
            log.exception("job runner failed", extra={"task": job.id})
            if not job.result.done():
                job.result.set_exception(RuntimeError("job runner failed"))
        finally:
            self.release(job.id)

    def release(self, job_id: str) -> None:
        """Free the job's slot and hand free slots to waiting jobs. Idempotent."""
        if self._running.pop(job_id, None) is None:
            return
        user = self._user_of.pop(job_id)
        self._per_user[user] -= 1
        if self._per_user[user] <= 0:
            del self._per_user[user]
            if user not in self._waiting:
                self._served.pop(user, None)
        self._dispatch()

    def _dispatch(self) -> None:
        while not self._closed and len(self._running) < self.max_concurrent:
            # Round-robin: of the users who may start a job, the one served least recently.
            eligible = [u for u in self._waiting if self._may_start(u)]
            if not eligible:
                return
            user = min(eligible, key=lambda u: self._served.get(u, 0))
            waiting = self._waiting[user]
            job = waiting.popleft()
            self._depth -= 1
            if not waiting:
                del self._waiting[user]
                if not self._per_user[user]:
                    self._served.pop(user, None)  # bounded: only users with work
            self._start(job)

    def close(self) -> list[Any]:
        """Stop admitting; return the jobs that never started."""
        self._closed = True
        never_started = [job for jobs in self._waiting.values() for job in jobs]
        self._waiting.clear()
        self._depth = 0
        return never_started

    async def drain(self, timeout: float) -> int:
        """Wait up to `timeout` s for running jobs; return how many still run."""
        tasks = list(self._running.values())
        if tasks:
            await asyncio.wait(tasks, timeout=timeout)
        return sum(not t.done() for t in tasks)


def _user(job: Any) -> str:
    return str(getattr(job, "user", "") or "")
