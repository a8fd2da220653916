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
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import StorageFull
from ..kinds import Prepared
from ..languages import Language
from ..limits import Plan
from ..problems import StoredTests
from .engine import container_name, root_label

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
log = logging.getLogger("coderunner.sessions")
# umount2(2) flags
MNT_DETACH = 2
UMOUNT_NOFOLLOW = 8


@dataclass(eq=False)
class Sandbox:
    """One container's session directory, id and token: where a job runs. Its id is the
    container's (`cr-<id>`) and never changes; the task it serves keeps its own id."""

    id: str
    token: str
    dir: Path
    language: Language
    plan: Plan  # the limits its container was started with
    created: float = field(default_factory=time.monotonic)
    # Set by /analyseTest (the handler's callback): the container has ended.
    finished: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def container(self) -> str:
        # Named after the directory, never after the id: both show up in
        # process arguments (docker run, mount) that every local user can read.
        return container_name(self.dir.name)


def encode_testcases(tests: Sequence[bytes]) -> bytes:
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


def _write_new(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    os.fchmod(fd, mode)  # whatever our umask (the units set 0077): the sandbox uid reads it
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


class SessionStore:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.sessions.root
        self.root_label = root_label(self.root)

    def prepare_root(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o711)
        os.chmod(self.root, 0o711)

    def new_sandbox(self, language: Language, plan: Plan) -> Sandbox:
        """A fresh sandbox (random id and token, never derived from input)."""
        # The directory has its own random name: the path is in docker's and mount's
        # arguments and in the mount table, which other local users can read; a live
        # session id must not be.
        return Sandbox(
            id=secrets.token_hex(16),
            token=secrets.token_urlsafe(32),
            dir=self.root / secrets.token_hex(16),
            language=language,
            plan=plan,
        )

    def stage(self, sandbox: Sandbox, prepared: Prepared | None, *, callback_base: str) -> None:
        """Write the session directory. Blocking file I/O: call in a worker thread.

        Without `prepared` it stages a warm container's directory: the input comes
        later (`load`), announced through the FIFO input/go."""
        directory = sandbox.dir
        # Modes are set explicitly: the unit's UMask (0077) would close input/ to
        # the container's uid. The session directory itself is 0700: no other
        # local user reaches any file below it (the engine, root, bind-mounts
        # input/ and output/ themselves, so the container needs no way through).
        try:
            directory.mkdir(mode=0o700)
            os.chmod(directory, 0o700)
            (directory / "input").mkdir()
            os.chmod(directory / "input", 0o755)
            output = directory / "output"
            output.mkdir()
            # The sandbox uid (never ours) writes here; only we can reach it.
            os.chmod(output, 0o777)
            # input/done: the container's PID 1 says "done" here (docker-handler.sh
            # reads it). As root we hand it to the sandbox uid; as an unprivileged
            # service we cannot, so it is open to all, behind the 0700 directory.
            done = directory / "input" / "done"
            os.mkfifo(done)
            if os.geteuid() == 0:
                uid = self.settings.docker.sandbox_uid
                os.chown(done, uid, uid)
                os.chmod(done, 0o600)
            else:
                os.chmod(done, 0o622)
            if prepared is None:
                os.mkfifo(directory / "input" / "go")
                os.chmod(directory / "input" / "go", 0o644)
            else:
                self._write_input(sandbox, prepared)
            self._write_config(sandbox, prepared, callback_base)
        except BaseException as exc:
            shutil.rmtree(directory, ignore_errors=True)
            raise self._storage_error(exc) from exc

    def _storage_error(self, exc: BaseException) -> BaseException:
        # A full disk is the operator's to fix and the caller's to retry: 503.
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return StorageFull(
                "no space left to stage the session; retry later",
                retry_after=self.settings.sessions.retry_after_s,
                details={"retryAfter": self.settings.sessions.retry_after_s},
            )
        return exc

    def _write_input(self, sandbox: Sandbox, prepared: Prepared) -> None:
        inp = sandbox.dir / "input"
        for name, data in prepared.files.items():
            _write_new(inp / name, data, 0o644)
        if isinstance(prepared.tests, StoredTests):
            # A stored problem's set: copied by the kernel, never read into Python.
            prepared.tests.copy_to(inp / "testcases")
        else:
            _write_new(inp / "testcases", encode_testcases(prepared.tests), 0o644)

    def _write_config(
        self, sandbox: Sandbox, prepared: Prepared | None, callback_base: str
    ) -> None:
        s = self.settings
        lang = sandbox.language
        plan = sandbox.plan
        # Always the dedicated sandbox uid, also when the service is not root: its
        # own uid is in the docker group, and an escape must not land there.
        uid = gid = s.docker.sandbox_uid
        values: dict[str, object] = {
            "SESSION_ID": sandbox.id,
            "IMAGE": lang.image,
            "RUNTIME": s.docker.runtime,
            "SOURCE": prepared.source_name if prepared else lang.source_name,
            "COMPILE": prepared.compile if prepared else lang.compile,
            "RUN": prepared.run if prepared else lang.run,
            **_plan_values(plan),
            "USER": f"{uid}:{gid}",
            "ROOT_LABEL": self.root_label,
            "CALLBACK_URL": f"{callback_base}/analyseTest/{sandbox.id}",
            "TOKEN": sandbox.token,
        }
        if prepared is not None and prepared.extra_files:
            values["FILES"] = " ".join(prepared.extra_files)
        _write_new(sandbox.dir / "config", _config_text(values).encode("ascii"), 0o600)

    def load(self, sandbox: Sandbox, prepared: Prepared, plan: Plan) -> None:
        """Put a job into a warm container's directory (its input and input/job with the
        per-request values); the container starts on the go signal. Blocking I/O."""
        try:
            self._write_input(sandbox, prepared)
            job: dict[str, object] = {
                "CR_SOURCE": prepared.source_name,
                "CR_TESTS": plan.tests,
                "CR_TIME_LIMIT_MS": plan.time_limit_ms,
                "CR_WALL_LIMIT_MS": plan.wall_limit_ms,
                "CR_MEMORY_LIMIT_MB": plan.memory_limit_mb,
                "CR_MAX_OUTPUT_BYTES": plan.max_output_bytes,
                "CR_COMPILE_TIME_LIMIT_MS": plan.compile_time_limit_ms,
                "CR_MAX_COMPILE_LOG_BYTES": plan.max_compile_log_bytes,
            }
            if not prepared.default_recipes:
                # A kind's own recipes (entry.sh accepts them in the job file).
                job |= {
                    "CR_COMPILE": prepared.compile,
                    "CR_RUN": prepared.run,
                    "CR_FILES": " ".join(prepared.extra_files),
                }
            _write_new(sandbox.dir / "input" / "job", _config_text(job).encode("ascii"), 0o644)
        except BaseException as exc:
            raise self._storage_error(exc) from exc

    def remove(self, sandbox: Sandbox) -> None:
        if not self.settings.sessions.keep:
            self.remove_dir(sandbox.dir)

    def remove_always(self, sandbox: Sandbox) -> None:
        """For directories that never served a client (unused warm containers)."""
        self.remove_dir(sandbox.dir)

    def remove_dir(self, path: Path) -> None:
        """Remove a session directory. Blocking: call in a worker thread.

        An unprivileged service cannot remove what the sandbox uid made unreadable
        in output/ (a directory of its own, mode 000, with files in it): only when
        the plain removal leaves something, a short container running as the
        sandbox uid empties output/, and the removal is tried again."""
        remove_tree(path)
        output = path / "output"
        if os.geteuid() != 0 and output.is_dir() and not output.is_symlink():
            if not empty_as_sandbox(output, self.settings):
                log.error("cannot empty %s as the sandbox uid", output)
            remove_tree(path)
        if path.exists() or path.is_symlink():
            log.error("session directory %s could not be removed", path)

    def orphans(self) -> list[Path]:
        """Session directories left by an earlier run (the root is ours alone)."""
        if not self.root.is_dir():
            return []
        return [p for p in self.root.iterdir() if SESSION_ID.match(p.name)]


def _plan_values(plan: Plan) -> dict[str, object]:
    """The plan's final values as config keys: docker-handler.sh maps them to flags."""
    return {
        "TESTS": plan.tests,
        "TIME_LIMIT_MS": plan.time_limit_ms,
        "WALL_LIMIT_MS": plan.wall_limit_ms,
        "MEMORY_LIMIT_MB": plan.memory_limit_mb,
        "CONTAINER_MEMORY_MB": plan.container_memory_mb,
        "DOCKER_MEMORY_MB": plan.docker_memory_mb,
        "MAX_OUTPUT_BYTES": plan.max_output_bytes,
        "COMPILE_TIME_LIMIT_MS": plan.compile_time_limit_ms,
        "MAX_COMPILE_LOG_BYTES": plan.max_compile_log_bytes,
        "CPUS": plan.cpus,
        "PIDS_LIMIT": plan.pids_limit,
        "NPROC": plan.nproc,
        "NOFILE": plan.nofile,
        "FSIZE_BYTES": plan.fsize_bytes,
        "TMPFS_MB": plan.tmpfs_mb,
        "TMPFS_INODES": plan.tmpfs_inodes,
        "SHM_MB": plan.shm_mb,
        "SHM_INODES": plan.shm_inodes,
        "OUTPUT_MB": plan.output_mb,
        "OUTPUT_INODES": plan.output_inodes,
    }


def unmount_output(session_dir: Path) -> None:
    """output/ may be the tmpfs docker-handler.sh mounted: detach it (the container,
    if it is still being removed, keeps its own reference until it is gone)."""
    output = session_dir / "output"
    if output.is_symlink() or not os.path.ismount(output):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.umount2(os.fsencode(output), MNT_DETACH | UMOUNT_NOFOLLOW) != 0:
        log.error("cannot unmount %s: %s", output, os.strerror(ctypes.get_errno()))


def empty_as_sandbox(output: Path, settings: Settings) -> bool:
    """Empty `output` as the sandbox uid, in a container of the base image (its
    owner may chmod and delete what it made, whatever the modes)."""
    uid = settings.docker.sandbox_uid
    command = [
        "docker",
        "run",
        "--rm",
        "--pull=never",
        "--network=none",
        f"--user={uid}:{uid}",
        "--cap-drop=ALL",
        "--security-opt=no-new-privileges",
        "--log-driver=none",
        "--label=coderunner.cleanup=1",
        "--entrypoint=/bin/sh",
        "-v",
        f"{output}:/o",
        f"{settings.docker.image_prefix}base",
        "-c",
        "chmod -R u+rwX /o 2>/dev/null; find /o -mindepth 1 -delete",
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.error("cleanup container failed: %s", exc)
        return False
    if done.returncode != 0:
        log.error("cleanup container failed: %s", done.stderr.decode("utf-8", "replace")[-500:])
    return done.returncode == 0


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
