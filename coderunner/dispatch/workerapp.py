"""`coderunner worker`: a host that runs tasks taken from Redis (SPEC section 13).

It needs a Docker engine and the language images, and no inbound port: it connects
out to Redis, and its containers' handler calls back to its own `/analyseTest` on a
loopback port chosen at start. The pipeline is the server's (runner, pool, analyzer,
docker-handler.sh); only where jobs come from and where answers go differs.

At start it removes what an earlier life left behind (containers labelled with its
sessions root, session directories) and puts back in the queue the jobs that life
still held, so a worker killed with SIGKILL and restarted leaves nothing behind.
SIGTERM: stop taking jobs, let running ones finish within `server.shutdown_grace_s`,
put the rest back in the queue (not counted as an attempt), exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import anyio
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from plumbing.errors import exception_handlers

from ..admission import is_loopback
from ..config import Settings
from ..errors import Forbidden
from ..logclient import LogClient
from ..metrics import Metrics
from ..runner import Runner
from ..runner.engine import Engine
from ..runner.lifecycle import Lifecycle
from .executor import Executor
from .worker import RedisWorker

log = logging.getLogger("coderunner.worker")


def worker_id(settings: Settings) -> str:
    """`dispatch.worker_id`, else the host name and a hash of the sessions root:
    stable across restarts (a restarted worker finds what it held), distinct for two
    workers on one host (each has its own sessions root)."""
    if settings.dispatch.worker_id:
        return settings.dispatch.worker_id
    digest = hashlib.sha256(str(settings.sessions.root).encode()).hexdigest()[:8]
    host = "".join(c if c.isalnum() or c in "._-" else "-" for c in socket.gethostname())
    return f"{host[:48]}-{digest}"


@dataclass
class WorkerState:
    settings: Settings
    runner: Runner
    lifecycle: Lifecycle
    worker: RedisWorker | None = None


def bind_loopback() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def create_worker_app(
    settings: Settings, sock: socket.socket, engine: Engine | None = None
) -> Starlette:
    """The worker: its lifespan starts the pipeline and the Redis worker; its only
    routes are the loopback callback and a health page, on `sock` (a loopback port)."""
    port = sock.getsockname()[1]
    server = settings.server.model_copy(
        update={"port": port, "callback_url": f"http://127.0.0.1:{port}"}
    )
    settings = settings.model_copy(update={"server": server})
    engine = engine or Engine(settings.sessions.root)
    events = LogClient(settings.logging)
    metrics = Metrics()
    lifecycle = Lifecycle.with_runner(settings, engine=engine, events=events, metrics=metrics)
    runner = lifecycle.runner
    executor = Executor(settings, runner=runner, languages=lambda: lifecycle.languages)
    state = WorkerState(settings, runner, lifecycle)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await events.start()
        try:
            await anyio.to_thread.run_sync(runner.store.prepare_root)
            await lifecycle.remove_orphans()
            await lifecycle.refresh_languages()
            wanted = settings.dispatch.languages
            if wanted:
                lifecycle.languages = {k: v for k, v in lifecycle.languages.items() if k in wanted}
            if not lifecycle.languages:
                log.error("no language image is built: this worker will take no task")
            runner.pool.start()
            state.worker = RedisWorker(
                settings.dispatch,
                run=executor.run,
                stop=executor.stop,
                worker_id=worker_id(settings),
                languages=sorted(lifecycle.languages),
                slots=settings.queue.max_concurrent,
                versions={k: v.version for k, v in lifecycle.languages.items()},
            )
            await state.worker.start()
            log.info("worker %s taking %s", state.worker.id, ",".join(state.worker.languages))
            yield
        finally:
            if state.worker is not None:
                await state.worker.close(settings.server.shutdown_grace_s)
            runner.queue.close()
            await runner.pool.close()
            await runner.queue.drain(30.0)
            await events.aclose()
            engine.close()

    app = Starlette(
        routes=[
            Route("/analyseTest/{session_id}", _callback, methods=["GET"]),
            Route("/health", _health, methods=["GET"]),
        ],
        lifespan=lifespan,
        exception_handlers=exception_handlers(),
    )
    app.state.worker = state
    return app


async def _callback(request: Request) -> Response:
    """docker-handler.sh: this session's container has ended."""
    state: WorkerState = request.app.state.worker
    if not is_loopback(request.client.host if request.client else ""):
        raise Forbidden("/analyseTest is only served to loopback")
    token = request.query_params.get("token") or request.headers.get("x-session-token", "")
    if not token.isascii():
        raise Forbidden("wrong session token")
    state.runner.callback(request.path_params["session_id"], token)
    return JSONResponse({"data": None})


async def _health(request: Request) -> Response:
    state: WorkerState = request.app.state.worker
    worker = state.worker
    body: dict[str, Any] = {
        "id": worker.id if worker else None,
        "languages": sorted(state.lifecycle.languages),
        "slots": state.settings.queue.max_concurrent,
        "running": worker.running if worker else 0,
        "finished": worker.finished if worker else 0,
        "time": time.time(),
    }
    return JSONResponse(body)


class WorkerServer(uvicorn.Server):
    """SIGTERM/SIGINT: first stop taking jobs and let running ones finish (their
    containers still call back here), then exit. A second signal exits at once."""

    def __init__(self, config: uvicorn.Config, state: WorkerState) -> None:
        super().__init__(config)
        self.state = state
        self._draining: asyncio.Task[None] | None = None

    def handle_exit(self, sig: int, frame: Any) -> None:
        if self._draining is not None or not self.started or self.state.worker is None:
            super().handle_exit(sig, frame)
            return
        self._draining = asyncio.get_event_loop().create_task(self._drain())

    async def _drain(self) -> None:
        worker = self.state.worker
        assert worker is not None
        await worker.close(self.state.settings.server.shutdown_grace_s)
        self.should_exit = True


def run_worker(settings: Settings) -> None:
    from plumbing.logs import log_config

    sock = bind_loopback()
    app = create_worker_app(settings, sock)
    config = uvicorn.Config(
        app, log_config=log_config(), proxy_headers=False, timeout_graceful_shutdown=5
    )
    WorkerServer(config, app.state.worker).run(sockets=[sock])
