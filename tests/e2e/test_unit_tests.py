"""POST /unitTest and the `unitTest` task kind end to end (SPEC sections 8 and 9):
a real uvicorn server, the task service, docker-handler.sh and real containers.
Images: CODERUNNER_DOCKER__IMAGE_PREFIX (the harnesses must be in them)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.helpers import RunningServer

pytestmark = pytest.mark.docker

PY_CODE = "def add(a, b):\n    return a + b\n\ndef spin():\n    while True:\n        pass\n"
PY_TESTS = """import codewars_test as test
from solution import add

@test.describe("add")
def _():
    @test.it("adds small numbers")
    def _():
        print("adding")
        test.assert_equals(add(1, 2), 3)

    @test.it("adds negatives")
    def _():
        test.assert_equals(add(-1, 1), 0)
"""


def post(server: RunningServer, **body: Any) -> Any:
    with server.client() as client:
        return client.post("/unitTest", json=body)


def needs(server: RunningServer, lang: str) -> None:
    if lang not in server.state.lifecycle.languages:
        pytest.fail(f"no {lang} image under the configured prefix: build it with images/build.sh")


def test_python_suite_passes(server: RunningServer) -> None:
    needs(server, "python")
    resp = post(server, language="python", code=PY_CODE, testCode=PY_TESTS)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["status"] == "pass", body
    assert body["summary"] == {"tests": 2, "passed": 2, "failed": 0, "errors": 0}
    assert body["tests"][0]["path"] == ["add"]
    assert body["tests"][0]["name"] == "adds small numbers"
    assert body["tests"][0]["output"] == "adding\n"
    assert body["tests"][0]["assertions"] == [{"passed": True, "message": "Test Passed"}]
    assert len(body["sessionId"]) == 32 and body["message"] is None


def test_preloaded_is_a_module(server: RunningServer) -> None:
    needs(server, "python")
    code = "from preloaded import BASE\ndef add(a, b):\n    return a + b + BASE\n"
    resp = post(
        server,
        language="python",
        code=code,
        preloaded="BASE = 10\n",
        testCode="@test.it('x')\ndef _():\n    test.assert_equals(add(1, 2), 13)\n",
    )
    assert resp.json()["status"] == "pass", resp.text


def test_cpp_failure_and_compile_error(server: RunningServer) -> None:
    needs(server, "cpp")
    code = "int add(int a, int b) { return a + b; }\n"
    failing = post(
        server,
        language="cpp",
        code=code,
        testCode='TEST_CASE("wrong") { CHECK(add(1, 2) == 4); }\n',
    ).json()
    assert failing["status"] == "fail", failing
    assert "3 == 4" in failing["tests"][0]["assertions"][0]["message"]
    broken = post(
        server,
        language="cpp",
        code="int add(int a, int b) { return a + ; }\n",
        testCode='TEST_CASE("x") { CHECK(add(1, 2) == 3); }\n',
    ).json()
    assert (broken["status"], broken["message"]) == ("error", "compilation failed")
    assert "expected primary-expression" in broken["compilerErrors"]


def test_timeout_is_error_with_finished_tests_kept(server: RunningServer) -> None:
    needs(server, "python")
    tests = (
        "@test.it('first')\ndef _():\n    test.pass_()\n@test.it('second')\ndef _():\n    spin()\n"
    )
    body = post(server, language="python", code=PY_CODE, testCode=tests, timeLimitMs=1000).json()
    assert body["status"] == "error", body
    assert "time limit" in body["message"]
    assert [t["status"] for t in body["tests"]] == ["pass", "error"]


def test_bad_requests(server: RunningServer) -> None:
    resp = post(server, language="python", code="x = 1")
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "invalid_request"
    assert "testCode" in resp.json()["error"]["message"]
    resp = post(server, language="cobol", code="x", testCode="y")
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "unsupported_language"
    big = "x" * (server.settings.limits.max_code_bytes + 1)
    resp = post(server, language="python", code="x = 1", testCode=big)
    assert resp.status_code == 400
    assert resp.json()["error"]["code"] == "code_too_long"
    assert resp.json()["error"]["message"].startswith("testCode is")


def test_languages_and_openapi_say_which_have_unit_tests(server: RunningServer) -> None:
    with server.client() as client:
        langs = client.get("/languages").json()
        doc = client.get("/openapi.json").json()
    assert langs and all(isinstance(lang["unitTest"], bool) for lang in langs)
    by_id = {lang["id"]: lang for lang in langs}
    if "python" in by_id:
        assert by_id["python"]["unitTest"] is True
    if "bash" in by_id:
        assert by_id["bash"]["unitTest"] is False
    assert "/unitTest" in doc["paths"]
    assert "UnitTestAnswer" in doc["components"]["schemas"]


def test_unit_test_as_a_task_with_events(server: RunningServer) -> None:
    needs(server, "python")
    with server.client() as client:
        resp = client.post(
            "/tasks",
            json={"kind": "unitTest", "language": "python", "code": PY_CODE, "testCode": PY_TESTS},
        )
        assert resp.status_code == 202, resp.text
        task_id = resp.json()["id"]
        task = client.get(f"/tasks/{task_id}", params={"wait": 30}).json()
        assert task["status"] == "done", task
        assert task["kind"] == "unitTest"
        assert task["result"]["status"] == "pass"
        assert task["result"]["summary"]["tests"] == 2
        with client.stream("GET", f"/tasks/{task_id}/events") as stream:
            text = "".join(stream.iter_text())
    events = []
    for block in text.split("\n\n"):
        fields = dict(
            line.split(": ", 1)
            for line in block.splitlines()
            if ": " in line and not line.startswith(":")
        )
        if "event" in fields:
            events.append((fields["event"], json.loads(fields["data"])))
    units = [data for kind, data in events if kind == "unit"]
    assert [(u["index"], u["name"], u["status"]) for u in units] == [
        (0, "adds small numbers", "pass"),
        (1, "adds negatives", "pass"),
    ]
    assert events[-1][0] == "done"
