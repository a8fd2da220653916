"""The tasks API (SPEC section 8): thin endpoints over the task service.

Every endpoint goes through the same access check (trusted hosts, token) and per-user
rate limit as /isolatedTest, answers errors with the one error body, and is counted
in /metrics; POST /tasks goes through the whole admission (coderunner/gate.py: admit).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..api.common import admit_request, check_access, report_storage_full
from ..errors import InvalidRequest, NotFound, StorageFull
from .model import Task
from .sse import event_stream, last_event_id

if TYPE_CHECKING:
    from ..app import State

TASK_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_IDS = 100
MAX_WAIT_S = 30.0
# Idempotency-Key: printable ASCII, bounded (it is stored with the task).
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


def _state(request: Request) -> State:
    state: State = request.app.state.coderunner
    return state


def _reader(st: State, request: Request) -> str:
    """Access and rate limit for the reading endpoints: the caller's address."""
    address = check_access(st, request)
    st.admission.check_rate(request.headers.get("x-user") or address)
    return address


def links(task_id: str) -> dict[str, str]:
    return {"self": f"/tasks/{task_id}", "events": f"/tasks/{task_id}/events"}


async def submit(request: Request) -> Response:
    """POST /tasks: 202 with the id, status and links; Location: /tasks/<id>."""
    st = _state(request)
    key = request.headers.get("idempotency-key")
    if key is not None and not IDEMPOTENCY_KEY.match(key):
        raise InvalidRequest("Idempotency-Key: 1 to 255 printable ASCII characters")
    admitted = await admit_request(st, request)
    try:
        task, created = await st.tasks.submit(
            admitted.planned,
            request=admitted.request,
            user=admitted.user,
            client=admitted.address,
            callback_url=admitted.callback_url,
            idempotency_key=key,
        )
    except StorageFull:
        report_storage_full(st)
        raise
    st.events.emit(
        "info",
        "task accepted" if created else "task repeated (Idempotency-Key)",
        user=admitted.user,
        details={
            "address": admitted.address,
            "taskId": task.id,
            "kind": task.kind,
            "language": admitted.planned.language.id,
        },
    )
    body = {"id": task.id, "status": str(task.status), "links": links(task.id)}
    return JSONResponse(body, status_code=202, headers={"Location": links(task.id)["self"]})


def _task_id(request: Request) -> str:
    task_id: str = request.path_params["task_id"]
    if not TASK_ID.match(task_id):
        raise NotFound(f"no task {task_id[:64]!r}: task ids are 32 hex digits")
    return task_id


def _wait(request: Request) -> float:
    raw = request.query_params.get("wait")
    if raw is None:
        return 0.0
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= MAX_WAIT_S:  # NaN fails this too
        raise InvalidRequest(
            f"wait: a number of seconds from 0 to {MAX_WAIT_S:.0f}", details={"parameter": "wait"}
        )
    return seconds


async def get_task(request: Request) -> Response:
    """GET /tasks/{id}[?wait=N]: answers as soon as the task is final, or after N s."""
    st = _state(request)
    _reader(st, request)
    seconds = _wait(request)
    task = await st.tasks.wait(_task_id(request), seconds)
    return JSONResponse(task.public())


async def list_tasks(request: Request) -> Response:
    """GET /tasks?ids=a,b,...: at most 100, in that order, null for unknown ids."""
    st = _state(request)
    _reader(st, request)
    raw = request.query_params.get("ids")
    if not raw:
        raise InvalidRequest(
            "ids: a comma-separated list of task ids is required", details={"parameter": "ids"}
        )
    ids = raw.split(",")
    if len(ids) > MAX_IDS:
        raise InvalidRequest(
            f"ids: at most {MAX_IDS} task ids ({len(ids)} given)",
            details={"parameter": "ids", "max": MAX_IDS},
        )
    valid = [i for i in ids if TASK_ID.match(i)]
    found = dict(zip(valid, await st.tasks.store.get_many(valid), strict=True))
    tasks: list[dict[str, Any] | None] = []
    for task_id in ids:
        task: Task | None = found.get(task_id)
        tasks.append(None if task is None else task.public())
    return JSONResponse({"tasks": tasks})


async def cancel_task(request: Request) -> Response:
    """DELETE /tasks/{id}: cancels; 200 with the task (a final task is unchanged)."""
    st = _state(request)
    address = _reader(st, request)
    task = await st.tasks.cancel(_task_id(request))
    st.events.emit(
        "info",
        "task cancel",
        details={"address": address, "taskId": task.id, "status": str(task.status)},
    )
    return JSONResponse(task.public())


async def task_events(request: Request) -> Response:
    """GET /tasks/{id}/events: Server-Sent Events, replayed after Last-Event-ID."""
    st = _state(request)
    _reader(st, request)
    return await event_stream(
        st.tasks.store,
        st.tasks.hub,
        _task_id(request),
        last_event_id(request.headers.get("last-event-id")),
        ping_s=st.settings.tasks.sse_ping_s,
    )
