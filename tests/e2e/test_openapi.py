"""A schema-driven fuzzer (schemathesis) against a real server: no 5xx, and no
response that breaks the server's own OpenAPI description."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import RunningServer

pytestmark = pytest.mark.docker

CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "unsupported_method",
])


def schemathesis() -> str:
    found = shutil.which("schemathesis") or str(Path(sys.executable).parent / "schemathesis")
    assert Path(found).exists(), "schemathesis is a test dependency (pip install -e '.[test]')"
    return found


def test_openapi_document_describes_every_route(make_server: Callable[..., RunningServer]) -> None:
    server = make_server()
    with server.client() as client:
        doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/isolatedTest", "/unitTest", "/trace", "/analyseTest/{sessionId}",
                                 "/languages", "/health", "/metrics", "/openapi.json", "/tasks",
                                 "/tasks/{taskId}", "/tasks/{taskId}/events",
                                 "/functionTest", "/problems", "/problems/{id}"}
    assert set(doc["paths"]["/tasks/{taskId}"]) == {"get", "delete"}
    assert set(doc["components"]["schemas"]["Submission"]["properties"]["language"]["enum"]) >= {
        "python", "c", "cpp"}


def test_fuzzer_finds_no_server_error_and_no_schema_violation(
    make_server: Callable[..., RunningServer],
) -> None:
    server = make_server(
        ratelimit={"requests_per_minute": 100_000, "per_user_requests_per_minute": 100_000},
        queue={"max_size": 256},
    )
    proc = subprocess.run(
        [schemathesis(), "run", f"{server.url}/openapi.json", "--checks", CHECKS,
         "--max-examples", "40", "--request-timeout", "60", "--seed", "20261122"],
        capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "passed" in proc.stdout
