"""The OpenAPI entries of POST /functionTest and /problems (SPEC §10), merged into
coderunner/openapi.py's document."""

from __future__ import annotations

from typing import Any

from ..config import Settings

TYPE = {"type": "string", "pattern": r"^(int|long|double|bool|string)(\[\]){0,2}$"}
IDENT = {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}$"}
PROBLEM_ID = {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,64}$"}
CASE_STATUSES = ["AC", "WA", "RE", "TLE", "MLE", "OLE", "CE", "IE"]


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def schemas(settings: Settings, language_enum: dict[str, Any]) -> dict[str, Any]:
    lim = settings.limits
    function = {
        "type": "object", "required": ["name", "params", "returns"],
        "properties": {
            "name": IDENT,
            "params": {"type": "array", "maxItems": 16, "items": {
                "type": "object", "required": ["name", "type"],
                "properties": {"name": IDENT, "type": TYPE}}},
            "returns": TYPE,
        },
    }
    cases = {"type": "array", "minItems": 1, "maxItems": lim.max_cases, "items": {
        "type": "object", "required": ["args", "expected"],
        "properties": {"args": {"type": "array"}, "expected": {}}}}
    compare = {"type": "object", "properties": {
        "mode": {"type": "string", "enum": ["exact", "unordered", "float"]},
        "tolerance": {"type": "number", "minimum": 0}}}
    case = {
        "type": "object",
        "required": ["status", "actual", "expected", "error", "stdout", "timeMs"],
        "properties": {
            "status": {"type": "string", "enum": CASE_STATUSES},
            "actual": {}, "expected": {},
            "error": {"type": ["string", "null"]},
            "stdout": {"type": "string"},
            "timeMs": {"type": "number", "minimum": 0},
        },
    }
    return {
        "FunctionTest": {
            "type": "object", "required": ["code", "language"],
            "description": "function + cases (+ compare), or problemId",
            "properties": {
                "code": {"type": "string", "minLength": 1},
                "language": {"type": "string", **language_enum},
                "function": {"$ref": "#/components/schemas/Function"},
                "cases": cases, "compare": compare, "problemId": PROBLEM_ID,
                "user": {"type": "string", "maxLength": 256},
                "timeLimitMs": {"type": "integer", "minimum": 1},
                "memoryLimitMb": {"type": "integer", "minimum": 1},
            },
        },
        "Function": function,
        "Case": case,
        "FunctionAnswer": {"allOf": [
            {"$ref": "#/components/schemas/Answer"},
            {"type": "object", "required": ["cases"], "properties": {
                "cases": {"type": "array", "items": {"$ref": "#/components/schemas/Case"}}}},
        ]},
        "ProblemBody": {
            "type": "object",
            "description": "testCases (+ expectedOutputs), or function + cases (+ compare)",
            "properties": {
                "title": {"type": "string", "maxLength": 200},
                "testCases": {"type": "array", "minItems": 1, "maxItems": lim.max_test_cases,
                              "items": {"type": "string"}},
                "expectedOutputs": {"type": "array", "items": {"type": "string"}},
                "function": {"$ref": "#/components/schemas/Function"},
                "cases": cases, "compare": compare,
            },
        },
        "Problem": {
            "type": "object", "required": ["id", "kind", "tests", "createdAt", "updatedAt"],
            "properties": {
                "id": PROBLEM_ID,
                "kind": {"type": "string", "enum": ["isolatedTest", "functionTest"]},
                "tests": {"type": "integer", "minimum": 1},
                "inputBytes": {"type": "integer", "minimum": 0},
                "title": {"type": "string"},
                "createdAt": {"type": "string"}, "updatedAt": {"type": "string"},
                "hasExpectedOutputs": {"type": "boolean"},
                "testCases": {"type": "array", "items": {"type": "string"}},
                "expectedOutputs": {"type": "array", "items": {"type": "string"}},
                "function": {"$ref": "#/components/schemas/Function"},
                "cases": {"type": "array"}, "compare": compare,
            },
        },
    }


def paths(common: dict[str, Any], error: Any) -> dict[str, Any]:
    problem_id = {"name": "id", "in": "path", "required": True, "schema": PROBLEM_ID}
    return {
        "/functionTest": {"post": {
            "summary": "Call a named function on typed arguments, per case; the server compares",
            "operationId": "functionTest",
            "requestBody": {"required": True, "content": _json("FunctionTest")},
            "responses": {
                "200": {"description": "the /isolatedTest shape plus one entry per case",
                        "content": _json("FunctionAnswer")},
                "400": error("invalid request or arguments (invalid_arguments names the case "
                             "and the parameter)"),
                **common,
                "413": error("body over limits.max_body_bytes"),
                "429": error("rate limited", retry_after=True),
                "503": error("queue full, shutting down, or no disk space", retry_after=True),
            },
        }},
        "/problems": {"get": {
            "summary": "Every stored problem (without its tests)",
            "operationId": "listProblems",
            "responses": {"200": {"description": "the problems", "content": {
                "application/json": {"schema": {
                    "type": "object", "required": ["problems"], "properties": {"problems": {
                        "type": "array", "items": {"$ref": "#/components/schemas/Problem"}}}}}}},
                **common},
        }},
        "/problems/{id}": {
            "put": {
                "summary": "Store a problem (created 201, replaced 200)",
                "operationId": "putProblem",
                "parameters": [problem_id],
                "requestBody": {"required": True, "content": _json("ProblemBody")},
                "responses": {
                    "200": {"description": "replaced", "content": _json("Problem")},
                    "201": {"description": "created", "content": _json("Problem")},
                    "400": error("invalid problem"),
                    **common,
                    "413": error("body over problems.max_body_bytes"),
                    "429": error("rate limited", retry_after=True),
                },
            },
            "get": {
                "summary": "A stored problem (?full=1: with a stdin problem's tests)",
                "operationId": "getProblem",
                "parameters": [problem_id, {"name": "full", "in": "query", "required": False,
                                            "schema": {"type": "string", "enum": ["1", "0"]}}],
                "responses": {"200": {"description": "the problem", "content": _json("Problem")},
                              "400": error("bad problem id"), **common,
                              "404": error("no such problem")},
            },
            "delete": {
                "summary": "Delete a stored problem",
                "operationId": "deleteProblem",
                "parameters": [problem_id],
                "responses": {"200": {"description": "deleted", "content": {"application/json": {
                    "schema": {"type": "object", "required": ["deleted"],
                               "properties": {"deleted": {"type": "string"}}}}}},
                              "400": error("bad problem id"), **common,
                              "404": error("no such problem")},
            },
        },
    }
