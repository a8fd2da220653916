"""Tasks with real containers and real `coderunner serve` processes: cancel leaves no
container or process, a restart runs what was queued and fails what was running, a
webhook reaches a real receiver. (The live `test` events of a 3-test program are
tests/e2e/test_client_e2e.py; the corner cases without Docker tests/unit/test_orchestration.py.)"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coderunner.client import Client
from coderunner.runner.engine import ROOT_LABEL, SESSION_LABEL, root_label
from tests.helpers import (
    RunningServer,
    WebhookReceiver,
    spawn_coderunner,
    wait_serving,
    wait_until,
)

pytestmark = pytest.mark.docker

SLEEPY = "import time\ns = input()\ntime.sleep(float(s))\nprint(s)\n"


def containers(label: str) -> list[str]:
    return subprocess.run(
        ["docker", "ps", "-aq", "--filter", f"label={label}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()


def processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                cmdline = Path(f"/proc/{entry.name}/cmdline").read_bytes()
            except OSError:
                continue
            try:
                environ = Path(f"/proc/{entry.name}/environ").read_bytes()
            except OSError:
                environ = b""
            if text.encode() in cmdline + environ:
                found.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
    return found


def test_cancel_of_a_running_task_leaves_no_container_or_process(
    make_server: Callable[..., RunningServer],
) -> None:
    server = make_server(pool={"enabled": False})
    with Client(server.url) as client:
        task_id = client.submit(SLEEPY, "python", ["0.1\n", "30\n", "0.1\n"], time_limit_ms=10_000)
        for event in client.events(task_id):
            if event["event"] == "test":
                break  # the first test is over, the second sleeps in the container
        sandbox = server.state.tasks._jobs[task_id].sandbox
        assert sandbox is not None and containers(f"{SESSION_LABEL}={sandbox.id}")
        started = time.monotonic()
        task = client.cancel(task_id)
    assert time.monotonic() - started < 30
    assert task["status"] == "cancelled"
    statuses = [r["status"] for r in task["result"]["results"]]
    assert statuses == ["OK", "IE", "IE"] and task["result"]["stdout"][0] == "0.1\n"
    assert containers(f"{SESSION_LABEL}={sandbox.id}") == []
    # The directory's name is in docker's arguments and the handler's environment.
    wait_until(lambda: processes_mentioning(sandbox.dir.name) == [], 20, "the handler to exit")
    assert not sandbox.dir.exists()
    assert server.state.runner.queue.running == 0


def serve(tmp: Path, db: Path, **env: str) -> tuple[subprocess.Popen[bytes], str]:
    proc, url = spawn_coderunner(
        tmp, CODERUNNER_TASKS__DATABASE=str(db), CODERUNNER_DOCKER__SELFTEST_AT_START="false", **env
    )
    stdout = proc.stdout
    assert stdout is not None
    threading.Thread(target=stdout.read, daemon=True).start()
    wait_serving(proc, url)
    return proc, url


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)


def test_restart_runs_the_queued_task_and_fails_the_running_one(
    tmp_path: Path,
    processes: list[subprocess.Popen[bytes]],
) -> None:
    db = tmp_path / "tasks.db"
    env = {
        "CODERUNNER_QUEUE__MAX_CONCURRENT": "1",
        "CODERUNNER_SERVER__SHUTDOWN_GRACE_S": "1",
        "CODERUNNER_POOL__ENABLED": "false",
    }
    proc, url = serve(tmp_path / "a", db, **env)
    processes.append(proc)
    with Client(url) as client:
        running = client.submit(SLEEPY, "python", ["30\n"], time_limit_ms=10_000)
        queued = client.submit("print(input()[::-1])", "python", ["abc\n"])
        wait_until(lambda: client.get(running)["status"] == "running", 60, "running")
        assert client.get(queued)["status"] == "queued"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(90) == 0
    root = tmp_path / "a" / "sessions"
    assert containers(f"{ROOT_LABEL}={root_label(root)}") == []

    proc, url = serve(tmp_path / "b", db, **env)
    processes.append(proc)
    with Client(url) as client:
        failed = client.get(running)
        done = client.wait(queued, 90)
    assert failed["status"] == "failed" and failed["error"]["code"] == "shutting_down"
    assert failed["finishedAt"] is not None
    assert done["status"] == "done" and done["result"]["stdout"] == ["cba\n"]
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(90) == 0


def test_webhook_from_a_real_container_run(make_server: Callable[..., RunningServer]) -> None:
    receiver = WebhookReceiver()
    try:
        server = make_server(tasks={"webhook_hosts": ["127.0.0.1"], "webhook_secret": "w"})
        with Client(server.url) as client:
            task_id = client.submit("print(input())", "python", ["hi\n"], callback_url=receiver.url)
            wait_until(lambda: receiver.got, 60, "the webhook")
            task = client.get(task_id)
    finally:
        receiver.close()
    headers, data = receiver.got[0]
    signature = "sha256=" + hmac.new(b"w", data, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-CodeRunner-Signature"], signature)
    assert json.loads(data) == task and task["result"]["stdout"] == ["hi\n"]
    assert len(receiver.got) == 1
