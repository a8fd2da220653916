"""A fake Docker engine for orchestration tests without Docker: every image exists, and
a "container" is the fake handler's child process (tests/fakehandler.py files its pid
under <sessions root>/../fake-containers/cr-<sid>)."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

HANDLER = Path(__file__).resolve().parent / "fakehandler.py"


class FakeEngine:
    def __init__(self, root: Path) -> None:
        self.registry = root.parent / "fake-containers"
        self.removed: list[str] = []

    def running(self) -> list[str]:
        return sorted(p.name for p in self.registry.iterdir()) if self.registry.is_dir() else []

    async def ping(self) -> bool:
        return True

    async def image_versions(self, images: list[str]) -> dict[str, str]:
        return {image: "fake 1.0" for image in images}

    async def our_containers(self) -> list[str]:
        return self.running()

    async def remove(self, name: str) -> bool:
        self.removed.append(name)
        path = self.registry / name
        try:
            pid = int(path.read_text())
        except (OSError, ValueError):
            return False
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        path.unlink(missing_ok=True)
        return True

    def close(self) -> None:
        pass
