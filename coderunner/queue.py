"""The bounded task queue (seed: "task launch queue").

At most `max_concurrent` sessions hold a container slot; at most `max_size` more wait
in FIFO order; beyond that `submit` refuses with QueueFull (503 + Retry-After) so a
client can tell "retry later" from "fix your request". A slot is given back by
`release` (the seed's taskFinished), which the session runner calls once the
handler's callback has arrived (or the watchdog gave up).
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import Awaitable, Callable

from .errors import QueueFull, Unavailable
from .sessions import Session

log = logging.getLogger("coderunner.queue")

Runner = Callable[[Session], Awaitable[None]]


class TaskQueue:
    def __init__(
        self, *, max_size: int, max_concurrent: int, retry_after_s: int, runner: Runner
    ) -> None:
        self.max_size = max_size
        self.max_concurrent = max_concurrent
        self.retry_after_s = retry_after_s
        self._runner = runner
        self._waiting: collections.deque[Session] = collections.deque()
        self._running: dict[str, asyncio.Task[None]] = {}
        self._closed = False

    @property
    def depth(self) -> int:
        """Sessions waiting for a slot."""
        return len(self._waiting)

    @property
    def running(self) -> int:
        return len(self._running)

    def is_running(self, session_id: str) -> bool:
        return session_id in self._running

    def submit(self, session: Session) -> None:
        if self._closed:
            raise Unavailable("the service is shutting down", headers={"Retry-After": "5"})
        if len(self._running) < self.max_concurrent:
            self._start(session)
            return
        if len(self._waiting) >= self.max_size:
            raise QueueFull(
                f"the task queue is full ({self.max_size} sessions waiting)",
                retry_after=self.retry_after_s,
            )
        self._waiting.append(session)

    def withdraw(self, session: Session) -> bool:
        """Take a session that has not started out of the queue."""
        try:
            self._waiting.remove(session)
        except ValueError:
            return False
        return True

    def _start(self, session: Session) -> None:
        task = asyncio.create_task(self._run(session), name=f"session-{session.id}")
        self._running[session.id] = task

    async def _run(self, session: Session) -> None:
        # A session may take over a warm container's id while it runs: its slot
        # stays filed under the id it started with.
        slot = session.id
        try:
            await self._runner(session)
        except Exception:  # the runner answers its own errors; this is a last resort
            log.exception("session runner failed", extra={"session": session.id})
            if not session.result.done():
                session.result.set_exception(RuntimeError("session runner failed"))
        finally:
            self.release(slot)

    def release(self, session_id: str) -> None:
        """Free a slot and hand it to the oldest waiting session. Idempotent."""
        if self._running.pop(session_id, None) is None:
            return
        while self._waiting and len(self._running) < self.max_concurrent and not self._closed:
            self._start(self._waiting.popleft())

    def close(self) -> list[Session]:
        """Stop admitting; return the sessions that never started."""
        self._closed = True
        never_started = list(self._waiting)
        self._waiting.clear()
        return never_started

    async def drain(self, timeout: float) -> int:
        """Wait up to `timeout` s for running sessions; return how many still run."""
        tasks = list(self._running.values())
        if tasks:
            await asyncio.wait(tasks, timeout=timeout)
        return sum(not t.done() for t in tasks)
