"""The service's life: start (orphans, languages, warm pool, task recovery, self-test),
one drain and one "accepting" flag, shutdown.

    start -> accepting -> drain (SIGTERM: stop admitting, let work finish within
    server.shutdown_grace_s) -> shutdown (what still runs is stopped and answered IE)

The drain is one task: the signal handler and the lifespan's shutdown wait for the
same one, so the grace period is spent once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import anyio

from ..config import Settings
from ..errors import CodeRunnerError, DockerError
from ..kinds import IsolatedTest
from ..languages import Language, load_languages, with_labels
from ..logclient import LogClient
from ..metrics import Metrics
from ..schemas import Submission
from ..tasks.service import TaskService
from .core import Runner
from .engine import Engine

log = logging.getLogger("coderunner.lifecycle")

SELFTEST_INPUTS = ["hello\n", "two words\nand a second line\n"]


class Lifecycle:
    def __init__(self, settings: Settings, *, engine: Engine, events: LogClient) -> None:
        self.settings = settings
        self.engine = engine
        self.events = events
        self.catalogue = load_languages(settings.docker.images_dir, settings.docker.image_prefix)
        # The languages whose image is built (with their versions).
        self.languages: dict[str, Language] = {}
        # language id -> "ok" or what went wrong with its self-test program.
        self.selftests: dict[str, str] = {}
        self.accepting = False
        self._selftest: asyncio.Task[None] | None = None
        self._drain: asyncio.Task[None] | None = None
        # dispatch.backend = "redis" with dispatch.local_worker: this server is a worker too.
        self.local_worker: Any = None
        # Wired by create_app (they need the language table above).
        self.runner: Runner
        self.tasks: TaskService

    @classmethod
    def with_runner(
        cls, settings: Settings, *, engine: Engine, events: LogClient, metrics: Metrics
    ) -> Lifecycle:
        """A lifecycle and its runner, which runs the languages the lifecycle found
        (the server and a worker assemble them alike)."""
        lifecycle = cls(settings, engine=engine, events=events)
        lifecycle.runner = Runner(
            settings,
            engine=engine,
            events=events,
            metrics=metrics,
            languages=lambda: lifecycle.languages,
        )
        return lifecycle

    # ---- start ------------------------------------------------------------------------

    async def start(self) -> None:
        # With workers (dispatch.backend = "redis") and no local one, this server runs
        # no container: it needs no Docker engine, and its languages are the workers'.
        local = self.settings.dispatch.runs_locally
        await anyio.to_thread.run_sync(self.runner.store.prepare_root)
        if local:
            await self.remove_orphans()
            await self.refresh_languages()
        # The images of this host (with workers, self.languages becomes theirs).
        wanted = self.settings.dispatch.languages
        own = {k: v for k, v in self.languages.items() if not wanted or k in wanted}
        await self.tasks.start()
        if local:
            self.runner.pool.start()
        await self.tasks.recover()
        if self.settings.dispatch.backend == "redis" and local:
            await self._start_local_worker(own)
        self.accepting = True
        if self.settings.docker.selftest_at_start and self.settings.dispatch.backend == "local":
            self._selftest = asyncio.create_task(self.selftest())

    async def _start_local_worker(self, own: dict[str, Language]) -> None:
        from ..dispatch.executor import Executor
        from ..dispatch.worker import RedisWorker
        from ..dispatch.workerapp import worker_id

        executor = Executor(self.settings, runner=self.runner, languages=lambda: own)
        self.local_worker = RedisWorker(
            self.settings.dispatch,
            run=executor.run,
            stop=executor.stop,
            worker_id=worker_id(self.settings),
            languages=sorted(own),
            slots=self.settings.queue.max_concurrent,
            versions={k: v.version for k, v in own.items()},
        )
        await self.local_worker.start()

    async def refresh_languages(self) -> None:
        try:
            images = [lang.image for lang in self.catalogue.values()]
            labels = await self.engine.image_labels(images)
        except DockerError as exc:
            log.error("cannot list images: %s", exc)
            return
        self.languages = with_labels(self.catalogue, labels)

    async def remove_orphans(self) -> None:
        """Containers and session dirs an earlier run of this instance left behind."""
        try:
            names = await self.engine.our_containers()
        except DockerError as exc:
            names = []
            log.error("cannot list orphan containers: %s", exc)
        # Containers and directories are named after the sandbox's directory, never
        # after its id (process arguments show them to every local user).
        live = list(self.runner.live.values())
        containers = {s.container for s in live}
        dirs = {s.dir.name for s in live}
        for name in names:
            if name not in containers:
                await self.engine.remove(name)
        stale = [p for p in self.runner.store.orphans() if p.name not in dirs]
        for path in stale:
            await anyio.to_thread.run_sync(self.runner.store.remove_dir, path)
        if names or stale:
            self.events.emit(
                "warning",
                f"removed {len(names)} orphan container(s) and {len(stale)} session dir(s)",
                details={"containers": names[:50]},
            )

    async def selftest(self) -> None:
        """Run each language's self-test program (echoes stdin) as a real task, with
        the same plan as any request; a broken image is logged and shown by /health."""
        kind = IsolatedTest()
        for lang_id, language in sorted(self.languages.items()):
            path = self.settings.docker.images_dir / lang_id / f"selftest.{language.extension}"
            try:
                body = Submission(
                    code=path.read_text(encoding="utf-8"),
                    language=lang_id,
                    testCases=SELFTEST_INPUTS,
                    expectedOutputs=SELFTEST_INPUTS,
                )
                answer = await self.tasks.run(
                    self.tasks.plan(kind, body),
                    request=body.model_dump(exclude_none=True),
                    user="(selftest)",
                    client="(selftest)",
                )
                statuses = [r["status"] for r in answer["results"]]
                verdict = (
                    "ok"
                    if statuses == ["AC", "AC"]
                    else (f"failed: {statuses} {answer['compilerErrors'][:300]}".strip())
                )
            except (OSError, CodeRunnerError) as exc:
                verdict = f"failed: {exc}"
            self.selftests[lang_id] = verdict
            if verdict != "ok":
                log.error("self-test of %s %s", lang_id, verdict)
                self.events.emit(
                    "error",
                    f"self-test of language {lang_id} {verdict}",
                    broadcast=True,
                    details={"language": lang_id},
                )

    # ---- stop -------------------------------------------------------------------------

    def drain(self) -> asyncio.Task[None]:
        """Stop admitting and wait (bounded by server.shutdown_grace_s) until nothing
        waits or runs. Idempotent: every caller gets the same drain."""
        self.accepting = False
        if self._drain is None:
            grace = self.settings.server.shutdown_grace_s
            self._drain = asyncio.create_task(self._wait_idle(grace))
        return self._drain

    async def _wait_idle(self, timeout: float) -> None:
        queue = self.runner.queue
        deadline = time.monotonic() + timeout
        while (queue.running or queue.depth) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)

    async def shutdown(self) -> None:
        """After the drain: what never started is answered (synchronous clients) or kept
        queued for the restart; what still runs is stopped and answered IE."""
        if self._selftest is not None:
            self._selftest.cancel()
        await self.drain()
        if self.local_worker is not None:
            await self.local_worker.close(self.settings.server.shutdown_grace_s)
        self.tasks.close_queue()
        await self.runner.pool.close()
        if self.runner.queue.running:
            self.tasks.abort_running()
            await self.runner.queue.drain(30.0)
        await self.tasks.close()

    def health(self) -> dict[str, Any]:
        return {
            **self.runner.health(),
            **self.tasks.health(),
            "languages": sorted(self.languages),
            "missingImages": sorted(set(self.catalogue) - set(self.languages)),
            "selftests": dict(sorted(self.selftests.items())),
            "brokenLanguages": sorted(k for k, v in self.selftests.items() if v != "ok"),
        }
