"""The bounded queue, the watchdog and the clean-up at start, with real containers."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from coderunner.runner.engine import ROOT_LABEL, SESSION_LABEL, root_label
from tests.helpers import RunningServer, wait_until

pytestmark = pytest.mark.docker

SLEEPER = "import time\ntime.sleep(float(input()))\nprint('done')"


def post(server: RunningServer, body: dict[str, Any]) -> httpx.Response:
    with server.client() as client:
        return client.post("/isolatedTest", json=body)


def containers(label: str, *, running: bool = False) -> list[str]:
    status = ["--filter", "status=running"] if running else []
    out = subprocess.run(
        ["docker", "ps", "-aq", "--filter", f"label={label}", *status],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def test_queue_full_is_503_with_retry_after_while_slots_are_busy(
    make_server: Callable[..., RunningServer],
) -> None:
    server = make_server(queue={"max_concurrent": 1, "max_size": 1})
    sleeper = {"code": SLEEPER, "language": "python", "testCases": ["2\n"], "timeLimitMs": 3000}
    answers: list[httpx.Response] = []
    threads = [
        threading.Thread(target=lambda: answers.append(post(server, sleeper))) for _ in range(2)
    ]
    threads[0].start()
    wait_until(lambda: server.state.runner.queue.running == 1)
    threads[1].start()
    wait_until(lambda: server.state.runner.queue.depth == 1)

    refused = post(server, {"code": "print(1)", "language": "python", "testCases": [""]})
    assert refused.status_code == 503
    assert refused.json()["error"]["code"] == "queue_full"
    assert int(refused.headers["Retry-After"]) >= 1

    for thread in threads:
        thread.join(60)
    assert [a.status_code for a in answers] == [200, 200]
    assert all(a.json()["stdout"] == ["done\n"] for a in answers)
    # The slots are free again: the next request is served.
    again = post(server, {"code": "print(7)", "language": "python", "testCases": [""]})
    assert again.status_code == 200 and again.json()["stdout"] == ["7\n"]


def test_watchdog_answers_ie_kills_container_and_frees_slot(
    make_server: Callable[..., RunningServer],
) -> None:
    server = make_server(
        queue={"max_concurrent": 1, "max_size": 4},
        docker={"deadline_slack_s": 1},
        # Cold containers only: the one to freeze is then the session's own.
        pool={"enabled": False},
        limits={"compile_time_limit_ms": 1000},
    )
    label = f"{ROOT_LABEL}={root_label(server.settings.sessions.root)}"
    result: list[httpx.Response] = []
    body = {"code": SLEEPER, "language": "python", "testCases": ["1\n"], "timeLimitMs": 500}
    thread = threading.Thread(target=lambda: result.append(post(server, body)))
    started = time.monotonic()
    thread.start()
    # Freeze the container: it can never finish, so its callback never comes. (Once it
    # runs: `docker pause` refuses a container that is only created.)
    wait_until(lambda: bool(containers(label, running=True)))
    subprocess.run(
        ["docker", "pause", containers(label, running=True)[0]], check=True, capture_output=True
    )
    thread.join(60)
    elapsed = time.monotonic() - started

    answer = result[0].json()
    assert result[0].status_code == 200
    assert answer["results"][0]["status"] == "IE"
    assert "watchdog" in answer["results"][0]["error"]
    assert elapsed < 30
    wait_until(lambda: not containers(label), timeout=20)
    assert server.state.runner.queue.running == 0
    ok = post(server, {"code": "print(5)", "language": "python", "testCases": [""]})
    assert ok.json()["stdout"] == ["5\n"]


def test_orphans_of_an_earlier_run_are_removed_at_start(
    make_server: Callable[..., RunningServer],
    tmp_path: Any,
) -> None:
    # make_server places the sessions root at <tmp>/s0/sessions: plant leftovers there.
    root = tmp_path / "s0" / "sessions"
    stale = root / ("ab" * 16)
    (stale / "output").mkdir(parents=True)
    (stale / "output" / "0.out").write_text("old")
    name = f"cr-{'cd' * 16}"
    subprocess.run(
        [
            "docker",
            "create",
            "--name",
            name,
            "--label",
            f"{ROOT_LABEL}={root_label(root)}",
            "--label",
            f"{SESSION_LABEL}={'cd' * 16}",
            "coderunner/python",
            "true",
        ],
        check=True,
        capture_output=True,
    )
    try:
        # No warm pool: its first containers carry the same root label.
        server = make_server(pool={"enabled": False})
        assert server.settings.sessions.root == root
        assert not stale.exists()
        assert not containers(f"{ROOT_LABEL}={root_label(root)}")
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True)
