"""coderunner.client and `coderunner run` against a fake server that speaks the SPEC
section 8 API (tests/unit/tasks/fakeserver.py) on a real uvicorn server."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from coderunner.client import AsyncClient, Client, ClientError
from tests.helpers import REPO, Served, free_port
from tests.unit.tasks.fakeserver import create_app


@pytest.fixture
def url(serve: Callable[..., Served], tmp_path: Path) -> str:
    return serve(create_app(tmp_path / "tasks.db")).url


def test_submit_stream_and_wait(url: str) -> None:
    with Client(url) as client:
        task_id = client.submit("print(input().upper())", "python", ["a\n", "b\n"], ["A", "B"])
        assert len(task_id) == 32
        events = list(client.events(task_id))
        assert [e["event"] for e in events] == ["status", "test", "test", "done"]
        assert [e["id"] for e in events] == [1, 2, 3, 4]
        assert events[1]["data"]["result"]["status"] == "AC"
        task = client.wait(task_id, timeout=10)
        assert task["status"] == "done" and task["result"]["stdout"] == ["A\n", "B\n"]
        assert task["result"] == events[-1]["data"]["result"]
        # Reconnecting after an id replays only what follows.
        assert [e["id"] for e in client.events(task_id, last_event_id=2)] == [3, 4]


def test_run_is_synchronous(url: str) -> None:
    with Client(url) as client:
        answer = client.run("x", "python", ["hi\n"], time_limit_ms=1000)
        assert answer["results"][0]["status"] == "OK" and answer["stdout"] == ["HI\n"]


def test_errors_carry_status_and_code(url: str) -> None:
    with Client(url) as client:
        with pytest.raises(ClientError) as info:
            client.submit("x", "cobol", ["1"])
        assert info.value.status == 400 and info.value.code == "unsupported_language"
        with pytest.raises(ClientError) as info:
            client.get("0" * 32)
        assert info.value.status == 404 and info.value.code == "not_found"
        with pytest.raises(ClientError) as info:
            list(client.events("0" * 32))
        assert info.value.code == "not_found"


def test_idempotency_key_returns_the_first_task(url: str) -> None:
    with Client(url) as client:
        first = client.submit("x", "python", ["a"], idempotency_key="abc")
        again = client.submit("x", "python", ["a"], idempotency_key="abc")
        other = client.submit("x", "python", ["a"], idempotency_key="abd")
        assert first == again != other


def test_token_is_sent(serve: Callable[..., Served], tmp_path: Path) -> None:
    served = serve(create_app(tmp_path / "tasks.db", token="t0k"))
    with Client(served.url) as anonymous, pytest.raises(ClientError) as info:
        anonymous.submit("x", "python", ["a"])
    assert info.value.status == 403
    with Client(served.url, token="t0k") as client:
        task_id = client.submit("x", "python", ["a"])
        assert client.wait(task_id, timeout=10)["status"] == "done"


async def test_async_client(url: str) -> None:
    async with AsyncClient(url) as client:
        task_id = await client.submit("x", "python", ["q\n"], ["Q"])
        kinds = [e["event"] async for e in client.events(task_id)]
        assert kinds == ["status", "test", "done"]
        assert (await client.wait(task_id))["result"]["results"][0]["status"] == "AC"
        assert (await client.run("x", "python", ["z"]))["stdout"] == ["Z"]


# -- coderunner run ------------------------------------------------------------------


def files(
    tmp_path: Path, code: str, inputs: list[str], expected: list[str] | None = None
) -> list[str]:
    (tmp_path / "prog.py").write_text(code)
    args = [str(tmp_path / "prog.py"), "--language", "python", "--input"]
    for i, text in enumerate(inputs):
        (tmp_path / f"in{i}.txt").write_text(text)
        args.append(str(tmp_path / f"in{i}.txt"))
    if expected is not None:
        args.append("--expected")
        for i, text in enumerate(expected):
            (tmp_path / f"out{i}.txt").write_text(text)
            args.append(str(tmp_path / f"out{i}.txt"))
    return args


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "coderunner", "run", *args]


def test_cli_streams_each_test_while_later_ones_still_run(url: str, tmp_path: Path) -> None:
    args = files(tmp_path, "gate", ["a\n", "b\n", "c\n"], ["A\n", "B\n", "C\n"])
    proc = subprocess.Popen(
        command(*args, "--url", url), stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    assert proc.stdout is not None
    header = proc.stdout.readline()
    assert header.startswith("task ")
    task_id = header.split()[1]
    first = proc.stdout.readline()
    assert first.startswith("test 1/3  AC")
    # Printed while tests 2 and 3 cannot have run yet: they wait for the gate.
    with Client(url) as client:
        assert client.get(task_id)["status"] == "running"
    httpx.post(url + "/gate")
    rest = proc.stdout.read()
    assert proc.wait(30) == 0
    assert rest.splitlines() == [
        "test 2/3  AC   11 ms  8000 KB",
        "test 3/3  AC   12 ms  8000 KB",
        "3/3 passed (AC 3)",
    ]
    assert first.strip() == "test 1/3  AC   10 ms  8000 KB"


def test_cli_exit_code_1_on_a_wrong_answer(url: str, tmp_path: Path) -> None:
    args = files(tmp_path, "x", ["a\n", "b\n"], ["A\n", "nope\n"])
    done = subprocess.run(
        command(*args, "--url", url), capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert done.returncode == 1
    assert "test 2/2  WA" in done.stdout and "1/2 passed (AC 1, WA 1)" in done.stdout


def test_cli_runtime_error_shows_stderr_and_fails(url: str, tmp_path: Path) -> None:
    done = subprocess.run(
        command(*files(tmp_path, "crash", ["a"]), "--url", url),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 1 and "test 1/1  RE" in done.stdout and "stderr: boom" in done.stdout


def test_cli_failed_task_exit_1(url: str, tmp_path: Path) -> None:
    done = subprocess.run(
        command(*files(tmp_path, "lost", ["a"]), "--url", url),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 1 and "task failed: worker_lost" in done.stdout


def test_cli_usage_errors_exit_2(url: str, tmp_path: Path) -> None:
    args = files(tmp_path, "x", ["a", "b"], ["A"])
    done = subprocess.run(command(*args, "--url", url), capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2 and "2 --input but 1 --expected" in done.stderr
    down = f"http://127.0.0.1:{free_port()}"
    done = subprocess.run(
        command(*files(tmp_path, "x", ["a"]), "--url", down),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 2 and "cannot reach" in done.stderr
    done = subprocess.run(
        command(*files(tmp_path, "x", ["a"]), "--url", url, "-l", "cobol"),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 2 and "unsupported_language" in done.stderr
    done = subprocess.run(
        command(
            str(tmp_path / "missing.py"),
            "-l",
            "python",
            "-i",
            str(tmp_path / "in0.txt"),
            "--url",
            url,
        ),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 2 and "cannot read" in done.stderr


def test_cli_in_a_terminal_draws_a_live_table(url: str, tmp_path: Path) -> None:
    args = files(tmp_path, "x", ["a\n", "b\n"], ["A\n", "X\n"])
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        command(*args, "--url", url),
        stdout=slave,
        stderr=slave,
        cwd=REPO,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )
    os.close(slave)
    output = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        elif proc.poll() is not None:
            break
    os.close(master)
    assert proc.wait(30) == 1
    text = output.decode(errors="replace")
    assert "\x1b[" in text  # drawn with terminal control sequences, not plain lines
    assert "verdict" in text and "AC" in text and "WA" in text
    assert "1/2 passed (AC 1, WA 1)" in text
