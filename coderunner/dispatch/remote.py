"""The serving side with `dispatch.backend = "redis"`: tasks run on workers.

The task service stores a task, then `publish`es it (the queue bound and the broker's
reachability are checked there, atomically, in Redis) and `follow`s the runner job it
made for it, exactly as it would hand that job to the local runner: the job gets its
start (`on_start`), its live events (`emit`) and its answer (`result`) from the
workers' reports, so the synchronous endpoints, GET /tasks and the SSE stream work
unchanged. DELETE /tasks/{id} sets the job's `cancel` event: a waiting job is taken
out of Redis, a running one is stopped by its worker, which reports what it had.

The languages a server accepts are those of its catalogue (images/) that a live
worker has: the registry is read every `dispatch.heartbeat_s`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import BrokerUnavailable, CodeRunnerError
from ..languages import Language
from ..metrics import Metrics
from ..runner.launcher import Ending
from .base import Job, Outcome, WorkerInfo, finish_loops
from .redis import RedisBroker

if TYPE_CHECKING:
    from ..runner import Job as RunnerJob
    from ..tasks.model import Task

log = logging.getLogger("coderunner.dispatch")

# Reports for a task whose job is not followed yet (published, not yet registered;
# or after a restart) are kept this long.
EARLY_KEEP_S = 300.0


class WorkerFailed(CodeRunnerError):
    """A worker could not run the task (worker_lost, or its own failure's code)."""

    status = 503

    def __init__(self, error: dict[str, str]) -> None:
        super().__init__(str(error.get("message", "the task failed on its worker")))
        self.code = str(error.get("code", "internal_error"))


class RemoteDispatch:
    def __init__(
        self,
        settings: Settings,
        *,
        catalogue: dict[str, Language],
        metrics: Metrics | None = None,
        broker: RedisBroker | None = None,
        on_languages: Callable[[dict[str, Language]], None] | None = None,
    ) -> None:
        self.settings = settings
        self._on_languages = on_languages
        self.catalogue = catalogue
        self.metrics = metrics
        self.broker = broker or RedisBroker(
            settings.dispatch,
            max_size=settings.queue.max_size,
            retry_after_s=settings.queue.retry_after_s,
        )
        self.jobs: dict[str, RunnerJob] = {}
        self.workers: list[WorkerInfo] = []
        # The catalogue's languages that a live worker has, with the worker's version.
        self.languages: dict[str, Language] = {}
        self._early: dict[str, list[tuple[float, Callable[[RunnerJob], Awaitable[None]]]]] = {}
        self._started: set[str] = set()
        self._cancelling: set[str] = set()
        self._loops: list[asyncio.Task[None]] = []
        self._watchers: dict[str, asyncio.Task[None]] = {}

    # ---- life cycle -----------------------------------------------------------------

    async def start(self, unfinished: Callable[[], Awaitable[list[Task]]]) -> None:
        async def recover() -> list[Job]:
            return [to_job(task) for task in await unfinished()]

        await self.broker.start(self, recover)
        with contextlib.suppress(Exception):
            await self.refresh()
        self._loops.append(asyncio.create_task(self._registry_loop(), name="dispatch-registry"))

    def close_jobs(self) -> list[RunnerJob]:
        """Shutdown: the jobs followed; they go on running on their workers."""
        jobs = list(self.jobs.values())
        self.jobs.clear()
        return jobs

    async def close(self) -> None:
        await finish_loops([*self._loops, *self._watchers.values()])
        await self.broker.close()

    # ---- the task service's side -------------------------------------------------------

    def check_room(self) -> None:
        """Before storing a task: refuse at once while the broker is known to be away."""
        if not self.broker.reachable:
            raise BrokerUnavailable(
                "the task broker cannot be reached; nothing was queued",
                retry_after=self.settings.dispatch.retry_after_s,
            )

    async def publish(self, task: Task) -> None:
        """Queue the stored task for the workers: QueueFull or BrokerUnavailable (then
        nothing was queued and the caller forgets the task)."""
        await self.broker.submit(to_job(task))

    def follow(self, job: RunnerJob) -> None:
        """The task service's runner job for a published task: the reports go to it."""
        self.jobs[job.id] = job
        self._watchers[job.id] = asyncio.create_task(
            self._watch_cancel(job), name=f"dispatch-cancel-{job.id}"
        )
        if job.id in self._early:
            replay = asyncio.create_task(self._replay(job), name=f"dispatch-replay-{job.id}")
            self._loops.append(replay)
            replay.add_done_callback(self._loops.remove)

    async def _replay(self, job: RunnerJob) -> None:
        # Reports that came before `follow`, in order; new ones queue behind them.
        queue = self._early.get(job.id)
        while queue:
            _, report = queue.pop(0)
            try:
                await report(job)
            except Exception:
                log.exception("replaying a report of task %s failed", job.id)
        self._early.pop(job.id, None)

    def withdraw(self, job: RunnerJob) -> bool:
        # The broker is asked asynchronously (the cancel watcher); never "withdrawn" here.
        return False

    async def _watch_cancel(self, job: RunnerJob) -> None:
        await job.cancel.wait()
        if job.stop_reason is not None:
            return  # our own shutdown: the task goes on on its worker
        self._cancelling.add(job.id)
        try:
            answer = await self.broker.cancel(job.id)
        except BrokerUnavailable:
            log.warning("cannot cancel task %s: the broker is away", job.id)
            return
        if answer == "removed" and not job.result.done():
            self._done(job.id)
            job.result.set_result(None)  # never ran: cancelled

    # ---- the broker's reports (Sink) ---------------------------------------------------

    def _later(self, task_id: str, report: Callable[[RunnerJob], Awaitable[None]]) -> bool:
        """False when the job is followed (report it now); else keep it for `follow`."""
        if task_id in self.jobs and task_id not in self._early:
            return False
        now = time.monotonic()
        self._early.setdefault(task_id, []).append((now, report))
        for key in [
            k
            for k, v in self._early.items()
            if k not in self.jobs and (not v or now - v[-1][0] > EARLY_KEEP_S)
        ]:
            del self._early[key]
        return True

    async def started(self, task_id: str, attempt: int, worker: str) -> None:
        async def report(job: RunnerJob) -> None:
            if job.id not in self._started and job.on_start is not None:
                self._started.add(job.id)
                await job.on_start()

        if not self._later(task_id, report):
            await report(self.jobs[task_id])

    async def event(self, task_id: str, type: str, data: dict[str, Any]) -> None:
        async def report(job: RunnerJob) -> None:
            if job.emit is not None:
                await job.emit(type, data)

        if not self._later(task_id, report):
            await report(self.jobs[task_id])

    async def retried(self, task_id: str, attempt: int, reason: str) -> None:
        log.warning("task %s runs again (attempt %d): %s", task_id, attempt, reason)

    async def finished(self, task_id: str, outcome: Outcome) -> None:
        if self.metrics is not None:
            self.metrics.observe_remote(outcome.worker, outcome)

        async def report(job: RunnerJob) -> None:
            if job.result.done():
                return
            cancelled = job.id in self._cancelling
            self._done(job.id)
            if outcome.error is not None and outcome.error.get("code") == "cancelled":
                job.ending = Ending.CANCELLED
                job.result.set_result(None)
            elif outcome.error is not None:
                job.result.set_exception(WorkerFailed(outcome.error))
            else:
                if cancelled:
                    job.ending = Ending.CANCELLED
                job.result.set_result(outcome.result or {})

        if not self._later(task_id, report):
            await report(self.jobs[task_id])

    def _done(self, task_id: str) -> None:
        self.jobs.pop(task_id, None)
        self._started.discard(task_id)
        self._cancelling.discard(task_id)
        watcher = self._watchers.pop(task_id, None)
        if watcher is not None and watcher is not asyncio.current_task():
            watcher.cancel()

    # ---- the registry -------------------------------------------------------------------

    async def _registry_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.dispatch.heartbeat_s)
            try:
                await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.debug("cannot read the worker registry: %s", exc)

    async def refresh(self) -> None:
        self.workers = await self.broker.workers()
        versions: dict[str, str] = {}
        for worker in self.workers:
            for lang_id in worker.languages:
                versions.setdefault(lang_id, worker.versions.get(lang_id, ""))
        self.languages = {
            lang_id: replace(lang, version=versions[lang_id] or lang.version)
            for lang_id, lang in self.catalogue.items()
            if lang_id in versions
        }
        if self._on_languages is not None:
            self._on_languages(self.languages)
        if self.metrics is not None:
            self.metrics.observe_workers(self.workers)

    async def health(self) -> dict[str, Any]:
        report = await self.broker.health()
        return {**report, "queued": await self._queued(), "following": len(self.jobs)}

    async def _queued(self) -> int | None:
        try:
            return await self.broker.queued()
        except Exception:
            return None


def to_job(task: Task) -> Job:
    language = task.request.get("language")
    return Job(
        task_id=task.id,
        kind=task.kind,
        language=str(language or ""),
        user=task.user,
        request=task.request,
    )
