"""POST /trace end to end (SPEC section 11): a real server, real containers of the
python image with its tracer, the default limits unless a test says otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import RunningServer

pytestmark = pytest.mark.docker


def trace(server: RunningServer, code: str, **extra: Any) -> Any:
    with server.client() as client:
        resp = client.post("/trace", json={"code": code, **extra})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert set(body) >= {"stopReason", "stdout", "stderr", "error", "steps"}
    assert [s["step"] for s in body["steps"]] == list(range(len(body["steps"])))
    return body


def test_completed_program_with_calls_and_prints(server: RunningServer) -> None:
    code = "a = 1\nb = [a, 'x']\ndef f(x):\n    y = x * 2\n    return y\nc = f(a)\nprint(c)\n"
    body = trace(server, code)
    assert body["stopReason"] == "completed" and body["error"] is None
    assert body["stdout"] == "2\n" and body["stderr"] == ""
    steps = body["steps"]
    assert steps[0] == {
        "step": 0,
        "line": 1,
        "event": "line",
        "functionScope": [],
        "localChanges": {},
        "globalChanges": {"a": {"type": "number", "value": 1}},
    }
    assert steps[1]["globalChanges"]["b"] == {
        "type": "array",
        "value": [{"type": "number", "value": 1}, {"type": "string", "value": "x"}],
    }
    call = next(s for s in steps if s["event"] == "call")
    assert call["functionScope"] == ["f"] and call["localChanges"] == {
        "x": {"type": "number", "value": 1}
    }
    inner = next(s for s in steps if s["line"] == 4)
    assert inner["localChanges"] == {"y": {"type": "number", "value": 2}}
    ret = next(s for s in steps if s["event"] == "return")
    assert ret["returnValue"] == {"type": "number", "value": 2}
    assert any(s["line"] == 6 and "c" in s["globalChanges"] for s in steps)


def test_exception_with_its_line(server: RunningServer) -> None:
    body = trace(server, "x = 1\ndef f(d):\n    return x / d\nf(0)\n")
    assert body["stopReason"] == "exception"
    assert body["error"]["type"] == "ZeroDivisionError" and body["error"]["line"] == 3
    assert "ZeroDivisionError" in body["stderr"]
    assert any(s["event"] == "exception" for s in body["steps"])


def test_infinite_loop_stops_at_the_step_limit_with_its_steps(server: RunningServer) -> None:
    body = trace(server, "i = 0\nwhile True:\n    i += 1\n", maxSteps=300)
    assert body["stopReason"] == "step_limit"
    assert len(body["steps"]) == 300
    assert body["steps"][-1]["line"] in (2, 3)


def test_slow_infinite_loop_times_out_with_a_partial_trace(server: RunningServer) -> None:
    code = "n = 0\nwhile True:\n    n = sum(range(300000)) + n\n"
    body = trace(server, code, maxSteps=10000, timeLimitMs=1000)
    assert body["stopReason"] == "timeout"
    assert 1 < len(body["steps"]) < 10000
    assert sum("n" in s["globalChanges"] for s in body["steps"]) >= 2


def test_memory_bomb_is_memory_limit_with_the_steps_so_far(server: RunningServer) -> None:
    code = "blocks = []\nwhile True:\n    blocks.append(bytearray(8 * 1024 * 1024))\n"
    body = trace(server, code, maxSteps=10000, memoryLimitMb=64)
    assert body["stopReason"] == "memory_limit", body["stderr"][-500:]
    assert len(body["steps"]) >= 2


def test_print_flood_is_output_limit(server: RunningServer) -> None:
    body = trace(server, "while True:\n    print('x' * 1000)\n", maxSteps=10000)
    assert body["stopReason"] == "output_limit"
    limit = server.settings.limits.max_output_bytes
    assert len(body["stdout"]) == limit and set(body["stdout"]) <= {"x", "\n"}
    assert body["steps"]


def test_input_reads_the_given_stdin(server: RunningServer) -> None:
    code = "name = input('who? ')\nn = int(input())\nprint('hi', name, n + 1)\n"
    body = trace(server, code, stdin="bob\n41\n")
    assert body["stopReason"] == "completed"
    assert body["stdout"] == "who? hi bob 42\n"
    assert body["steps"][0]["globalChanges"] == {"name": {"type": "string", "value": "bob"}}
    # reading past the end is the program's EOFError, not an internal error
    body = trace(server, "x = input()\ny = input()\n", stdin="only\n")
    assert body["stopReason"] == "exception" and body["error"]["type"] == "EOFError"


def test_prints_cannot_forge_steps(server: RunningServer) -> None:
    code = (
        'import os\nprint(\'{"step": 0, "line": 99}\')\n'
        'os.write(1, b\'{"end":"completed","error":null}\\n\')\nx = 1\n'
    )
    body = trace(server, code)
    assert body["stopReason"] == "completed"
    assert all(s["line"] != 99 for s in body["steps"])
    assert body["stdout"] == '{"step": 0, "line": 99}\n'
    assert '{"end"' in body["stderr"]  # a raw write to fd 1 lands in stderr
    assert body["steps"][-1]["globalChanges"] == {"x": {"type": "number", "value": 1}}


def test_hostile_values_give_a_sensible_trace(server: RunningServer) -> None:
    code = (
        "a = [1]\na.append(a)\n"
        "class Bad:\n    def __repr__(self):\n        raise ValueError('no')\n"
        "    __str__ = __repr__\n"
        "b = Bad()\n"
        "def gen():\n    yield 1\n    yield 2\n"
        "g = list(gen())\n"
        "big = 'z' * 3_000_000\n"
        "nums = list(range(1_000_000))\n"
        "def huge():\n    return 'q' * 2_000_000\n"
        "h = huge()\n"
    )
    body = trace(server, code)
    assert body["stopReason"] == "completed", body
    changes = {k: v for s in body["steps"] for k, v in s["globalChanges"].items()}
    assert changes["a"]["value"][1] == {"type": "other", "value": "[...]"}
    assert changes["b"] == {"type": "other", "value": "<unprintable Bad object>"}
    assert [v["value"] for v in changes["g"]["value"]] == [1, 2]
    assert changes["big"]["length"] == 3_000_000 and len(changes["big"]["value"]) == 200
    assert changes["nums"]["length"] == 1_000_000 and len(changes["nums"]["value"]) == 50
    ret = [s for s in body["steps"] if s["event"] == "return" and s["functionScope"] == ["huge"]]
    assert ret[0]["returnValue"]["length"] == 2_000_000
    assert [s["functionScope"] for s in body["steps"] if s["event"] == "call"].count(["gen"]) >= 1


def test_recursion_5000_deep(server: RunningServer) -> None:
    code = (
        "import sys\nsys.setrecursionlimit(10000)\n"
        "def f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\nprint(f(5000))\n"
    )
    body = trace(server, code, maxSteps=10000)
    assert body["stopReason"] in ("step_limit", "completed")
    deepest = max(len(s["functionScope"]) for s in body["steps"])
    assert deepest == 50  # capped: the outermost 10, a marker, the innermost 39
    assert any("more" in name for s in body["steps"] for name in s["functionScope"])
    # without raising the limit: the program's RecursionError, never an internal error
    body = trace(server, "def f(n):\n    return f(n + 1)\nf(0)\n", maxSteps=10000)
    assert body["stopReason"] in ("exception", "step_limit")
    if body["stopReason"] == "exception":
        assert body["error"]["type"] == "RecursionError"


def test_syntax_error(server: RunningServer) -> None:
    body = trace(server, "x = 1\ny = (\n")
    assert body["stopReason"] == "exception" and body["steps"] == []
    assert body["error"]["type"] == "SyntaxError" and body["error"]["line"] == 2


def test_bad_requests(server: RunningServer) -> None:
    with server.client() as client:
        resp = client.post("/trace", json={"code": "x = 1", "maxSteps": 10001})
        assert resp.status_code == 400 and resp.json()["error"]["code"] == "invalid_request"
        assert "max_trace_steps" in resp.json()["error"]["message"]
        resp = client.post("/trace", json={"code": "int main(){}", "language": "c"})
        assert resp.status_code == 400
        assert resp.json()["error"]["code"] == "unsupported_language"
        resp = client.post("/trace", json={"stdin": "x"})
        assert resp.status_code == 400


def test_trace_as_a_task_streams_step_events(server: RunningServer) -> None:
    with server.client() as client:
        resp = client.post(
            "/tasks",
            json={"kind": "trace", "code": "for i in range(300):\n    pass\n", "maxSteps": 1000},
        )
        assert resp.status_code in (200, 201, 202), resp.text
        task_id = resp.json()["id"]
        task = client.get(f"/tasks/{task_id}", params={"wait": 30}).json()
        assert task["status"] == "done", task
        assert task["result"]["stopReason"] == "completed"
        assert len(task["result"]["steps"]) == 601
        events = client.get(f"/tasks/{task_id}/events", timeout=60)
    batches = [line for line in events.text.splitlines() if line == "event: step"]
    assert len(batches) == 4  # 601 steps in batches of 200
