"""One error tree. Each class carries its HTTP status and machine code; one handler
(`error_response`) renders any of them as the SPEC's JSON error body."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse


class CodeRunnerError(Exception):
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


class InvalidRequest(CodeRunnerError):
    status, code = 400, "invalid_request"


class UnsupportedLanguage(CodeRunnerError):
    status, code = 400, "unsupported_language"


class CodeTooLong(CodeRunnerError):
    status, code = 400, "code_too_long"


class TooManyTestCases(CodeRunnerError):
    status, code = 400, "too_many_test_cases"


class InputTooLarge(CodeRunnerError):
    status, code = 400, "input_too_large"


class RejectedBySanitizer(CodeRunnerError):
    status, code = 400, "rejected_by_sanitizer"


class CallbackNotAllowed(CodeRunnerError):
    """A task's callbackUrl names a host outside `tasks.webhook_hosts`."""

    status, code = 400, "callback_not_allowed"


class SessionTooLong(CodeRunnerError):
    """The tests could hold a container longer than `limits.max_session_s`."""

    status, code = 400, "session_too_long"


class Forbidden(CodeRunnerError):
    status, code = 403, "forbidden"


class NotFound(CodeRunnerError):
    status, code = 404, "not_found"


class PayloadTooLarge(CodeRunnerError):
    status, code = 413, "payload_too_large"


class RateLimited(CodeRunnerError):
    status, code = 429, "rate_limited"

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)}, **kwargs)
        self.retry_after = retry_after


class QueueFull(CodeRunnerError):
    status, code = 503, "queue_full"

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)}, **kwargs)
        self.retry_after = retry_after


class Unavailable(CodeRunnerError):
    """The service is shutting down or a required part (Docker) is down."""

    status, code = 503, "unavailable"


class Draining(CodeRunnerError):
    """The server is shutting down: it admits nothing new (SPEC section 2)."""

    status, code = 503, "draining"

    def __init__(self, message: str = "the service is shutting down", **kwargs: Any) -> None:
        super().__init__(message, headers={"Retry-After": "10"}, **kwargs)


class StorageFull(CodeRunnerError):
    """No space (or no inodes) left to stage a session: a retry may succeed once
    sessions have been cleaned up, so 503 with Retry-After rather than 500."""

    status, code = 503, "storage_full"

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)}, **kwargs)
        self.retry_after = retry_after


class InternalError(CodeRunnerError):
    status, code = 500, "internal_error"


class DockerError(CodeRunnerError):
    """A Docker engine failure, wrapped where it enters (SDK or CLI)."""

    status, code = 503, "docker_unavailable"


async def error_response(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, CodeRunnerError):
        exc = InternalError("internal error")
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)
