"""The OpenAPI 3.1 description of the log server (GET /openapi.json), generated.

The POST /log body is the model the endpoint validates with, the answers are the
models of logserver/schemas.py, the error codes and statuses come from the error
class tree, and the paths from the app's route table. What stays here is what code
cannot say: which model answers which route, which error statuses a route can
answer, the query filters of GET /log, and a summary for people. The limits that
come from the configuration (message length) are filled in per app.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from logserver import schemas
from logserver.config import LogServerSettings
from logserver.store import MAX_QUERY_LIMIT
from plumbing import openapi as oa
from plumbing.errors import Error
from plumbing.events import EVENT_TYPES, EventIn

# Answers any endpoint can give: the trusted-hosts check runs before routing, and
# an unexpected failure is a 500 in the same error body.
COMMON = (403, 500)
# The event store is unavailable (locked, read-only, closed).
STORE = (*COMMON, 503)
ANSWERS = (schemas.Stored, schemas.EventList, schemas.HealthOk, schemas.HealthDown)


def error_table() -> dict[int, list[str]]:
    """{status: codes} of the errors this server can raise: the classes defined next
    to the tree's base (the errors both servers share) and in logserver/ itself;
    the other server's own errors (queue_full and the like) are not ours."""
    root: type[oa.ErrorClass] = [c for c in Error.__mro__ if hasattr(c, "code")][-1]
    return oa.codes_by_status(oa.error_classes(root, modules=(root.__module__, "logserver.")))


def _query(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
        **extra,
    }


LOG_FILTERS = [
    _query(
        "type",
        {"type": "array", "items": {"type": "string", "enum": list(EVENT_TYPES)}},
        "only these types (repeat the parameter for several)",
        style="form",
        explode=True,
    ),
    _query("user", {"type": "string"}, "only this user's events"),
    _query("since", {"type": "string", "format": "date-time"}, "events at or after (ISO 8601)"),
    _query("until", {"type": "string", "format": "date-time"}, "events at or before (ISO 8601)"),
    _query("broadcast", {"type": "boolean"}, "only alarms (true) or only the rest (false)"),
    _query(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_QUERY_LIMIT, "default": 100},
        "at most this many, newest first",
    ),
]


def _answer(description: str, schema: Any) -> dict[str, Any]:
    body = oa.ref(schema) if isinstance(schema, type) else schema
    return {"description": description, "content": oa.json_content(body)}


def _op(operation_id: str, summary: str, statuses: Iterable[int], **extra: Any) -> dict[str, Any]:
    answers: dict[str, Any] = extra.pop("answers")
    responses = {**answers, **{str(s): oa.error_ref(s) for s in sorted(set(statuses))}}
    return {"summary": summary, "operationId": operation_id, **extra, "responses": responses}


OPERATIONS: dict[tuple[str, str], dict[str, Any]] = {
    ("/log", "post"): _op(
        "postLog",
        "Store one event; answered once it is durably stored",
        (400, 413, *STORE),
        requestBody={"required": True, "content": oa.json_content(oa.ref("EventIn"))},
        answers={"200": _answer("stored (or already stored under this id)", schemas.Stored)},
    ),
    ("/log", "get"): _op(
        "getLog",
        "Query events, newest first",
        (400, *STORE),
        parameters=LOG_FILTERS,
        answers={"200": _answer("the matching events", schemas.EventList)},
    ),
    ("/", "get"): _op(
        "adminPage",
        "Admin page: recent events and undelivered alarm mails",
        STORE,
        parameters=[
            _query("type", {"type": "string"}, "show one type (unknown: all)"),
            _query("user", {"type": "string"}, "show one user's events"),
        ],
        answers={
            "200": {
                "description": "HTML, no scripts",
                "content": {"text/html": {"schema": {"type": "string"}}},
            }
        },
    ),
    ("/health", "get"): _op(
        "health",
        "Database writable, SMTP reachability, undelivered mails",
        COMMON,
        answers={
            "200": _answer("healthy", schemas.HealthOk),
            "503": _answer(
                "the database is unavailable, free space is below "
                "logserver.min_free_mb, or the mail loop is stopped",
                schemas.HealthDown,
            ),
        },
    ),
    ("/metrics", "get"): _op(
        "metrics",
        "Prometheus metrics (text exposition format)",
        STORE,
        answers={
            "200": {
                "description": "events stored by type, mails by status, "
                "HTTP requests by status code",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        },
    ),
    ("/openapi.json", "get"): _op(
        "openapi",
        "This document",
        COMMON,
        answers={"200": _answer("OpenAPI 3.1", {"type": "object"})},
    ),
}


def openapi(settings: LogServerSettings, routes: Iterable[Any]) -> dict[str, Any]:
    """The document for an app serving `routes` (its route table)."""
    table = error_table()
    found = oa.model_schemas([EventIn], ANSWERS)
    found["Error"] = oa.error_schema(table)
    found["EventIn"]["properties"]["message"]["maxLength"] = settings.logserver.max_message_chars
    found["EventIn"]["properties"]["details"]["description"] = (
        f"structured context, at most {settings.logserver.max_details_bytes} bytes of JSON"
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "CodeRunner log server",
            "version": "1.0.0",
            "description": "Stores CodeRunner's events in SQLite and e-mails alarms "
            "(broadcast events) to the admins. Trusted hosts only.",
        },
        "paths": oa.paths(routes, OPERATIONS),
        "components": {"schemas": found, "responses": oa.error_responses(table)},
    }
