"""The core: a validated submission in, the client's answer out.

stage session dir -> bounded queue -> launcher (docker-handler.sh) -> callback ->
free the slot -> analyzer -> answer -> remove the session dir.
"""

from __future__ import annotations

import asyncio
import collections
import hmac
import logging
import os
import time
from dataclasses import dataclass
from typing import Any

import anyio

from . import analyzer
from .config import Settings
from .engine import Engine
from .errors import CodeRunnerError, DockerError, Forbidden, NotFound
from .languages import Language, load_languages, with_labels
from .launcher import Launcher
from .logclient import LogClient
from .metrics import Metrics
from .pool import Pool
from .queue import TaskQueue
from .sessions import Limits, Session, SessionStore, remove_tree

log = logging.getLogger("coderunner.service")

# Callbacks for sessions that already ended are answered 200 (idempotent) as long as
# we remember them.
FINISHED_MEMORY = 10_000


@dataclass(frozen=True)
class Job:
    language: Language
    code: str
    tests: list[str]
    expected: list[str] | None
    limits: Limits
    user: str


class CodeRunner:
    def __init__(
        self, settings: Settings, *, engine: Engine, logclient: LogClient, metrics: Metrics
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.log = logclient
        self.metrics = metrics
        self.store = SessionStore(settings)
        self.catalogue = load_languages(settings.docker.images_dir, settings.docker.image_prefix)
        self.languages: dict[str, Language] = {}
        self.launcher = Launcher(
            handler=settings.docker.handler, sessions_root=self.store.root, engine=engine
        )
        self.queue = TaskQueue(
            max_size=settings.queue.max_size,
            max_concurrent=settings.queue.max_concurrent,
            retry_after_s=settings.queue.retry_after_s,
            runner=self._run_session,
        )
        self._sessions: dict[str, Session] = {}
        # language id -> "ok" or what went wrong with its self-test program.
        self.selftests: dict[str, str] = {}
        self._selftest_task: asyncio.Task[None] | None = None
        self._finished: collections.OrderedDict[str, None] = collections.OrderedDict()
        port = settings.server.port
        self.callback_base = (settings.server.callback_url or f"http://127.0.0.1:{port}").rstrip(
            "/"
        )
        self.pool = Pool(
            settings,
            store=self.store,
            launcher=self.launcher,
            languages=lambda: self.languages,
            callback_base=self.callback_base,
        )

    # ---- life cycle -----------------------------------------------------------

    async def start(self) -> None:
        await anyio.to_thread.run_sync(self.store.prepare_root)
        await self.remove_orphans()
        await self.refresh_languages()
        self.pool.start()
        if self.settings.docker.selftest_at_start:
            self._selftest_task = asyncio.create_task(self.selftest())

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
        for name in names:
            if not self._is_live(name):
                await self.engine.remove(name)
        stale = [p for p in self.store.orphans() if p.name not in self._sessions]
        for path in stale:
            await anyio.to_thread.run_sync(remove_tree, path)
        if names or stale:
            self.log.emit(
                "warning",
                f"removed {len(names)} orphan container(s) and {len(stale)} session dir(s)",
                details={"containers": names[:50]},
            )

    def _is_live(self, container: str) -> bool:
        return container.removeprefix("cr-") in self._sessions

    async def drain(self, timeout: float) -> None:
        """Wait (bounded) until no session waits or runs."""
        deadline = time.monotonic() + timeout
        while (self.queue.running or self.queue.depth) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)

    async def selftest(self) -> None:
        """Run each language's self-test program (echoes stdin) as a real session;
        a broken image is logged and reported by /health."""
        tests = ["hello\n", "two words\nand a second line\n"]
        for lang_id, language in sorted(self.languages.items()):
            path = self.settings.docker.images_dir / lang_id / f"selftest.{language.extension}"
            try:
                code = path.read_text(encoding="utf-8")
                lim = self.settings.limits
                answer = await self.submit(Job(
                    language=language, code=code, tests=tests, expected=tests, user="(selftest)",
                    limits=Limits(
                        time_limit_ms=lim.time_limit_ms,
                        wall_limit_ms=int(lim.time_limit_ms * lim.wall_factor) + lim.wall_slack_ms,
                        memory_limit_mb=lim.memory_limit_mb,
                        max_output_bytes=lim.max_output_bytes,
                    ),
                ))
                statuses = [r["status"] for r in answer["results"]]
                verdict = "ok" if statuses == ["AC", "AC"] else (
                    f"failed: {statuses} {answer['compilerErrors'][:300]}".strip())
            except (OSError, CodeRunnerError) as exc:
                verdict = f"failed: {exc}"
            self.selftests[lang_id] = verdict
            if verdict != "ok":
                log.error("self-test of %s %s", lang_id, verdict)
                self.log.emit("error", f"self-test of language {lang_id} {verdict}",
                              broadcast=True, details={"language": lang_id})

    async def shutdown(self) -> None:
        """Stop admitting; let running sessions finish within the grace period;
        answer the rest with IE and remove their containers."""
        if self._selftest_task is not None:
            self._selftest_task.cancel()
        for session in self.queue.close():
            self._answer_ie(session, "the service is shutting down")
            await anyio.to_thread.run_sync(self.store.remove, session)
        await self.pool.close()
        left = await self.queue.drain(self.settings.server.shutdown_grace_s)
        if left:
            for session in list(self._sessions.values()):
                self._answer_ie(session, "the service is shutting down")
                await self.engine.remove(session.container)
            await self.queue.drain(10.0)

    # ---- request path ---------------------------------------------------------

    async def submit(self, job: Job) -> dict[str, Any]:
        session = self.store.new_session(
            language=job.language,
            tests=len(job.tests),
            limits=job.limits,
            expected=job.expected,
            user=job.user,
        )
        encoded = [t.encode("utf-8") for t in job.tests]
        await anyio.to_thread.run_sync(
            lambda: self.store.stage(
                session, code=job.code, tests=encoded, callback_base=self.callback_base
            )
        )
        self._sessions[session.id] = session
        try:
            self.queue.submit(session)
        except BaseException:
            del self._sessions[session.id]
            await anyio.to_thread.run_sync(self.store.remove, session)
            raise
        self.metrics.observe_queue(self.queue)
        try:
            # The session runner always answers; shield it from a client that leaves.
            return await asyncio.shield(session.result)
        except asyncio.CancelledError:
            if self.queue.withdraw(session):
                self._sessions.pop(session.id, None)
                await anyio.to_thread.run_sync(self.store.remove, session)
            raise

    def callback(self, session_id: str, token: str) -> None:
        """GET /analyseTest: the container of this session has ended."""
        session = self._sessions.get(session_id)
        if session is None:
            if session_id in self._finished:
                return  # idempotent: a repeated call changes nothing
            raise NotFound("unknown session")
        if not token or not hmac.compare_digest(token, session.token):
            raise Forbidden("wrong session token")
        session.finished.set()

    async def _run_session(self, session: Session) -> None:
        started = time.monotonic()
        self.metrics.observe_queue(self.queue)
        log.info("session started", extra={"session": session.id,
                                           "language": session.language.id,
                                           "tests": session.tests})
        answer: dict[str, Any] | None = None
        try:
            reason = await self._launch(session)
            # The container has ended: its slot goes to the next session now.
            self.queue.release(session.id)
            self.metrics.observe_queue(self.queue)
            answer = await self._analyse(session, reason)
            self.metrics.observe_session(answer, time.monotonic() - started)
            log.info("session answered", extra={
                "session": session.id,
                "seconds": round(time.monotonic() - started, 3),
                "statuses": ",".join(r["status"] for r in answer["results"][:20]),
            })
        except Exception as exc:
            log.exception("session failed", extra={"session": session.id})
            self.log.emit(
                "error",
                f"session failed: {exc!r}",
                user=session.user,
                broadcast=True,
                details={"sessionId": session.id},
            )
        finally:
            self._sessions.pop(session.id, None)
            self._finished[session.id] = None
            while len(self._finished) > FINISHED_MEMORY:
                self._finished.popitem(last=False)
            # Removed before the answer goes out: once a client has its answer,
            # nothing of its session is left on disk.
            await anyio.to_thread.run_sync(self.store.remove, session)
            if answer is None:
                self._answer_ie(session, "internal error while running the session")
            elif not session.result.done():
                session.result.set_result(answer)

    async def _launch(self, session: Session) -> str | None:
        """Run the session in a warm container when one is ready, else a new one."""
        container_mb = self.store.container_memory_mb(
            session.language, session.limits.memory_limit_mb
        )
        claimed = self.pool.claim(session.language, container_mb)
        if claimed is None:
            return await self.launcher.run(session)
        staged_id = session.id
        try:
            await anyio.to_thread.run_sync(self.store.adopt, session, claimed.warm.session)
        except BaseException:
            os.close(claimed.fifo)
            await self.pool.discard(claimed.warm)
            raise
        self._sessions.pop(staged_id, None)
        self._sessions[session.id] = session
        claimed.go()
        return await self.launcher.wait(session, claimed.warm.handle)

    async def _analyse(self, session: Session, reason: str | None) -> dict[str, Any]:
        lim = self.settings.limits
        out = await anyio.to_thread.run_sync(
            lambda: analyzer.read_output(
                session.dir,
                tests=session.tests,
                max_output=session.limits.max_output_bytes,
                max_log=lim.max_compile_log_bytes,
            )
        )
        exit_code = out.handler.get("container_exit", "0")
        if reason is None and exit_code != "0" and not out.runs:
            reason = f"container failed (exit {exit_code}): {out.handler.get('error', '')}".strip()
        if reason is not None:
            self.log.emit(
                "error",
                f"session {session.id} ended abnormally: {reason}",
                user=session.user,
                broadcast=True,
                details={"sessionId": session.id, "language": session.language.id},
            )
        return analyzer.build_answer(
            session.id,
            out,
            tests=session.tests,
            compiled=session.language.compiled,
            time_limit_ms=session.limits.time_limit_ms,
            memory_limit_mb=session.limits.memory_limit_mb,
            expected=session.expected,
            internal_error=reason,
        )

    def _answer_ie(self, session: Session, reason: str) -> None:
        if session.result.done():
            return
        answer = analyzer.build_answer(
            session.id,
            analyzer.SessionOutput(),
            tests=session.tests,
            compiled=session.language.compiled,
            time_limit_ms=session.limits.time_limit_ms,
            memory_limit_mb=session.limits.memory_limit_mb,
            expected=session.expected,
            internal_error=reason,
        )
        session.result.set_result(answer)

    def health(self) -> dict[str, Any]:
        return {
            "queueDepth": self.queue.depth,
            "running": self.queue.running,
            "languages": sorted(self.languages),
            "missingImages": sorted(set(self.catalogue) - set(self.languages)),
            "warmContainers": self.pool.idle_count(),
            "selftests": dict(sorted(self.selftests.items())),
            "brokenLanguages": sorted(k for k, v in self.selftests.items() if v != "ok"),
        }
