"""Runs a job from the broker on this host, with the ordinary pipeline: the kind
parses the accepted request again, the plan is made with this host's limits and
languages, and the local runner (queue slot, container, analyzer) does the rest. Its
live events go to the broker; its answer is the job's outcome."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable

from ..config import Settings
from ..errors import CodeRunnerError
from ..kinds import KINDS
from ..languages import Language
from ..runner import Job as RunnerJob
from ..runner import Runner
from .base import Emit, Job, Outcome, cancelled

log = logging.getLogger("coderunner.worker")

LEASE_LOST = "the task was taken from this worker (lease lost)"


class Executor:
    def __init__(
        self, settings: Settings, *, runner: Runner, languages: Callable[[], dict[str, Language]]
    ) -> None:
        self.settings = settings
        self.runner = runner
        self._languages = languages
        self._running: dict[str, RunnerJob] = {}

    async def run(self, job: Job, emit: Emit) -> Outcome:
        from ..tasks.service import plan_request  # the task service imports dispatch

        try:
            kind = KINDS[job.kind]
            body = kind.parse(json.dumps(job.request).encode())
            planned = plan_request(self.settings, kind, body, self._languages())
        except KeyError:
            return Outcome(
                error={
                    "code": "unsupported_kind",
                    "message": f"this worker has no kind {job.kind!r}",
                }
            )
        except CodeRunnerError as exc:
            return Outcome(error={"code": exc.code, "message": exc.message})
        # A second attempt may come to the same worker while a hung first one is
        # being stopped: each attempt has its own slot id.
        job_id = job.task_id if job.attempt == 1 else f"{job.task_id}-{job.attempt}"
        local = RunnerJob(
            id=job_id,
            user=job.user,
            kind=kind,
            body=body,
            prepared=planned.prepared,
            plan=planned.plan,
            emit=emit,
        )
        self._running[job.task_id] = local
        try:
            self.runner.enqueue(local, force=True)
            answer = await asyncio.shield(local.result)
        except asyncio.CancelledError:
            # The lease was lost (or the worker stops): stop the container; nothing is
            # reported (another attempt runs, or the task goes back to the queue).
            local.stop_reason = LEASE_LOST
            local.cancel.set()
            if self.runner.withdraw(local) and not local.result.done():
                local.result.set_result(None)
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(asyncio.shield(local.result), 60)
            raise
        except CodeRunnerError as exc:
            return Outcome(error={"code": exc.code, "message": exc.message})
        finally:
            self._running.pop(job.task_id, None)
        if answer is None:  # cancelled before its container started
            return cancelled()
        return Outcome(result=answer)

    async def stop(self, job: Job) -> None:
        """DELETE /tasks/{id} reached this worker: stop the container; the run then
        returns what had finished (the rest IE), which is reported."""
        local = self._running.get(job.task_id)
        if local is None:
            return
        local.cancel.set()
        if self.runner.withdraw(local) and not local.result.done():
            local.result.set_result(None)
