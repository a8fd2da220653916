"""The real `coderunner serve` as install.sh deploys it, for the attack corpus.

The rest of the suite runs the server as root, in-process, from a checkout; users
run what install.sh installs. Here the server is a separate process,
started with runuser as an unprivileged service user in the docker group, with
the config rendered as install.sh renders it, the session root a capped tmpfs
mounted with install.sh's options, and the unit's UMask. Creating the
users and mounting needs root (CI runs as root); both are idempotent.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from coderunner.config import Settings, load_settings
from coderunner.runner.engine import root_label
from tests.helpers import REPO, free_port, unavailable

SERVICE_USER = "crtest-svc"
# Another local user, in no group of the service: what may it see or touch?
OTHER_USER = "crtest-other"
# install.sh's SESSIONS_SIZE / SESSIONS_INODES, smaller: a test fills it.
SESSIONS_MB = 192
SESSIONS_INODES = 4096


def ensure_user(name: str, *, docker_group: bool = False) -> None:
    """A system user without a home or a shell (as install.sh makes the service's)."""
    with contextlib.suppress(KeyError):
        pwd.getpwnam(name)
        return
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        check=True,
        capture_output=True,
    )
    if docker_group:
        grp.getgrnam("docker")
        subprocess.run(["usermod", "-aG", "docker", name], check=True, capture_output=True)


def ensure_users() -> None:
    ensure_user(SERVICE_USER, docker_group=True)
    ensure_user(OTHER_USER)


def render_config(state: Path) -> str:
    """config.toml as install.sh writes it to the config directory (same edits)."""
    text = (REPO / "config.toml").read_text()
    for key, value in (
        ("root", state / "sessions"),
        ("log_file", state / "spool/events.jsonl"),
        ("outbox", state / "logs/outbox"),
    ):
        text = re.sub(rf"(?m)^{key} = .*", f'{key} = "{value}"', text)
    # Two sections have a `database`: each gets its own file.
    for section, value in (
        ("tasks", state / "tasks/tasks.db"),
        ("logserver", state / "logs/logs.db"),
    ):
        head, _, rest = text.partition(f"[{section}]\n")
        body, nxt, tail = rest.partition("\n[")
        body = re.sub(r"(?m)^database = .*", f'database = "{value}"', body)
        text = f"{head}[{section}]\n{body}{nxt}{tail}"
    return text


def as_user(user: str, *argv: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["runuser", "-u", user, "--", *argv], capture_output=True, text=True, timeout=120, **kwargs
    )


def unit_umask() -> str:
    """The UMask= of the installed unit (systemd's default, 0022, without one)."""
    unit = (REPO / "systemd" / "coderunner.service").read_text()
    found = re.search(r"(?m)^UMask=([0-7]{3,4})\s*$", unit)
    return found.group(1) if found else "0022"


def _env_vars(sections: dict[str, dict[str, Any]]) -> dict[str, str]:
    def text(value: Any) -> str:
        return str(value).lower() if isinstance(value, bool) else str(value)

    return {
        f"CODERUNNER_{section.upper()}__{key.upper()}": text(value)
        for section, values in sections.items()
        for key, value in values.items()
    }


@dataclass
class InstalledServer:
    """Quacks like tests.conftest.RunningServer where the corpus needs it."""

    settings: Settings
    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=120, **kwargs)

    @property
    def state(self) -> Any:
        raise AttributeError("an installed server runs in its own process")


def _python_for(user: str, base: Path) -> tuple[list[str], dict[str, str]]:
    """The interpreter and import path the service user can run: the test venv
    when it can reach it, else a copy of the project and its packages."""
    probe = as_user(user, sys.executable, "-c", "import coderunner, uvicorn", cwd="/")
    if probe.returncode == 0:
        return [sys.executable], {}
    system = subprocess.run(
        ["/usr/bin/python3", "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
    )
    if system.stdout.strip() != str(tuple(sys.version_info[:2])):
        unavailable(
            f"{SERVICE_USER} cannot run {sys.executable}, and /usr/bin/python3 is "
            "another version: make the test venv from /usr/bin/python3"
        )
    app = base / "app"
    for name in ("coderunner", "logserver", "plumbing", "images"):
        shutil.copytree(REPO / name, app / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("docker-handler.sh", "config.toml"):
        shutil.copy2(REPO / name, app / name)
    site = next(p for p in map(Path, sys.path) if p.name == "site-packages" and p.is_dir())
    shutil.copytree(site, base / "site", symlinks=True)
    subprocess.run(["chmod", "-R", "go+rX", str(base)], check=True)
    return ["/usr/bin/python3"], {"PYTHONPATH": f"{app}:{base / 'site'}"}


@contextlib.contextmanager
def installed_server(
    sections: dict[str, dict[str, Any]], extra_env: dict[str, str]
) -> Iterator[InstalledServer]:
    if os.geteuid() != 0:
        unavailable("the installed configuration needs root (users, a tmpfs mount)")
    ensure_users()
    svc = pwd.getpwnam(SERVICE_USER)
    base = Path(tempfile.mkdtemp(prefix="crtest-installed-"))
    base.chmod(0o755)  # the service user must get through to its state directory
    state, etc = base / "state", base / "etc"
    sessions = state / "sessions"
    mounted = False
    proc: subprocess.Popen[bytes] | None = None
    try:
        for path, mode in (
            (state, 0o711),
            (sessions, 0o711),
            (state / "spool", 0o750),
            (state / "logs", 0o750),
            (state / "tasks", 0o750),
        ):
            path.mkdir(parents=True, exist_ok=True)
            os.chown(path, svc.pw_uid, svc.pw_gid)
            path.chmod(mode)
        # install.sh's mount_sessions (without systemd), with a smaller size.
        subprocess.run(
            [
                "mount",
                "-t",
                "tmpfs",
                "-o",
                f"mode=0711,uid={svc.pw_uid},gid={svc.pw_gid},size={SESSIONS_MB}m,"
                f"nr_inodes={SESSIONS_INODES},nosuid,nodev",
                "coderunner-sessions",
                str(sessions),
            ],
            check=True,
            capture_output=True,
        )
        mounted = True
        etc.mkdir(mode=0o755)
        config = etc / "config.toml"
        config.write_text(render_config(state))
        config.chmod(0o640)
        os.chown(config, 0, svc.pw_gid)

        python, pyenv = _python_for(SERVICE_USER, base)
        port = free_port()
        sections = {
            **sections,
            "server": {**sections.get("server", {}), "port": port},
            "logging": {"server_url": f"http://127.0.0.1:{free_port()}"},
        }
        env = {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": str(state),
            "LANG": "C.UTF-8",
            **{k: v for k, v in os.environ.items() if k.startswith("DOCKER_")},
            **pyenv,
            **_env_vars(sections),
            **extra_env,
        }
        log = base / "coderunner.log"
        with open(log, "wb") as out:
            # As the unit runs it: the service user (its groups: docker), the
            # unit's UMask. setpriv execs (runuser would stay as the parent and
            # SIGKILL the server 2 s after our SIGTERM, before it has drained).
            proc = subprocess.Popen(
                [
                    "setpriv",
                    f"--reuid={SERVICE_USER}",
                    f"--regid={SERVICE_USER}",
                    "--init-groups",
                    "--",
                    "sh",
                    "-c",
                    f'umask {unit_umask()} && exec "$@"',
                    "sh",
                    *python,
                    "-m",
                    "coderunner",
                    "serve",
                    "--config",
                    str(config),
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd="/",
            )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"installed server did not come up:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        settings = load_settings(config, **sections)
        yield InstalledServer(settings, url, proc, log)
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(90)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        # Whatever the server left behind (it removes its warm containers on a
        # clean stop): nothing of this fixture may outlive it.
        label = f"coderunner.root={root_label(sessions)}"
        left = subprocess.run(
            ["docker", "ps", "-aq", "--filter", f"label={label}"], capture_output=True, text=True
        ).stdout.split()
        if left:
            subprocess.run(["docker", "rm", "-f", *left], capture_output=True)
        if mounted:
            subprocess.run(["umount", "-l", str(sessions)], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
