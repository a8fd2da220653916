"""TaskStore on fresh SQLite files: the one writer, idempotency, restart, purge, outbox."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from coderunner.tasks import TaskStatus, TaskStore, new_task_id
from tests.unit.tasks.conftest import make_task


async def test_create_get_save_roundtrip(store: TaskStore) -> None:
    task = make_task(callback_url="http://127.0.0.1:9/hook")
    stored, created = await store.create(task)
    assert created and stored is task
    got = await store.get(task.id)
    assert got == task and got is not task
    task.status, task.started_at = TaskStatus.RUNNING, time.time()
    await store.save(task)
    task.status, task.finished_at = TaskStatus.DONE, time.time()
    task.result = {"sessionId": "s", "stdout": ["1\n"], "results": [{"status": "OK"}]}
    await store.save(task)
    got = await store.get(task.id)
    assert got == task
    assert got.public()["status"] == "done" and got.public()["result"]["stdout"] == ["1\n"]
    assert await store.get(new_task_id()) is None


async def test_get_many_keeps_order_and_unknown_ids(store: TaskStore) -> None:
    a, b = make_task(), make_task()
    await store.create(a)
    await store.create(b)
    unknown = new_task_id()
    got = await store.get_many([b.id, unknown, a.id, b.id])
    assert [t.id if t else None for t in got] == [b.id, None, a.id, b.id]
    assert await store.get_many([]) == []


async def test_events_numbered_per_task_and_read_after(store: TaskStore) -> None:
    a, b = make_task(), make_task()
    await store.create(a)
    await store.create(b)
    # Concurrent appends to two tasks: ids stay 1..n per task, in submission order.
    results = await asyncio.gather(
        *(store.add_event(t.id, "test", {"index": i}) for i in range(20) for t in (a, b))
    )
    assert sorted(e.id for e in results if e.task_id == a.id) == list(range(1, 21))
    after = await store.events_after(a.id, 15)
    assert [e.id for e in after] == [16, 17, 18, 19, 20]
    assert [e.data["index"] for e in after] == [15, 16, 17, 18, 19]
    assert await store.events_after(b.id, 20) == []
    event = after[0]
    assert event.sse() == b'id: 16\nevent: test\ndata: {"index":15}\n\n'


async def test_event_data_with_newlines_stays_one_sse_line(store: TaskStore) -> None:
    task = make_task()
    await store.create(task)
    event = await store.add_event(task.id, "test", {"stdout": "a\nb\r\n", "x": "\u2028"})
    lines = event.sse().decode().split("\n")
    assert lines[2].startswith("data: ") and lines[3:] == ["", ""]


async def test_concurrent_creates_with_same_key_make_one_task(store: TaskStore) -> None:
    tasks = [make_task(client="c1") for _ in range(30)]
    answers = await asyncio.gather(*(store.create(t, idempotency_key="k-1") for t in tasks))
    created = [t for t, new in answers if new]
    assert len(created) == 1
    assert {t.id for t, _ in answers} == {created[0].id}
    # Only one task stored.
    found = await store.get_many([t.id for t in tasks])
    assert sum(t is not None for t in found) == 1
    # The same key from another client is another task; another key too.
    other, new = await store.create(make_task(client="c2"), idempotency_key="k-1")
    assert new and other.id != created[0].id
    _, new = await store.create(make_task(client="c1"), idempotency_key="k-2")
    assert new


async def test_restart_keeps_tasks_and_lists_unfinished_oldest_first(tmp_path: Path) -> None:
    path = tmp_path / "tasks.db"
    store = TaskStore(path, retention_s=60)
    await store.open()
    now = time.time()
    running = make_task(created_at=now - 30)
    queued_new = make_task(created_at=now - 10)
    queued_old = make_task(created_at=now - 50)
    done = make_task(created_at=now - 60)
    for task in (running, queued_new, queued_old, done):
        await store.create(task, idempotency_key=task.id[:8])
    running.status, running.started_at = TaskStatus.RUNNING, now - 20
    await store.save(running)
    done.status, done.finished_at = TaskStatus.DONE, now - 5
    await store.save(done)
    await store.add_event(done.id, "done", {"status": "done", "result": None})
    await store.close()
    with pytest.raises(RuntimeError):
        await store.get(done.id)

    again = TaskStore(path, retention_s=60)
    await again.open()
    try:
        unfinished = await again.unfinished()
        assert [t.id for t in unfinished] == [queued_old.id, running.id, queued_new.id]
        assert unfinished[1].status is TaskStatus.RUNNING
        assert [e.type for e in await again.events_after(done.id, 0)] == ["done"]
        # Idempotency keys survive too.
        first, new = await again.create(make_task(), idempotency_key=done.id[:8])
        assert not new and first.id == done.id
        # Event ids continue after the restart.
        assert (await again.add_event(done.id, "x", {})).id == 2
    finally:
        await again.close()


async def test_purge_removes_expired_tasks_events_and_keys(store: TaskStore) -> None:
    now = time.time()
    old = make_task()
    old.status, old.finished_at = TaskStatus.DONE, now - 61
    recent = make_task()
    recent.status, recent.finished_at = TaskStatus.DONE, now - 59
    running = make_task(created_at=now - 3600)
    for task in (old, recent, running):
        await store.create(task, idempotency_key="key-" + task.id)
        await store.add_event(task.id, "status", {"status": str(task.status)})
    await store.add_delivery(old.id, "http://127.0.0.1:9/", b"{}")

    assert await store.purge_expired(now) == 1
    assert await store.get(old.id) is None
    assert await store.events_after(old.id, 0) == []
    assert await store.get(recent.id) is not None and await store.get(running.id) is not None
    # The key of a purged task is free again: a new task is created.
    task, new = await store.create(make_task(), idempotency_key="key-" + old.id)
    assert new and task.id != old.id
    # A pending delivery is kept although its task is gone.
    assert len(await store.deliveries_for(old.id)) == 1
    assert await store.purge_expired(now) == 0
    # Nothing left behind in the database for the purged task.
    with sqlite3.connect(store.path) as conn:
        for table in ("tasks", "idempotency"):
            (count,) = conn.execute(
                f"SELECT count(*) FROM {table} WHERE {'id' if table == 'tasks' else 'task_id'} = ?",
                (old.id,),
            ).fetchone()
            assert count == 0


async def test_a_failing_write_fails_alone(store: TaskStore) -> None:
    task = make_task()
    await store.create(task)
    duplicate = make_task()
    duplicate.id = task.id
    other = make_task()
    results = await asyncio.gather(
        store.create(duplicate), store.create(other), return_exceptions=True
    )
    assert isinstance(results[0], sqlite3.IntegrityError)
    assert results[1] == (other, True)
    assert await store.get(other.id) == other


async def test_outbox_due_attempted_and_finished(store: TaskStore) -> None:
    await store.add_delivery("t1", "http://127.0.0.1:9/a", b'{"a":1}')
    await store.add_delivery("t2", "http://127.0.0.1:9/b", b'{"b":2}')
    now = time.time() + 1
    due = await store.due_deliveries(now)
    assert [d.task_id for d in due] == ["t1", "t2"] and due[0].body == b'{"a":1}'
    await store.delivery_attempted(due[0].id, done=False, next_at=now + 100, error="HTTP 500")
    await store.delivery_attempted(due[1].id, done=True, next_at=None, error=None)
    assert await store.due_deliveries(now) == []
    assert await store.next_delivery_at() == pytest.approx(now + 100)
    first = await store.get_delivery(due[0].id)
    assert first is not None and first.attempts == 1 and first.last_error == "HTTP 500"
    second = await store.get_delivery(due[1].id)
    assert second is not None and second.delivered and second.next_at is None
    assert [d.id for d in await store.due_deliveries(now + 101)] == [due[0].id]


async def test_one_write_connection_wal_mode(store: TaskStore) -> None:
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # Every write runs on the store's one writer thread.
    # (Counting threads by name would also count another test's store still closing.)
    seen: set[int] = set()

    def note_thread(conn: sqlite3.Connection) -> None:
        seen.add(threading.get_ident())

    await asyncio.gather(*(store.db.write(note_thread) for _ in range(20)))
    writer = store.db._writer
    assert writer is not None and seen == {writer.ident}
