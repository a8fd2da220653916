"""The job runner: one job in, its answer out, through one container.

    queue slot -> sandbox (a warm container claimed, or a new one staged and started)
    -> launcher (callback / watchdog / cancel: an Outcome) -> slot freed
    -> analyzer -> the kind's answer -> sandbox removed

A job carries the task's id from admission to answer; the sandbox (session
directory, container, token) is a separate object with its own id, given to the job
when its slot comes. While the container runs, finished tests are read incrementally
and sent as live events (about every PROGRESS_INTERVAL_S).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import anyio

from .. import analyzer
from ..analyzer import SessionOutput
from ..config import Settings
from ..errors import CodeRunnerError, Forbidden, NotFound
from ..kinds import Kind, Prepared
from ..languages import Language
from ..limits import Plan
from ..logclient import LogClient
from ..metrics import Metrics
from .ended import MAX_IDS, Ended
from .engine import Engine
from .launcher import Ending, Handle, Launcher, Outcome
from .pool import Pool
from .queue import TaskQueue
from .sessions import Sandbox, SessionStore

log = logging.getLogger("coderunner.runner")

# Callbacks for sandboxes that already ended are answered 200 (idempotent) as long as
# we remember them (ended.py: for MAX_AGE_S, at most this many).
FINISHED_MEMORY = MAX_IDS
# Live events: finished tests are looked for this often while a container runs.
PROGRESS_INTERVAL_S = 0.25
INTERNAL = "internal error while running the session"

Emit = Callable[[str, dict[str, Any]], Awaitable[None]]


@dataclass
class Seen:
    """What live events have been sent for a job."""

    compile: bool = False
    tests: set[int] = field(default_factory=set)


@dataclass(eq=False)
class Job:
    """One task's run. `id` is the task's id: the queue files its slot under it."""

    id: str
    user: str
    kind: Kind
    body: Any
    prepared: Prepared
    plan: Plan
    # Live events ("compile", "test", ...) while it runs; None: not wanted.
    emit: Emit | None = None
    # Called once when the job gets its slot (the task becomes "running").
    on_start: Callable[[], Awaitable[None]] | None = None
    cancel: asyncio.Event = field(default_factory=asyncio.Event)
    # The answer; None when it was cancelled before its container started.
    result: asyncio.Future[dict[str, Any] | None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )
    sandbox: Sandbox | None = None
    # How its container ended (CANCELLED: stopped by a cancel or the shutdown).
    ending: Ending | None = None
    # Set with `cancel` by the shutdown: every test IE with this reason.
    stop_reason: str | None = None
    seen: Seen = field(default_factory=Seen)  # live events sent so far

    @property
    def language(self) -> Language:
        return self.prepared.language

    def answer(
        self,
        session_id: str,
        out: SessionOutput,
        *,
        internal_error: str | None = None,
        unfinished: str | None = None,
    ) -> dict[str, Any]:
        return self.kind.answer(
            session_id,
            out,
            self.prepared,
            self.body,
            time_limit_ms=self.plan.time_limit_ms,
            memory_limit_mb=self.plan.memory_limit_mb,
            internal_error=internal_error,
            unfinished=unfinished,
        )


class Runner:
    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine,
        events: LogClient,
        metrics: Metrics,
        languages: Callable[[], dict[str, Language]],
    ) -> None:
        self.settings = settings
        self.events = events
        self.metrics = metrics
        self.store = SessionStore(settings)
        self.launcher = Launcher(
            handler=settings.docker.handler, sessions_root=self.store.root, engine=engine
        )
        self.queue = TaskQueue(
            max_size=settings.queue.max_size,
            max_concurrent=settings.queue.max_concurrent,
            max_per_user=settings.queue.max_per_user,
            retry_after_s=settings.queue.retry_after_s,
            runner=self.run,
        )
        port = settings.server.port
        self.callback_base = (settings.server.callback_url or f"http://127.0.0.1:{port}").rstrip(
            "/"
        )
        self.pool = Pool(
            settings,
            store=self.store,
            launcher=self.launcher,
            languages=languages,
            callback_base=self.callback_base,
        )
        # Sandboxes whose container runs (or is about to): the callback finds them here.
        self.live: dict[str, Sandbox] = {}
        self._finished = Ended(max_ids=FINISHED_MEMORY)

    # ---- in -------------------------------------------------------------------------

    def enqueue(self, job: Job, *, force: bool = False) -> None:
        """A slot now, a place in the queue, or QueueFull / Unavailable (force: the
        room was checked before, let it overshoot max_size rather than lose the job)."""
        self.queue.submit(job, force=force)
        self.metrics.observe_queue(self.queue)

    def withdraw(self, job: Job) -> bool:
        """Take a job that has not started out of the queue."""
        return self.queue.withdraw(job)

    def callback(self, sandbox_id: str, token: str) -> None:
        """GET /analyseTest: the container of this sandbox has ended."""
        sandbox = self.live.get(sandbox_id)
        if sandbox is None:
            if sandbox_id in self._finished:
                return  # idempotent: a repeated call changes nothing
            raise NotFound("unknown session")
        if not token or not hmac.compare_digest(token.encode(), sandbox.token.encode()):
            raise Forbidden("wrong session token")
        sandbox.finished.set()

    # ---- one job ----------------------------------------------------------------------

    async def run(self, job: Job) -> None:
        """The queue's runner: the job holds a slot until its container has ended."""
        started = time.monotonic()
        self.metrics.observe_queue(self.queue)
        answer: dict[str, Any] | None = None
        failure: BaseException | None = None
        sandbox: Sandbox | None = None
        try:
            if job.on_start is not None:
                await job.on_start()
            sandbox, outcome = await self._launch(job)
            # The container has ended: its slot goes to the next job now.
            self.queue.release(job.id)
            self.metrics.observe_queue(self.queue)
            answer = await self._analyse(job, sandbox, outcome)
            self.metrics.observe_session(answer, time.monotonic() - started)
            log.info(
                "job answered",
                extra={
                    "task": job.id,
                    "session": sandbox.id,
                    "seconds": round(time.monotonic() - started, 3),
                },
            )
        except CodeRunnerError as exc:  # e.g. StorageFull while staging: the caller's error
            failure = exc
        except Exception as exc:
            log.exception("job failed", extra={"task": job.id})
            self.events.emit(
                "error",
                f"session failed: {exc!r}",
                user=job.user,
                broadcast=True,
                details={"taskId": job.id},
            )
        finally:
            if sandbox is not None:
                self._forget(sandbox)
                # Removed before the answer goes out: once a client has its answer,
                # nothing of its session is left on disk.
                await anyio.to_thread.run_sync(self.store.remove, sandbox)
            if job.result.done():
                pass
            elif failure is not None:
                job.result.set_exception(failure)
            elif answer is None:
                job.result.set_result(self.ie_answer(job, INTERNAL))
            else:
                job.result.set_result(answer)

    def ie_answer(self, job: Job, reason: str, session_id: str = "") -> dict[str, Any]:
        return job.answer(session_id, SessionOutput(), internal_error=reason)

    def _forget(self, sandbox: Sandbox) -> None:
        self.live.pop(sandbox.id, None)
        self._finished.add(sandbox.id)

    async def _launch(self, job: Job) -> tuple[Sandbox, Outcome]:
        """Run the job in a warm container when one fits, else in a new one."""
        sandbox, handle = await self._sandbox(job)
        job.sandbox = sandbox
        if isinstance(handle, Outcome):
            return sandbox, handle
        follow = None
        stop = asyncio.Event()
        if job.emit is not None:
            follow = asyncio.create_task(self._follow(job, sandbox, stop))
        try:
            outcome = await self.launcher.wait(
                sandbox, handle, deadline_s=job.plan.deadline_s, cancel=job.cancel
            )
        finally:
            # Not cancelled: an event half sent would be lost or sent twice.
            stop.set()
            if follow is not None:
                await asyncio.gather(follow, return_exceptions=True)
        return sandbox, outcome

    async def _sandbox(self, job: Job) -> tuple[Sandbox, Handle | Outcome]:
        claimed = self.pool.claim(job.language, job.plan)
        if claimed is not None:
            sandbox = claimed.warm.sandbox
            try:
                await anyio.to_thread.run_sync(self.store.load, sandbox, job.prepared, job.plan)
            except BaseException:
                os.close(claimed.fifo)
                await self.pool.discard(claimed.warm)
                raise
            self.live[sandbox.id] = sandbox
            claimed.go()
            return sandbox, claimed.warm.handle
        sandbox = self.store.new_sandbox(job.language, job.plan)
        await anyio.to_thread.run_sync(
            lambda: self.store.stage(sandbox, job.prepared, callback_base=self.callback_base)
        )
        self.live[sandbox.id] = sandbox
        return sandbox, await self.launcher.start(sandbox)

    # ---- live events ------------------------------------------------------------------

    async def _follow(self, job: Job, sandbox: Sandbox, stop: asyncio.Event) -> None:
        """Send each finished test's events while later tests still run."""
        assert job.emit is not None
        while True:
            try:
                await asyncio.wait_for(stop.wait(), PROGRESS_INTERVAL_S)
                return
            except TimeoutError:
                pass
            progress = await anyio.to_thread.run_sync(
                lambda: analyzer.read_progress(
                    sandbox.dir,
                    tests=job.plan.tests,
                    max_output=job.plan.max_output_bytes,
                    max_log=job.plan.max_compile_log_bytes,
                    seen=job.seen.tests,
                    compile_seen=job.seen.compile,
                )
            )
            await self._send(job, progress)

    async def _send(self, job: Job, progress: analyzer.Progress) -> None:
        assert job.emit is not None
        seen = job.seen
        if progress.compile is not None and not seen.compile:
            seen.compile = True
            if job.prepared.compile:
                await job.emit(
                    "compile",
                    {"ok": not progress.compile.failed, "log": analyzer.text(progress.compile_log)},
                )
        for index, record, stdout, stderr in progress.runs:
            if index in seen.tests:
                continue
            seen.tests.add(index)
            for type_, data in job.kind.item_events(
                index,
                record,
                stdout,
                stderr,
                job.prepared,
                job.body,
                time_limit_ms=job.plan.time_limit_ms,
                memory_limit_mb=job.plan.memory_limit_mb,
            ):
                await job.emit(type_, data)

    # ---- out --------------------------------------------------------------------------

    async def _analyse(self, job: Job, sandbox: Sandbox, outcome: Outcome) -> dict[str, Any]:
        plan = job.plan
        out = await anyio.to_thread.run_sync(
            lambda: analyzer.read_output(
                sandbox.dir,
                tests=plan.tests,
                max_output=plan.max_output_bytes,
                max_log=plan.max_compile_log_bytes,
            )
        )
        if job.emit is not None and outcome.ending is not Ending.WATCHDOG:
            # What the live reader has not sent yet, from the final (authoritative) files.
            final = analyzer.Progress(
                compile=out.compile,
                compile_log=out.compile_log,
                runs=[
                    (i, r, out.stdout.get(i, b""), out.stderr.get(i, b""))
                    for i, r in sorted(out.runs.items())
                ],
            )
            await self._send(job, final)
        job.ending = outcome.ending
        if outcome.ending is Ending.CANCELLED and job.stop_reason is None:
            return job.answer(sandbox.id, out, unfinished="cancelled")
        reason = job.stop_reason or outcome.reason
        exit_code = out.handler.get("container_exit", "0")
        if reason is None and exit_code != "0" and not out.runs:
            reason = f"container failed (exit {exit_code}): {out.handler.get('error', '')}".strip()
        if reason is not None:
            self.events.emit(
                "error",
                f"session {sandbox.id} ended abnormally: {reason}",
                user=job.user,
                broadcast=True,
                details={"sessionId": sandbox.id, "taskId": job.id, "language": job.language.id},
            )
        return job.answer(sandbox.id, out, internal_error=reason)

    def health(self) -> dict[str, Any]:
        return {
            "queueDepth": self.queue.depth,
            "running": self.queue.running,
            "warmContainers": self.pool.idle_count(),
        }
