"""Session directories (SPEC §3, docs/DESIGN.md §1): staging and guaranteed removal."""

from __future__ import annotations

import asyncio
import ctypes
import errno
import logging
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Settings
from .engine import container_name, root_label
from .errors import StorageFull
from .languages import Language

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
log = logging.getLogger("coderunner.sessions")
# umount2(2) flags
MNT_DETACH = 2
UMOUNT_NOFOLLOW = 8


@dataclass(frozen=True)
class Limits:
    time_limit_ms: int
    wall_limit_ms: int
    memory_limit_mb: int
    max_output_bytes: int


@dataclass
class Session:
    id: str
    token: str
    language: Language
    dir: Path
    tests: int
    limits: Limits
    expected: list[str] | None
    user: str
    deadline_s: float
    created: float = field(default_factory=time.monotonic)
    # Set by /analyseTest (the handler's callback): the container has ended.
    finished: asyncio.Event = field(default_factory=asyncio.Event)
    # The answer for the waiting client.
    result: asyncio.Future[dict[str, Any]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    @property
    def container(self) -> str:
        return container_name(self.id)


def encode_testcases(tests: list[bytes]) -> bytes:
    """Length-prefixed, so empty, multi-line and binary inputs stay byte-exact."""
    header = [f"CRTC1 {len(tests)}\n"] + [f"{len(t)}\n" for t in tests]
    return "".join(header).encode("ascii") + b"".join(tests)


def _config_text(values: dict[str, object]) -> str:
    lines = []
    for key, value in values.items():
        text = str(value)
        # The handler parses one KEY=VALUE a line; a newline would smuggle a key.
        if "\n" in text or "\r" in text:
            raise ValueError(f"config value for {key} contains a line break")
        lines.append(f"{key}={text}\n")
    return "".join(lines)


class SessionStore:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.sessions.root
        self.root_label = root_label(self.root)

    def prepare_root(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o711)
        os.chmod(self.root, 0o711)

    def deadline_for(self, tests: int, limits: Limits) -> float:
        """Seconds after launch when the watchdog gives up on a session."""
        lim = self.settings.limits
        compile_s = 2 * lim.compile_time_limit_ms / 1000
        per_test = limits.wall_limit_ms / 1000 + 0.5
        return compile_s + tests * per_test + self.settings.docker.deadline_slack_s

    def new_session(
        self,
        *,
        language: Language,
        tests: int,
        limits: Limits,
        expected: list[str] | None,
        user: str,
    ) -> Session:
        """A fresh session (random id and token, never derived from input)."""
        session_id = secrets.token_hex(16)
        return Session(
            id=session_id,
            token=secrets.token_urlsafe(32),
            language=language,
            dir=self.root / session_id,
            tests=tests,
            limits=limits,
            expected=expected,
            user=user,
            deadline_s=self.deadline_for(tests, limits),
        )

    def stage(
        self,
        session: Session,
        *,
        code: str | None,
        tests: list[bytes] | None,
        callback_base: str,
    ) -> None:
        """Write the session directory. Blocking file I/O: call in a worker thread.

        Without code and tests it stages a warm container's directory: the input
        comes later (`adopt`), announced through the FIFO input/go."""
        directory = session.dir
        try:
            directory.mkdir(mode=0o711)
            (directory / "input").mkdir(mode=0o755)
            output = directory / "output"
            output.mkdir()
            # The container's uid writes here; it is never the service's uid when
            # the service runs as root, so the directory must be open to it.
            os.chmod(output, 0o777)
            # input/done: the container's PID 1 says "done" here (docker-handler.sh
            # reads it); only the container's uid may write it.
            os.mkfifo(directory / "input" / "done", 0o600)
            if os.geteuid() == 0:
                uid = self.settings.docker.sandbox_uid
                os.chown(directory / "input" / "done", uid, uid)
            if code is None or tests is None:
                os.mkfifo(directory / "input" / "go", 0o644)
            else:
                source = directory / "input" / session.language.source_name
                source.write_bytes(code.encode("utf-8"))
                (directory / "input" / "testcases").write_bytes(encode_testcases(tests))
            self._write_config(session, callback_base)
        except BaseException as exc:
            shutil.rmtree(directory, ignore_errors=True)
            # A full disk is the operator's to fix and the caller's to retry: 503.
            if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise StorageFull(
                    "no space left to stage the session; retry later",
                    retry_after=self.settings.sessions.retry_after_s,
                    details={"retryAfter": self.settings.sessions.retry_after_s},
                ) from exc
            raise

    def _write_config(self, session: Session, callback_base: str) -> None:
        s = self.settings
        lang = session.language
        lim = session.limits
        uid = os.geteuid() or s.docker.sandbox_uid
        gid = os.getegid() if os.geteuid() else s.docker.sandbox_uid
        values: dict[str, object] = {
            "SESSION_ID": session.id,
            "IMAGE": lang.image,
            "RUNTIME": s.docker.runtime,
            "SOURCE": lang.source_name,
            "COMPILE": lang.compile,
            "RUN": lang.run,
            "TESTS": session.tests,
            "TIME_LIMIT_MS": lim.time_limit_ms,
            "WALL_LIMIT_MS": lim.wall_limit_ms,
            "MEMORY_LIMIT_MB": lim.memory_limit_mb,
            "CONTAINER_MEMORY_MB": self.container_memory_mb(lang, lim.memory_limit_mb),
            "MAX_OUTPUT_BYTES": lim.max_output_bytes,
            "COMPILE_TIME_LIMIT_MS": s.limits.compile_time_limit_ms,
            "MAX_COMPILE_LOG_BYTES": s.limits.max_compile_log_bytes,
            "CPUS": s.docker.cpus,
            "PIDS_LIMIT": s.docker.pids_limit,
            "NOFILE": s.docker.nofile,
            "FSIZE_BYTES": max(4 * lim.max_output_bytes, s.docker.tmpfs_mb * 1024 * 1024),
            "TMPFS_MB": s.docker.tmpfs_mb,
            "USER": f"{uid}:{gid}",
            "ROOT_LABEL": self.root_label,
            "CALLBACK_URL": f"{callback_base}/analyseTest/{session.id}",
            "TOKEN": session.token,
            **self.output_limits(),
        }
        path = session.dir / "config"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(_config_text(values))

    def output_limits(self) -> dict[str, int]:
        """Size and inodes of the tmpfs docker-handler.sh mounts on output/ (when it
        runs as root): room for every test's capped stdout and stderr, the compile
        log and the result lines, whatever the number of tests (a warm container
        does not know it yet); the program cannot fill the host's disk through it."""
        lim = self.settings.limits
        tests = lim.max_test_cases
        data = 2 * tests * lim.max_output_bytes + lim.max_compile_log_bytes + 512 * tests
        return {"OUTPUT_MB": data // (1 << 20) + 2, "OUTPUT_INODES": 2 * tests + 16}

    def container_memory_mb(self, language: Language, memory_limit_mb: int) -> int:
        compile_mb = self.settings.limits.compile_memory_limit_mb if language.compile else 0
        # 16 MB for the supervisor and the shell around the program.
        return max(memory_limit_mb, compile_mb) + language.memory_extra_mb + 16

    def adopt(self, session: Session, warm: Session) -> None:
        """Move a staged session into a warm container's directory and take over its
        identity; the container starts on the go signal. Blocking file I/O."""
        src, dst = session.dir / "input", warm.dir / "input"
        name = session.language.source_name
        os.rename(src / name, dst / name)
        os.rename(src / "testcases", dst / "testcases")
        lim = session.limits
        job = {
            "CR_SOURCE": name,
            "CR_TESTS": session.tests,
            "CR_TIME_LIMIT_MS": lim.time_limit_ms,
            "CR_WALL_LIMIT_MS": lim.wall_limit_ms,
            "CR_MEMORY_LIMIT_MB": lim.memory_limit_mb,
            "CR_MAX_OUTPUT_BYTES": lim.max_output_bytes,
            "CR_COMPILE_TIME_LIMIT_MS": self.settings.limits.compile_time_limit_ms,
            "CR_MAX_COMPILE_LOG_BYTES": self.settings.limits.max_compile_log_bytes,
        }
        fd = os.open(dst / "job", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(_config_text(job))
        remove_tree(session.dir)
        session.id, session.token, session.dir = warm.id, warm.token, warm.dir

    def remove(self, session: Session) -> None:
        if not self.settings.sessions.keep:
            remove_tree(session.dir)

    def remove_always(self, session: Session) -> None:
        """For directories that never served a client (unused warm containers)."""
        remove_tree(session.dir)

    def orphans(self) -> list[Path]:
        """Session directories left by an earlier run (the root is ours alone)."""
        if not self.root.is_dir():
            return []
        return [p for p in self.root.iterdir() if SESSION_ID.match(p.name)]


def unmount_output(session_dir: Path) -> None:
    """output/ may be the tmpfs docker-handler.sh mounted: detach it (the container,
    if it is still being removed, keeps its own reference until it is gone)."""
    output = session_dir / "output"
    if output.is_symlink() or not os.path.ismount(output):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.umount2(os.fsencode(output), MNT_DETACH | UMOUNT_NOFOLLOW) != 0:
        log.error("cannot unmount %s: %s", output, os.strerror(ctypes.get_errno()))


def remove_tree(path: Path) -> None:
    # rmtree never follows symlinks planted by the program; a directory it made
    # unreadable (mode 000) is opened up first and the removal tried again.
    def opener(func: Any, target: str, exc: Any) -> None:
        try:
            os.chmod(os.path.dirname(target), 0o700)
            if os.path.isdir(target) and not os.path.islink(target):
                os.chmod(target, 0o700)
                shutil.rmtree(target, ignore_errors=True)
            else:
                os.unlink(target)
        except OSError:
            pass

    if path.is_symlink():
        path.unlink()
    elif path.exists():
        unmount_output(path)
        shutil.rmtree(path, onerror=opener)  # onexc needs 3.12; Debian 12 has 3.11
