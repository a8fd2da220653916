"""Fixtures of the task modules' tests: fresh stores, real uvicorn servers on loopback."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from starlette.types import ASGIApp

from coderunner.tasks import Task, TaskStatus, TaskStore, new_task_id
from tests.helpers import Served


def make_task(client: str = "10.0.0.1", created_at: float | None = None, **fields: object) -> Task:
    task = Task(
        id=new_task_id(),
        kind="isolatedTest",
        status=TaskStatus.QUEUED,
        user="u1",
        client=client,
        request={"code": "print(1)", "language": "python", "testCases": [""]},
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
