"""Tasks, their events, idempotency keys and the webhook outbox in SQLite.

Every write is a function run by the one writer thread (tasks/sqlite.py), so that
"look up the key, then insert" or "next event id, then insert" are atomic without
locks; reads run on reader connections (WAL: they never wait for the writer).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import Task, TaskEvent, TaskStatus, dumps
from .sqlite import Database, StoreClosed

__all__ = ["Delivery", "StoreClosed", "TaskStore"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    user TEXT NOT NULL,
    client TEXT NOT NULL,
    request TEXT NOT NULL,
    created_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL,
    result TEXT,
    error TEXT,
    callback_url TEXT
);
CREATE INDEX IF NOT EXISTS tasks_unfinished ON tasks (created_at)
    WHERE status IN ('queued', 'running');
CREATE INDEX IF NOT EXISTS tasks_finished ON tasks (finished_at)
    WHERE finished_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS events (
    task_id TEXT NOT NULL,
    id INTEGER NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (task_id, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS idempotency (
    client TEXT NOT NULL,
    key TEXT NOT NULL,
    task_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (client, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idempotency_task ON idempotency (task_id);
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT NOT NULL,
    url TEXT NOT NULL,
    body BLOB NOT NULL,
    created_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at REAL,                 -- NULL once finished (delivered or given up)
    delivered INTEGER NOT NULL DEFAULT 0,
    finished_at REAL,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (next_at) WHERE next_at IS NOT NULL;
"""

TASK_COLUMNS = (
    "id, kind, status, user, client, request, created_at, started_at, finished_at, "
    "result, error, callback_url"
)


@dataclass(frozen=True)
class Delivery:
    """One webhook in the outbox: the exact bytes to POST and how often it was tried."""

    id: int
    task_id: str
    url: str
    body: bytes
    attempts: int
    created_at: float
    next_at: float | None = None
    delivered: bool = False
    last_error: str | None = None


class TaskStore:
    def __init__(self, path: Path, *, retention_s: int) -> None:
        self.path = Path(path)
        self.retention_s = retention_s
        self.db = Database(self.path, SCHEMA, name="taskstore")

    # -- lifecycle ---------------------------------------------------------------------

    async def open(self) -> None:
        """Create the file (and its directory) and the schema; start the writer."""
        await self.db.open()

    async def close(self) -> None:
        """Finish the queued writes, then stop; later calls raise StoreClosed."""
        await self.db.close()

    # -- tasks -------------------------------------------------------------------------

    async def create(self, task: Task, *, idempotency_key: str | None = None) -> tuple[Task, bool]:
        """Store a new task. With a key already used by the same client (and its task
        still kept): (that first task, False) and nothing is stored."""
        row = _task_row(task)

        def write(conn: sqlite3.Connection) -> tuple[Task, bool]:
            if idempotency_key is not None:
                found = conn.execute(
                    f"SELECT {TASK_COLUMNS} FROM tasks WHERE id = (SELECT task_id FROM "
                    "idempotency WHERE client = ? AND key = ?)",
                    (task.client, idempotency_key),
                ).fetchone()
                if found is not None:
                    return _task(found), False
            conn.execute(f"INSERT INTO tasks ({TASK_COLUMNS}) VALUES ({_marks(12)})", row)
            if idempotency_key is not None:
                # REPLACE: a key whose task was purged starts afresh.
                conn.execute(
                    "INSERT OR REPLACE INTO idempotency VALUES (?, ?, ?, ?)",
                    (task.client, idempotency_key, task.id, task.created_at),
                )
            return task, True

        return await self.db.write(write)

    async def save(self, task: Task) -> None:
        """Store the task's status, timestamps, result and error."""
        await self.db.write(_task_update(task))

    async def save_with_event(self, task: Task, type: str, data: dict[str, Any]) -> TaskEvent:
        """`save` and `add_event` in one write (one trip to the writer): a status change
        and its event are stored together or not at all."""
        update, task_id = _task_update(task), task.id

        def write(conn: sqlite3.Connection) -> TaskEvent:
            update(conn)
            return _insert_event(conn, task_id, type, data)

        return await self.db.write(write)

    async def get(self, task_id: str) -> Task | None:
        return (await self.get_many([task_id]))[0]

    async def get_many(self, ids: list[str]) -> list[Task | None]:
        """The tasks in the order asked, None for an unknown (or purged) id."""
        if not ids:
            return []
        unique = list(dict.fromkeys(ids))

        def read(conn: sqlite3.Connection) -> dict[str, Task]:
            rows = conn.execute(
                f"SELECT {TASK_COLUMNS} FROM tasks WHERE id IN ({_marks(len(unique))})", unique
            ).fetchall()
            return {row[0]: _task(row) for row in rows}

        found = await self.db.read(read)
        return [found.get(task_id) for task_id in ids]

    async def unfinished(self) -> list[Task]:
        """Queued and running tasks, oldest first: what a restart must resume or fail."""

        def read(conn: sqlite3.Connection) -> list[Task]:
            rows = conn.execute(
                f"SELECT {TASK_COLUMNS} FROM tasks WHERE status IN ('queued', 'running') "
                "ORDER BY created_at, rowid"
            ).fetchall()
            return [_task(row) for row in rows]

        return await self.db.read(read)

    # -- events ------------------------------------------------------------------------

    async def add_event(self, task_id: str, type: str, data: dict[str, Any]) -> TaskEvent:
        """Append an event; ids are 1, 2, 3 ... per task (assigned by the one writer)."""

        def write(conn: sqlite3.Connection) -> TaskEvent:
            return _insert_event(conn, task_id, type, data)

        return await self.db.write(write)

    async def events_after(self, task_id: str, after: int) -> list[TaskEvent]:
        def read(conn: sqlite3.Connection) -> list[TaskEvent]:
            rows = conn.execute(
                "SELECT id, type, data FROM events WHERE task_id = ? AND id > ? ORDER BY id",
                (task_id, after),
            ).fetchall()
            return [TaskEvent(task_id, id_, type_, json.loads(data)) for id_, type_, data in rows]

        return await self.db.read(read)

    async def last_event(self, task_id: str) -> TaskEvent | None:
        """The task's latest event (its "done" once it has ended)."""

        def read(conn: sqlite3.Connection) -> TaskEvent | None:
            row = conn.execute(
                "SELECT id, type, data FROM events WHERE task_id = ? ORDER BY id DESC LIMIT 1",
                (task_id,),
            ).fetchone()
            return TaskEvent(task_id, row[0], row[1], json.loads(row[2])) if row else None

        return await self.db.read(read)

    async def delete(self, task_id: str) -> None:
        """Forget a task that was never accepted (its queue refused it after it was
        stored): the task, its events and its Idempotency-Key, so a retry starts afresh."""

        def write(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM events WHERE task_id = ?", (task_id,))
            conn.execute("DELETE FROM idempotency WHERE task_id = ?", (task_id,))
            conn.execute("DELETE FROM tasks WHERE id = ?", (task_id,))

        await self.db.write(write)

    # -- retention ---------------------------------------------------------------------

    async def purge_expired(self, now: float) -> int:
        """Remove tasks finished more than retention_s ago with their events and keys,
        and finished webhook deliveries as old. Returns the number of tasks removed."""
        cutoff = now - self.retention_s

        def write(conn: sqlite3.Connection) -> int:
            expired = "SELECT id FROM tasks WHERE finished_at < ?"
            conn.execute(f"DELETE FROM events WHERE task_id IN ({expired})", (cutoff,))
            conn.execute(f"DELETE FROM idempotency WHERE task_id IN ({expired})", (cutoff,))
            removed = conn.execute("DELETE FROM tasks WHERE finished_at < ?", (cutoff,)).rowcount
            conn.execute(
                "DELETE FROM deliveries WHERE next_at IS NULL AND finished_at < ?", (cutoff,)
            )
            return removed

        return await self.db.write(write)

    # -- webhook outbox ----------------------------------------------------------------

    async def add_delivery(self, task_id: str, url: str, body: bytes) -> None:
        now = time.time()

        def write(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO deliveries (task_id, url, body, created_at, next_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (task_id, url, body, now, now),
            )

        await self.db.write(write)

    async def due_deliveries(self, now: float, limit: int = 50) -> list[Delivery]:
        """Pending deliveries whose next attempt is due, earliest first."""

        def read(conn: sqlite3.Connection) -> list[Delivery]:
            rows = conn.execute(
                "SELECT id, task_id, url, body, attempts, created_at, next_at FROM deliveries "
                "WHERE next_at IS NOT NULL AND next_at <= ? ORDER BY next_at, id LIMIT ?",
                (now, limit),
            ).fetchall()
            return [
                Delivery(id_, task_id, url, bytes(body), attempts, created, next_at)
                for id_, task_id, url, body, attempts, created, next_at in rows
            ]

        return await self.db.read(read)

    async def next_delivery_at(self) -> float | None:
        """When the earliest pending delivery is due (None: nothing pending)."""

        def read(conn: sqlite3.Connection) -> float | None:
            due: float | None = conn.execute("SELECT min(next_at) FROM deliveries").fetchone()[0]
            return due

        return await self.db.read(read)

    async def delivery_attempted(
        self, delivery_id: int, *, done: bool, next_at: float | None, error: str | None
    ) -> None:
        """Record one attempt. done: delivered (error None) or given up (error set);
        otherwise the next attempt is due at next_at."""
        now = time.time()

        def write(conn: sqlite3.Connection) -> None:
            conn.execute(
                "UPDATE deliveries SET attempts = attempts + 1, next_at = ?, delivered = ?, "
                "finished_at = ?, last_error = ? WHERE id = ?",
                (
                    None if done else next_at,
                    int(done and error is None),
                    now if done else None,
                    error,
                    delivery_id,
                ),
            )

        await self.db.write(write)

    async def get_delivery(self, delivery_id: int) -> Delivery | None:
        def read(conn: sqlite3.Connection) -> Delivery | None:
            row = conn.execute(
                "SELECT id, task_id, url, body, attempts, created_at, next_at, delivered, "
                "last_error FROM deliveries WHERE id = ?",
                (delivery_id,),
            ).fetchone()
            return _delivery(row) if row else None

        return await self.db.read(read)

    async def deliveries_for(self, task_id: str) -> list[Delivery]:
        def read(conn: sqlite3.Connection) -> list[Delivery]:
            rows = conn.execute(
                "SELECT id, task_id, url, body, attempts, created_at, next_at, delivered, "
                "last_error FROM deliveries WHERE task_id = ? ORDER BY id",
                (task_id,),
            ).fetchall()
            return [_delivery(row) for row in rows]

        return await self.db.read(read)


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def _json(value: Any) -> str | None:
    return None if value is None else dumps(value)


def _task_row(task: Task) -> tuple[Any, ...]:
    return (
        task.id,
        task.kind,
        str(task.status),
        task.user,
        task.client,
        dumps(task.request),
        task.created_at,
        task.started_at,
        task.finished_at,
        _json(task.result),
        _json(task.error),
        task.callback_url,
    )


def _task(row: tuple[Any, ...]) -> Task:
    (
        task_id,
        kind,
        status,
        user,
        client,
        request,
        created,
        started,
        finished,
        result,
        error,
        callback,
    ) = row
    return Task(
        id=task_id,
        kind=kind,
        status=TaskStatus(status),
        user=user,
        client=client,
        request=json.loads(request),
        created_at=created,
        started_at=started,
        finished_at=finished,
        result=json.loads(result) if result is not None else None,
        error=json.loads(error) if error is not None else None,
        callback_url=callback,
    )


def _delivery(row: tuple[Any, ...]) -> Delivery:
    (id_, task_id, url, body, attempts, created, next_at, delivered, error) = row
    return Delivery(
        id_, task_id, url, bytes(body), attempts, created, next_at, bool(delivered), error
    )


def _task_update(task: Task) -> Callable[[sqlite3.Connection], None]:
    """The UPDATE of the task's status, timestamps, result and error: the values taken
    now (the task may change before the writer runs it), the JSON written by the
    writer's thread (a large result is not encoded on the event loop)."""
    values = (str(task.status), task.started_at, task.finished_at, task.result, task.error, task.id)

    def update(conn: sqlite3.Connection) -> None:
        status, started, finished, result, error, task_id = values
        conn.execute(
            "UPDATE tasks SET status = ?, started_at = ?, finished_at = ?, result = ?, "
            "error = ? WHERE id = ?",
            (status, started, finished, _json(result), _json(error), task_id),
        )

    return update


def _insert_event(
    conn: sqlite3.Connection, task_id: str, type: str, data: dict[str, Any]
) -> TaskEvent:
    """The task's next event (ids 1, 2, 3 ... assigned by the one writer)."""
    (last,) = conn.execute(
        "SELECT coalesce(max(id), 0) FROM events WHERE task_id = ?", (task_id,)
    ).fetchone()
    event = TaskEvent(task_id, last + 1, type, data)
    conn.execute("INSERT INTO events VALUES (?, ?, ?, ?)", (task_id, event.id, type, dumps(data)))
    return event
