"""Runs docker-handler.sh for a session (its directory in CODERUNNER_SESSION) and watches it.

The callback (GET /analyseTest) is the completion signal. The launcher also covers
the ways it can fail to come: the handler exits without calling back (a grace
period, then we analyse what is there), or nothing happens before the session's
deadline (the watchdog kills the container and the session is answered with IE).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path

from .engine import Engine
from .errors import DockerError
from .sessions import Session

log = logging.getLogger("coderunner.launcher")

# How long a handler that exited may take to get its callback through to us.
CALLBACK_GRACE_S = 2.0
# Handler output kept for the error report (docker's own messages).
OUTPUT_TAIL = 4096


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

    def _env(self, session: Session) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "CODERUNNER_SESSIONS_ROOT": str(self.sessions_root),
            # In the environment, not argv: other local users can read a
            # process's arguments, never its environment.
            "CODERUNNER_SESSION": session.dir.name,
            # docker CLI must find the same engine the SDK talks to.
            **{k: v for k, v in os.environ.items() if k.startswith("DOCKER_")},
        }

    async def start(self, session: Session) -> Handle | str:
        """Start the handler (and so the container). Returns the handle, or why not."""
        try:
            proc = await asyncio.create_subprocess_exec(
                str(self.handler),
                env=self._env(session),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                # Its own process group, so the watchdog can stop docker and curl too.
                start_new_session=True,
            )
        except OSError as exc:
            return f"cannot start docker-handler.sh: {exc.strerror}"
        handle = Handle(proc)
        handle.reader = asyncio.create_task(_collect(proc, handle.tail))
        handle.exited = asyncio.create_task(proc.wait())
        return handle

    async def run(self, session: Session) -> str | None:
        """Run the session's container to its end. Returns None when the callback
        arrived, else the reason the session could not complete (-> IE)."""
        handle = await self.start(session)
        if isinstance(handle, str):
            return handle
        return await self.wait(session, handle)

    async def wait(self, session: Session, handle: Handle) -> str | None:
        """Wait for the callback, the handler's exit or the deadline (from now)."""
        proc, exited = handle.proc, handle.exited
        called = asyncio.create_task(session.finished.wait())
        reason: str | None = None
        try:
            done, _ = await asyncio.wait(
                {exited, called}, timeout=session.deadline_s, return_when=asyncio.FIRST_COMPLETED
            )
            if called in done:
                return None
            if exited in done:
                try:
                    await asyncio.wait_for(session.finished.wait(), CALLBACK_GRACE_S)
                    return None
                except TimeoutError:
                    output = handle.tail.decode("utf-8", "replace").strip()
                    reason = f"docker-handler.sh exited with {proc.returncode} without callback"
                    return f"{reason}: {output}" if output else reason
            reason = f"watchdog: no callback within {session.deadline_s:.0f} s"
            log.error(reason, extra={"session": session.id})
            return reason
        finally:
            called.cancel()
            if reason is not None:
                await self.kill_container(session)
            await self.stop(handle)

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

    async def kill_container(self, session: Session) -> None:
        try:
            await self.engine.remove(session.container)
        except DockerError:
            log.exception("cannot remove container", extra={"session": session.id})


async def _collect(proc: asyncio.subprocess.Process, tail: bytearray) -> None:
    assert proc.stdout is not None
    while chunk := await proc.stdout.read(4096):
        tail.extend(chunk)
        del tail[:-OUTPUT_TAIL]
