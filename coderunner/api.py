"""Thin endpoints: parse -> call the core -> respond."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from plumbing.disk import free_bytes

from .admission import is_loopback
from .errors import (
    BrokerUnavailable,
    CodeRunnerError,
    Draining,
    Forbidden,
    InvalidRequest,
    RejectedBySanitizer,
    StorageFull,
)
from .kinds import KINDS, Kind, kind_named
from .metrics import CONTENT_TYPE
from .openapi import openapi
from .tasks.service import Planned
from .tasks.webhooks import check_callback_url

if TYPE_CHECKING:
    from .app import State


def _state(request: Request) -> State:
    return request.app.state.coderunner


# Constant messages: the log server folds alarms with the same type, message and
# source into one mail, so what varies (address, count, path) goes in `details`.
REFUSED_CALLER = "refused a caller that is not allowed"
BAD_CALLBACK = "refused a bad /analyseTest call"
STORAGE_FULL = "no space left to stage sessions"


def _report_refusal(st: State, request: Request, address: str, message: str) -> None:
    """A refused caller is a breach alarm, at most once a minute per address (the
    refusals in between are counted into the next report)."""
    count = st.admission.breach_to_log(address)
    if count is not None:
        st.events.emit(
            "breach",
            message,
            broadcast=True,
            details={"address": address, "path": request.url.path, "count": count},
        )


def _check_access(st: State, request: Request) -> str:
    try:
        return st.admission.check_access(request)
    except Forbidden:
        _report_refusal(st, request, st.admission.client_address(request), REFUSED_CALLER)
        raise


def _check_ops_access(st: State, request: Request) -> None:
    """/health, /metrics, /languages, /openapi.json: `server.ops_access`."""
    if st.settings.server.ops_access == "trusted":
        _check_access(st, request)


@dataclass(frozen=True)
class Admitted:
    """A submission that passed every check: what the task service needs."""

    planned: Planned
    request: dict[str, Any]  # the JSON body as sent: enough to run it again after a restart
    user: str
    address: str
    callback_url: str | None = None


async def admit(st: State, request: Request, *, kind: Kind | None = None) -> Admitted:
    """Every submission, in this order: access, draining, body size, JSON, kind,
    validation, rate limit, size limits, language, the resource plan
    (limits.max_session_s), callbackUrl, sanitizer. Refusals are logged.

    kind: a synchronous endpoint's kind; None: POST /tasks (the body names its kind
    and may carry a callbackUrl)."""
    task_fields = kind is None
    address = _check_access(st, request)
    if st.draining:
        raise Draining()
    user = address
    try:
        raw = await st.admission.read_body(request)
        data = _json_object(raw)
        if kind is None:
            kind = kind_named(data.get("kind", "isolatedTest"))
        body = kind.parse(raw)
        user = kind.user(body) or request.headers.get("x-user") or address
        st.admission.check_rate(user)
        kind.check(body, st.admission)
        planned = st.tasks.plan(kind, body)
        callback = None
        if task_fields and data.get("callbackUrl") is not None:
            url = data["callbackUrl"]
            if not isinstance(url, str):
                raise InvalidRequest("callbackUrl: must be a string (an http or https URL)")
            callback = check_callback_url(url, st.settings.tasks.webhook_hosts)
        _sanitize(st, kind.code(body), kind.language_id(body), user, address)
    except CodeRunnerError as exc:
        st.events.emit(
            "warning",
            f"refused request: {exc.code}",
            user=user,
            details={"address": address, "code": exc.code, "message": exc.message[:500]},
        )
        raise
    return Admitted(planned, data, user, address, callback)


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


def synchronous(kind_name: str) -> Callable[[Request], Awaitable[Response]]:
    """A synchronous endpoint (/isolatedTest, /unitTest, ...): submit a task of this
    kind and wait for its answer (SPEC section 8 over the kind's own section)."""

    async def endpoint(request: Request) -> Response:
        st = _state(request)
        kind = KINDS[kind_name]
        admitted = await admit(st, request, kind=kind)
        try:
            answer = await st.tasks.run(admitted.planned, request=admitted.request,
                                        user=admitted.user, client=admitted.address)
        except StorageFull:
            report_storage_full(st)
            raise
        body = admitted.planned.body
        details: dict[str, Any] = {
            "address": admitted.address,
            "kind": kind_name,
            "language": admitted.planned.language.id,
            "codeBytes": len(kind.code(body).encode()),
            "tests": len(admitted.planned.prepared.tests),
            "sessionId": answer.get("sessionId"),
        }
        if isinstance(answer.get("results"), list):
            details["statuses"] = _count(r["status"] for r in answer["results"])
        st.events.emit("info", "request served", user=admitted.user, details=details)
        return JSONResponse(answer)

    endpoint.__name__ = kind_name
    return endpoint


isolated_test = synchronous("isolatedTest")
trace = synchronous("trace")   # POST /trace (SPEC section 11)
function_test = synchronous("functionTest")   # POST /functionTest (SPEC section 10)
unit_test = synchronous("unitTest")   # POST /unitTest (SPEC section 9)


def _sanitize(st: State, code: str, language: str, user: str, address: str) -> None:
    violations = st.sanitizer.scan(code, language)
    if not violations:
        return
    policy = st.settings.sanitizer
    worst = max(v.dangerLevel for v in violations)
    found = [v.to_dict() for v in violations]
    st.events.emit(
        "warning",
        f"sanitizer: {len(found)} finding(s), worst level {worst}",
        user=user,
        broadcast=worst >= policy.broadcast_level,
        details={"address": address, "language": language, "violations": found[:50]},
    )
    if worst >= policy.reject_level:
        raise RejectedBySanitizer(
            f"the code was rejected: {len(found)} finding(s) at danger level up to {worst}",
            details={"violations": found},
        )


def _count(items: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


async def analyse_test(request: Request) -> Response:
    st = _state(request)
    address = st.admission.client_address(request)
    if not is_loopback(request.client.host if request.client else ""):
        _report_refusal(st, request, address, BAD_CALLBACK)
        raise Forbidden("/analyseTest is only served to loopback")
    token = request.query_params.get("token") or request.headers.get("x-session-token", "")
    try:
        # A session token is ASCII hex: anything else cannot match (and str
        # compare_digest refuses non-ASCII with a TypeError, which was a 500).
        if not token.isascii():
            raise Forbidden("wrong session token")
        st.runner.callback(request.path_params["session_id"], token)
    except Forbidden:
        _report_refusal(st, request, address, BAD_CALLBACK)
        raise
    return JSONResponse({"data": None})


async def languages(request: Request) -> Response:
    st = _state(request)
    _check_ops_access(st, request)
    return JSONResponse([lang.public() for _, lang in sorted(st.lifecycle.languages.items())])


async def health(request: Request) -> Response:
    st = _state(request)
    _check_ops_access(st, request)
    local = st.settings.dispatch.runs_locally
    # With workers only, this server runs no container: Docker is the workers' concern.
    docker_ok = await st.engine.ping() if local else None
    if docker_ok and not st.lifecycle.languages:
        await st.lifecycle.refresh_languages()
    dispatch = await _dispatch_health(st)
    working = docker_ok is not False and bool(dispatch["reachable"])
    disk = _disk(st)
    disk_ok = all(item["ok"] for item in disk.values())
    ok = working and disk_ok and not st.draining
    status = "draining" if st.draining else "unavailable" if not working else "ok"
    body: dict[str, Any] = {
        "status": "low_disk" if status == "ok" and not disk_ok else status,
        "disk": disk,
        "docker": {"reachable": docker_ok, "runtime": st.settings.docker.runtime},
        "dispatch": dispatch,
        **st.lifecycle.health(),
        "logServer": await st.log_health(),
    }
    return JSONResponse(body, status_code=200 if ok else 503)


async def _dispatch_health(st: State) -> dict[str, Any]:
    """The broker and the live workers (SPEC section 13)."""
    if st.tasks.dispatch is None:
        return {"backend": "local", "reachable": True, "workers": 1}
    return await st.tasks.dispatch.health()


async def workers(request: Request) -> Response:
    """GET /workers: `[{"id", "host", "slots", "running", "languages", "lastSeen"}]`."""
    st = _state(request)
    _check_ops_access(st, request)
    if st.tasks.dispatch is None:
        from .dispatch.base import WorkerInfo

        found = [WorkerInfo(id="local", host=socket.gethostname(),
                            slots=st.settings.queue.max_concurrent,
                            running=st.runner.queue.running,
                            languages=sorted(st.lifecycle.languages), last_seen=time.time())]
    else:
        try:
            found = await st.tasks.dispatch.broker.workers()
        except RedisError as exc:
            raise BrokerUnavailable("the task broker cannot be reached",
                                    retry_after=st.settings.dispatch.retry_after_s) from exc
    return JSONResponse([w.public() for w in found])


def _disk(st: State) -> dict[str, dict[str, Any]]:
    """Free space where sessions are staged and where events are spooled."""
    minimum = st.settings.sessions.min_free_mb * 1024 * 1024
    places = {
        "sessions": st.settings.sessions.root,
        "spool": st.settings.logging.log_file.parent,
    }
    report: dict[str, dict[str, Any]] = {}
    for name, path in places.items():
        free = free_bytes(path)
        report[name] = {
            "path": str(path),
            "freeBytes": free,
            "minFreeBytes": minimum,
            "ok": free is not None and free >= minimum,
        }
    return report


async def metrics(request: Request) -> Response:
    st = _state(request)
    _check_ops_access(st, request)
    st.metrics.spool_backlog.set(st.events.backlog())
    st.metrics.observe_queue(st.runner.queue)
    return Response(st.metrics.render(), media_type=CONTENT_TYPE)


async def openapi_json(request: Request) -> Response:
    st = _state(request)
    _check_ops_access(st, request)
    return JSONResponse(openapi(st.settings, sorted(st.lifecycle.languages), request.app.routes))
