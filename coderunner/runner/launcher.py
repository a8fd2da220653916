"""Runs docker-handler.sh for a sandbox (its directory in CODERUNNER_SESSION) and watches it.

The handler's notice is the completion signal: one line on its stdout, a pipe
only we hold (CODERUNNER_NOTIFY=stdout), instead of a curl process calling GET
/analyseTest back over HTTP; a handler run by hand still uses the callback. The launcher also covers
the ways it can fail to come: the handler exits without calling back (a grace
period, then we analyse what is there), nothing happens before the deadline (the
watchdog kills the container and the job is answered with IE), or the task is
cancelled (the container is stopped). Each way is an `Outcome`.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DockerError
from .engine import Engine
from .sessions import Sandbox

log = logging.getLogger("coderunner.launcher")

# How long a handler that exited may take to get its callback through to us.
CALLBACK_GRACE_S = 2.0
# Handler output kept for the error report (docker's own messages).
OUTPUT_TAIL = 4096
# What the handler prints when the container's results are final (docker-handler.sh).
NOTICE = b"coderunner-handler: done\n"


class Ending(enum.Enum):
    CALLBACK = "callback"  # the handler called back: the container has ended
    NO_CALLBACK = "no_callback"  # the handler exited and no callback came in the grace
    WATCHDOG = "watchdog"  # nothing within the deadline: the container was killed
    NOT_STARTED = "not_started"  # docker-handler.sh could not be started
    CANCELLED = "cancelled"  # the task was cancelled: the container was stopped


@dataclass(frozen=True)
class Outcome:
    ending: Ending
    reason: str | None = None  # why, when it did not end by the callback

    @property
    def completed(self) -> bool:
        return self.ending is Ending.CALLBACK


COMPLETED = Outcome(Ending.CALLBACK)


@dataclass(eq=False)
class Handle:
    """A running docker-handler.sh."""

    proc: asyncio.subprocess.Process
    tail: bytearray = field(default_factory=bytearray)
    reader: asyncio.Task[None] = field(init=False)
    exited: asyncio.Task[int] = field(init=False)


class Launcher:
    def __init__(self, *, handler: Path, sessions_root: Path, engine: Engine) -> None:
        self.handler = handler
        self.sessions_root = sessions_root
        self.engine = engine

    def _env(self, sandbox: Sandbox) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "CODERUNNER_SESSIONS_ROOT": str(self.sessions_root),
            # In the environment, not argv: other local users can read a
            # process's arguments, never its environment.
            "CODERUNNER_SESSION": sandbox.dir.name,
            "CODERUNNER_NOTIFY": "stdout",
            # docker CLI must find the same engine the SDK talks to.
            **{k: v for k, v in os.environ.items() if k.startswith("DOCKER_")},
        }

    async def start(self, sandbox: Sandbox) -> Handle | Outcome:
        """Start the handler (and so the container): its handle, or why not."""
        try:
            proc = await asyncio.create_subprocess_exec(
                str(self.handler),
                env=self._env(sandbox),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                # Its own process group, so the watchdog can stop docker and curl too.
                start_new_session=True,
            )
        except OSError as exc:
            return Outcome(Ending.NOT_STARTED, f"cannot start docker-handler.sh: {exc.strerror}")
        handle = Handle(proc)
        handle.reader = asyncio.create_task(_collect(proc, handle.tail, sandbox.finished))
        handle.exited = asyncio.create_task(proc.wait())
        return handle

    async def run(
        self, sandbox: Sandbox, *, deadline_s: float, cancel: asyncio.Event | None = None
    ) -> Outcome:
        """Run the sandbox's container to its end."""
        handle = await self.start(sandbox)
        if isinstance(handle, Outcome):
            return handle
        return await self.wait(sandbox, handle, deadline_s=deadline_s, cancel=cancel)

    async def wait(
        self,
        sandbox: Sandbox,
        handle: Handle,
        *,
        deadline_s: float,
        cancel: asyncio.Event | None = None,
    ) -> Outcome:
        """Wait for the callback, the handler's exit, a cancel or the deadline (from now)."""
        proc, exited = handle.proc, handle.exited
        called = asyncio.create_task(sandbox.finished.wait())
        cancelled = asyncio.create_task((cancel or asyncio.Event()).wait())
        outcome = COMPLETED
        try:
            done, _ = await asyncio.wait(
                {exited, called, cancelled},
                timeout=deadline_s,
                return_when=asyncio.FIRST_COMPLETED,
            )
            if called in done:
                return outcome
            if cancelled in done:
                outcome = Outcome(Ending.CANCELLED, "cancelled")
                return outcome
            if exited in done:
                try:
                    await asyncio.wait_for(sandbox.finished.wait(), CALLBACK_GRACE_S)
                    return outcome
                except TimeoutError:
                    output = handle.tail.decode("utf-8", "replace").strip()
                    reason = f"docker-handler.sh exited with {proc.returncode} without callback"
                    outcome = Outcome(
                        Ending.NO_CALLBACK, f"{reason}: {output}" if output else reason
                    )
                    return outcome
            outcome = Outcome(Ending.WATCHDOG, f"watchdog: no callback within {deadline_s:.0f} s")
            log.error(outcome.reason, extra={"session": sandbox.id})
            return outcome
        finally:
            called.cancel()
            cancelled.cancel()
            if not outcome.completed:
                await self.kill_container(sandbox)
            await self.stop(handle)
            if not outcome.completed:
                # Once more with the handler gone: a cancel right after the start can
                # come before docker has created the container it was asked for.
                await self.kill_container(sandbox)

    async def stop(self, handle: Handle) -> None:
        """The handler normally exits right after its curl; never leave it behind."""
        proc = handle.proc
        if proc.returncode is None:
            try:
                await asyncio.wait_for(asyncio.shield(handle.exited), 5.0)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                await proc.wait()
        handle.reader.cancel()
        handle.exited.cancel()

    async def kill_container(self, sandbox: Sandbox) -> None:
        try:
            await self.engine.remove(sandbox.container)
        except DockerError:
            log.exception("cannot remove container", extra={"session": sandbox.id})


async def _collect(
    proc: asyncio.subprocess.Process, tail: bytearray, finished: asyncio.Event
) -> None:
    """Keep the end of the handler's output; its notice line sets `finished`."""
    assert proc.stdout is not None
    while True:
        try:
            line = await proc.stdout.readline()
        except ValueError:  # a line over the stream's limit: not the notice
            line = await proc.stdout.read(4096)
        if not line:
            return
        if line == NOTICE:
            finished.set()
            continue
        tail.extend(line)
        del tail[:-OUTPUT_TAIL]
