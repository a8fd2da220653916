"""The OpenAPI 3.1 description of the coderunner API (GET /openapi.json), generated.

Nothing in it is copied: request bodies are the pydantic models the endpoints parse
with (schemas.py, harness/, functions/, problems.py), answers are the models of
answers.py, error codes and their statuses come from the error class tree, verdicts
and task statuses from their enums, and the paths from the app's route table. What
stays here is what code cannot say: which model answers which route, which error
statuses a route can answer, and a summary for people. The limits that come from
the configuration (test cases, steps) are filled in per app.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from plumbing import openapi as oa

from . import answers
from .config import Settings
from .errors import CodeRunnerError
from .functions import openapi as functions_openapi
from .harness.trace import TraceRequest
from .harness.unit import UnitTestRequest
from .kinds import KINDS
from .schemas import Submission, TaskSubmission

# What any route may answer: the caller is not trusted (or its token is wrong), a bug.
COMMON = (403, 500)
READS = (*COMMON, 429)
# A submission: invalid, too large, too fast, no room (queue, disk, shutting down).
SUBMIT = (400, *COMMON, 413, 429, 503)


def error_root() -> type[oa.ErrorClass]:
    """The top of the error tree: wherever the base lives (coderunner.errors or the
    shared package), the topmost class of CodeRunnerError's ancestry with a code."""
    root: type[oa.ErrorClass] = [c for c in CodeRunnerError.__mro__ if hasattr(c, "code")][-1]
    return root


def error_classes() -> list[type[oa.ErrorClass]]:
    """Every error coderunner can answer with: the tree's classes defined next to its
    base (the errors both servers share) or in coderunner/ (not, say, a test's)."""
    root = error_root()
    return oa.error_classes(root, modules=(root.__module__, "coderunner."))


def error_table() -> dict[int, list[str]]:
    """{status: codes} of every error coderunner can answer with."""
    return oa.codes_by_status(error_classes())


def responses(statuses: Iterable[int], ok: dict[str, Any]) -> dict[str, Any]:
    """An operation's `responses`: its own answers (`ok`), then each error status's
    shared description (components.responses, generated from the tree)."""
    result = dict(ok)
    result.update({str(status): oa.error_ref(status) for status in sorted(set(statuses))})
    return result


def answer(description: str, schema: Any, **extra: Any) -> dict[str, Any]:
    body = oa.ref(schema) if isinstance(schema, type) else schema
    return {"description": description, "content": oa.json_content(body), **extra}


def operation(
    operation_id: str,
    summary: str,
    statuses: Iterable[int],
    *,
    ok: dict[str, Any],
    body: type | None = None,
    parameters: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "operationId": operation_id}
    if parameters:
        op["parameters"] = parameters
    if body is not None:
        op["requestBody"] = {"required": True, "content": oa.json_content(oa.ref(body))}
    op["responses"] = responses(statuses, ok)
    return op


def path_param(name: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema or {"type": "string"}}


def query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def header(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": False, "schema": schema}


def operations(settings: Settings) -> dict[tuple[str, str], dict[str, Any]]:
    """Each route's operation, keyed by the route table's (path, method)."""
    # The task endpoints import the endpoints module that serves this document.
    from .tasks.endpoints import IDEMPOTENCY_KEY, MAX_IDS, MAX_WAIT_S

    # server.ops_access = "trusted": the operations endpoints refuse like /isolatedTest.
    ops = (403,) if settings.server.ops_access == "trusted" else ()
    task = answer("the task", answers.Task)
    unknown = (*READS, 404)
    return {
        ("/isolatedTest", "post"): operation(
            "isolatedTest",
            "Compile once, run every test case, answer per-test results",
            SUBMIT,
            body=Submission,
            ok={"200": answer("one entry per test case, in order", answers.Answer)},
        ),
        ("/trace", "post"): operation(
            "trace",
            "Run a Python program traced line by line (SPEC section 11)",
            SUBMIT,
            body=TraceRequest,
            ok={
                "200": answer("the steps recorded and why the program stopped", answers.TraceAnswer)
            },
        ),
        ("/unitTest", "post"): operation(
            "unitTest",
            "Run the code against its unit tests in the language's framework (SPEC section 9)",
            SUBMIT,
            body=UnitTestRequest,
            ok={
                "200": answer("overall status, one entry per test in order", answers.UnitTestAnswer)
            },
        ),
        ("/analyseTest/{session_id}", "get"): operation(
            "analyseTest",
            "Callback of docker-handler.sh (loopback and session token only)",
            (*COMMON, 404),
            parameters=[
                path_param("session_id"),
                query("token", {"type": "string"}),
                header("X-Session-Token", {"type": "string"}),
            ],
            ok={"200": answer("accepted", answers.Accepted)},
        ),
        ("/languages", "get"): operation(
            "languages",
            "Languages whose image is built",
            ops,
            ok={
                "200": answer("the languages", {"type": "array", "items": oa.ref(answers.Language)})
            },
        ),
        ("/workers", "get"): operation(
            "workers",
            "The workers serving this server's tasks (SPEC section 13)",
            (*ops, 503),
            ok={
                "200": answer(
                    "the live workers", {"type": "array", "items": oa.ref(answers.Worker)}
                )
            },
        ),
        ("/health", "get"): operation(
            "health",
            "Engine, images, queue, workers, disk, log server",
            ops,
            ok={
                "200": answer("healthy", answers.Health),
                "503": answer(
                    "a required part is down, free disk space is below "
                    "sessions.min_free_mb, or the server is draining",
                    answers.Health,
                ),
            },
        ),
        ("/metrics", "get"): operation(
            "metrics",
            "Prometheus metrics",
            ops,
            ok={
                "200": {
                    "description": "text exposition format",
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                }
            },
        ),
        ("/openapi.json", "get"): operation(
            "openapi", "This document", ops, ok={"200": answer("OpenAPI 3.1", {"type": "object"})}
        ),
        ("/tasks", "post"): operation(
            "submitTask",
            "Submit a task; answers at once (SPEC section 8)",
            SUBMIT,
            body=TaskSubmission,
            parameters=[
                header("Idempotency-Key", {"type": "string", "pattern": IDEMPOTENCY_KEY.pattern})
            ],
            ok={
                "202": answer(
                    "accepted (or the first task of a repeated Idempotency-Key)",
                    answers.TaskAccepted,
                    headers={"Location": {"schema": {"type": "string"}}},
                )
            },
        ),
        ("/tasks", "get"): operation(
            "getTasks",
            "Several tasks at once, in the order asked (null: unknown)",
            (*READS, 400),
            parameters=[
                {
                    **query(
                        "ids", {"type": "string"}, f"comma-separated task ids, at most {MAX_IDS}"
                    ),
                    "required": True,
                }
            ],
            ok={"200": answer("the tasks", answers.TaskList)},
        ),
        ("/tasks/{task_id}", "get"): operation(
            "getTask",
            f"A task; ?wait=N (0-{MAX_WAIT_S:.0f} s) answers as soon as it is final",
            (*unknown, 400),
            parameters=[
                path_param("task_id"),
                query("wait", {"type": "number", "minimum": 0, "maximum": MAX_WAIT_S}),
            ],
            ok={"200": task},
        ),
        ("/tasks/{task_id}", "delete"): operation(
            "cancelTask",
            "Cancel: a queued task never runs, a running one is stopped",
            unknown,
            parameters=[path_param("task_id")],
            ok={"200": task},
        ),
        ("/tasks/{task_id}/events", "get"): operation(
            "taskEvents",
            "Server-Sent Events: status, compile, test, ..., done",
            unknown,
            parameters=[path_param("task_id"), header("Last-Event-ID", {"type": "string"})],
            ok={
                "200": {
                    "description": "one event per item; ends after done",
                    "content": {"text/event-stream": {"schema": oa.ref(answers.TaskEventLine)}},
                }
            },
        ),
        **functions_openapi.operations(operation, answer, path_param, query),
    }


REQUESTS: tuple[type[BaseModel], ...] = (
    Submission,
    TaskSubmission,
    TraceRequest,
    UnitTestRequest,
    *functions_openapi.REQUESTS,
)
ANSWERS: tuple[type[BaseModel], ...] = (
    answers.Answer,
    answers.FunctionAnswer,
    answers.UnitTestAnswer,
    answers.TraceAnswer,
    answers.Task,
    answers.TaskAccepted,
    answers.TaskList,
    answers.TaskEventLine,
    answers.Language,
    answers.Worker,
    answers.Health,
    answers.Accepted,
    *functions_openapi.ANSWERS,
)


def constrain(schema: dict[str, Any], field: str, **rules: Any) -> None:
    """Add `rules` to a property's schema: the limits that come from the configuration.
    Next to an optional field's `anyOf`, not inside it: maxItems and maximum only
    apply to arrays and numbers, so null stays allowed."""
    schema["properties"][field].update(rules)


def schemas(settings: Settings, language_ids: list[str]) -> dict[str, Any]:
    table = error_table()
    found = oa.model_schemas(REQUESTS, ANSWERS)
    found["Error"] = oa.error_schema(table)
    lim = settings.limits
    if language_ids:
        for name in ("Submission", "TaskSubmission", "UnitTestRequest", "FunctionTest"):
            constrain(found[name], "language", enum=language_ids)
    for name in ("Submission", "TaskSubmission"):
        constrain(found[name], "testCases", maxItems=lim.max_test_cases)
    constrain(found["TraceRequest"], "maxSteps", maximum=lim.max_trace_steps)
    # The task kinds this server registers (isolatedTest, trace, unitTest, ...).
    constrain(found["TaskSubmission"], "kind", enum=sorted(KINDS))
    functions_openapi.constrain(found, settings, constrain)
    return found


def openapi(settings: Settings, language_ids: list[str], routes: Iterable[Any]) -> dict[str, Any]:
    """The document for an app serving `routes` (its route table)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "CodeRunner",
            "version": "1.0.0",
            "description": "Runs untrusted code against stdin test cases in "
            "single-use, locked-down containers.",
        },
        "paths": oa.paths(routes, operations(settings)),
        "components": {
            "schemas": schemas(settings, language_ids),
            "responses": oa.error_responses(error_table()),
        },
    }
