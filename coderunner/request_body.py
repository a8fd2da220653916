"""What every task kind does alike with its JSON request: read it into its pydantic
model with one set of error messages, and answer the seam's (coderunner/kinds.py)
questions about the fields every request model has (language, user, code)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InvalidRequest

if TYPE_CHECKING:
    from .admission import Admission

M = TypeVar("M", bound=BaseModel)


def field_errors(exc: ValidationError) -> str:
    """Every field's complaint, "field.path: message", the first ten."""
    parts = [
        f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}"
        for e in exc.errors(include_url=False)
    ]
    return "; ".join(parts[:10])


def parse_json(
    model: type[M], body: bytes, describe: Callable[[ValidationError], str] = field_errors
) -> M:
    """The body as `model`, or InvalidRequest: an empty body, a body that is not JSON
    or not an object each get their own sentence; the fields' errors, `describe`'s."""
    if not body.strip():
        raise InvalidRequest("the request body is empty; a JSON object is expected")
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        types = {e["type"] for e in exc.errors(include_url=False)}
        if "json_invalid" in types:
            raise InvalidRequest("the request body is not valid JSON") from exc
        if "model_type" in types:
            raise InvalidRequest("the request body must be a JSON object") from exc
        raise InvalidRequest(describe(exc)) from exc


class Fields(Protocol):
    """The fields every kind's request model has."""

    @property
    def language(self) -> str: ...

    @property
    def user(self) -> str | None: ...

    @property
    def code(self) -> str: ...


B = TypeVar("B", bound=Fields)


class RequestKind(Generic[B]):
    """The part of a Kind that only reads the request's common fields; a kind
    overrides what its request does differently (unitTest's three texts)."""

    def language_id(self, body: B) -> str:
        return body.language

    def user(self, body: B) -> str | None:
        return body.user

    def check(self, body: B, admission: Admission) -> None:
        admission.check_submission(body.code, [])

    def code(self, body: B) -> str:
        return body.code
