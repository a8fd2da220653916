"""A fake CodeRunner speaking the SPEC section 8 API shape, built from the real task
modules (store + hub + event_stream) and a fake runner instead of containers: the
"program" prints each input upper-cased. Code containing "crash" fails its tests
(RE), "gate" makes every test after the first wait for POST /gate, and a task whose
code contains "lost" ends `failed`. It is also a sketch of how the modules wire in.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from coderunner.errors import (
    CodeRunnerError,
    Forbidden,
    InvalidRequest,
    NotFound,
    UnsupportedLanguage,
    error_response,
)
from coderunner.tasks import EventHub, Task, TaskStatus, TaskStore, event_stream, new_task_id
from coderunner.tasks.sse import last_event_id


def verdict(body: dict[str, Any], index: int) -> tuple[dict[str, Any], str, str]:
    stdin = body["testCases"][index]
    if "crash" in body["code"]:
        return {"status": "RE", "exitCode": 1, "timeMs": 3.0, "memoryKb": 900}, "", "boom\n"
    out = stdin.upper()
    status = "OK"
    if body.get("expectedOutputs") is not None:
        status = "AC" if body["expectedOutputs"][index].rstrip() == out.rstrip() else "WA"
    return {"status": status, "exitCode": 0, "timeMs": 10.0 + index, "memoryKb": 8000}, out, ""


def create_app(db: Path, *, token: str = "") -> Starlette:
    store = TaskStore(db, retention_s=3600)
    hub = EventHub()
    gate = asyncio.Event()
    running: set[asyncio.Task[None]] = set()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.open()
        yield
        for job in running:
            job.cancel()
        await store.close()

    async def emit(task_id: str, type_: str, data: dict[str, Any]) -> None:
        await hub.publish(await store.add_event(task_id, type_, data))

    async def execute(task: Task) -> None:
        body = task.request
        task.status, task.started_at = TaskStatus.RUNNING, time.time()
        await store.save(task)
        await emit(task.id, "status", {"status": "running"})
        answer: dict[str, Any] = {
            "sessionId": task.id,
            "compilerErrors": "",
            "stdout": [],
            "stderr": [],
            "timestamps": [],
            "results": [],
        }
        for index in range(len(body["testCases"])):
            if index and "gate" in body["code"]:
                await gate.wait()
            await asyncio.sleep(0.05)
            result, out, err = verdict(body, index)
            for key, value in (
                ("stdout", out),
                ("stderr", err),
                ("timestamps", result["timeMs"]),
                ("results", result),
            ):
                answer[key].append(value)
            await emit(
                task.id, "test", {"index": index, "result": result, "stdout": out, "stderr": err}
            )
        if "lost" in body["code"]:
            task.status, task.error = (
                TaskStatus.FAILED,
                {"code": "worker_lost", "message": "the worker went away"},
            )
        else:
            task.status, task.result = TaskStatus.DONE, answer
        task.finished_at = time.time()
        await store.save(task)
        await emit(task.id, "done", {"status": str(task.status), "result": task.result})

    def check(request: Request) -> dict[str, Any]:
        if token and request.headers.get("authorization") != f"Bearer {token}":
            raise Forbidden("missing or wrong token")
        return {}

    async def parse(request: Request) -> dict[str, Any]:
        check(request)
        body = await request.json()
        if not isinstance(body, dict) or not body.get("code") or not body.get("testCases"):
            raise InvalidRequest("code and testCases are required")
        if body.get("language") != "python":
            raise UnsupportedLanguage("valid: python")
        return body

    async def submit(request: Request) -> Response:
        body = await parse(request)
        task = Task(
            new_task_id(),
            body.pop("kind", "isolatedTest"),
            TaskStatus.QUEUED,
            body.get("user", "anon"),
            request.client.host if request.client else "",
            body,
            time.time(),
            callback_url=body.pop("callbackUrl", None),
        )
        task, created = await store.create(
            task, idempotency_key=request.headers.get("idempotency-key")
        )
        if created:
            job = asyncio.create_task(execute(task))
            running.add(job)
            job.add_done_callback(running.discard)
        links = {"self": f"/tasks/{task.id}", "events": f"/tasks/{task.id}/events"}
        return JSONResponse(
            {"id": task.id, "status": str(task.status), "links": links},
            status_code=202,
            headers={"Location": links["self"]},
        )

    async def isolated(request: Request) -> Response:
        body = await parse(request)
        task = Task(new_task_id(), "isolatedTest", TaskStatus.QUEUED, "anon", "", body, time.time())
        await store.create(task)
        await execute(task)
        return JSONResponse(task.result)

    async def get_task(request: Request) -> Response:
        check(request)
        task_id = request.path_params["id"]
        wait = float(request.query_params.get("wait", "0"))
        deadline = time.monotonic() + wait
        while True:
            task = await store.get(task_id)
            if task is None:
                raise NotFound(f"no task {task_id}")
            if task.final or time.monotonic() >= deadline:
                return JSONResponse(task.public())
            await asyncio.sleep(0.05)

    async def events(request: Request) -> Response:
        check(request)
        return await event_stream(
            store,
            hub,
            request.path_params["id"],
            last_event_id(request.headers.get("last-event-id")),
        )

    async def open_gate(request: Request) -> Response:
        gate.set()
        return JSONResponse({})

    return Starlette(
        routes=[
            Route("/isolatedTest", isolated, methods=["POST"]),
            Route("/tasks", submit, methods=["POST"]),
            Route("/tasks/{id}", get_task),
            Route("/tasks/{id}/events", events),
            Route("/gate", open_gate, methods=["POST"]),
        ],
        lifespan=lifespan,
        exception_handlers={CodeRunnerError: error_response},
    )
