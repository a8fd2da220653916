"""Free space, as both servers' /health reports it."""

from __future__ import annotations

import os
from pathlib import Path


def free_bytes(path: Path) -> int | None:
    """Bytes an unprivileged writer may still use on the file system holding `path`
    (its nearest existing ancestor); None when even that cannot be examined."""
    path = Path(path)
    for candidate in (path, *path.parents):
        try:
            stat = os.statvfs(candidate)
        except FileNotFoundError:
            continue
        except OSError:
            return None
        return stat.f_bavail * stat.f_frsize
    return None
