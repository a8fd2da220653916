"""Both servers' OpenAPI documents, built from the code without a server: they are
valid OpenAPI 3.1, describe every route of the route tables, and cannot drift from
the error tree, the status enums or the models (the drift tests fail when a code or
a status exists in the code but not in the document)."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from pydantic import BaseModel
from starlette.routing import Route

from coderunner import answers
from coderunner.analyzer import Status
from coderunner.app import ROUTES
from coderunner.config import Settings
from coderunner.openapi import error_classes, error_root, openapi
from coderunner.tasks.model import TaskStatus
from logserver.app import create_app as create_logserver
from logserver.config import LogServerSettings
from logserver.openapi import openapi as logserver_openapi
from plumbing import openapi as oa
from plumbing.events import EVENT_TYPES, MailStatus

LANGUAGES = ["c", "python"]


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return openapi(Settings(), LANGUAGES, ROUTES)


@pytest.fixture(scope="module")
def log_doc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    where: Path = tmp_path_factory.mktemp("logserver")
    settings = LogServerSettings.model_validate(
        {"logserver": {"database": where / "events.db"}, "smtp": {"outbox": where / "outbox"}}
    )
    app = create_logserver(settings)
    return logserver_openapi(settings, app.routes)


def enums(node: Any) -> set[Any]:
    """Every value of every `enum` anywhere in a document."""
    found: set[Any] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "enum" and isinstance(value, list):
                found.update(v for v in value if not isinstance(v, (dict, list)))
            else:
                found |= enums(value)
    elif isinstance(node, list):
        for item in node:
            found |= enums(item)
    return found


def schema_of(doc: dict[str, Any], name: str) -> Draft202012Validator:
    """A validator for one component, its $refs resolved inside the document."""
    return Draft202012Validator(
        {**doc["components"]["schemas"][name], "components": doc["components"]}
    )


def test_both_documents_are_valid_openapi_3_1(doc: dict[str, Any], log_doc: dict[str, Any]) -> None:
    validate(doc)
    validate(log_doc)
    assert doc["openapi"] == log_doc["openapi"] == "3.1.0"


def test_every_route_of_the_table_is_described_and_nothing_else(
    doc: dict[str, Any], log_doc: dict[str, Any]
) -> None:
    assert {(path, method) for path, ops in doc["paths"].items() for method in ops} == set(
        oa.route_methods(ROUTES)
    )
    assert {path: set(ops) for path, ops in log_doc["paths"].items()} == {
        "/log": {"get", "post"},
        "/": {"get"},
        "/health": {"get"},
        "/metrics": {"get"},
        "/openapi.json": {"get"},
    }


def test_a_route_without_an_operation_is_refused() -> None:
    async def endpoint(request: Any) -> None: ...

    with pytest.raises(LookupError, match="GET /brand-new"):
        openapi(Settings(), LANGUAGES, [*ROUTES, Route("/brand-new", endpoint)])


def test_drift_every_error_code_and_status_of_the_tree_is_in_the_document(
    doc: dict[str, Any],
) -> None:
    classes = error_classes()
    assert len(classes) >= 15  # the walk found the tree, not just its root
    codes = set(
        doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"]
    )
    responses = doc["components"]["responses"]
    for cls in classes:
        assert cls.code in codes, f"{cls.__name__}.code {cls.code!r} is not in the document"
        assert f"Error{cls.status}" in responses, f"{cls.__name__}.status {cls.status}"
        assert cls.code in responses[f"Error{cls.status}"]["description"]
    # Every status an error carries is answered somewhere, but 405 (a method the
    # document does not list) which no operation can describe.
    used = {
        status for ops in doc["paths"].values() for op in ops.values() for status in op["responses"]
    }
    assert {str(cls.status) for cls in classes} - {"405"} <= used


def test_drift_a_new_error_class_shows_up_by_itself() -> None:
    # The base is found at run time (wherever the tree's root lives), which mypy cannot
    # take as a base class: this is the one place a test needs that.
    class Kettle(error_root()):  # type: ignore[misc]
        # As if written into coderunner/errors.py.
        __module__ = "coderunner.errors"
        status, code = 418, "kettle_boiling"

    try:
        doc = openapi(Settings(), LANGUAGES, ROUTES)
        assert (
            "kettle_boiling"
            in doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"][
                "enum"
            ]
        )
        assert "kettle_boiling" in doc["components"]["responses"]["Error418"]["description"]
    finally:
        # Leave the tree as it was for the other tests of this process.
        del Kettle
        gc.collect()
    assert "kettle_boiling" not in {c.code for c in error_classes()}


def test_drift_every_verdict_and_task_status_is_in_the_document(doc: dict[str, Any]) -> None:
    values = enums(doc)
    assert {str(s) for s in Status} <= values
    assert {str(s) for s in TaskStatus} <= values
    schemas = doc["components"]["schemas"]
    assert set(schemas["Status"]["enum"]) == {str(s) for s in Status}
    assert set(schemas["TaskStatus"]["enum"]) == {str(s) for s in TaskStatus}


def test_drift_every_task_kind_is_in_the_document(doc: dict[str, Any]) -> None:
    from coderunner.kinds import KINDS

    kinds = doc["components"]["schemas"]["TaskSubmission"]["properties"]["kind"]["enum"]
    assert set(kinds) == set(KINDS) >= {"isolatedTest", "trace", "unitTest", "functionTest"}


def test_drift_every_request_field_is_in_the_document(doc: dict[str, Any]) -> None:
    from coderunner.functions.openapi import REQUESTS as FUNCTION_REQUESTS
    from coderunner.openapi import REQUESTS

    for model in (*REQUESTS, *FUNCTION_REQUESTS):
        described = set(doc["components"]["schemas"][model.__name__]["properties"])
        assert described == set(model.model_fields), model.__name__


def test_logserver_drift_event_types_and_mail_states(log_doc: dict[str, Any]) -> None:
    schemas = log_doc["components"]["schemas"]
    assert set(schemas["EventIn"]["properties"]["type"]["enum"]) == set(EVENT_TYPES)
    assert set(schemas["Event"]["properties"]["type"]["enum"]) == set(EVENT_TYPES)
    assert set(schemas["MailStatus"]["enum"]) == {str(s) for s in MailStatus}
    codes = set(schemas["Error"]["properties"]["error"]["properties"]["code"]["enum"])
    assert {
        "invalid_request",
        "forbidden",
        "not_found",
        "unavailable",
        "internal_error",
        oa.HTTP_ERROR,
    } <= codes
    # Every error class next to the base or in logserver/ is described, the other
    # server's own ones (defined in coderunner/) are not.
    root = error_root()
    for cls in oa.error_classes(root):
        if cls.__module__ == root.__module__ or cls.__module__.startswith("logserver."):
            assert cls.code in codes, cls.__name__
            assert f"Error{cls.status}" in log_doc["components"]["responses"]
        elif cls.__module__.startswith("coderunner.") and cls.code not in {
            c.code for c in oa.error_classes(root) if not c.__module__.startswith("coderunner.")
        }:
            assert cls.code not in codes, cls.__name__


def test_configured_limits_and_languages_are_filled_in() -> None:
    settings = Settings.model_validate({"limits": {"max_test_cases": 7, "max_trace_steps": 99}})
    schemas = openapi(settings, LANGUAGES, ROUTES)["components"]["schemas"]
    assert schemas["Submission"]["properties"]["language"]["enum"] == LANGUAGES
    assert schemas["Submission"]["properties"]["testCases"]["maxItems"] == 7
    assert schemas["TraceRequest"]["properties"]["maxSteps"]["maximum"] == 99
    too_many = Draft202012Validator(schemas["Submission"])
    assert not too_many.is_valid({"code": "x", "language": "c", "testCases": ["1"] * 8})
    assert too_many.is_valid({"code": "x", "language": "c", "testCases": None})


ANSWER: dict[str, Any] = {
    "sessionId": "0" * 32,
    "compilerErrors": "",
    "stdout": ["3\n"],
    "stderr": [""],
    "timestamps": [0.01],
    "results": [
        {
            "status": "OK",
            "exitCode": 0,
            "signal": None,
            "timeMs": 1.5,
            "cpuMs": 1.0,
            "memoryKb": 900,
            "stdoutTruncated": False,
            "stderrTruncated": False,
        }
    ],
}


@pytest.mark.parametrize(
    ("model", "body", "valid"),
    [
        (answers.Answer, ANSWER, True),
        (
            answers.Answer,
            {**ANSWER, "results": [{**ANSWER["results"][0], "status": "MAYBE"}]},
            False,
        ),
        (answers.Answer, {k: v for k, v in ANSWER.items() if k != "results"}, False),
        (
            answers.Task,
            {
                "id": "a" * 32,
                "kind": "isolatedTest",
                "status": "done",
                "createdAt": "2026-12-03T10:00:00.000Z",
                "startedAt": None,
                "finishedAt": None,
                "result": ANSWER,
                "error": None,
            },
            True,
        ),
        (
            answers.Task,
            {
                "id": "a" * 32,
                "kind": "isolatedTest",
                "status": "lost",
                "createdAt": "x",
                "startedAt": None,
                "finishedAt": None,
                "result": None,
                "error": None,
            },
            False,
        ),
    ],
)
def test_the_document_and_the_model_agree_on_answers(
    doc: dict[str, Any], model: type[BaseModel], body: dict[str, Any], valid: bool
) -> None:
    """The component is the model's schema: both accept and refuse the same bodies."""
    by_schema = schema_of(doc, model.__name__).is_valid(body)
    try:
        model.model_validate(body)
        by_model = True
    except ValueError:
        by_model = False
    assert by_schema == by_model == valid
