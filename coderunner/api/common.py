"""What every endpoint shares: the app's state, the caller as plain values, access
with its breach alarm, and `admit_request` (gate.admit over the HTTP request)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from starlette.requests import Request

from ..admission import Caller
from ..gate import Admitted, Gate, access, admit
from ..sanitizer import SanitizerPolicy

if TYPE_CHECKING:
    from ..app import State
    from ..kinds import Kind

STORAGE_FULL = "no space left to stage sessions"


def state(request: Request) -> State:
    return cast("State", request.app.state.coderunner)


def gate(st: State) -> Gate:
    """The gate over the app's long-lived parts (cheap: a few references)."""
    return Gate(
        admission=st.admission,
        plan=st.tasks.plan,
        sanitizer=SanitizerPolicy.from_settings(st.sanitizer, st.settings.sanitizer),
        events=st.events,
        webhook_hosts=tuple(st.settings.tasks.webhook_hosts),
    )


def caller(st: State, request: Request) -> Caller:
    return Caller.of(request, st.admission.client_address(request))


def check_access(st: State, request: Request) -> str:
    """The caller's address when it may use the API (Forbidden + breach alarm)."""
    return access(gate(st), caller(st, request))


def check_ops_access(st: State, request: Request) -> None:
    """/health, /metrics, /languages, /workers, /openapi.json: `server.ops_access`."""
    if st.settings.server.ops_access == "trusted":
        check_access(st, request)


async def admit_request(st: State, request: Request, *, kind: Kind | None = None) -> Admitted:
    """gate.admit over this request; the body is read (capped) only once the caller
    is known to be allowed."""
    return await admit(
        gate(st),
        caller(st, request),
        lambda: st.admission.read_body(request),
        kind=kind,
        draining=st.draining,
    )


def report_storage_full(st: State) -> None:
    """One alarm a minute (and one folded mail): every request fails the same way."""
    count = st.admission.breach_to_log("(storage full)")
    if count is not None:
        st.events.emit(
            "error",
            STORAGE_FULL,
            broadcast=True,
            details={"root": str(st.settings.sessions.root), "count": count},
        )
