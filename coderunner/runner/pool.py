"""Single-use warm containers.

Creating and starting a hardened container is most of a session's latency, so it is
done ahead of demand: a warm container is a real session (directory, token, config,
`docker-handler.sh` running, container started with every limit in place) whose
entry waits on the FIFO `input/go`. A request takes one over (`claim`), the
session's input is moved in, one line on the FIFO starts it, and from there it is
an ordinary session: the handler's callback completes it and the container is
destroyed. No container ever serves two sessions.

Sizing adapts: a miss (no warm container for a language) raises that language's
target by one, up to `pool.max_idle_per_language`; a language unused for
`pool.idle_timeout_s` shrinks back to its minimum. `pool.max_idle` bounds the idle
containers of all languages together.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import anyio

from .. import limits
from ..config import Settings
from ..languages import Language
from .launcher import Handle, Launcher
from .sessions import Sandbox, SessionStore

log = logging.getLogger("coderunner.pool")

FAILURE_BACKOFF_S = 30.0
SWEEP_INTERVAL_S = 30.0


@dataclass(eq=False)
class Warm:
    sandbox: Sandbox
    handle: Handle
    created: float = field(default_factory=time.monotonic)


@dataclass(eq=False)
class Claimed:
    """A warm container taken for a session; its FIFO is open for the go line."""

    warm: Warm
    fifo: int

    def go(self) -> None:
        try:
            os.write(self.fifo, b"go\n")
        finally:
            os.close(self.fifo)


class Pool:
    def __init__(
        self,
        settings: Settings,
        *,
        store: SessionStore,
        launcher: Launcher,
        languages: Callable[[], dict[str, Language]],
        callback_base: str,
    ) -> None:
        self.cfg = settings.pool
        self.settings = settings
        self.store = store
        self.launcher = launcher
        self._languages = languages
        self.callback_base = callback_base
        self._idle: dict[str, list[Warm]] = {}
        self._preparing: dict[str, int] = {}
        self._target: dict[str, int] = {}
        self._last_use: dict[str, float] = {}
        self._failed_until: dict[str, float] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        # Never cancelled: a half-made container must be seen through and retired.
        self._prepare_tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        # A warm container waits on the host FIFO input/go, and gVisor (as
        # packaged: runsc 20221219) refuses to open a FIFO of a bind mount
        # (EPERM): under runsc such a container could never start its job.
        self.enabled = self.cfg.enabled and settings.docker.runtime != "runsc"

    # ---- sizing -----------------------------------------------------------------

    def _base(self, lang_id: str) -> int:
        return self.cfg.min_idle if lang_id in self.cfg.prewarm else 0

    def idle_count(self, lang_id: str | None = None) -> int:
        if lang_id is not None:
            return len(self._idle.get(lang_id, []))
        return sum(len(v) for v in self._idle.values())

    def _total(self) -> int:
        return self.idle_count() + sum(self._preparing.values())

    def start(self) -> None:
        if not self.enabled:
            if self.cfg.enabled:
                log.warning(
                    "warm pool disabled: docker.runtime = %s cannot open the FIFOs "
                    "of bind-mounted directories it waits on; every session starts "
                    "its own container",
                    self.settings.docker.runtime,
                )
            return
        for lang_id in self._languages():
            self._target[lang_id] = self._base(lang_id)
            self._fill(lang_id)
        self._spawn(self._sweeper())

    def _fill(self, lang_id: str) -> None:
        if self._closed or time.monotonic() < self._failed_until.get(lang_id, 0):
            return
        language = self._languages().get(lang_id)
        if language is None:
            return
        have = self.idle_count(lang_id) + self._preparing.get(lang_id, 0)
        for _ in range(self._target.get(lang_id, 0) - have):
            if self._total() >= self.cfg.max_idle:
                return
            self._preparing[lang_id] = self._preparing.get(lang_id, 0) + 1
            self._spawn(self._prepare(language), self._prepare_tasks)

    def _spawn(
        self, coro: Coroutine[Any, Any, None], tasks: set[asyncio.Task[None]] | None = None
    ) -> None:
        task = asyncio.create_task(coro)
        group = self._tasks if tasks is None else tasks
        group.add(task)
        task.add_done_callback(group.discard)

    # ---- life of one warm container ----------------------------------------------

    def default_plan(self, language: Language) -> limits.Plan:
        """What a warm container is started with: the language's default limits."""
        return limits.plan(
            self.settings,
            tests=1,
            compiles=bool(language.compile),
            time_factor=language.time_factor,
            memory_extra_mb=language.memory_extra_mb,
        )

    async def _prepare(self, language: Language) -> None:
        sandbox = self.store.new_sandbox(language, self.default_plan(language))
        handle: Handle | object
        try:
            await anyio.to_thread.run_sync(
                lambda: self.store.stage(sandbox, None, callback_base=self.callback_base)
            )
            handle = await self.launcher.start(sandbox)
        except Exception:
            log.exception("cannot prepare a warm %s container", language.id)
            handle = None
        finally:
            self._preparing[language.id] -= 1
        if not isinstance(handle, Handle):
            self._failed(language.id, str(getattr(handle, "reason", "staging failed")))
            await anyio.to_thread.run_sync(self.store.remove_always, sandbox)
            return
        warm = Warm(sandbox, handle)
        if self._closed:
            await self._retire(warm)
            return
        self._idle.setdefault(language.id, []).append(warm)
        self._spawn(self._watch(warm))

    async def _watch(self, warm: Warm) -> None:
        """An idle container that dies (engine restart, OOM at start, …) is replaced."""
        await asyncio.shield(warm.handle.exited)
        lang_id = warm.sandbox.language.id
        idle = self._idle.get(lang_id, [])
        if warm not in idle:
            return  # claimed: its session owns it now
        idle.remove(warm)
        if time.monotonic() - warm.created < 5:
            self._failed(lang_id, warm.handle.tail.decode("utf-8", "replace").strip())
        await self._retire(warm)
        self._fill(lang_id)

    def _failed(self, lang_id: str, why: str) -> None:
        # Likely the image or the engine: try again later, not in a tight loop.
        log.error("warm %s container failed: %s", lang_id, why[-500:])
        self._failed_until[lang_id] = time.monotonic() + FAILURE_BACKOFF_S

    async def _retire(self, warm: Warm) -> None:
        await self.launcher.kill_container(warm.sandbox)
        await self.launcher.stop(warm.handle)
        await anyio.to_thread.run_sync(self.store.remove_always, warm.sandbox)

    # ---- claiming -----------------------------------------------------------------

    def claim(self, language: Language, plan: limits.Plan) -> Claimed | None:
        """A ready warm container for this language started with the container limits
        the plan needs (memory, pids), or None."""
        if not self.enabled or self._closed:
            return None
        self._last_use[language.id] = time.monotonic()
        idle = self._idle.get(language.id, [])
        for warm in list(idle):
            if (
                warm.sandbox.plan.container_key() != plan.container_key()
                or warm.handle.proc.returncode is not None
            ):
                continue
            try:
                # Non-blocking: succeeds only once the container's entry is reading.
                fd = os.open(warm.sandbox.dir / "input" / "go", os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno == errno.ENXIO:
                    continue  # still starting
                raise
            idle.remove(warm)
            self._fill(language.id)
            return Claimed(warm, fd)
        # A miss: keep more of this language warm from now on.
        self._target[language.id] = min(
            self._target.get(language.id, 0) + 1, self.cfg.max_idle_per_language
        )
        self._fill(language.id)
        return None

    async def discard(self, warm: Warm) -> None:
        await self._retire(warm)

    async def _sweeper(self) -> None:
        while not self._closed:
            await asyncio.sleep(SWEEP_INTERVAL_S)
            now = time.monotonic()
            for lang_id, target in list(self._target.items()):
                last = self._last_use.get(lang_id, 0.0)
                if target > self._base(lang_id) and now - last > self.cfg.idle_timeout_s:
                    self._target[lang_id] = target - 1
                    idle = self._idle.get(lang_id, [])
                    if len(idle) > self._target[lang_id]:
                        await self._retire(idle.pop(0))
                else:
                    self._fill(lang_id)

    async def close(self) -> None:
        """Destroy every idle container; claimed ones finish with their sessions."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        if self._prepare_tasks:
            await asyncio.wait(list(self._prepare_tasks), timeout=60)
        idle = [w for ws in self._idle.values() for w in ws]
        self._idle.clear()
        # In parallel: each removal is a round trip through the engine.
        await asyncio.gather(*(self._retire(w) for w in idle), return_exceptions=True)
