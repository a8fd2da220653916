"""coderunner.client and `coderunner run` against the real `coderunner serve` process
with real containers: tasks (SPEC section 8) end to end."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coderunner.client import Client, ClientError
from tests.helpers import REPO, spawn_coderunner, wait_serving

pytestmark = pytest.mark.docker

SLEEPER = "import time\ns = input()\ntime.sleep(1)\nprint(s.upper())\n"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("client-e2e")
    proc, base = spawn_coderunner(
        root,
        CODERUNNER_TASKS__DATABASE=str(root / "tasks.db"),
        CODERUNNER_DOCKER__SELFTEST_AT_START="false",
    )
    # Drain the server's log lines: a full pipe would block the server.
    output: list[bytes] = []
    stdout = proc.stdout
    assert stdout is not None
    threading.Thread(target=lambda: output.extend(stdout), daemon=True).start()
    try:
        try:
            wait_serving(proc, base)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}: " + b"".join(output).decode()[-2000:]) from None
        yield base
    finally:
        proc.terminate()
        proc.wait(60)


def test_each_test_event_arrives_while_later_tests_run(url: str) -> None:
    with Client(url) as client:
        task_id = client.submit(
            SLEEPER, "python", ["a\n", "b\n", "c\n"], ["A", "B", "C"], time_limit_ms=3000
        )
        seen: list[tuple[float, str, dict[str, Any]]] = []
        for event in client.events(task_id):
            seen.append((time.monotonic(), event["event"], event["data"]))
        kinds = [kind for _, kind, _ in seen]
        assert kinds[-1] == "done" and kinds.count("test") == 3
        first_test = next(t for t, kind, _ in seen if kind == "test")
        # Live, not after the container: the first test's event is ~2 s ahead of done.
        assert seen[-1][0] - first_test >= 1.5
        tests = [data for _, kind, data in seen if kind == "test"]
        assert [d["index"] for d in tests] == [0, 1, 2]
        assert [d["result"]["status"] for d in tests] == ["AC", "AC", "AC"]
        assert tests[0]["stdout"] == "A\n"
        task = client.wait(task_id, timeout=60)
        assert task["status"] == "done" and task["error"] is None
        assert task["result"]["stdout"] == ["A\n", "B\n", "C\n"]
        assert task["result"] == seen[-1][2]["result"]


def test_run_submit_wait_and_errors(url: str) -> None:
    with Client(url) as client:
        answer = client.run("print(input()[::-1])", "python", ["abc\n"])
        assert answer["stdout"] == ["cba\n"] and answer["results"][0]["status"] == "OK"
        task_id = client.submit("print(1)", "python", [""], idempotency_key="e2e-1")
        assert client.submit("print(1)", "python", [""], idempotency_key="e2e-1") == task_id
        assert client.wait(task_id, timeout=60)["result"]["stdout"] == ["1\n"]
        with pytest.raises(ClientError) as info:
            client.submit("x", "intercal", [""])
        assert info.value.code == "unsupported_language"
        with pytest.raises(ClientError) as info:
            client.get("0" * 32)
        assert info.value.status == 404


def test_coderunner_run_command(url: str, tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text(SLEEPER)
    args = [
        sys.executable,
        "-m",
        "coderunner",
        "run",
        str(tmp_path / "prog.py"),
        "--language",
        "python",
        "--url",
        url,
        "--input",
    ]
    for i, text in enumerate(["x\n", "y\n"]):
        (tmp_path / f"{i}.in").write_text(text)
        (tmp_path / f"{i}.out").write_text(text.upper())
    args += [
        str(tmp_path / "0.in"),
        str(tmp_path / "1.in"),
        "--expected",
        str(tmp_path / "0.out"),
        str(tmp_path / "1.out"),
    ]
    done = subprocess.run(args, capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[1].startswith("test 1/2  AC") and lines[2].startswith("test 2/2  AC")
    assert lines[-1] == "2/2 passed (AC 2)"
    (tmp_path / "1.out").write_text("nope\n")
    done = subprocess.run(args, capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 1 and "test 2/2  WA" in done.stdout
