"""Building blocks of the OpenAPI documents both servers generate from their code.

Nothing here knows an endpoint: bodies come from pydantic models, error codes and
statuses from the error class tree, paths from the app's route table. A server
module (coderunner/openapi.py, logserver/openapi.py) only says which model answers
which route, so the document cannot drift from the code it describes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, Protocol

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

REF = "#/components/schemas/{model}"
# The code Starlette's other refusals carry (no class: the renderer keeps their status).
HTTP_ERROR = "http_error"
# RFC 9110: the statuses whose answers may say when to come back.
RETRY_STATUSES = frozenset({429, 503})

Mode = Literal["validation", "serialization"]


class ErrorClass(Protocol):
    """All this module needs of an error class: its place in the contract."""

    status: int
    code: str


def ref(model: type[BaseModel] | str) -> dict[str, str]:
    name = model if isinstance(model, str) else model.__name__
    return {"$ref": REF.format(model=name)}


def json_content(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": dict(schema)}}


def model_schemas(
    requests: Sequence[type[BaseModel]], answers: Sequence[type[BaseModel]]
) -> dict[str, Any]:
    """`components.schemas` for the models and every model they nest: request bodies
    as pydantic validates them, answers as pydantic serializes them."""
    pairs: list[tuple[type[BaseModel], Mode]] = [(m, "validation") for m in requests]
    pairs += [(m, "serialization") for m in answers]
    _, top = models_json_schema(pairs, ref_template=REF)
    schemas: dict[str, Any] = top.get("$defs", {})
    return schemas


def error_classes(
    root: type[ErrorClass], modules: Iterable[str] | None = None
) -> list[type[ErrorClass]]:
    """Every class under `root` (itself included) that carries a status and a code,
    optionally only those defined in modules starting with one of `modules`."""
    prefixes = tuple(modules) if modules is not None else None
    found: list[type[ErrorClass]] = []
    todo = [root]
    while todo:
        cls = todo.pop()
        if cls in found:
            continue
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(
        (
            c
            for c in found
            if isinstance(getattr(c, "status", None), int)
            and isinstance(getattr(c, "code", None), str)
            and (prefixes is None or c.__module__.startswith(prefixes))
        ),
        key=lambda c: (c.status, c.code),
    )


def codes_by_status(classes: Iterable[type[ErrorClass]]) -> dict[int, list[str]]:
    """{status: [code, ...]}, sorted, each code once."""
    table: dict[int, list[str]] = {}
    for cls in classes:
        codes = table.setdefault(cls.status, [])
        if cls.code not in codes:
            codes.append(cls.code)
    return {status: sorted(codes) for status, codes in sorted(table.items())}


def error_schema(table: Mapping[int, Sequence[str]]) -> dict[str, Any]:
    """The SPEC's error body, its `code` one of the tree's codes."""
    codes = sorted({code for codes in table.values() for code in codes} | {HTTP_ERROR})
    return {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                # Details (violations, limit, languages, ...) are merged into the body.
                "additionalProperties": True,
                "properties": {
                    "code": {"type": "string", "enum": codes},
                    "message": {"type": "string"},
                },
            }
        },
    }


def error_responses(table: Mapping[int, Sequence[str]]) -> dict[str, Any]:
    """`components.responses`: one per status of the tree ("Error400", ...), its
    description naming the codes an answer with that status may carry."""
    responses: dict[str, Any] = {}
    for status, codes in table.items():
        response: dict[str, Any] = {
            "description": "error: " + ", ".join(codes),
            "content": json_content(ref("Error")),
        }
        if status in RETRY_STATUSES:
            response["headers"] = {
                "Retry-After": {
                    "description": "seconds to wait before retrying",
                    "schema": {"type": "string"},
                }
            }
        responses[f"Error{status}"] = response
    return responses


def error_ref(status: int) -> dict[str, str]:
    return {"$ref": f"#/components/responses/Error{status}"}


def route_methods(routes: Iterable[Any]) -> list[tuple[str, str]]:
    """(path, method) of every route in a Starlette route table, HEAD left out
    (Starlette adds it to every GET)."""
    found: list[tuple[str, str]] = []
    for route in routes:
        path = getattr(route, "path", None)
        methods = getattr(route, "methods", None) or ()
        if path is None:
            continue
        found += [(path, m.lower()) for m in sorted(methods) if m != "HEAD"]
    return found


def paths(
    routes: Iterable[Any], operations: Mapping[tuple[str, str], dict[str, Any]]
) -> dict[str, Any]:
    """`paths` for the route table: each route's operation from `operations`.

    A route without an operation is a bug of the server's openapi module: it raises
    (the tests build the document, so this never reaches a client)."""
    result: dict[str, Any] = {}
    for path, method in route_methods(routes):
        operation = operations.get((path, method))
        if operation is None:
            raise LookupError(f"no OpenAPI operation for {method.upper()} {path}")
        result.setdefault(path, {})[method] = operation
    return result
