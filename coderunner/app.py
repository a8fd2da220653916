"""`create_app(settings)`: the Starlette app; its lifespan owns every resource."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route

from plumbing.errors import exception_handlers
from plumbing.http import edge, path_labels

from . import api
from .admission import Admission
from .api import problems as api_problems
from .config import Settings
from .logclient import LogClient
from .metrics import Metrics
from .problems import ProblemStore
from .runner import Runner
from .runner.engine import Engine
from .runner.lifecycle import Lifecycle
from .sanitizer import Sanitizer
from .tasks import endpoints as task_api
from .tasks.hub import EventHub
from .tasks.service import TaskService
from .tasks.store import TaskStore
from .tasks.webhooks import Webhooks

log = logging.getLogger("coderunner.app")


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


def _unexpected(request: Request, exc: Exception) -> None:
    """A bug reached the top: logged with its traceback and raised as an alarm
    (the client gets a bare 500 from the one renderer)."""
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    state: State = request.app.state.coderunner
    state.events.emit(
        "error",
        f"internal error on {request.url.path}: {exc!r}"[:1000],
        broadcast=True,
        details={"path": request.url.path, "exception": exc.__class__.__name__},
    )


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
# Metrics labels as the SPEC writes the paths.
PATH_LABELS = path_labels(ROUTES, {"session_id": "sessionId", "task_id": "id", "problem_id": "id"})


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
    lifecycle = Lifecycle.with_runner(settings, engine=engine, events=logclient, metrics=metrics)
    runner = lifecycle.runner
    dispatch = None
    if settings.dispatch.backend == "redis":
        from .dispatch.remote import RemoteDispatch

        # The languages offered are those of the live workers (dispatch/remote.py).
        dispatch = RemoteDispatch(
            settings,
            catalogue=lifecycle.catalogue,
            metrics=metrics,
            on_languages=lambda found: setattr(lifecycle, "languages", found),
        )
    http = httpx.AsyncClient()
    store = TaskStore(settings.tasks.database, retention_s=settings.tasks.retention_s)
    tasks = TaskService(
        settings,
        runner=runner,
        store=store,
        hub=EventHub(buffer=settings.tasks.sse_buffer),
        webhooks=Webhooks(settings.tasks, store, http),
        events=logclient,
        languages=lambda: lifecycle.languages,
        dispatch=dispatch,
    )
    lifecycle.tasks = tasks
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

    # Assembled as the log server's app is (plumbing.http.edge, the one error
    # renderer); access is decided per endpoint here (ops_access, /analyseTest).
    app = Starlette(
        routes=ROUTES,
        lifespan=lifespan,
        middleware=edge(metrics.requests, PATH_LABELS, state.admission.policy),
        exception_handlers=exception_handlers(on_unexpected=_unexpected),
    )
    app.state.coderunner = state
    return app
