"""The error base and the one renderer.

Every error a client may see carries its HTTP status and a machine code. `render`
turns *any* exception into the SPEC's JSON error body
(`{"error": {"code", "message", ...details}}`): our own errors as they are,
Starlette's HTTPException (404, 405 with its Allow header) by status, a pydantic
ValidationError as 400 invalid_request naming the fields, and anything else as a
bare 500 that says nothing of the cause (it is logged, never sent).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response


class Error(Exception):
    """An error with a place in the contract: `status`, `code`, a message for people
    and `details` (merged into the body for programs)."""

    status: int = 500
    code: str = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, **self.details}}


class InvalidRequest(Error):
    status, code = 400, "invalid_request"


class Forbidden(Error):
    status, code = 403, "forbidden"


class NotFound(Error):
    status, code = 404, "not_found"


class MethodNotAllowed(Error):
    status, code = 405, "method_not_allowed"


class PayloadTooLarge(Error):
    """A body over its cap, in both servers (SPEC: 413 payload_too_large)."""

    status, code = 413, "payload_too_large"


class Unavailable(Error):
    """The service is shutting down or a part it needs (Docker, the database) is down."""

    status, code = 503, "unavailable"


class InternalError(Error):
    status, code = 500, "internal_error"


# Starlette's own refusals (no route, wrong method) by status; others keep the status.
_HTTP_ERRORS: dict[int, type[Error]] = {404: NotFound, 405: MethodNotAllowed}


def describe(exc: ValidationError, top: str = "body") -> str:
    """Each problem as `where.it.is: what is wrong`, joined by "; "."""
    return "; ".join(
        f"{'.'.join(str(part) for part in err['loc']) or top}: {err['msg']}" for err in exc.errors()
    )


def as_error(exc: BaseException) -> Error:
    """`exc` as one of ours: the only place foreign errors are translated for clients."""
    if isinstance(exc, Error):
        return exc
    if isinstance(exc, HTTPException):
        cls = _HTTP_ERRORS.get(exc.status_code)
        headers = dict(exc.headers or {})  # 405 carries Allow
        if cls is not None:
            return cls(str(exc.detail), headers=headers)
        error = Error(str(exc.detail), headers=headers)
        error.status, error.code = exc.status_code, "http_error"
        return error
    if isinstance(exc, ValidationError):
        return InvalidRequest(describe(exc) or "invalid request")
    # Anything else is our bug: its text may hold paths or secrets, so say nothing.
    return InternalError("internal error")


def render(exc: BaseException) -> JSONResponse:
    """The one renderer: any exception as the SPEC's JSON error response."""
    error = as_error(exc)
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


Unexpected = Callable[[Request, Exception], None]
Handler = Callable[[Request, Exception], Awaitable[Response]]


def exception_handlers(on_unexpected: Unexpected | None = None) -> Mapping[Any, Handler]:
    """Starlette `exception_handlers` for an app: every error through `render`.

    `on_unexpected(request, exc)` is told of errors that are not ours (bugs: log them,
    raise an alarm); it must not raise. Starlette still re-raises those after the
    response so that the server logs the traceback too.
    """

    async def known(request: Request, exc: Exception) -> Response:
        return render(exc)

    async def unexpected(request: Request, exc: Exception) -> Response:
        if on_unexpected is not None:
            on_unexpected(request, exc)
        return render(exc)

    # Starlette runs the `Exception` handler in its outermost middleware (after the
    # others failed to match), so the order here does not matter.
    return {Error: known, HTTPException: known, ValidationError: known, Exception: unexpected}
