"""What a broker moves, and the two sides it connects.

The serving side (`coderunner serve`) *submits* jobs and is told, through a `Sink`,
what happens to them: started, live events, retried, finished. The working side
(`coderunner worker`, or the server itself with the local broker) takes jobs and runs
each one with a `Run` function, which reports live events through an `Emit` function
and returns the job's outcome. The task store on the server stays the source of truth;
a broker only carries work and news.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Job:
    """One task, as a worker needs it: enough to run it on another host."""

    task_id: str
    kind: str  # "isolatedTest" | "unitTest" | "functionTest" | "trace"
    language: str
    user: str
    request: dict[str, Any]  # the accepted submission body
    attempt: int = 1

    def dumps(self) -> str:
        return json.dumps(
            {
                "taskId": self.task_id,
                "kind": self.kind,
                "language": self.language,
                "user": self.user,
                "request": self.request,
            },
            separators=(",", ":"),
        )

    @classmethod
    def loads(cls, text: str | bytes, attempt: int = 1) -> Job:
        data = json.loads(text)
        return cls(
            task_id=data["taskId"],
            kind=data["kind"],
            language=data["language"],
            user=data["user"],
            request=data["request"],
            attempt=attempt,
        )


@dataclass(frozen=True)
class Outcome:
    """How a job ended: the synchronous endpoint's 200 body, or an error."""

    result: dict[str, Any] | None = None
    error: dict[str, str] | None = None  # {"code", "message"}
    worker: str = ""
    attempt: int = 1

    def dumps(self) -> str:
        return json.dumps({"result": self.result, "error": self.error}, separators=(",", ":"))

    @classmethod
    def loads(cls, text: str | bytes, *, worker: str = "", attempt: int = 1) -> Outcome:
        data = json.loads(text)
        return cls(
            result=data.get("result"), error=data.get("error"), worker=worker, attempt=attempt
        )


def worker_lost(attempts: int) -> Outcome:
    return Outcome(
        error={
            "code": "worker_lost",
            "message": f"the task's worker was lost {attempts} time(s) (dispatch.max_attempts)",
        },
        attempt=attempts,
    )


def cancelled() -> Outcome:
    return Outcome(error={"code": "cancelled", "message": "the task was cancelled"})


# A live event of a running job: (type, data), e.g. ("test", {...}).
Emit = Callable[[str, dict[str, Any]], Awaitable[None]]
# Runs one job on this host; cancelled (asyncio) when the job is taken away: it must
# then remove whatever it started (its container).
Run = Callable[[Job, Emit], Coroutine[Any, Any, Outcome]]
# Asks a running job to stop early (DELETE /tasks/{id}): its container is stopped and
# its Run returns what had finished (the rest IE). Without one, the run is cancelled.
Stop = Callable[[Job], Awaitable[None]]


class Sink(Protocol):
    """The serving side's ears: what the broker reports about submitted jobs.

    Calls for one task arrive in order. Delivery is at least once: after a server
    crash a report may come again (a `finished` for a task already final must be
    ignored)."""

    async def started(self, task_id: str, attempt: int, worker: str) -> None: ...

    async def event(self, task_id: str, type: str, data: dict[str, Any]) -> None: ...

    async def retried(self, task_id: str, attempt: int, reason: str) -> None: ...

    async def finished(self, task_id: str, outcome: Outcome) -> None: ...


@dataclass
class WorkerInfo:
    """A worker as GET /workers shows it (SPEC section 13)."""

    id: str
    host: str
    slots: int
    running: int
    languages: list[str] = field(default_factory=list)
    last_seen: float = 0.0
    versions: dict[str, str] = field(default_factory=dict)  # language id -> toolchain

    def public(self) -> dict[str, Any]:
        from ..tasks.model import iso_utc

        return {
            "id": self.id,
            "host": self.host,
            "slots": self.slots,
            "running": self.running,
            "languages": self.languages,
            "lastSeen": iso_utc(self.last_seen),
        }


class Broker(Protocol):
    """The serving side of a broker."""

    name: str  # "local" | "redis"

    async def start(self, sink: Sink) -> None: ...

    async def close(self) -> None: ...

    async def submit(self, job: Job) -> None:
        """Hand a job to the workers. Raises QueueFull when the queue (all workers
        together) is full, BrokerUnavailable when the broker cannot be reached;
        in both cases nothing was queued."""
        ...

    async def workers(self) -> list[WorkerInfo]: ...

    async def health(self) -> dict[str, Any]: ...

    async def cancel(self, task_id: str) -> str:
        """ "removed": it was waiting and will never run; "stopping": it runs and will
        be stopped (its `finished` report follows); "finished": too late;
        "unknown": the broker does not hold it."""
        ...


async def finish_loops(tasks: list[asyncio.Task[Any]], timeout: float = 5.0) -> None:
    """Cancel background loops and wait for them, bounded: a shutdown never hangs.

    The cancel is repeated because one can be lost inside a client library (seen with
    redis-py on Python 3.11: after close() cancelled it, the registry loop went on to
    its next sleep, and the shutdown waited for ever)."""
    pending = {task for task in tasks if not task.done()}
    deadline = asyncio.get_running_loop().time() + timeout
    while pending:
        for task in pending:
            task.cancel()
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            break
        _, pending = await asyncio.wait(pending, timeout=min(0.2, left))
    for task in tasks:
        if task.done() and not task.cancelled():
            task.exception()  # retrieved: a loop's own error was logged where it happened
    for task in pending:
        logging.getLogger(__name__).error("%s did not stop within %g s", task.get_name(), timeout)
