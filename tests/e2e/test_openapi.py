"""A schema-driven fuzzer (schemathesis) against a real server: no 5xx, and no
response that breaks the server's own OpenAPI description."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from pydantic import BaseModel

from coderunner import answers
from tests.helpers import RunningServer

pytestmark = pytest.mark.docker

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "unsupported_method",
    ]
)


def schemathesis() -> str:
    found = shutil.which("schemathesis") or str(Path(sys.executable).parent / "schemathesis")
    assert Path(found).exists(), "schemathesis is a test dependency (pip install -e '.[test]')"
    return found


def test_openapi_document_describes_every_route(make_server: Callable[..., RunningServer]) -> None:
    server = make_server()
    with server.client() as client:
        doc = client.get("/openapi.json").json()
    validate(doc)
    assert doc["openapi"].startswith("3.")
    # The paths are the route table's, path parameters named as the routes name them.
    assert set(doc["paths"]) == {
        "/isolatedTest",
        "/unitTest",
        "/trace",
        "/analyseTest/{session_id}",
        "/languages",
        "/health",
        "/metrics",
        "/workers",
        "/openapi.json",
        "/tasks",
        "/tasks/{task_id}",
        "/tasks/{task_id}/events",
        "/functionTest",
        "/problems",
        "/problems/{problem_id}",
    }
    assert set(doc["paths"]["/tasks/{task_id}"]) == {"get", "delete"}
    assert set(doc["components"]["schemas"]["Submission"]["properties"]["language"]["enum"]) >= {
        "python",
        "c",
        "cpp",
    }


def _conforms(doc: dict[str, Any], model: type[BaseModel], body: Any) -> None:
    """A real answer validates against its model and against the served document."""
    model.model_validate(body)
    schema = {**doc["components"]["schemas"][model.__name__], "components": doc["components"]}
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(body)]
    assert not errors, (model.__name__, errors[:3])


def test_real_answers_conform_to_the_models_and_the_document(
    make_server: Callable[..., RunningServer],
) -> None:
    server = make_server()
    with server.client() as client:
        doc = client.get("/openapi.json").json()
        ran = client.post(
            "/isolatedTest",
            json={
                "code": "print(int(input()) * 2)",
                "language": "python",
                "testCases": ["2", "x"],
                "expectedOutputs": ["4", "0"],
            },
        )
        assert ran.status_code == 200, ran.text
        _conforms(doc, answers.Answer, ran.json())
        # A wrong answer and a crash: the verdicts are the enum's.
        assert [r["status"] for r in ran.json()["results"]] == ["AC", "RE"]
        traced = client.post("/trace", json={"code": "x = 1\ny = x + 1\n", "maxSteps": 50})
        assert traced.status_code == 200, traced.text
        _conforms(doc, answers.TraceAnswer, traced.json())
        submitted = client.post(
            "/tasks", json={"code": "print(1)", "language": "python", "testCases": [""]}
        )
        assert submitted.status_code == 202, submitted.text
        _conforms(doc, answers.TaskAccepted, submitted.json())
        task = client.get(f"/tasks/{submitted.json()['id']}", params={"wait": 30})
        _conforms(doc, answers.Task, task.json())
        assert task.json()["status"] == "done"
        for language in client.get("/languages").json():
            _conforms(doc, answers.Language, language)
        health = client.get("/health")
        _conforms(doc, answers.Health, health.json())
        refused = client.post("/isolatedTest", json={"code": "", "language": "python"})
        assert refused.status_code == 400
        error = {**doc["components"]["schemas"]["Error"], "components": doc["components"]}
        assert Draft202012Validator(error).is_valid(refused.json())


def test_fuzzer_finds_no_server_error_and_no_schema_violation(
    make_server: Callable[..., RunningServer],
) -> None:
    server = make_server(
        ratelimit={"requests_per_minute": 100_000, "per_user_requests_per_minute": 100_000},
        queue={"max_size": 256},
    )
    proc = subprocess.run(
        [
            schemathesis(),
            "run",
            f"{server.url}/openapi.json",
            "--checks",
            CHECKS,
            "--max-examples",
            "40",
            "--request-timeout",
            "60",
            "--seed",
            "20261122",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "passed" in proc.stdout
