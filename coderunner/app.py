"""`create_app(settings)`: the Starlette app; its lifespan owns every resource."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from . import api
from .admission import Admission
from .api import problems as api_problems
from .config import Settings
from .engine import Engine
from .errors import CodeRunnerError, error_response
from .lifecycle import Lifecycle
from .logclient import LogClient
from .metrics import CountRequests, Metrics
from .problems import ProblemStore
from .runner import Runner
from .sanitizer import Sanitizer
from .tasks import endpoints as task_api
from .tasks.hub import EventHub
from .tasks.service import TaskService
from .tasks.store import TaskStore
from .tasks.webhooks import Webhooks

log = logging.getLogger("coderunner.app")

_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


@dataclass
class State:
    settings: Settings
    admission: Admission
    sanitizer: Sanitizer
    engine: Engine
    events: LogClient  # the log server's client (durable spool)
    metrics: Metrics
    lifecycle: Lifecycle
    runner: Runner
    tasks: TaskService
    problems: ProblemStore
    http: httpx.AsyncClient | None = None

    @property
    def draining(self) -> bool:
        return not self.lifecycle.accepting

    async def log_health(self) -> dict[str, Any]:
        reachable = False
        if self.http is not None:
            try:
                url = self.settings.logging.server_url.rstrip("/") + "/health"
                headers = log_server_headers(self.settings)
                answer = await self.http.get(url, timeout=1.0, headers=headers)
                reachable = answer.status_code < 500
            except httpx.HTTPError:
                reachable = False
        return {"reachable": reachable, "backlog": self.events.backlog()}


def log_server_headers(settings: Settings) -> dict[str, str]:
    """The log server's bearer token (`[logserver] token`, shared config) when set."""
    token = str(settings.logserver.get("token") or "")
    return {"Authorization": f"Bearer {token}"} if token else {}


def _path_label(path: str) -> str:
    if path.startswith("/analyseTest/"):
        return "/analyseTest/{sessionId}"
    if path.startswith("/tasks/"):
        return "/tasks/{id}/events" if path.endswith("/events") else "/tasks/{id}"
    if path.startswith("/problems/"):
        return "/problems/{id}"
    return path if path in KNOWN_PATHS else "other"


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    return JSONResponse(
        {"error": {"code": code, "message": str(exc.detail)}},
        status_code=exc.status_code,
        headers=exc.headers,  # 405 carries Allow
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    state: State = request.app.state.coderunner
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    state.events.emit(
        "error",
        f"internal error on {request.url.path}: {exc!r}"[:1000],
        broadcast=True,
        details={"path": request.url.path, "exception": exc.__class__.__name__},
    )
    return await error_response(request, exc)


ROUTES = [
    Route("/isolatedTest", api.isolated_test, methods=["POST"]),
    Route("/unitTest", api.unit_test, methods=["POST"]),
    Route("/trace", api.trace, methods=["POST"]),
    Route("/functionTest", api.function_test, methods=["POST"]),
    Route("/analyseTest/{session_id}", api.analyse_test, methods=["GET"]),
    Route("/languages", api.languages, methods=["GET"]),
    Route("/health", api.health, methods=["GET"]),
    Route("/metrics", api.metrics, methods=["GET"]),
    Route("/workers", api.workers, methods=["GET"]),
    Route("/openapi.json", api.openapi_json, methods=["GET"]),
    Route("/tasks", task_api.submit, methods=["POST"]),
    Route("/tasks", task_api.list_tasks, methods=["GET"]),
    Route("/tasks/{task_id}", task_api.get_task, methods=["GET"]),
    Route("/tasks/{task_id}", task_api.cancel_task, methods=["DELETE"]),
    Route("/tasks/{task_id}/events", task_api.task_events, methods=["GET"]),
    Route("/problems", api_problems.list_problems, methods=["GET"]),
    Route("/problems/{problem_id}", api_problems.put_problem, methods=["PUT"]),
    Route("/problems/{problem_id}", api_problems.get_problem, methods=["GET"]),
    Route("/problems/{problem_id}", api_problems.delete_problem, methods=["DELETE"]),
]
KNOWN_PATHS = {route.path for route in ROUTES}


def create_app(settings: Settings, *, engine: Engine | None = None) -> Starlette:
    """The app. `engine`: the Docker engine's client (tests without Docker pass a fake
    one together with a fake `docker.handler`)."""
    engine = engine or Engine(settings.sessions.root)
    metrics = Metrics()
    logclient = LogClient(
        settings.logging,
        headers=log_server_headers(settings),
        on_drop=lambda kind, count: metrics.spool_dropped.labels(kind).inc(count),
    )
    lifecycle = Lifecycle(settings, engine=engine, events=logclient)
    runner = Runner(settings, engine=engine, events=logclient, metrics=metrics,
                    languages=lambda: lifecycle.languages)
    dispatch = None
    if settings.dispatch.backend == "redis":
        from .dispatch.remote import RemoteDispatch

        # The languages offered are those of the live workers (dispatch/remote.py).
        dispatch = RemoteDispatch(settings, catalogue=lifecycle.catalogue, metrics=metrics,
                                  on_languages=lambda found: setattr(lifecycle, "languages",
                                                                     found))
    http = httpx.AsyncClient()
    store = TaskStore(settings.tasks.database, retention_s=settings.tasks.retention_s)
    tasks = TaskService(
        settings, runner=runner, store=store, hub=EventHub(buffer=settings.tasks.sse_buffer),
        webhooks=Webhooks(settings.tasks, store, http), events=logclient,
        languages=lambda: lifecycle.languages, dispatch=dispatch,
    )
    lifecycle.runner, lifecycle.tasks = runner, tasks
    state = State(
        settings=settings,
        admission=Admission(settings.server, settings.ratelimit, settings.limits),
        sanitizer=Sanitizer.from_images(settings.docker.images_dir),
        engine=engine,
        events=logclient,
        metrics=metrics,
        lifecycle=lifecycle,
        runner=runner,
        tasks=tasks,
        http=http,
        problems=ProblemStore(
            settings.problems.database, max_problems=settings.problems.max_problems
        ),
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await logclient.start()
        try:
            # Before the tasks are recovered: a stored task may name a problem.
            await state.problems.open()
            await lifecycle.start()
            yield
        finally:
            await lifecycle.shutdown()
            await state.problems.close()
            await http.aclose()
            await logclient.aclose()
            engine.close()

    app = Starlette(
        routes=ROUTES,
        lifespan=lifespan,
        exception_handlers={
            CodeRunnerError: error_response,
            HTTPException: _http_error,
            Exception: _unexpected,
        },
    )
    app.state.coderunner = state
    app.add_middleware(CountRequests, counter=metrics.requests, label=_path_label)
    return app
