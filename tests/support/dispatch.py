"""Stand-ins for the dispatch tests: a recording sink and runs each test controls."""

from __future__ import annotations

import asyncio
import collections
from dataclasses import dataclass, field
from typing import Any

from coderunner.config import DispatchSettings
from coderunner.dispatch.base import Emit, Job, Outcome, Run
from coderunner.tasks.model import new_task_id


@dataclass
class RecordingSink:
    """The server's side as the broker sees it: every report, in order."""

    starts: list[tuple[str, int, str]] = field(default_factory=list)  # (task, attempt, worker)
    events: dict[str, list[tuple[str, dict[str, Any]]]] = field(
        default_factory=lambda: collections.defaultdict(list)
    )
    retries: list[tuple[str, int, str]] = field(default_factory=list)
    outcomes: dict[str, list[Outcome]] = field(
        default_factory=lambda: collections.defaultdict(list)
    )

    async def started(self, task_id: str, attempt: int, worker: str) -> None:
        self.starts.append((task_id, attempt, worker))

    async def event(self, task_id: str, type: str, data: dict[str, Any]) -> None:
        self.events[task_id].append((type, data))

    async def retried(self, task_id: str, attempt: int, reason: str) -> None:
        self.retries.append((task_id, attempt, reason))

    async def finished(self, task_id: str, outcome: Outcome) -> None:
        self.outcomes[task_id].append(outcome)

    def done(self, task_id: str) -> bool:
        return bool(self.outcomes.get(task_id))


@dataclass
class Runs:
    """Runs whose end each test controls: `hold` a task and it waits until released."""

    ran: list[tuple[str, str, int]] = field(default_factory=list)  # (worker, task, attempt)
    held: dict[str, asyncio.Event] = field(default_factory=dict)
    running: dict[str, int] = field(default_factory=lambda: collections.defaultdict(int))
    cancelled: list[tuple[str, str]] = field(default_factory=list)

    def hold(self, task_id: str) -> asyncio.Event:
        return self.held.setdefault(task_id, asyncio.Event())

    def release_all(self) -> None:
        for gate in self.held.values():
            gate.set()

    def for_worker(self, worker: str) -> Run:
        async def run(job: Job, emit: Emit) -> Outcome:
            self.ran.append((worker, job.task_id, job.attempt))
            self.running[worker] += 1
            try:
                await emit("test", {"index": 0, "attempt": job.attempt})
                if job.task_id in self.held:
                    await self.held[job.task_id].wait()
                return Outcome(
                    result={
                        "ranOn": worker,
                        "attempt": job.attempt,
                        "echo": job.request.get("code"),
                    }
                )
            except asyncio.CancelledError:
                self.cancelled.append((worker, job.task_id))
                raise
            finally:
                self.running[worker] -= 1

        return run


def job(language: str = "python", **request: Any) -> Job:
    return Job(
        task_id=new_task_id(),
        kind="isolatedTest",
        language=language,
        user="u",
        request={"code": "print(1)", "language": language, **request},
    )


def dispatch_settings(url: str, **values: Any) -> DispatchSettings:
    base: dict[str, Any] = {
        "backend": "redis",
        "url": url,
        "lease_s": 2,
        "reap_interval_s": 0.2,
        "heartbeat_s": 0.5,
        "prefix": "t",
    }
    base.update(values)
    return DispatchSettings(**base)
