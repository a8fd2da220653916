"""A fresh Debian 12 booted with systemd as PID 1 in a container (no --privileged),
for tests/e2e/installed/test_fresh_system.py: the image, the boot, commands inside.

Two ways to boot it (docs/OPERATIONS.md explains the difference):
- `engine=False`: only what systemd needs. A Docker engine cannot start inside
  (no CAP_NET_ADMIN for its iptables rules, nor for runc).
- `engine=True`: also CAP_NET_ADMIN (the engine's iptables rules, runc's setup
  of a container) and a volume for /var/lib/docker (overlayfs cannot stack on
  the container's own overlay root), so that the engine inside starts and runs
  containers.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import tarfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.helpers import REPO, wait_until

HERE = Path(__file__).resolve().parent
IMAGE = "coderunner-test/systemd:bookworm"
ROOTFS = "coderunner/rootfs:bookworm"
SRC = "/root/coderunner-src"  # where the checkout lands inside the system
SYSTEMD_FLAGS = [
    "--cap-add",
    "SYS_ADMIN",
    "--security-opt",
    "seccomp=unconfined",
    "--cgroupns=host",
    "-v",
    "/sys/fs/cgroup:/sys/fs/cgroup:rw",
    "--tmpfs",
    "/run",
    "--tmpfs",
    "/run/lock",
]
ENGINE_FLAGS = [
    "--cap-add",
    "NET_ADMIN",
    "-v",
    "/var/lib/docker",  # anonymous: `docker rm -v` removes it
]
# Extra CAs the host trusts (a TLS-intercepting proxy): the system must trust
# them too, or pip cannot reach the package index through that proxy.
HOST_EXTRA_CA = Path("/usr/local/share/ca-certificates")


def docker(*args: str, timeout: float = 600, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, **kwargs
    )


class System:
    """One booted container; `sh` runs a bash script in it as root."""

    def __init__(self, name: str, logdir: Path) -> None:
        self.name = name
        self.logdir = logdir

    def sh(
        self,
        script: str,
        timeout: float = 120,
        stdin: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return docker(
            "exec", "-i", self.name, "bash", "-c", script, timeout=timeout, input=stdin or ""
        )

    def ok(self, script: str, timeout: float = 120, stdin: str | None = None) -> str:
        proc = self.sh(script, timeout, stdin)
        assert proc.returncode == 0, f"{script}\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
        return proc.stdout

    def install(self, *args: str, label: str, env: str = "") -> tuple[str, float]:
        """Run install.sh; keep its output in a file; return it and its duration."""
        started = time.monotonic()
        proc = self.sh(f"cd {SRC} && {env} ./install.sh {' '.join(args)} 2>&1", timeout=1200)
        took = time.monotonic() - started
        (self.logdir / f"install-{label}.log").write_text(proc.stdout + proc.stderr)
        assert proc.returncode == 0, f"install.sh {' '.join(args)} failed:\n{proc.stdout[-6000:]}"
        return proc.stdout, took

    def http(self, method: str, url: str, body: Any = None) -> tuple[int, str]:
        # The body goes through stdin: no shell quoting to get wrong.
        data = "-H 'content-type: application/json' --data-binary @-" if body else ""
        out = self.ok(
            f"curl -sS -X {method} {data} -w '\\n%{{http_code}}' {url}",
            stdin=json.dumps(body) if body else None,
        )
        text, _, code = out.rpartition("\n")
        return int(code), text

    def active(self, unit: str) -> str:
        return self.sh(f"systemctl is-active {unit}").stdout.strip()

    def main_pid(self, unit: str) -> str:
        return self.ok(f"systemctl show -p MainPID --value {unit}").strip()

    def events(self, user: str) -> list[dict[str, Any]]:
        """The log server's events for `user`, once there is one."""

        def found() -> list[dict[str, Any]]:
            code, text = self.http("GET", f"http://127.0.0.1:8081/log?user={user}")
            events: list[dict[str, Any]] = json.loads(text)["events"] if code == 200 else []
            return events

        return wait_until(found, 30, f"an event for {user}", interval=0.5)


def build_image(workdir: Path) -> None:
    if docker("image", "inspect", ROOTFS).returncode != 0:
        # A fresh host: the same debootstrapped base the language images use.
        subprocess.run([str(REPO / "images/base/build-rootfs.sh")], check=True, timeout=1800)
    context = workdir / "context"
    (context / "extra-ca").mkdir(parents=True)
    shutil.copy(HERE / "Dockerfile", context / "Dockerfile")
    shutil.copy(REPO / "pyproject.toml", context / "pyproject.toml")
    for cert in HOST_EXTRA_CA.glob("*.crt") if HOST_EXTRA_CA.is_dir() else []:
        shutil.copy(cert, context / "extra-ca" / cert.name)
    proc = docker("build", "-q", "-t", IMAGE, str(context), timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def source_tar(path: Path) -> Path:
    """The checkout as it is now: tracked and new files (not ignored ones)."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    with tarfile.open(path, "w") as tar:
        for name in sorted(set(listed)):
            file = REPO / name
            if name and (file.is_file() or file.is_symlink()):  # not deleted ones
                tar.add(file, arcname=f"coderunner-src/{name}", recursive=False)
    return path


def _booted(box: System, timeout: float = 120) -> str:
    """The state once boot is over (right after `docker run`, systemd may not
    listen yet: then systemctl prints nothing)."""
    deadline = time.monotonic() + timeout
    while True:
        state = box.sh("systemctl is-system-running --wait", timeout=timeout).stdout.strip()
        if state not in ("", "offline", "initializing", "starting"):
            return state
        if time.monotonic() > deadline:
            return state
        time.sleep(0.5)


@contextlib.contextmanager
def booted(source: Path, logdir: Path, *, engine: bool) -> Iterator[System]:
    """Boot a system with the checkout in SRC; stop and remove it afterwards,
    also when the test failed (its journal is kept in `logdir`)."""
    name = f"crsys-{uuid.uuid4().hex[:12]}"
    flags = SYSTEMD_FLAGS + (ENGINE_FLAGS if engine else [])
    try:
        proc = docker(
            "run",
            "-d",
            "--name",
            name,
            "--hostname",
            "fresh-debian",
            "--label",
            "coderunner.test=fresh-system",
            *flags,
            IMAGE,
        )
        assert proc.returncode == 0, proc.stderr
        box = System(name, logdir)
        state = _booted(box)
        # Without the engine flags docker.service fails: "degraded" is expected.
        assert state in ("running", "degraded"), box.sh("systemctl --failed").stdout
        assert box.ok("cat /proc/1/comm").strip() == "systemd"
        with open(source, "rb") as tar:
            copied = docker("cp", "-", f"{name}:/root", stdin=tar)
        assert copied.returncode == 0, copied.stderr
        yield box
    finally:
        journal = docker("exec", name, "journalctl", "--no-pager", "-n", "600", timeout=60)
        (logdir / "journal.log").write_text(journal.stdout + journal.stderr)
        # The inner engine first: it removes its containers and their cgroups,
        # which live in the host's cgroup tree (--cgroupns=host).
        docker(
            "exec",
            name,
            "systemctl",
            "stop",
            "coderunner.service",
            "docker.service",
            "docker.socket",
            timeout=120,
        )
        docker("rm", "-f", "-v", name, timeout=120)


def run_in_coderunner_sandbox(system: System, command: str) -> str:
    """Run `command` once in a copy of the installed coderunner.service (every
    sandboxing line kept, ExecStart replaced) and return its output."""
    system.ok(
        "sed -e 's#^ExecStart=.*#ExecStart=-" + command + "#' -e 's/^Type=.*/Type=oneshot/'"
        " -e '/^Restart/d' /etc/systemd/system/coderunner.service"
        " > /run/systemd/system/crprobe.service"
        " && systemctl daemon-reload && systemctl start crprobe.service"
    )
    output = system.ok("journalctl -u crprobe.service --no-pager -o cat")
    system.ok("rm /run/systemd/system/crprobe.service && systemctl daemon-reload")
    return output
