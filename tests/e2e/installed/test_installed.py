"""The attack corpus against the installed configuration, and what
another local user can see or touch of a running session.

The server is the real `coderunner serve` process of tests/e2e/installed/deployed.py: an
unprivileged service user in the docker group, the config and the capped session
root as install.sh makes them. The corpus' own tests run unchanged on it (its
file-system, symlink, daemon, network and environment attacks).
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker
import pytest

from coderunner.runner.engine import root_label
from tests.e2e import test_attacks as corpus
from tests.e2e.installed.deployed import (
    OTHER_USER,
    SERVICE_USER,
    SESSIONS_INODES,
    SESSIONS_MB,
    as_user,
    installed_server,
)

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, docker_ready: None) -> Iterator[corpus.Env]:
    secret = "crtest-secret-" + secrets.token_hex(12)
    sections: dict[str, dict[str, Any]] = {
        "docker": {"runtime": "runc", "selftest_at_start": False},
        "limits": corpus.LIMITS,
        "queue": {"max_concurrent": 2, "max_size": 64},
        "ratelimit": {"requests_per_minute": 100_000, "per_user_requests_per_minute": 100_000},
    }
    with installed_server(sections, {var: secret for var in corpus.SECRET_VARS}) as server:
        client = docker.from_env(timeout=60)
        watcher = corpus.ContainerWatcher(root_label(server.settings.sessions.root))
        host_dir = tmp_path_factory.mktemp("installed-host")
        env = corpus.Env(
            server,
            "runc",
            host_dir,
            secret,
            watcher,
            client,
            corpus.bridge_gateway(client),
            pool=server.settings.pool.enabled,
            output_cap=(SESSIONS_MB, SESSIONS_INODES),
            installed=True,
        )
        try:
            yield env
        finally:
            watcher.close()
            client.close()


# ---- the corpus, as installed ---------------------------------------------------------------

INSTALLED_ATTACKS = [
    "disk_fill_tmp_shm_cwd_home",
    "million_small_files_tmp",  # file system
    "setsid_daemon_outliving_its_test",
    "zombie_heap",  # daemons
    "sigterm_trap_and_setsid_child",
    "kill_parent_and_kill_minus_one",
    "fork_bomb_c",  # the sandbox uid does not share the service's per-uid limits
]


@pytest.mark.parametrize("name", INSTALLED_ATTACKS)
def test_attack_installed(installed: corpus.Env, name: str) -> None:
    corpus.test_attack(installed, name)


def test_disk_fill_of_output_dir_installed(installed: corpus.Env) -> None:
    # Here the cap is the session root's tmpfs: ENOSPC, and the host disk untouched.
    corpus.test_disk_fill_of_output_dir(installed)


def test_million_small_files_in_output_dir_installed(installed: corpus.Env) -> None:
    corpus.test_million_small_files_in_output_dir(installed)


def test_symlinks_over_output_files_installed(installed: corpus.Env) -> None:
    # Also leaves output/locked (mode 000, owned by the sandbox uid, not empty):
    # the unprivileged service must still remove the session (a cleanup container).
    corpus.plant_symlinks(installed)


def test_network_installed(installed: corpus.Env) -> None:
    corpus.test_network_only_loopback_and_nothing_reachable(installed)


def test_environment_installed(installed: corpus.Env) -> None:
    corpus.test_no_host_secret_in_any_environment(installed)


def test_host_files_installed(installed: corpus.Env, tmp_path: Path) -> None:
    corpus.test_host_files_cannot_be_read(installed, tmp_path)


# ---- the sandbox uid and other local users ------------------------------------------------

PY_IDENTITY = """import json, os
print(json.dumps({"uid": os.getuid(), "gid": os.getgid(), "groups": os.getgroups()}))
"""


def test_sandbox_runs_as_the_dedicated_uid_not_the_service_user(installed: corpus.Env) -> None:
    """Not the service's uid (in the docker group): an escape must not land there."""
    body = corpus.attack(
        installed, PY_IDENTITY, "python", [""], timeLimitMs=corpus.NORMAL_TIME_LIMIT_MS
    )
    me = json.loads(body["stdout"][0])
    uid = installed.server.settings.docker.sandbox_uid
    assert me == {"uid": uid, "gid": uid, "groups": [uid]}, me
    service = as_user(SERVICE_USER, "id", "-u").stdout.strip()
    assert str(uid) != service


# What another local user tries on every file of the running sessions (the test
# hands it the paths, as root sees them: the worst case).
OTHER_USER_PROBE = r"""import json, os, sys
root, paths = json.loads(sys.stdin.read())
r = {"listed": None, "read": [], "wrote": [], "created": [], "fifo": []}
try:
    r["listed"] = os.listdir(root)
except OSError as e:
    r["listed"] = e.strerror
for p in paths:
    name = os.path.basename(p)
    if name in ("done", "go"):
        try:
            fd = os.open(p, os.O_WRONLY | os.O_NONBLOCK)
            os.write(fd, b"done forged\n")
            os.close(fd)
            r["fifo"].append(p)
        except OSError:
            pass
        continue
    try:
        with open(p, "rb") as f:
            f.read(64)
        r["read"].append(p)
    except OSError:
        pass
    try:
        with open(p, "ab") as f:
            f.write(b"")
        r["wrote"].append(p)
    except OSError:
        pass
for d in {os.path.dirname(p) for p in paths}:
    try:
        with open(os.path.join(d, "0.out"), "wb") as f:
            f.write(b"forged\n")
        r["created"].append(d)
    except OSError:
        pass
print(json.dumps(r))
"""


def _session_files(root: Path) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        found += [os.path.join(dirpath, n) for n in dirnames + filenames]
    return found


def test_another_local_user_can_neither_read_nor_change_a_running_session(
    installed: corpus.Env,
) -> None:
    secret = "SESSION-SECRET-" + secrets.token_hex(8)
    root = installed.root
    code = "import time\ns = input()\ntime.sleep(4)\nprint(s[::-1])"
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        running = pool.submit(
            corpus.submit,
            installed,
            code,
            "python",
            [secret + "\n"],
            timeLimitMs=corpus.NORMAL_TIME_LIMIT_MS,
            expectedOutputs=[secret[::-1]],
        )
        deadline = time.monotonic() + 60
        while not any(p.endswith("/input/testcases") for p in _session_files(root)):
            assert time.monotonic() < deadline and not running.done(), "no session started"
            time.sleep(0.05)
        paths = _session_files(root)
        probe = as_user(
            OTHER_USER,
            "/usr/bin/python3",
            "-c",
            OTHER_USER_PROBE,
            input=json.dumps([str(root), paths]),
            cwd="/",
        )
        body = running.result(120)
    assert probe.returncode == 0, probe.stderr
    r = json.loads(probe.stdout)
    assert r["listed"] == "Permission denied"
    assert r["read"] == r["wrote"] == r["created"] == r["fifo"] == [], r
    # The verdict is the program's own.
    assert corpus.statuses(body) == ["AC"] and body["stdout"] == [secret[::-1] + "\n"]


def test_no_live_session_id_in_any_process_arguments(installed: corpus.Env) -> None:
    """Another user can read every process's arguments (/proc/*/cmdline): the
    handler, docker run, curl's callback and the container's name must not
    carry a live session id. Also when a cold container runs (bash is not
    kept warm from the start) and when a warm one serves."""
    seen: set[str] = set()
    stop = threading.Event()

    def record() -> None:
        while not stop.is_set():
            for pid in os.listdir("/proc"):
                if pid.isdigit():
                    seen.add(corpus._read(f"/proc/{pid}/cmdline").replace("\0", " "))
            stop.wait(0.01)

    recorder = threading.Thread(target=record, daemon=True)
    recorder.start()
    ids = []
    try:
        for _ in range(3):
            body = corpus.submit(
                installed, "sleep 1; echo hi", "bash", [""], timeLimitMs=corpus.NORMAL_TIME_LIMIT_MS
            )
            assert corpus.statuses(body) == ["OK"], body
            ids.append(body["sessionId"])
    finally:
        stop.set()
        recorder.join(10)
    assert any("docker run" in line for line in seen), "the recorder saw no docker run"
    assert any("docker-handler.sh" in line for line in seen)
    leaks = [line for line in seen for sid in ids if sid in line]
    assert leaks == [], leaks
