"""The gate: `admit()`, the one call that decides whether a submission runs.

Access, draining, body size, JSON, kind, validation, rate limits, size limits, the
resource plan, callbackUrl and the sanitizer policy, in that order, over plain values
(a `Caller`, the body, a `Gate` of collaborators): it returns an `Admitted` request
or raises a CodeRunnerError, so it is tested without Starlette. The endpoints in
coderunner/api/ only build its arguments from the HTTP request.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .admission import Admission, Caller
from .errors import CodeRunnerError, Draining, Forbidden, InvalidRequest
from .tasks.webhooks import check_callback_url

if TYPE_CHECKING:
    from .kinds import Kind
    from .sanitizer import SanitizerPolicy
    from .tasks.service import Planned


# Constant messages: the log server folds alarms with the same type, message and
# source into one mail, so what varies (address, count, path) goes in `details`.
REFUSED_CALLER = "refused a caller that is not allowed"

BodyReader = Callable[[], Awaitable[bytes]]  # reads the body, refusing it past the cap


class Events(Protocol):
    """Where refusals and findings are reported (the log server's client)."""

    def emit(
        self,
        type: str,
        message: str,
        *,
        user: str | None = None,
        broadcast: bool = False,
        details: dict[str, Any] | None = None,
    ) -> None: ...


@dataclass(frozen=True)
class Gate:
    """What admission consults besides the request: its checks (access, rate, sizes),
    the resource plan (`plan`: language, limits, limits.max_session_s), the sanitizer
    policy, the allowed webhook hosts, and where refusals are reported."""

    admission: Admission
    plan: Callable[[Kind, Any], Planned]
    sanitizer: SanitizerPolicy
    events: Events
    webhook_hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Admitted:
    """A submission that passed every check: what the task service needs."""

    planned: Planned
    request: dict[str, Any]  # the JSON body as sent: enough to run it again after a restart
    user: str
    address: str
    callback_url: str | None = None


def access(gate: Gate, caller: Caller) -> str:
    """The caller's address when it may call; Forbidden (and a breach alarm, at most
    one a minute per address, the refusals in between counted into it) otherwise."""
    try:
        return gate.admission.check_caller(caller)
    except Forbidden:
        report_refusal(gate, caller.address, caller.path, REFUSED_CALLER)
        raise


def report_refusal(gate: Gate, address: str, path: str, message: str) -> None:
    count = gate.admission.breach_to_log(address)
    if count is not None:
        gate.events.emit(
            "breach",
            message,
            broadcast=True,
            details={"address": address, "path": path, "count": count},
        )


async def admit(
    gate: Gate,
    caller: Caller,
    body: bytes | BodyReader,
    *,
    kind: Kind | None = None,
    draining: bool = False,
) -> Admitted:
    """Every submission, in this order: access, draining, body size, JSON, kind,
    validation, per-user and global rate limit, size limits, language and the
    resource plan, callbackUrl, sanitizer. Refusals are reported to `gate.events`.

    body: the bytes, or a reader that refuses a body over the cap (then an untrusted
    caller is refused before its body is read). kind: a synchronous endpoint's kind;
    None: POST /tasks (the body names its kind and may carry a callbackUrl)."""
    from .kinds import kind_named  # the kinds import the harnesses: not at import time

    task_fields = kind is None
    address = access(gate, caller)
    if draining:
        raise Draining()
    user = address
    try:
        raw = body if isinstance(body, bytes) else await body()
        data = _json_object(raw)
        if kind is None:
            kind = kind_named(data.get("kind", "isolatedTest"))
        parsed = kind.parse(raw)
        user = kind.user(parsed) or caller.user or address
        gate.admission.check_rate(user)
        kind.check(parsed, gate.admission)
        planned = gate.plan(kind, parsed)
        callback = None
        if task_fields and data.get("callbackUrl") is not None:
            url = data["callbackUrl"]
            if not isinstance(url, str):
                raise InvalidRequest("callbackUrl: must be a string (an http or https URL)")
            callback = check_callback_url(url, list(gate.webhook_hosts))
        review = gate.sanitizer.review(kind.code(parsed), kind.language_id(parsed))
        if review is not None:
            gate.events.emit(
                "warning",
                review.message,
                user=user,
                broadcast=review.broadcast,
                details={"address": address, **review.details()},
            )
            if review.reject:
                raise review.error()
    except CodeRunnerError as exc:
        warn_refused(gate.events, "request", exc, user=user, address=address)
        raise
    return Admitted(planned, data, user, address, callback)


def warn_refused(
    events: Events, what: str, exc: CodeRunnerError, *, user: str, address: str
) -> None:
    """Report a refused request (`what`: "request", "problem") as a "warning" event."""
    events.emit(
        "warning",
        f"refused {what}: {exc.code}",
        user=user,
        details={"address": address, "code": exc.code, "message": exc.message[:500]},
    )


def _json_object(raw: bytes) -> dict[str, Any]:
    # The kind's own model gives the precise messages; this only needs the object.
    if not raw.strip():
        raise InvalidRequest("the request body is empty; a JSON object is expected")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise InvalidRequest("the request body is not valid JSON") from exc
    if not isinstance(data, dict):
        raise InvalidRequest("the request body must be a JSON object")
    return data
