"""A tiny Starlette app built only from the task modules (store + hub + event_stream),
with endpoints through which a test drives the producer. Run in a test's thread, or
as its own process for the memory test:
    SSEAPP_DB=... SSEAPP_PING_S=... uvicorn tests.support.sseapp:from_env --factory
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from coderunner.errors import CodeRunnerError, error_response
from coderunner.tasks import EventHub, Task, TaskStatus, TaskStore, event_stream, new_task_id
from coderunner.tasks.sse import last_event_id


def rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def create_app(db: Path, *, ping_s: float = 15.0, buffer: int = 64) -> Starlette:
    store = TaskStore(db, retention_s=3600)
    hub = EventHub(buffer=buffer)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.open()
        yield
        await store.close()

    async def create(request: Request) -> Response:
        task = Task(new_task_id(), "isolatedTest", TaskStatus.QUEUED, "u", "c", {}, time.time())
        await store.create(task)
        return JSONResponse({"id": task.id})

    async def produce(request: Request) -> Response:
        """Body: [{"type", "data"}, ...]: all stored first, then all published at once
        (without yielding in between: what overflows a small subscriber buffer)."""
        task_id = request.path_params["id"]
        body = await request.json()
        events = [await store.add_event(task_id, e["type"], e["data"]) for e in body]
        for event in events:
            if event.type == "done":
                task = await store.get(task_id)
                assert task is not None
                task.status, task.finished_at = TaskStatus.DONE, time.time()
                await store.save(task)
        for event in events:
            await hub.publish(event)
        return JSONResponse({"ids": [e.id for e in events]})

    async def events(request: Request) -> Response:
        return await event_stream(
            store,
            hub,
            request.path_params["id"],
            last_event_id(request.headers.get("last-event-id")),
            ping_s=ping_s,
        )

    async def stats(request: Request) -> Response:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return JSONResponse({"subscribers": hub.count(), "rss_kb": rss_kb(), "peak_kb": peak})

    app = Starlette(
        routes=[
            Route("/tasks", create, methods=["POST"]),
            Route("/tasks/{id}/produce", produce, methods=["POST"]),
            Route("/tasks/{id}/events", events),
            Route("/stats", stats),
        ],
        lifespan=lifespan,
        exception_handlers={CodeRunnerError: error_response},
    )
    app.state.store, app.state.hub = store, hub
    return app


def from_env() -> Starlette:
    return create_app(
        Path(os.environ["SSEAPP_DB"]), ping_s=float(os.environ.get("SSEAPP_PING_S", "15"))
    )
