"""install.sh on a fresh Debian 12 with systemd as PID 1 (see freshsystem.py):

- without a usable Docker engine: install.sh warns, skips the images, still
  installs and starts both units, and coderunner's /health says what is missing
  (503); a re-run keeps the admin's config and the event database; --uninstall
  removes the units and keeps the data;
- with an engine: the whole install (images included), then real code runs
  through the hardened units; --uninstall --purge leaves nothing behind.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.installed.freshsystem import (
    ROOTFS,
    SRC,
    System,
    booted,
    build_image,
    docker,
    run_in_coderunner_sandbox,
    source_tar,
)
from tests.helpers import wait_until

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    workdir = tmp_path_factory.mktemp("fresh-system")
    started = time.monotonic()
    build_image(workdir)
    print(f"\nsystem image ready in {time.monotonic() - started:.1f} s")
    yield source_tar(workdir / "src.tar")


def test_without_an_engine_the_units_run_and_health_says_so(source: Path, tmp_path: Path) -> None:
    with booted(source, tmp_path, engine=False) as system:
        _without_an_engine(system)


def test_with_an_engine_real_code_runs_through_the_installed_units(
    source: Path, tmp_path: Path
) -> None:
    with booted(source, tmp_path, engine=True) as system:
        _with_an_engine(system)


def _without_an_engine(system: System) -> None:
    # Root's first python3 lives under /root, out of the service user's reach.
    assert system.ok("command -v python3").strip() == "/root/.pyroot/bin/python3"
    output, first = system.install(label="first")
    assert "installing Debian packages: procps" in output  # the apt path works too
    # The service's venv is made from the distribution's interpreter, and its
    # entry points run as the service user.
    assert system.ok("readlink -f /opt/coderunner/venv/bin/python").startswith("/usr/bin/python3")
    for program in ("coderunner", "logserver"):
        system.ok(f"runuser -u coderunner -- /opt/coderunner/venv/bin/{program} --help")
    assert "the Docker engine did not come up" in output
    assert "the language images are not built" in output
    assert system.active("logserver.service") == "active"
    assert system.active("coderunner.service") == "active"
    assert system.active("docker.service") != "active"

    code, text = system.http("GET", "http://127.0.0.1:8080/health")
    assert code == 503, text
    health = json.loads(text)
    assert health["status"] == "unavailable"
    assert health["docker"]["reachable"] is False
    assert health["logServer"]["reachable"] is True
    code, text = system.http("GET", "http://127.0.0.1:8081/health")
    assert code == 200, text
    assert json.loads(text)["database"] == "ok"
    for port in (8080, 8081):
        code, text = system.http("GET", f"http://127.0.0.1:{port}/metrics")
        assert code == 200 and "_http_requests_total" in text

    # The session root is the capped tmpfs of the mount unit install.sh wrote,
    # owned by the service user, and coderunner came up after it.
    unit = "var-lib-coderunner-sessions.mount"
    assert system.active(unit) == "active"
    mount = system.ok("findmnt -n -o FSTYPE,OPTIONS /var/lib/coderunner/sessions")
    assert mount.split()[0] == "tmpfs" and "size=2097152k" in mount, mount
    assert "nr_inodes=262144" in mount, mount
    assert system.ok("stat -c %U /var/lib/coderunner/sessions").strip() == "coderunner"

    # Both run as the service user with the installed config.
    for unit in ("coderunner", "logserver"):
        pid = system.main_pid(unit)
        assert system.ok(f"stat -c %U /proc/{pid}").strip() == "coderunner"
        assert "--config /etc/coderunner/config.toml" in system.ok(
            f"tr '\\0' ' ' < /proc/{pid}/cmdline"
        )

    # The units talk to each other: a refused submission reaches the log server's
    # database under /var/lib/coderunner as an event from coderunner.
    code, text = system.http(
        "POST",
        "http://127.0.0.1:8080/isolatedTest",
        {"code": "print(1)", "language": "python", "testCases": [""], "user": "fresh-check"},
    )
    assert code == 400 and json.loads(text)["error"]["code"] == "unsupported_language"
    events = system.events("fresh-check")
    assert {e["source"] for e in events} == {"coderunner"}
    assert system.ok("stat -c %U /var/lib/coderunner/logs/logs.db").strip() == "coderunner"

    # The docker CLI starts inside coderunner's sandbox (same unit, other command).
    probe = run_in_coderunner_sandbox(system, "/usr/bin/docker version")
    assert "Client:" in probe and "Cannot connect to the Docker daemon" in probe, probe

    # Restart=on-failure: a crash (SIGKILL) brings the server back by itself.
    old_pid = system.main_pid("coderunner")
    system.ok("systemctl kill -s KILL coderunner.service")
    wait_until(
        lambda: (
            system.main_pid("coderunner") not in ("0", old_pid)
            and system.sh("curl -s -o /dev/null http://127.0.0.1:8080/health").returncode == 0
        ),
        60,
        "systemd to restart coderunner",
        interval=0.5,
    )

    # In --test mode a missing engine stays fatal. The programs --test would add
    # are faked (`which` finds them), so that only the engine check runs.
    system.ok(
        "for p in shellcheck chromium; do printf '#!/bin/sh\\n' > /usr/local/bin/$p;"
        " chmod +x /usr/local/bin/$p; done"
    )
    refused = system.sh(f"cd {SRC} && ./install.sh --test 2>&1", timeout=300)
    system.ok("rm /usr/local/bin/shellcheck /usr/local/bin/chromium")
    assert refused.returncode != 0, refused.stdout[-3000:]
    assert "install.sh: the Docker engine did not come up" in refused.stdout

    # The units' UMask: what the service creates is its own alone.
    assert "UMask=0077" in system.ok("systemctl show -p UMask coderunner.service")

    # A service that does not come up: install.sh shows its log and what to do
    # (here coderunner's port is taken by another program).
    system.ok("systemctl stop coderunner.service")
    system.ok(
        "(setsid python3 -c 'import socket,time; s=socket.socket();"
        " s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);"
        ' s.bind(("127.0.0.1", 8080)); s.listen(); time.sleep(600)\''
        " >/dev/null 2>&1 & echo $! > /run/crblock.pid) && sleep 1"
    )
    failed = system.sh(f"cd {SRC} && ./install.sh 2>&1", timeout=600)
    system.ok("kill $(cat /run/crblock.pid); systemctl reset-failed coderunner.service || true")
    assert failed.returncode != 0, failed.stdout[-3000:]
    assert "coderunner did not come up; the last lines of its log:" in failed.stdout
    assert "address already in use" in failed.stdout.lower(), failed.stdout[-3000:]
    assert "journalctl -u coderunner.service" in failed.stdout
    assert "(last: 000)" not in failed.stdout

    # Re-run: an admin's config edit and the event database survive.
    system.ok("sed -i 's/^max_test_cases = .*/max_test_cases = 7/' /etc/coderunner/config.toml")
    _, second = system.install(label="second")
    assert "max_test_cases = 7" in system.ok("cat /etc/coderunner/config.toml")
    code, text = system.http("GET", "http://127.0.0.1:8080/openapi.json")
    submission = json.loads(text)["components"]["schemas"]["Submission"]
    assert submission["properties"]["testCases"]["maxItems"] == 7  # the edit is in effect
    assert [e["id"] for e in system.events("fresh-check")] == [e["id"] for e in events]
    assert system.active("coderunner.service") == system.active("logserver.service") == "active"

    # Uninstall: the units go, the data and the config stay.
    output, third = system.install("--uninstall", label="uninstall")
    assert "kept /var/lib/coderunner and /etc/coderunner" in output
    for unit in ("coderunner.service", "logserver.service"):
        assert system.active(unit) in ("inactive", "unknown")
        assert system.sh(f"test -e /etc/systemd/system/{unit}").returncode != 0
    assert system.sh("test -e /opt/coderunner").returncode != 0
    system.ok("test -s /var/lib/coderunner/logs/logs.db && test -f /etc/coderunner/config.toml")
    assert system.sh("curl -s -o /dev/null http://127.0.0.1:8080/health").returncode != 0
    print(f"without engine: install {first:.1f} s, re-run {second:.1f} s, uninstall {third:.1f} s")


PROGRAM = {
    "code": "s = input()\nif s == 'loop':\n    while True:\n        pass\nprint(s[::-1])",
    "language": "python",
    "testCases": ["abc\n", "loop\n"],
    "timeLimitMs": 500,
    "user": "engine-check",
}


def _with_an_engine(system: System) -> None:
    assert system.active("docker.service") == "active"
    # What images/base/build-rootfs.sh would debootstrap on a fresh host without
    # registry access: the host's copy, loaded to save the minutes that takes.
    save = subprocess.Popen(["docker", "save", ROOTFS], stdout=subprocess.PIPE)
    loaded = docker("exec", "-i", system.name, "docker", "load", stdin=save.stdout)
    save.wait(60)
    assert loaded.returncode == 0, loaded.stderr
    # One language keeps this test within minutes; images/build.sh builds
    # every folder the same way.
    output, took = system.install(label="engine", env="LANGUAGES=python")
    assert "!!!" not in output and "command not found" not in output, output[-3000:]
    # images/build.sh's table: the image, its build time, size and toolchain version.
    assert re.search(r"coderunner/python\s.*\sPython 3\.", output), output[-3000:]
    # The gVisor runtime install.sh registers is loaded (dockerd reloaded on SIGHUP).
    assert "runsc" in system.ok("docker info --format '{{json .Runtimes}}'")

    code, text = system.http("GET", "http://127.0.0.1:8080/health")
    assert code == 200, text
    health = json.loads(text)
    assert health["docker"]["reachable"] is True
    assert health["languages"] == ["python"]
    assert health["logServer"]["reachable"] is True

    # Real code, through the hardened unit, docker-handler.sh and a container.
    code, text = system.http("POST", "http://127.0.0.1:8080/isolatedTest", PROGRAM)
    assert code == 200, text
    answer = json.loads(text)
    assert answer["stdout"][0] == "cba\n"
    assert [r["status"] for r in answer["results"]] == ["OK", "TLE"]
    served = [e for e in system.events("engine-check") if e["message"] == "request served"]
    assert served[0]["details"]["sessionId"] == answer["sessionId"]
    code, text = system.http("GET", "http://127.0.0.1:8080/metrics")
    assert 'coderunner_verdicts_total{status="TLE"} 1.0' in text

    # Purge: nothing of CodeRunner is left, containers and images included.
    _, purge = system.install("--uninstall", "--purge", label="purge")
    for path in ("/opt/coderunner", "/var/lib/coderunner", "/etc/coderunner"):
        assert system.sh(f"test -e {path}").returncode != 0, path
    assert system.sh("id coderunner").returncode != 0
    assert system.ok("docker ps -aq") == ""
    left = system.ok("docker images --format '{{.Repository}}' 'coderunner/*'").split()
    # Only the debootstrapped rootfs may stay: the untagged image of base's
    # build stage sits on it, and `docker rmi -f` cannot remove a parent.
    assert set(left) <= {"coderunner/rootfs"}, left
    print(f"with engine: install {took:.1f} s, purge {purge:.1f} s")
