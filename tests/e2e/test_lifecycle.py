"""The real `coderunner serve` process: SIGTERM drains, logs are JSON lines."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from coderunner.runner.engine import ROOT_LABEL, root_label
from tests.helpers import spawn_coderunner, wait_serving

pytestmark = pytest.mark.docker


def start(tmp_path: Path, grace: float) -> tuple[subprocess.Popen[bytes], str]:
    proc, url = spawn_coderunner(tmp_path, CODERUNNER_SERVER__SHUTDOWN_GRACE_S=str(grace))
    wait_serving(proc, url)
    return proc, url


def test_sigterm_stops_admitting_lets_running_sessions_finish_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    proc, url = start(tmp_path, grace=20)
    sleeper = {
        "code": "import time\ntime.sleep(2)\nprint('finished')",
        "language": "python",
        "testCases": [""],
        "timeLimitMs": 3000,
    }
    answers: list[httpx.Response] = []
    thread = threading.Thread(
        target=lambda: answers.append(httpx.post(f"{url}/isolatedTest", json=sleeper, timeout=60))
    )
    thread.start()
    time.sleep(1.0)  # the session is running
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    refused = httpx.post(f"{url}/isolatedTest", json=sleeper, timeout=10)
    assert refused.status_code == 503
    assert refused.json()["error"]["code"] == "draining"  # SPEC section 2
    assert "Retry-After" in refused.headers
    thread.join(60)
    assert answers[0].status_code == 200
    assert answers[0].json()["stdout"] == ["finished\n"]
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0

    # Every stdout line is one JSON object; a session's lines carry its id.
    records = [json.loads(line) for line in output.decode().splitlines() if line.strip()]
    session_id = answers[0].json()["sessionId"]
    assert any(r.get("session") == session_id for r in records)
    assert all({"time", "level", "message"} <= set(r) for r in records)

    # Nothing left: no container of this root, no session directory, warm ones included.
    root = tmp_path / "sessions"
    left = subprocess.run(
        ["docker", "ps", "-aq", "--filter", f"label={ROOT_LABEL}={root_label(root)}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert left == []
    assert list(root.iterdir()) == []
