"""Thin endpoints: parse -> call the core -> respond."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .admission import is_loopback
from .errors import (
    CodeRunnerError,
    Forbidden,
    RejectedBySanitizer,
    StorageFull,
    Unavailable,
    UnsupportedLanguage,
)
from .metrics import CONTENT_TYPE, free_bytes
from .openapi import openapi
from .schemas import Submission, parse_submission
from .service import Job
from .sessions import Limits

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
        st.log.emit(
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


async def isolated_test(request: Request) -> Response:
    st = _state(request)
    address = _check_access(st, request)
    if st.draining:
        raise Unavailable("the service is shutting down", headers={"Retry-After": "10"})
    user = address
    try:
        body = await st.admission.read_body(request)
        sub = parse_submission(body)
        user = sub.user or request.headers.get("x-user") or address
        st.admission.check_rate(user)
        job = _job(st, sub, user)
        _sanitize(st, sub, user, address)
    except CodeRunnerError as exc:
        st.log.emit(
            "warning",
            f"refused request: {exc.code}",
            user=user,
            details={"address": address, "code": exc.code, "message": exc.message[:500]},
        )
        raise
    try:
        answer = await st.runner.submit(job)
    except StorageFull:
        # One alarm a minute (and one folded mail): every request fails the same way.
        count = st.admission.breach_to_log("(storage full)")
        if count is not None:
            st.log.emit(
                "error",
                STORAGE_FULL,
                broadcast=True,
                details={"root": str(st.settings.sessions.root), "count": count},
            )
        raise
    st.log.emit(
        "info",
        "request served",
        user=user,
        details={
            "address": address,
            "language": job.language.id,
            "codeBytes": len(sub.code.encode()),
            "tests": len(sub.testCases),
            "sessionId": answer["sessionId"],
            "statuses": _count(r["status"] for r in answer["results"]),
        },
    )
    return JSONResponse(answer)


def _job(st: State, sub: Submission, user: str) -> Job:
    language = st.runner.languages.get(sub.language)
    if language is None:
        valid = ", ".join(sorted(st.runner.languages)) or "(none: no image is built)"
        raise UnsupportedLanguage(
            f"unsupported language {sub.language!r}; valid ids: {valid}",
            details={"languages": sorted(st.runner.languages)},
        )
    st.admission.check_submission(sub.code, sub.testCases)
    lim = st.settings.limits
    time_ms = min(sub.timeLimitMs or lim.time_limit_ms, lim.max_time_limit_ms)
    time_ms = int(time_ms * language.time_factor)
    memory = min(sub.memoryLimitMb or lim.memory_limit_mb, lim.max_memory_limit_mb)
    return Job(
        language=language,
        code=sub.code,
        tests=sub.testCases,
        expected=sub.expectedOutputs,
        limits=Limits(
            time_limit_ms=time_ms,
            wall_limit_ms=int(time_ms * lim.wall_factor) + lim.wall_slack_ms,
            memory_limit_mb=memory,
            max_output_bytes=lim.max_output_bytes,
        ),
        user=user,
    )


def _sanitize(st: State, sub: Submission, user: str, address: str) -> None:
    violations = st.sanitizer.scan(sub.code, sub.language)
    if not violations:
        return
    policy = st.settings.sanitizer
    worst = max(v.dangerLevel for v in violations)
    found = [v.to_dict() for v in violations]
    st.log.emit(
        "warning",
        f"sanitizer: {len(found)} finding(s), worst level {worst}",
        user=user,
        broadcast=worst >= policy.broadcast_level,
        details={"address": address, "language": sub.language, "violations": found[:50]},
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
    return JSONResponse([lang.public() for _, lang in sorted(st.runner.languages.items())])


async def health(request: Request) -> Response:
    st = _state(request)
    _check_ops_access(st, request)
    engine_ok = await st.engine.ping()
    if engine_ok and not st.runner.languages:
        await st.runner.refresh_languages()
    disk = _disk(st)
    disk_ok = all(item["ok"] for item in disk.values())
    ok = engine_ok and disk_ok and not st.draining
    status = "draining" if st.draining else "unavailable" if not engine_ok else "ok"
    body: dict[str, Any] = {
        "status": "low_disk" if status == "ok" and not disk_ok else status,
        "disk": disk,
        "docker": {"reachable": engine_ok, "runtime": st.settings.docker.runtime},
        **st.runner.health(),
        "logServer": await st.log_health(),
    }
    return JSONResponse(body, status_code=200 if ok else 503)


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
    st.metrics.spool_backlog.set(st.log.backlog())
    st.metrics.observe_queue(st.runner.queue)
    return Response(st.metrics.render(), media_type=CONTENT_TYPE)


async def openapi_json(request: Request) -> Response:
    st = _state(request)
    _check_ops_access(st, request)
    return JSONResponse(openapi(st.settings, sorted(st.runner.languages)))
