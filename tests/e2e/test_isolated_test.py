"""POST /isolatedTest end to end: a real uvicorn server, real docker-handler.sh, real
containers."""

from __future__ import annotations

import concurrent.futures
import subprocess
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers import RunningServer

pytestmark = pytest.mark.docker


def run(server: RunningServer, code: str, language: str, tests: list[str], **extra: Any) -> Any:
    with server.client() as client:
        resp = client.post(
            "/isolatedTest", json={"code": code, "language": language, "testCases": tests, **extra}
        )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    for key in ("stdout", "stderr", "timestamps", "results"):
        assert len(body[key]) == len(tests), key
    return body


def wait_for(predicate: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def statuses(body: Any) -> list[str]:
    return [r["status"] for r in body["results"]]


def test_reverse_lines_python(server: RunningServer) -> None:
    body = run(server, "print(input()[::-1])", "python", ["abc\n", "xy\n"])
    assert body["stdout"] == ["cba\n", "yx\n"]
    assert statuses(body) == ["OK", "OK"]
    assert body["compilerErrors"] == ""
    result = body["results"][0]
    assert set(result) >= {
        "status",
        "exitCode",
        "signal",
        "timeMs",
        "memoryKb",
        "stdoutTruncated",
        "stderrTruncated",
    }
    assert result["exitCode"] == 0 and result["signal"] is None
    assert result["memoryKb"] > 0
    assert all(isinstance(t, float | int) and t > 0 for t in body["timestamps"])


def test_multiline_empty_and_unicode_inputs_byte_exact(server: RunningServer) -> None:
    code = "import sys\nsys.stdout.write(sys.stdin.read())"
    tests = ["line 1\nline 2\n\nline 4", "", "héllo wörld ✓ 日本語\n", "\n\n\n", "tab\tand\x00nul"]
    body = run(server, code, "python", tests)
    assert body["stdout"] == tests
    assert statuses(body) == ["OK"] * len(tests)


def test_output_that_is_not_utf8_is_replaced_not_fatal(server: RunningServer) -> None:
    code = "import sys\nsys.stdout.buffer.write(b'ok \\xff\\xfe end\\n')"
    body = run(server, code, "python", [""])
    assert body["stdout"] == ["ok \ufffd\ufffd end\n"]
    assert statuses(body) == ["OK"]


def test_nonzero_exit_with_stderr_is_re(server: RunningServer) -> None:
    code = "import sys\nprint('partial')\nprint('boom', file=sys.stderr)\nsys.exit(3)"
    body = run(server, code, "python", [""])
    assert statuses(body) == ["RE"]
    assert body["results"][0]["exitCode"] == 3
    assert body["stdout"] == ["partial\n"] and body["stderr"] == ["boom\n"]


def test_segfault_reports_signal_11(server: RunningServer) -> None:
    code = "#include <stdio.h>\nint main(void){ volatile int *p = 0; *p = 1; return 0; }\n"
    body = run(server, code, "c", [""])
    result = body["results"][0]
    assert result["status"] == "RE"
    assert result["signal"] == 11 and result["exitCode"] is None


def test_infinite_loop_is_tle_and_next_test_still_runs(server: RunningServer) -> None:
    code = (
        '#include <stdio.h>\nint main(void){ int n; scanf("%d", &n);\n'
        ' if (n < 0) for(;;); printf("%d\\n", n * 2); return 0; }\n'
    )
    body = run(server, code, "c", ["-1\n", "21\n"], timeLimitMs=500)
    assert statuses(body) == ["TLE", "OK"]
    assert body["stdout"][1] == "42\n"
    assert body["results"][0]["timeMs"] >= 400


def test_compile_error_is_ce_for_every_test(server: RunningServer) -> None:
    code = "int main() { return undefined_thing; }\n"
    body = run(server, code, "cpp", ["1\n", "2\n", "3\n"])
    assert statuses(body) == ["CE", "CE", "CE"]
    assert "undefined_thing" in body["compilerErrors"]
    assert body["stdout"] == ["", "", ""]


def test_output_flood_is_ole_truncated_and_prompt(server: RunningServer) -> None:
    cap = server.settings.limits.max_output_bytes
    code = "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n"
    started = time.monotonic()
    body = run(server, code, "python", ["", "again"], timeLimitMs=5000)
    elapsed = time.monotonic() - started
    assert statuses(body) == ["OLE", "OLE"]
    assert body["results"][0]["stdoutTruncated"] is True
    assert len(body["stdout"][0]) == cap
    # Killed when the cap is passed, not when the 5 s limit runs out.
    assert elapsed < 5, elapsed


def test_fifty_test_cases_answered_in_order(server: RunningServer) -> None:
    tests = [f"{i}\n" for i in range(50)]
    body = run(server, "n = int(input())\nprint(n * n)", "python", tests)
    assert body["stdout"] == [f"{i * i}\n" for i in range(50)]
    assert statuses(body) == ["OK"] * 50


def test_expected_outputs_give_ac_and_wa(server: RunningServer) -> None:
    body = run(
        server,
        "print(int(input()) + 1)",
        "python",
        ["1\n", "2\n", "3\n"],
        expectedOutputs=["2", "3  \n\n", "5\n"],
    )
    assert statuses(body) == ["AC", "AC", "WA"]


def test_twenty_concurrent_requests_all_answered_correctly(server: RunningServer) -> None:
    def one(i: int) -> tuple[int, Any]:
        return i, run(server, "print(int(input()) * 3)", "python", [f"{i}\n"])

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(one, range(20)))
    session_ids = set()
    for i, body in answers:
        assert body["stdout"] == [f"{i * 3}\n"]
        session_ids.add(body["sessionId"])
    assert len(session_ids) == 20


def test_session_directories_are_removed_after_the_answer(server: RunningServer) -> None:
    body = run(server, "print(1)", "python", [""])
    root = server.settings.sessions.root
    assert not (root / body["sessionId"]).exists()
    # What is left are warm containers' directories, waiting for their one session.
    for left in root.iterdir():
        assert (left / "input" / "go").is_fifo(), left
        assert not (left / "input" / "testcases").exists()


def test_warm_container_serves_exactly_one_session(server: RunningServer) -> None:
    pool = server.state.runner.pool
    wait_for(lambda: pool.idle_count("python") >= 1)
    warm_ids = {w.sandbox.id for w in pool._idle["python"]}
    body = run(server, "print(2)", "python", [""])
    assert body["sessionId"] in warm_ids  # served by a container started beforehand
    assert body["stdout"] == ["2\n"]
    gone = subprocess.run(
        ["docker", "ps", "-aq", "--filter", f"name=cr-{body['sessionId']}"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert gone.stdout.strip() == ""
    # The next request never lands in the same container again.
    again = run(server, "print(3)", "python", [""])
    assert again["sessionId"] != body["sessionId"]


def test_languages_lists_built_images_with_versions(server: RunningServer) -> None:
    with server.client() as client:
        langs = {lang["id"]: lang for lang in client.get("/languages").json()}
    assert {"python", "c", "cpp"} <= set(langs)
    assert langs["c"]["compiled"] is True and langs["python"]["compiled"] is False
    assert langs["python"]["extension"] == "py"
    assert any(ch.isdigit() for ch in langs["python"]["version"])
