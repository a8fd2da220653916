"""POST /functionTest, problemId submissions and functionTest tasks through a real
server and real containers (SPEC §10, §8)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.helpers import RunningServer

pytestmark = pytest.mark.docker

TWO_SUM = {
    "name": "twoSum",
    "params": [{"name": "nums", "type": "int[]"}, {"name": "target", "type": "int"}],
    "returns": "int[]",
}
CASES = [
    {"args": [[2, 7, 11, 15], 9], "expected": [0, 1]},
    {"args": [[3, 2, 4], 6], "expected": [1, 2]},
    {"args": [[1, 2], 99], "expected": []},
]
PYTHON = """
def twoSum(nums, target):
    print("looking for", target)
    seen = {}
    for i, n in enumerate(nums):
        if target - n in seen:
            return [seen[target - n], i]
        seen[n] = i
    raise ValueError("no pair sums to %d" % target)
"""
JAVA = """
import java.util.*;
class Solution {
    public int[] twoSum(int[] nums, int target) {
        Map<Integer, Integer> seen = new HashMap<>();
        for (int i = 0; i < nums.length; i++) {
            Integer j = seen.get(target - nums[i]);
            if (j != null) return new int[]{j, i};
            seen.put(nums[i], i);
        }
        return new int[]{};
    }
}
"""


def test_python_function_test(server: RunningServer) -> None:
    with server.client() as c:
        r = c.post(
            "/functionTest",
            json={"language": "python", "code": PYTHON, "function": TWO_SUM, "cases": CASES},
        )
    assert r.status_code == 200, r.text
    body = r.json()
    assert [c["status"] for c in body["cases"]] == ["AC", "AC", "RE"]
    assert [r["status"] for r in body["results"]] == ["AC", "AC", "RE"]
    assert body["cases"][0]["stdout"] == "looking for 9\n" == body["stdout"][0]
    assert body["cases"][0]["actual"] == [0, 1] and body["cases"][0]["expected"] == [0, 1]
    assert body["cases"][2]["error"].startswith("ValueError: no pair sums to 99")
    assert body["compilerErrors"] == "" and len(body["sessionId"]) == 32


def test_java_function_test_with_a_wrong_answer(server: RunningServer) -> None:
    cases = [*CASES[:2], {"args": [[1, 2], 3], "expected": [1, 0]}]
    with server.client() as c:
        r = c.post(
            "/functionTest",
            json={
                "language": "java",
                "code": JAVA,
                "function": TWO_SUM,
                "cases": cases,
                "compare": {"mode": "exact"},
            },
        )
    assert r.status_code == 200, r.text
    assert [c["status"] for c in r.json()["cases"]] == ["AC", "AC", "WA"]
    assert r.json()["cases"][2]["actual"] == [0, 1]


@pytest.mark.parametrize(
    "body, code, words",
    [
        (
            {"function": TWO_SUM, "cases": [{"args": [[1], "x"], "expected": [0]}]},
            "invalid_arguments",
            "cases[0], parameter 'target'",
        ),
        ({"function": TWO_SUM}, "invalid_request", '"function" and "cases" are required'),
        ({"function": TWO_SUM, "cases": CASES, "problemId": "p"}, "invalid_request", "not both"),
        ({"problemId": "missing"}, "invalid_request", "unknown problemId"),
        ({"function": TWO_SUM, "cases": CASES * 40}, "too_many_test_cases", "max_cases"),
    ],
)
def test_bad_function_tests_are_refused_before_any_container(
    server: RunningServer, body: dict[str, Any], code: str, words: str
) -> None:
    with server.client() as c:
        r = c.post("/functionTest", json={"language": "python", "code": PYTHON, **body})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == code
    assert words in r.json()["error"]["message"]


def test_a_language_without_a_harness_is_refused(server: RunningServer) -> None:
    with server.client() as c:
        r = c.post(
            "/functionTest",
            json={"language": "bash", "code": "echo", "function": TWO_SUM, "cases": CASES},
        )
        assert r.status_code == 400 and r.json()["error"]["code"] == "unsupported_language"
        langs = {x["id"]: x for x in c.get("/languages").json()}
    assert langs["python"]["functionTest"] is True and langs["bash"]["functionTest"] is False


def test_stored_problems_serve_both_endpoints(server: RunningServer) -> None:
    with server.client() as c:
        assert c.put(
            "/problems/two-sum", json={"function": TWO_SUM, "cases": CASES}
        ).status_code in (200, 201)
        r = c.post(
            "/functionTest", json={"language": "python", "code": PYTHON, "problemId": "two-sum"}
        )
        assert r.status_code == 200, r.text
        assert [x["status"] for x in r.json()["cases"]] == ["AC", "AC", "RE"]
        # The stdin kind with a stored test set and its expected outputs.
        assert c.put(
            "/problems/echo",
            json={
                "testCases": ["a\n", "b\x00c\n", ""],
                "expectedOutputs": ["a\n", "b\x00c\n", "x"],
            },
        ).status_code in (200, 201)
        r = c.post(
            "/isolatedTest",
            json={
                "language": "python",
                "problemId": "echo",
                "code": "import sys\nsys.stdout.write(sys.stdin.read())",
            },
        )
        assert r.status_code == 200, r.text
        assert [x["status"] for x in r.json()["results"]] == ["AC", "AC", "WA"]
        assert r.json()["stdout"] == ["a\n", "b\x00c\n", ""]
        # Kinds do not mix.
        r = c.post(
            "/isolatedTest", json={"language": "python", "code": "x", "problemId": "two-sum"}
        )
        assert r.status_code == 400 and "/functionTest" in r.json()["error"]["message"]
        r = c.post(
            "/isolatedTest",
            json={"language": "python", "code": "x", "problemId": "echo", "testCases": ["1"]},
        )
        assert r.status_code == 400 and "not both" in r.json()["error"]["message"]


def test_a_100_x_1mb_stored_test_set_runs(server: RunningServer) -> None:
    mb = 1_000_000
    tests = [chr(ord("a") + i % 26) * mb for i in range(100)]
    with server.client() as c:
        r = c.put("/problems/big", json={"testCases": tests})
        assert r.status_code in (200, 201), r.text
        assert r.json()["inputBytes"] == 100 * mb
        r = c.post(
            "/isolatedTest",
            json={
                "language": "python",
                "problemId": "big",
                "code": "import sys\nd = sys.stdin.buffer.read()\nprint(len(d), d[:1].decode())",
            },
        )
    assert r.status_code == 200, r.text
    assert r.json()["stdout"] == [f"{mb} {chr(ord('a') + i % 26)}\n" for i in range(100)]


def test_a_function_test_task_streams_case_events(server: RunningServer) -> None:
    with server.client() as c:
        r = c.post(
            "/tasks",
            json={
                "kind": "functionTest",
                "language": "python",
                "code": PYTHON,
                "function": TWO_SUM,
                "cases": CASES,
            },
        )
        assert r.status_code == 202, r.text
        task_id = r.json()["id"]
        task = c.get(f"/tasks/{task_id}", params={"wait": 30}).json()
        assert task["status"] == "done" and task["kind"] == "functionTest"
        assert [x["status"] for x in task["result"]["cases"]] == ["AC", "AC", "RE"]
        events = []
        with c.stream("GET", f"/tasks/{task_id}/events") as stream:
            kind = None
            for line in stream.iter_lines():
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: "):
                    events.append((kind, json.loads(line[6:])))
    cases = [data for kind, data in events if kind == "case"]
    assert sorted(c["index"] for c in cases) == [0, 1, 2]
    by_index = {c["index"]: c for c in cases}
    assert by_index[0]["status"] == "AC" and by_index[0]["actual"] == [0, 1]
    assert by_index[2]["status"] == "RE" and "no pair" in by_index[2]["error"]
    assert events[-1][0] == "done"
