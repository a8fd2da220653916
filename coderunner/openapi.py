"""The OpenAPI 3.1 description of the coderunner API (GET /openapi.json).

Written by hand from SPEC §2 rather than generated, so that it says exactly what the
endpoints promise (error codes included); tests/e2e/test_openapi.py runs a
schema-driven fuzzer against it.
"""

from __future__ import annotations

from typing import Any

from .config import Settings
from .functions import openapi as functions_openapi

ERROR_CODES = [
    "invalid_request", "invalid_arguments", "unsupported_language", "code_too_long",
    "too_many_test_cases",
    "input_too_large", "rejected_by_sanitizer", "forbidden", "not_found",
    "method_not_allowed", "payload_too_large", "rate_limited", "queue_full", "unavailable",
    "docker_unavailable", "storage_full", "internal_error", "http_error", "session_too_long",
    "callback_not_allowed", "draining",
]
TASK_STATUSES = ["queued", "running", "done", "failed", "cancelled"]
STATUSES = ["OK", "AC", "WA", "RE", "TLE", "MLE", "OLE", "CE", "IE"]


def _error(description: str, retry_after: bool = False) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if retry_after:
        response["headers"] = {
            "Retry-After": {"schema": {"type": "string"}, "description": "seconds"}
        }
    return response


def _trace_schemas(settings: Settings) -> dict[str, Any]:
    """POST /trace (SPEC section 11): the request, the answer and one step."""
    value = {"type": "object", "required": ["type", "value"], "properties": {
        "type": {"type": "string", "enum": ["bool", "number", "string", "object", "array",
                                            "none", "other"]},
        "value": {}, "truncated": {"type": "boolean"}, "length": {"type": "integer"}}}
    changes = {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Value"}}
    step = {
        "type": "object",
        "required": ["step", "line", "event", "functionScope", "localChanges", "globalChanges"],
        "properties": {
            "step": {"type": "integer", "minimum": 0},
            "line": {"type": "integer"},
            "event": {"type": "string", "enum": ["line", "call", "return", "exception"]},
            "functionScope": {"type": "array", "items": {"type": "string"}},
            "localChanges": changes,
            "globalChanges": changes,
            "returnValue": {"$ref": "#/components/schemas/Value"},
            "exception": {"type": "string"},
        },
    }
    request = {
        "type": "object",
        "required": ["code"],
        "properties": {
            "code": {"type": "string", "minLength": 1, "description": "a Python program"},
            "stdin": {"type": "string"},
            "language": {"type": "string", "enum": ["python"]},
            "maxSteps": {"type": "integer", "minimum": 1,
                         "maximum": settings.limits.max_trace_steps, "default": 1000},
            "timeLimitMs": {"type": "integer", "minimum": 1},
            "memoryLimitMb": {"type": "integer", "minimum": 1},
            "user": {"type": "string", "maxLength": 256},
        },
    }
    answer = {
        "type": "object",
        "required": ["sessionId", "stopReason", "stdout", "stderr", "error", "steps"],
        "properties": {
            "sessionId": {"type": "string"},
            "stopReason": {"type": "string", "enum": [
                "completed", "exception", "step_limit", "timeout", "memory_limit",
                "output_limit", "internal_error", "cancelled"]},
            "stdout": {"type": "string"},
            "stderr": {"type": "string"},
            "error": {"type": ["object", "null"], "properties": {
                "type": {"type": "string"}, "message": {"type": "string"},
                "line": {"type": ["integer", "null"]}}},
            "steps": {"type": "array", "items": {"$ref": "#/components/schemas/Step"}},
            "timeMs": {"type": "number"}, "cpuMs": {"type": "number"},
            "memoryKb": {"type": "integer"},
        },
    }
    return {"TraceRequest": request, "TraceAnswer": answer, "Step": step, "Value": value}


def openapi(settings: Settings, language_ids: list[str]) -> dict[str, Any]:
    lim = settings.limits
    submission = {
        "type": "object",
        # testCases, or problemId (a stored problem, SPEC section 10).
        "required": ["code", "language"],
        "properties": {
            "code": {"type": "string", "minLength": 1, "description": "source code"},
            "language": {"type": "string", "description": "an id from GET /languages",
                         **({"enum": language_ids} if language_ids else {})},
            "testCases": {"type": "array", "minItems": 1, "maxItems": lim.max_test_cases,
                          "items": {"type": "string"}, "description": "stdin of each test"},
            "problemId": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,64}$",
                          "description": "a stored problem's tests instead of testCases"},
            "user": {"type": "string", "maxLength": 256},
            "expectedOutputs": {"type": "array", "items": {"type": "string"}},
            "timeLimitMs": {"type": "integer", "minimum": 1},
            "memoryLimitMb": {"type": "integer", "minimum": 1},
        },
    }
    result = {
        "type": "object",
        "required": ["status", "exitCode", "signal", "timeMs", "memoryKb",
                     "stdoutTruncated", "stderrTruncated"],
        "properties": {
            "status": {"type": "string", "enum": STATUSES},
            "exitCode": {"type": ["integer", "null"]},
            "signal": {"type": ["integer", "null"]},
            "timeMs": {"type": "number", "minimum": 0},
            "cpuMs": {"type": "number", "minimum": 0},
            "memoryKb": {"type": "integer", "minimum": 0},
            "stdoutTruncated": {"type": "boolean"},
            "stderrTruncated": {"type": "boolean"},
            "error": {"type": "string"},
        },
    }
    answer = {
        "type": "object",
        "required": ["sessionId", "compilerErrors", "stdout", "stderr", "timestamps", "results"],
        "properties": {
            "sessionId": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
            "compilerErrors": {"type": "string"},
            "stdout": {"type": "array", "items": {"type": "string"}},
            "stderr": {"type": "array", "items": {"type": "string"}},
            "timestamps": {"type": "array", "items": {"type": "number"}},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}},
        },
    }
    error = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "enum": ERROR_CODES},
                    "message": {"type": "string"},
                    "violations": {"type": "array", "items": {"type": "object"}},
                    "languages": {"type": "array", "items": {"type": "string"}},
                },
            }
        },
    }
    common = {
        "403": _error("caller not trusted, or token missing/wrong"),
        "500": _error("unexpected internal error"),
    }
    task_submission = {
        "allOf": [{"$ref": "#/components/schemas/Submission"}],
        "properties": {
            "kind": {"type": "string", "default": "isolatedTest",
                     "description": "isolatedTest, trace, or a kind this server registers"},
            "callbackUrl": {"type": "string", "maxLength": 2048,
                            "description": "http(s) URL on a host of tasks.webhook_hosts"},
        },
    }
    task = {
        "type": "object",
        "required": ["id", "kind", "status", "createdAt", "startedAt", "finishedAt", "result",
                     "error"],
        "properties": {
            "id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
            "kind": {"type": "string"},
            "status": {"type": "string", "enum": TASK_STATUSES},
            "createdAt": {"type": "string"},
            "startedAt": {"type": ["string", "null"]},
            "finishedAt": {"type": ["string", "null"]},
            # The kind's synchronous answer: isolatedTest's, a trace's, ...
            "result": {"anyOf": [{"$ref": "#/components/schemas/Answer"},
                                 {"$ref": "#/components/schemas/TraceAnswer"},
                                 {"type": "null"}]},
            "error": {"type": ["object", "null"]},
        },
    }
    task_id = {"name": "taskId", "in": "path", "required": True,
               "schema": {"type": "string"}}
    task_json = {"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}}
    reads = {**common, "429": _error("rate limited", retry_after=True)}
    task_paths = {
        "/tasks": {
            "post": {
                "summary": "Submit a task; answers at once (SPEC section 8)",
                "operationId": "submitTask",
                "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                                "schema": {"type": "string", "maxLength": 255}}],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/TaskSubmission"}}}},
                "responses": {
                    "202": {"description": "accepted (or the first task of a repeated "
                                           "Idempotency-Key)",
                            "headers": {"Location": {"schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": {
                                "type": "object", "required": ["id", "status", "links"],
                                "properties": {
                                    "id": {"type": "string"},
                                    "status": {"type": "string", "enum": TASK_STATUSES},
                                    "links": {"type": "object"}}}}}},
                    "400": _error("invalid request (see error.code)"),
                    **common,
                    "413": _error("body over limits.max_body_bytes"),
                    "429": _error("rate limited", retry_after=True),
                    "503": _error("queue full, shutting down, or no disk space",
                                  retry_after=True),
                },
            },
            "get": {
                "summary": "Several tasks at once, in the order asked (null: unknown)",
                "operationId": "getTasks",
                "parameters": [{"name": "ids", "in": "query", "required": True,
                                "schema": {"type": "string"},
                                "description": "comma-separated task ids, at most 100"}],
                "responses": {
                    "200": {"description": "the tasks", "content": {"application/json": {
                        "schema": {"type": "object", "required": ["tasks"], "properties": {
                            "tasks": {"type": "array", "items": {"oneOf": [
                                {"$ref": "#/components/schemas/Task"}, {"type": "null"}]}}}}}}},
                    "400": _error("no ids, or more than 100"),
                    **reads,
                },
            },
        },
        "/tasks/{taskId}": {
            "get": {
                "summary": "A task; ?wait=N (0-30 s) answers as soon as it is final",
                "operationId": "getTask",
                "parameters": [task_id, {"name": "wait", "in": "query", "required": False,
                                         "schema": {"type": "number", "minimum": 0,
                                                    "maximum": 30}}],
                "responses": {"200": {"description": "the task", "content": task_json},
                              "400": _error("wait outside 0-30"),
                              "404": _error("unknown or expired task"), **reads},
            },
            "delete": {
                "summary": "Cancel: a queued task never runs, a running one is stopped",
                "operationId": "cancelTask",
                "parameters": [task_id],
                "responses": {"200": {"description": "the task", "content": task_json},
                              "404": _error("unknown or expired task"), **reads},
            },
        },
        "/tasks/{taskId}/events": {"get": {
            "summary": "Server-Sent Events: status, compile, test, ..., done",
            "operationId": "taskEvents",
            "parameters": [task_id, {"name": "Last-Event-ID", "in": "header",
                                     "required": False, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "one event per item; ends after done",
                                  "content": {"text/event-stream": {"schema": {
                "type": "object", "required": ["id", "event", "data"],
                "properties": {
                    "id": {"type": "string", "pattern": "^[0-9]+$"},
                    "event": {"type": "string", "enum": [
                        "status", "compile", "test", "unit", "case", "step", "done"]},
                    "data": {"type": "string", "description": "one line of JSON"},
                }}}}},
                "404": _error("unknown or expired task"), **reads},
        }},
    }
    # server.ops_access = "trusted": the operations endpoints refuse like /isolatedTest.
    ops = {"403": common["403"]} if settings.server.ops_access == "trusted" else {}
    return {
        "openapi": "3.1.0",
        "info": {"title": "CodeRunner", "version": "1.0.0",
                 "description": "Runs untrusted code against stdin test cases in "
                                "single-use, locked-down containers."},
        "paths": {
            "/isolatedTest": {"post": {
                "summary": "Compile once, run every test case, answer per-test results",
                "operationId": "isolatedTest",
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Submission"}}
                }},
                "responses": {
                    "200": {"description": "one entry per test case, in order",
                            "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/Answer"}}}},
                    "400": _error("invalid request (see error.code)"),
                    **common,
                    "413": _error("body over limits.max_body_bytes"),
                    "429": _error("rate limited", retry_after=True),
                    "503": _error("queue full, shutting down (draining), or no disk space to "
                                  "stage the session (storage_full)", retry_after=True),
                },
            }},
            "/trace": {"post": {
                "summary": "Run a Python program traced line by line (SPEC section 11)",
                "operationId": "trace",
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/TraceRequest"}}
                }},
                "responses": {
                    "200": {"description": "the steps recorded and why the program stopped",
                            "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/TraceAnswer"}}}},
                    "400": _error("invalid request (see error.code)"),
                    **common,
                    "413": _error("body over limits.max_body_bytes"),
                    "429": _error("rate limited", retry_after=True),
                    "503": _error("queue full, shutting down, or no disk space",
                                  retry_after=True),
                },
            }},
            "/unitTest": {"post": {
                "summary": "Run the code against its unit tests in the language's framework "
                           "(SPEC section 9)",
                "operationId": "unitTest",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/UnitTestRequest"}}}},
                "responses": {
                    "200": {"description": "overall status, one entry per test in order",
                            "content": {"application/json": {"schema": {
                                "$ref": "#/components/schemas/UnitTestAnswer"}}}},
                    "400": _error("invalid request, or a language without a unit-test "
                                  "harness (unsupported_language)"),
                    **common,
                    "413": _error("body over limits.max_body_bytes"),
                    "429": _error("rate limited", retry_after=True),
                    "503": _error("queue full, shutting down, or no disk space",
                                  retry_after=True),
                },
            }},
            "/analyseTest/{sessionId}": {"get": {
                "summary": "Callback of docker-handler.sh (loopback and session token only)",
                "operationId": "analyseTest",
                "parameters": [
                    {"name": "sessionId", "in": "path", "required": True,
                     "schema": {"type": "string"}},
                    {"name": "token", "in": "query", "required": False,
                     "schema": {"type": "string"}},
                    {"name": "X-Session-Token", "in": "header", "required": False,
                     "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {"description": "accepted",
                            "content": {"application/json": {"schema": {
                                "type": "object", "required": ["data"],
                                "properties": {"data": {"type": "null"}}}}}},
                    **common,
                    "404": _error("unknown session"),
                },
            }},
            "/languages": {"get": {
                "summary": "Languages whose image is built",
                "operationId": "languages",
                "responses": {"200": {"description": "the languages", "content": {
                    "application/json": {"schema": {"type": "array", "items": {
                        "$ref": "#/components/schemas/Language"}}}}}, **ops},
            }},
            "/health": {"get": {
                "summary": "Engine, images, queue, log server",
                "operationId": "health",
                "responses": {
                    "200": {"description": "healthy", "content": {
                        "application/json": {"schema": {"type": "object"}}}},
                    "503": {"description": "a required part is down, or free disk space is "
                                           "below sessions.min_free_mb", "content": {
                        "application/json": {"schema": {"type": "object"}}}},
                    **ops,
                },
            }},
            "/metrics": {"get": {
                "summary": "Prometheus metrics",
                "operationId": "metrics",
                "responses": {"200": {"description": "text exposition format",
                                      "content": {"text/plain": {"schema": {"type": "string"}}}},
                              **ops},
            }},
            **task_paths,
            **functions_openapi.paths(common, _error),
            "/openapi.json": {"get": {
                "summary": "This document",
                "operationId": "openapi",
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {
                    "application/json": {"schema": {"type": "object"}}}}, **ops},
            }},
        },
        "components": {"schemas": {
            **functions_openapi.schemas(
                settings, {"enum": language_ids} if language_ids else {}),
            "Submission": submission,
            "TaskSubmission": task_submission,
            "Task": task,
            "Answer": answer,
            "Result": result,
            "Error": error,
            **_trace_schemas(settings),
            "Language": {
                "type": "object",
                "required": ["id", "name", "compiled", "extension"],
                "properties": {
                    "id": {"type": "string"}, "name": {"type": "string"},
                    "version": {"type": "string"}, "compiled": {"type": "boolean"},
                    "extension": {"type": "string"},
                    "unitTest": {"type": "boolean",
                                 "description": "POST /unitTest works for this language"},
                    "trace": {"type": "boolean", "description": "POST /trace supports it"},
                    "packages": {
                        "type": "array",
                        "description": "curated libraries in the image (SPEC section 12)",
                        "items": {
                            "type": "object", "required": ["name", "version"],
                            "properties": {"name": {"type": "string"},
                                           "version": {"type": "string"}},
                        },
                    },
                    "functionTest": {"type": "boolean"},
                },
            },
            **unit_schemas(settings, language_ids),
        }},
    }


def unit_schemas(settings: Settings, language_ids: list[str]) -> dict[str, Any]:
    """POST /unitTest's request and answer (SPEC section 9)."""
    lim = settings.limits
    return {
        "UnitTestRequest": {
            "type": "object",
            "required": ["language", "code", "testCode"],
            "properties": {
                "language": {"type": "string", "description": "an id from GET /languages "
                             "whose unitTest is true",
                             **({"enum": language_ids} if language_ids else {})},
                "code": {"type": "string", "minLength": 1,
                         "description": "the solution (python: module `solution`)"},
                "testCode": {"type": "string", "minLength": 1,
                             "description": "the tests, in the language's framework"},
                "preloaded": {"type": "string", "description": "python: module `preloaded`"},
                "user": {"type": "string", "maxLength": 256},
                "timeLimitMs": {"type": "integer", "minimum": 1, "description":
                                f"CPU time of the whole run (default {lim.unit_time_limit_ms}, "
                                f"capped at {lim.max_unit_time_limit_ms})"},
                "memoryLimitMb": {"type": "integer", "minimum": 1},
            },
        },
        "UnitTestAnswer": {
            "type": "object",
            "required": ["sessionId", "status", "compilerErrors", "summary", "tests",
                         "stdout", "stderr", "timeMs", "message"],
            "properties": {
                "sessionId": {"type": "string"},
                "status": {"type": "string", "enum": ["pass", "fail", "error"]},
                "compilerErrors": {"type": "string"},
                "summary": {"type": "object", "properties": {
                    k: {"type": "integer", "minimum": 0}
                    for k in ("tests", "passed", "failed", "errors")}},
                "tests": {"type": "array", "items": {"type": "object", "properties": {
                    "path": {"type": "array", "items": {"type": "string"}},
                    "name": {"type": "string"},
                    "status": {"type": "string", "enum": ["pass", "fail", "error"]},
                    "timeMs": {"type": ["number", "null"]},
                    "assertions": {"type": "array", "items": {"type": "object", "properties": {
                        "passed": {"type": "boolean"}, "message": {"type": "string"}}}},
                    "output": {"type": "string"},
                }}},
                "stdout": {"type": "string"},
                "stderr": {"type": "string"},
                "timeMs": {"type": "number", "minimum": 0},
                "message": {"type": ["string", "null"]},
            },
        },
    }
