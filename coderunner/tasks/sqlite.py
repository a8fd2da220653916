"""SQLite with one writer: a dedicated thread owns the only write connection.

Writes are functions queued to that thread and run in order; whatever is queued when
it wakes up is committed as ONE transaction (each write in its own savepoint, so one
failing write fails alone and the others commit). WAL mode lets readers (their own
connections, on a small thread pool) read while it writes; `synchronous=NORMAL` makes
a commit an append to the WAL, not an fsync: a power cut may lose the last commits,
never corrupt the file. The API is async: the event loop never blocks on SQLite.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
Write = Callable[[sqlite3.Connection], Any]

# Most writes one transaction carries; the rest wait for the next (bounded latency).
MAX_BATCH = 256


class StoreClosed(RuntimeError):
    """A read or write after close(): the caller is shutting down."""


def connect(path: Path) -> sqlite3.Connection:
    # Autocommit mode: the writer issues BEGIN/COMMIT itself.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


class Writer(threading.Thread):
    """The only thread that writes: runs queued writes in order, a batch per commit."""

    def __init__(self, path: Path, schema: str, name: str) -> None:
        super().__init__(name=f"{name}-writer", daemon=True)
        self.path = path
        self.schema = schema
        self.jobs: queue.SimpleQueue[tuple[Write, Future[Any]] | None] = queue.SimpleQueue()
        self.ready: Future[None] = Future()

    def submit(self, fn: Write) -> Future[Any]:
        future: Future[Any] = Future()
        self.jobs.put((fn, future))
        return future

    def run(self) -> None:
        try:
            conn = connect(self.path)
            conn.executescript(self.schema)
        except BaseException as exc:
            self.ready.set_exception(exc)
            return
        self.ready.set_result(None)
        try:
            while True:
                first = self.jobs.get()
                if first is None:
                    return
                batch = [first]
                stop = False
                while len(batch) < MAX_BATCH:
                    try:
                        item = self.jobs.get_nowait()
                    except queue.Empty:
                        break
                    if item is None:
                        stop = True
                        break
                    batch.append(item)
                self._run_batch(conn, batch)
                if stop:
                    return
        finally:
            conn.close()

    @staticmethod
    def _run_batch(conn: sqlite3.Connection, batch: list[tuple[Write, Future[Any]]]) -> None:
        outcomes: list[tuple[bool, Any]] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
            for fn, _ in batch:
                conn.execute("SAVEPOINT one")
                try:
                    outcomes.append((True, fn(conn)))
                    conn.execute("RELEASE one")
                except Exception as exc:
                    conn.execute("ROLLBACK TO one")
                    conn.execute("RELEASE one")
                    outcomes.append((False, exc))
            conn.execute("COMMIT")
        except Exception as exc:  # the transaction itself failed (disk full, I/O error)
            with contextlib.suppress(sqlite3.Error):
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            outcomes = [(False, exc)] * len(batch)
        for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)


class Database:
    """One writer thread, a reader pool; `write(fn)`/`read(fn)` run fn(connection)."""

    def __init__(self, path: Path, schema: str, *, name: str = "sqlite", readers: int = 2) -> None:
        self.path = Path(path)
        self.schema = schema
        self.name = name
        self.readers = readers
        self._writer: Writer | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._local = threading.local()
        self._reader_conns: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        writer = Writer(self.path, self.schema, self.name)
        writer.start()
        await asyncio.wrap_future(writer.ready)
        self._writer = writer
        self._pool = ThreadPoolExecutor(self.readers, thread_name_prefix=f"{self.name}-read")

    async def close(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.jobs.put(None)  # after everything already queued
            await asyncio.to_thread(writer.join)
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
        with self._lock:
            for conn in self._reader_conns:
                conn.close()
            self._reader_conns.clear()
        self._local = threading.local()

    async def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if self._writer is None:
            raise StoreClosed(f"{self.name} is closed")
        return await asyncio.wrap_future(self._writer.submit(fn))

    async def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if self._pool is None:
            raise StoreClosed(f"{self.name} is closed")
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._on_reader, fn)

    def _on_reader(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            self._local.conn = conn
            with self._lock:
                self._reader_conns.append(conn)
        return fn(conn)
