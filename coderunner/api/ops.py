"""Operations endpoints: GET /health, /metrics, /languages, /workers, /openapi.json.
Who may read them: `server.ops_access` ("trusted": the submissions' access check)."""

from __future__ import annotations

import socket
import time
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from plumbing.disk import free_bytes

from ..dispatch.base import WorkerInfo
from ..errors import BrokerUnavailable
from ..metrics import CONTENT_TYPE
from ..openapi import openapi
from .common import check_ops_access, state

if TYPE_CHECKING:
    from ..app import State


async def languages(request: Request) -> Response:
    st = state(request)
    check_ops_access(st, request)
    return JSONResponse([lang.public() for _, lang in sorted(st.lifecycle.languages.items())])


async def health(request: Request) -> Response:
    st = state(request)
    check_ops_access(st, request)
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
    st = state(request)
    check_ops_access(st, request)
    if st.tasks.dispatch is None:
        found = [
            WorkerInfo(
                id="local",
                host=socket.gethostname(),
                slots=st.settings.queue.max_concurrent,
                running=st.runner.queue.running,
                languages=sorted(st.lifecycle.languages),
                last_seen=time.time(),
            )
        ]
    else:
        try:
            found = await st.tasks.dispatch.broker.workers()
        except RedisError as exc:
            raise BrokerUnavailable(
                "the task broker cannot be reached", retry_after=st.settings.dispatch.retry_after_s
            ) from exc
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
    st = state(request)
    check_ops_access(st, request)
    st.metrics.spool_backlog.set(st.events.backlog())
    st.metrics.observe_queue(st.runner.queue)
    return Response(st.metrics.render(), media_type=CONTENT_TYPE)


async def openapi_json(request: Request) -> Response:
    st = state(request)
    check_ops_access(st, request)
    return JSONResponse(openapi(st.settings, sorted(st.lifecycle.languages), request.app.routes))
