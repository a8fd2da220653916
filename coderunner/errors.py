"""coderunner's errors: each class carries its HTTP status and machine code.

The base and the errors both servers raise (InvalidRequest, Forbidden, NotFound,
PayloadTooLarge, Unavailable, InternalError) live in plumbing.errors, with the one
renderer; they are re-exported here so that `from coderunner.errors import X` works
for every error coderunner raises.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from plumbing.errors import (
    Error,
    Forbidden,
    InternalError,
    InvalidRequest,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    Unavailable,
    render,
)

__all__ = [
    "BrokerUnavailable",
    "CallbackNotAllowed",
    "CodeRunnerError",
    "CodeTooLong",
    "DockerError",
    "Draining",
    "Forbidden",
    "InputTooLarge",
    "InternalError",
    "InvalidArguments",
    "InvalidRequest",
    "MethodNotAllowed",
    "NotFound",
    "PayloadTooLarge",
    "QueueFull",
    "RateLimited",
    "RejectedBySanitizer",
    "SessionTooLong",
    "StorageFull",
    "TooManyTestCases",
    "Unavailable",
    "UnsupportedLanguage",
    "error_response",
]

# The base of every error with a place in the contract (the name coderunner's code
# has always caught); the shared errors above derive from it too.
CodeRunnerError = Error


class InvalidArguments(CodeRunnerError):
    """A function test's argument or expected value does not fit the declared type."""

    status, code = 400, "invalid_arguments"


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


class BrokerUnavailable(CodeRunnerError):
    """The task broker (Redis) cannot be reached: nothing was accepted, retry later."""

    status, code = 503, "broker_unavailable"

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)}, **kwargs)
        self.retry_after = retry_after


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


class DockerError(CodeRunnerError):
    """A Docker engine failure, wrapped where it enters (SDK or CLI)."""

    status, code = 503, "docker_unavailable"


async def error_response(request: Request, exc: Exception) -> Response:
    """A Starlette exception handler (for apps that install only this one)."""
    return render(exc)
