"""The task service: every submission is a task (SPEC section 8).

    submit: plan -> store (queued) -> runner queue -> running -> result -> done
            (events stored and published at each step; the webhook when it ends)

The synchronous endpoints are `run()`: submit, then wait for the answer. A task keeps
one id from admission to answer; the job that runs it carries the same id (its queue
slot is filed under it) and the sandbox it is given has its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import CodeRunnerError, NotFound, SessionTooLong, UnsupportedLanguage
from ..kinds import KINDS, Kind, Prepared
from ..languages import Language
from ..limits import Plan, plan
from ..logclient import LogClient
from ..runner import Job, Runner
from ..runner.launcher import Ending
from .hub import EventHub
from .model import Task, TaskStatus, new_task_id
from .store import TaskStore
from .webhooks import Webhooks

if TYPE_CHECKING:
    from ..dispatch.remote import RemoteDispatch

log = logging.getLogger("coderunner.tasks")

SHUTTING_DOWN = "the service is shutting down"
CANCELLED = {"code": "cancelled", "message": "cancelled by the client (DELETE /tasks/{id})"}


class ShuttingDown(Exception):
    """A queued job the shutdown took out of the queue."""


@dataclass(frozen=True)
class Planned:
    kind: Kind
    body: Any
    language: Language
    prepared: Prepared
    plan: Plan


def plan_request(
    settings: Settings, kind: Kind, body: Any, languages: dict[str, Language]
) -> Planned:
    """The language, what the container runs and every limit; refuses a request whose
    tests could hold a container longer than `limits.max_session_s`."""
    lang_id = kind.language_id(body)
    language = languages.get(lang_id)
    if language is None:
        valid = ", ".join(sorted(languages)) or "(none: no image is built)"
        raise UnsupportedLanguage(
            f"unsupported language {lang_id!r}; valid ids: {valid}",
            details={"languages": sorted(languages)},
        )
    prepared = kind.prepare(body, language, settings)
    the_plan = plan(
        settings,
        tests=len(prepared.tests),
        compiles=bool(prepared.compile),
        time_factor=language.time_factor,
        memory_extra_mb=language.memory_extra_mb,
        time_ms=prepared.time_limit_ms,
        max_time_ms=prepared.max_time_limit_ms,
        memory_mb=prepared.memory_limit_mb,
        output_bytes=prepared.max_output_bytes,
    )
    limit = settings.limits.max_session_s
    if the_plan.session_s > limit:
        raise SessionTooLong(
            f"these tests could hold a container for {the_plan.session_s:.0f} s (compile limit "
            f"+ {the_plan.tests} tests x {the_plan.wall_limit_ms} ms wall limit), more than "
            f"limits.max_session_s = {limit} s: send fewer tests or a lower timeLimitMs",
            details={
                "limit": "limits.max_session_s",
                "maxSessionS": limit,
                "sessionS": round(the_plan.session_s, 1),
            },
        )
    return Planned(kind, body, language, prepared, the_plan)


class TaskService:
    def __init__(
        self,
        settings: Settings,
        *,
        runner: Runner,
        store: TaskStore,
        hub: EventHub,
        webhooks: Webhooks,
        events: LogClient,
        languages: Callable[[], dict[str, Language]],
        dispatch: RemoteDispatch | None = None,
    ) -> None:
        self.settings = settings
        self.runner = runner
        self.store = store
        self.hub = hub
        self.webhooks = webhooks
        self.events = events
        self._languages = languages
        # dispatch.backend = "redis": jobs run on workers, through the broker.
        self.dispatch = dispatch
        self._jobs: dict[str, Job] = {}
        self._watchers: dict[str, asyncio.Task[dict[str, Any] | None]] = {}
        self._waited: set[str] = set()  # synchronous: a client waits for the answer
        self._purger: asyncio.Task[None] | None = None

    # ---- start and stop ---------------------------------------------------------------

    async def start(self) -> None:
        await self.store.open()
        await self.webhooks.start()
        if self.dispatch is not None:
            await self.dispatch.start(self.store.unfinished)
        self._purger = asyncio.create_task(self._purge(), name="tasks-retention")

    async def recover(self) -> None:
        """After a restart: queued tasks run again, running ones end `failed`. With
        workers (dispatch), a running task may still run on its worker: it is followed
        again, and the broker re-publishes whatever Redis does not hold."""
        for task in await self.store.unfinished():
            try:
                if task.status is TaskStatus.RUNNING and self.dispatch is None:
                    raise _Interrupted()
                kind = KINDS[task.kind]
                body = kind.parse(json.dumps(task.request).encode())
                # Workers may not have registered yet: plan with every known language.
                languages = self.dispatch.catalogue if self.dispatch else self._languages()
                planned = plan_request(self.settings, kind, body, languages)
                self._enqueue(task, planned, waited=False, force=True)
            except _Interrupted:
                await self._fail(task, "interrupted", "the service restarted while it ran")
            except (CodeRunnerError, KeyError) as exc:
                await self._fail(task, "not_runnable", f"cannot run it after a restart: {exc}")

    def close_queue(self) -> None:
        """Shutdown: what waits never starts here. A synchronous client gets IE answers;
        an asynchronous task stays queued in the store and runs after the restart."""
        jobs = self.runner.queue.close()
        if self.dispatch is not None:  # they go on on their workers; followed after restart
            jobs += self.dispatch.close_jobs()
        for job in jobs:
            if not job.result.done():
                job.result.set_exception(ShuttingDown())

    def abort_running(self) -> None:
        """Shutdown after the grace period: stop the containers still running."""
        for job in list(self._jobs.values()):
            job.stop_reason = SHUTTING_DOWN
            job.cancel.set()

    async def close(self) -> None:
        if self._purger is not None:
            self._purger.cancel()
        watchers = list(self._watchers.values())
        if watchers:
            await asyncio.wait(watchers, timeout=15)
        if self.dispatch is not None:
            await self.dispatch.close()
        await self.webhooks.close()
        await self.store.close()

    async def _purge(self) -> None:
        every = min(60.0, max(1.0, self.settings.tasks.retention_s / 4))
        while True:
            await asyncio.sleep(every)
            try:
                removed = await self.store.purge_expired(time.time())
                if removed:
                    log.info("removed %d expired task(s)", removed)
            except Exception:
                log.exception("cannot purge expired tasks")

    # ---- submit -----------------------------------------------------------------------

    def plan(self, kind: Kind, body: Any) -> Planned:
        return plan_request(self.settings, kind, body, self._languages())

    async def submit(
        self,
        planned: Planned,
        *,
        request: dict[str, Any],
        user: str,
        client: str,
        callback_url: str | None = None,
        idempotency_key: str | None = None,
        waited: bool = False,
    ) -> tuple[Task, bool]:
        """Store the task and queue it. Returns (task, created); with a repeated
        Idempotency-Key, the first task and False (nothing runs again)."""
        # Refuse a full queue before anything is stored (a stored task must run).
        if self.dispatch is not None:
            self.dispatch.check_room()
        else:
            self.runner.queue.check_room(user)
        task = Task(
            id=new_task_id(),
            kind=planned.kind.name,
            status=TaskStatus.QUEUED,
            user=user,
            client=client,
            request=request,
            created_at=time.time(),
            callback_url=callback_url,
        )
        task, created = await self.store.create(task, idempotency_key=idempotency_key)
        if created:
            if self.dispatch is not None:
                # The bound across all workers is checked in Redis, atomically; a
                # refused task was never accepted: nothing of it stays.
                try:
                    await self.dispatch.publish(task)
                except CodeRunnerError:
                    await self.store.delete(task.id)
                    raise
            # Room was checked above; concurrent submissions may overshoot max_size by a few.
            self._enqueue(task, planned, waited=waited, force=True)
        return task, created

    async def run(
        self, planned: Planned, *, request: dict[str, Any], user: str, client: str
    ) -> dict[str, Any]:
        """The synchronous endpoints: submit a task and wait for its answer."""
        task, _ = await self.submit(planned, request=request, user=user, client=client, waited=True)
        watcher = self._watchers[task.id]
        try:
            # The task runs to its end whatever the client does.
            answer = await asyncio.shield(watcher)
        except asyncio.CancelledError:
            job = self._jobs.get(task.id)
            if job is not None and self._withdraw(job):
                job.result.set_result(None)  # never started: cancelled
            raise
        assert answer is not None
        return answer

    def _enqueue(self, task: Task, planned: Planned, *, waited: bool, force: bool) -> None:
        job = Job(
            id=task.id,
            user=task.user,
            kind=planned.kind,
            body=planned.body,
            prepared=planned.prepared,
            plan=planned.plan,
            emit=None if waited else self._emitter(task.id),
            on_start=lambda: self._started(task),
        )
        if self.dispatch is not None:
            self.dispatch.follow(job)
        else:
            self.runner.enqueue(job, force=force)
        self._jobs[task.id] = job
        if waited:
            self._waited.add(task.id)
        watcher = asyncio.create_task(self._watch(task, job), name=f"task-{task.id}")
        watcher.add_done_callback(_retrieve)
        self._watchers[task.id] = watcher

    def _emitter(self, task_id: str) -> Callable[[str, dict[str, Any]], Any]:
        async def emit(type_: str, data: dict[str, Any]) -> None:
            await self._event(task_id, type_, data)

        return emit

    async def _event(self, task_id: str, type_: str, data: dict[str, Any]) -> None:
        await self.hub.publish(await self.store.add_event(task_id, type_, data))

    async def _started(self, task: Task) -> None:
        task.status, task.started_at = TaskStatus.RUNNING, time.time()
        await self.hub.publish(
            await self.store.save_with_event(task, "status", {"status": str(TaskStatus.RUNNING)})
        )

    async def _watch(self, task: Task, job: Job) -> dict[str, Any] | None:
        """Wait for the job's answer and finish the task with it."""
        waited = task.id in self._waited
        try:
            try:
                answer = await job.result
            except ShuttingDown:
                if not waited:
                    return None  # stays queued in the store: runs after the restart
                answer = self.runner.ie_answer(job, SHUTTING_DOWN)
                await self._finish(
                    task,
                    TaskStatus.FAILED,
                    result=answer,
                    error={"code": "shutting_down", "message": SHUTTING_DOWN},
                )
                return answer
            except CodeRunnerError as exc:
                await self._finish(
                    task, TaskStatus.FAILED, error={"code": exc.code, "message": exc.message}
                )
                raise
            if job.stop_reason is None and (answer is None or job.ending is Ending.CANCELLED):
                await self._finish(task, TaskStatus.CANCELLED, result=answer, error=CANCELLED)
            elif job.stop_reason is not None:
                await self._finish(
                    task,
                    TaskStatus.FAILED,
                    result=answer,
                    error={"code": "shutting_down", "message": job.stop_reason},
                )
            else:
                await self._finish(task, TaskStatus.DONE, result=answer)
            return answer
        finally:
            self._jobs.pop(task.id, None)
            self._waited.discard(task.id)
            self._watchers.pop(task.id, None)

    async def _finish(
        self,
        task: Task,
        status: TaskStatus,
        *,
        result: dict[str, Any] | None = None,
        error: dict[str, str] | None = None,
    ) -> None:
        task.status, task.result, task.error = status, result, error
        task.finished_at = time.time()
        await self.hub.publish(
            await self.store.save_with_event(
                task, "done", {"status": str(status), "result": result}
            )
        )
        if task.callback_url:
            await self.webhooks.enqueue(task)

    async def _fail(self, task: Task, code: str, message: str) -> None:
        await self._finish(task, TaskStatus.FAILED, error={"code": code, "message": message})

    # ---- read and cancel --------------------------------------------------------------

    async def get(self, task_id: str) -> Task:
        task = await self.store.get(task_id)
        if task is None:
            raise NotFound(f"no task {task_id} (unknown, or removed after its retention)")
        return task

    async def wait(self, task_id: str, seconds: float) -> Task:
        """The task as soon as it is final, or after `seconds`."""
        watcher = self._watchers.get(task_id)
        if watcher is not None and seconds > 0:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(watcher), seconds)
        return await self.get(task_id)

    async def cancel(self, task_id: str) -> Task:
        """DELETE /tasks/{id}: a queued task never runs; a running one has its container
        stopped and keeps what finished; a final task is unchanged."""
        task = await self.get(task_id)
        job = self._jobs.get(task_id)
        watcher = self._watchers.get(task_id)
        if job is None or watcher is None:
            return task
        job.cancel.set()
        if self._withdraw(job):
            job.result.set_result(None)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.shield(watcher), 60)
        return await self.get(task_id)

    def _withdraw(self, job: Job) -> bool:
        return (self.dispatch or self.runner).withdraw(job)

    def health(self) -> dict[str, Any]:
        return {"tasksInFlight": len(self._jobs)}


class _Interrupted(Exception):
    pass


def _retrieve(watcher: asyncio.Task[Any]) -> None:
    # The exception (a StorageFull for a synchronous client) is the waiting client's;
    # nobody waits for an asynchronous task's watcher.
    if not watcher.cancelled():
        watcher.exception()
