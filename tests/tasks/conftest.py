"""Fixtures of the task modules' tests: fresh stores, real uvicorn servers on loopback."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from starlette.types import ASGIApp

from coderunner.tasks import Task, TaskStatus, TaskStore, new_task_id
from tests.conftest import free_port


def make_task(client: str = "10.0.0.1", created_at: float | None = None, **fields: object) -> Task:
    task = Task(
        id=new_task_id(), kind="isolatedTest", status=TaskStatus.QUEUED, user="u1",
        client=client, request={"code": "print(1)", "language": "python", "testCases": [""]},
        created_at=time.time() if created_at is None else created_at,
    )
    for name, value in fields.items():
        setattr(task, name, value)
    return task


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[TaskStore]:
    store = TaskStore(tmp_path / "db" / "tasks.db", retention_s=60)
    await store.open()
    yield store
    await store.close()


class Served:
    def __init__(self, app: ASGIApp) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)


@pytest.fixture
def serve() -> Iterator[Callable[[ASGIApp], Served]]:
    """Start an ASGI app on a real uvicorn server (loopback, free port, own thread)."""
    started: list[Served] = []

    def start(app: ASGIApp) -> Served:
        started.append(Served(app))
        return started[-1]

    yield start
    for served in reversed(started):
        served.stop()
