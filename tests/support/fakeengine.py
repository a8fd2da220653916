"""A fake Docker engine for orchestration tests without Docker: every image exists, and
a "container" is the fake handler's child process (tests/support/fakehandler.py files its pid
and session id under <sessions root>/../fake-containers/cr-<dir>)."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

HANDLER = Path(__file__).resolve().parent / "fakehandler.py"


class FakeEngine:
    def __init__(self, root: Path) -> None:
        self.registry = root.parent / "fake-containers"
        self.sessions_log = root.parent / "fake-sessions.log"
        self.tombstones = root.parent / "fake-removed"
        # Session ids of the containers removed (the name when it was not running).
        self.removed: list[str] = []

    def dir_of(self, session_id: str) -> str | None:
        """The directory name the fake handler ran this session id in."""
        if not self.sessions_log.exists():
            return None
        for line in self.sessions_log.read_text().splitlines():
            sid, _, slot = line.partition(" ")
            if sid == session_id:
                return slot
        return None

    def running(self) -> list[str]:
        return sorted(p.name for p in self.registry.iterdir()) if self.registry.is_dir() else []

    async def ping(self) -> bool:
        return True

    async def image_versions(self, images: list[str]) -> dict[str, str]:
        return {image: "fake 1.0" for image in images}

    async def image_labels(self, images: list[str]) -> dict[str, dict[str, str]]:
        return {
            image: {"coderunner.version": "fake 1.0", "coderunner.packages": "[]"}
            for image in images
        }

    async def our_containers(self) -> list[str]:
        return self.running()

    async def remove(self, name: str) -> bool:
        # The name is marked first, then looked up; a warm handler files itself first,
        # then looks for the mark: one of the two always sees the other, so a warm
        # container removed while its handler is still starting ends too.
        self.tombstones.mkdir(parents=True, exist_ok=True)
        (self.tombstones / name).touch()
        path = self.registry / name
        try:
            pid_text, _, session_id = path.read_text().partition(" ")
            pid = int(pid_text)
        except (OSError, ValueError):
            self.removed.append(name)
            return False
        self.removed.append(session_id)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        path.unlink(missing_ok=True)
        return True

    def close(self) -> None:
        pass
