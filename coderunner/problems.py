"""Stored problems (SPEC §10): PUT/GET/DELETE /problems/{id}.

A problem is either a stdin test set (`testCases`, `expectedOutputs?`) or a function
test (`function`, `cases`, `compare?`). Rows live in SQLite, written by one thread
(every statement runs on the store's single worker thread, so there is one writer
and no lock contention); the test inputs of a stdin problem are kept as a file
beside the database, already in the session format (input/testcases), written
once at PUT. A submission naming the problem gets that file copied into its
session by the kernel (copy_file_range, a reflink where the file system has
them; sendfile across file systems): a 100 x 1 MB test set never passes through Python again.
"""

from __future__ import annotations

import asyncio
import builtins
import concurrent.futures
import errno
import itertools
import json
import os
import secrets
import sqlite3
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, TypeVarTuple, overload

from pydantic import BaseModel, ConfigDict, Field

from .errors import InvalidRequest, TooManyTestCases
from .functions.request import Case, Compare, FunctionSpec, function_job
from .request_body import parse_json
from .schemas import describe_error

T = TypeVar("T")
Ts = TypeVarTuple("Ts")

SCHEMA = """
CREATE TABLE IF NOT EXISTS problems (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,             -- "isolatedTest" | "functionTest"
    tests INTEGER NOT NULL,
    definition TEXT NOT NULL,       -- JSON: function/cases/compare, or {} for stdin tests
    blob TEXT,                      -- file name of the encoded test inputs (stdin tests)
    expected TEXT,                  -- file name of the expected outputs (JSON), if any
    input_bytes INTEGER NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
"""


class ProblemBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    title: str | None = Field(None, max_length=200)
    testCases: list[str] | None = Field(None, min_length=1)
    expectedOutputs: list[str] | None = None
    function: FunctionSpec | None = None
    cases: list[Case] | None = Field(None, min_length=1)
    compare: Compare | None = None


@dataclass(frozen=True)
class Problem:
    id: str
    kind: str
    tests: int
    definition: dict[str, Any]
    blob: Path | None
    expected: Path | None
    input_bytes: int
    created: float
    updated: float

    def public(self, *, full: bool = False, brief: bool = False) -> dict[str, Any]:
        """The GET body; `full` adds a stdin problem's tests, `brief` (listings)
        leaves out a function problem's cases."""
        body: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "tests": self.tests,
            "inputBytes": self.input_bytes,
            "createdAt": _iso(self.created),
            "updatedAt": _iso(self.updated),
        }
        if self.definition.get("title"):
            body["title"] = self.definition["title"]
        if self.kind == "functionTest":
            skip = {"title", "cases"} if brief else {"title"}
            body.update({k: v for k, v in self.definition.items() if k not in skip})
        else:
            body["hasExpectedOutputs"] = self.expected is not None
        if full and self.blob is not None:
            body["testCases"] = [t.decode("utf-8", "replace") for t in read_testcases(self.blob)]
            if self.expected is not None:
                body["expectedOutputs"] = json.loads(self.expected.read_text("utf-8"))
        return body


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + f".{int(epoch % 1 * 1000):03d}Z"


def read_testcases(path: Path) -> list[bytes]:
    """The inputs of an encoded test set (sessions.encode_testcases' format)."""
    with open(path, "rb") as fh:
        head = fh.readline().split()
        count = int(head[1])
        sizes = [int(fh.readline()) for _ in range(count)]
        return [fh.read(size) for size in sizes]


def parse_problem(body: bytes, *, max_tests: int, max_input: int, max_cases: int) -> ProblemBody:
    """Validate a PUT body (blocking: a large body takes a while; call in a thread)."""
    problem = parse_json(ProblemBody, body, describe_error)
    stdin = problem.testCases is not None
    function = problem.function is not None or problem.cases is not None
    if stdin == function:
        raise InvalidRequest(
            'a problem has either "testCases" (and "expectedOutputs") or "function" and "cases"'
        )
    if stdin:
        tests = problem.testCases or []
        if len(tests) > max_tests:
            raise TooManyTestCases(
                f"{len(tests)} test cases, over the limit of {max_tests}",
                details={"limit": max_tests},
            )
        for index, test in enumerate(tests):
            if len(test) > max_input or len(test.encode("utf-8")) > max_input:
                from .errors import InputTooLarge

                raise InputTooLarge(
                    f"testCases[{index}] is over the limit of {max_input} bytes",
                    details={"limit": max_input, "index": index},
                )
        if problem.expectedOutputs is not None and len(problem.expectedOutputs) != len(tests):
            raise InvalidRequest(
                f"expectedOutputs has {len(problem.expectedOutputs)} items but testCases has "
                f"{len(tests)}"
            )
    else:
        if problem.function is None or problem.cases is None:
            raise InvalidRequest('a function problem needs both "function" and "cases"')
        function_job(problem.function, problem.cases, problem.compare, max_cases=max_cases)
    return problem


class ProblemStore:
    def __init__(self, path: Path, *, max_problems: int = 10_000) -> None:
        self.path = path
        self.blobs = path.parent / (path.name + ".blobs")
        self.max_problems = max_problems
        # One thread runs every statement: the one writer, in order.
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="problems")
        self._db: sqlite3.Connection | None = None

    async def _call(self, fn: Callable[[*Ts], T], *args: *Ts) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    async def open(self) -> None:
        await self._call(self._open)

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.blobs.mkdir(exist_ok=True, mode=0o700)
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.executescript(SCHEMA)
        self._db = db
        self._remove_unreferenced()

    def _remove_unreferenced(self) -> None:
        """Blob files no row names: left by a crash between the file and the commit."""
        assert self._db is not None
        used = {
            name
            for row in self._db.execute("SELECT blob, expected FROM problems")
            for name in row
            if name
        }
        for entry in self.blobs.iterdir():
            if entry.name not in used:
                entry.unlink(missing_ok=True)

    async def close(self) -> None:
        await self._call(self._close)
        self._pool.shutdown(wait=True)

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # ---- API ---------------------------------------------------------------------

    async def put(self, problem_id: str, body: ProblemBody) -> tuple[Problem, bool]:
        return await self._call(self._put, problem_id, body)

    async def get(self, problem_id: str) -> Problem | None:
        return await self._call(self._get, problem_id)

    async def delete(self, problem_id: str) -> bool:
        return await self._call(self._delete, problem_id)

    async def list(self) -> builtins.list[Problem]:
        return await self._call(self._list)

    # ---- the worker thread's side --------------------------------------------------

    def _row(self, row: tuple[Any, ...]) -> Problem:
        pid, kind, tests, definition, blob, expected, size, created, updated = row
        return Problem(
            pid,
            kind,
            tests,
            json.loads(definition),
            self.blobs / blob if blob else None,
            self.blobs / expected if expected else None,
            size,
            created,
            updated,
        )

    def _get(self, problem_id: str) -> Problem | None:
        assert self._db is not None
        row = self._db.execute("SELECT * FROM problems WHERE id = ?", (problem_id,)).fetchone()
        return self._row(row) if row else None

    # `builtins.list`: inside this class `list` names the method above.
    def _list(self) -> builtins.list[Problem]:
        assert self._db is not None
        return [self._row(r) for r in self._db.execute("SELECT * FROM problems ORDER BY id")]

    def _write_file(
        self, name: str, chunks: builtins.list[bytes] | None, text: str | None = None
    ) -> int:
        """Write a blob durably under a fresh name (nothing else ever writes it)."""
        path = self.blobs / name
        size = 0
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks if chunks is not None else [(text or "").encode("utf-8")]:
                fh.write(chunk)
                size += len(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        return size

    def _put(self, problem_id: str, body: ProblemBody) -> tuple[Problem, bool]:
        assert self._db is not None
        old = self._get(problem_id)
        if old is None:
            (count,) = self._db.execute("SELECT COUNT(*) FROM problems").fetchone()
            if count >= self.max_problems:
                raise InvalidRequest(
                    f"the store holds {count} problems (problems.max_problems); delete some first"
                )
        now = time.time()
        token = secrets.token_hex(8)
        blob = expected = None
        input_bytes = 0
        definition: dict[str, Any] = {"title": body.title} if body.title else {}
        if body.testCases is not None:
            kind, tests = "isolatedTest", len(body.testCases)
            # The session format, written test by test: each input is encoded once.
            encoded = [t.encode("utf-8") for t in body.testCases]
            header = f"CRTC1 {tests}\n" + "".join(f"{len(t)}\n" for t in encoded)
            blob = f"{problem_id}.{token}.tc"
            self._write_file(blob, [header.encode("ascii"), *encoded])
            input_bytes = sum(map(len, encoded))
            del encoded
            if body.expectedOutputs is not None:
                expected = f"{problem_id}.{token}.expected.json"
                self._write_file(expected, None, json.dumps(body.expectedOutputs))
        else:
            assert body.function is not None and body.cases is not None
            kind, tests = "functionTest", len(body.cases)
            definition.update(
                function=body.function.model_dump(),
                cases=[c.model_dump() for c in body.cases],
                compare=(body.compare or Compare()).model_dump(),
            )
        try:
            self._db.execute(
                "INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE "
                "SET kind=excluded.kind, tests=excluded.tests, definition=excluded.definition, "
                "blob=excluded.blob, expected=excluded.expected, "
                "input_bytes=excluded.input_bytes, updated=excluded.updated",
                (
                    problem_id,
                    kind,
                    tests,
                    json.dumps(definition),
                    blob,
                    expected,
                    input_bytes,
                    now,
                    now,
                ),
            )
        except BaseException:
            for name in (blob, expected):
                if name:
                    (self.blobs / name).unlink(missing_ok=True)
            raise
        if old is not None:
            self._unlink(old)
        problem = self._get(problem_id)
        assert problem is not None
        return problem, old is None

    def _unlink(self, problem: Problem) -> None:
        for path in (problem.blob, problem.expected):
            if path is not None:
                path.unlink(missing_ok=True)

    def _delete(self, problem_id: str) -> bool:
        assert self._db is not None
        old = self._get(problem_id)
        if old is None:
            return False
        self._db.execute("DELETE FROM problems WHERE id = ?", (problem_id,))
        self._unlink(old)
        return True


def lookup(database: Path, problem_id: str, blobs: Path | None = None) -> Problem | None:
    """A problem, read with a read-only connection of its own (a WAL reader never
    waits for the writer): what a kind's prepare() uses, on any thread. Fast (one
    indexed row); None when the database or the problem does not exist."""
    if not database.exists():
        return None
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)
    try:
        row = db.execute("SELECT * FROM problems WHERE id = ?", (problem_id,)).fetchone()
    except sqlite3.OperationalError:  # no table yet
        return None
    finally:
        db.close()
    if row is None:
        return None
    store = ProblemStore.__new__(ProblemStore)
    store.blobs = blobs or database.parent / (database.name + ".blobs")
    return store._row(row)


class StoredTests(Sequence[bytes]):
    """A stored problem's test inputs as the tests of a Prepared: the count is known,
    the bytes stay in the blob file (opened now, so that a problem replaced before
    the session is staged still gives the inputs it had). Staging copies the file
    (`copy_to`); an item is read only if someone asks for it."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        self._closer = weakref.finalize(self, os.close, self._fd)
        with os.fdopen(os.dup(self._fd), "rb") as fh:
            head = fh.readline().split()
            if len(head) != 2 or head[0] != b"CRTC1":
                raise ValueError(f"{path.name} is not an encoded test set")
            self._sizes = [int(fh.readline()) for _ in range(int(head[1]))]
            self._start = fh.tell()
        self._offsets = list(itertools.accumulate(self._sizes, initial=self._start))

    def __len__(self) -> int:
        return len(self._sizes)

    @overload
    def __getitem__(self, index: int) -> bytes: ...
    @overload
    def __getitem__(self, index: slice) -> list[bytes]: ...
    def __getitem__(self, index: int | slice) -> bytes | list[bytes]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self._sizes)
        size = self._sizes[index]
        return os.pread(self._fd, size, self._offsets[index]) if size else b""

    def copy_to(self, dest: Path) -> None:
        """Write the encoded set to `dest` (a new file) in the kernel: copy_file_range
        (a reflink where the file system has them), never through Python's memory."""
        size = os.fstat(self._fd).st_size
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        try:
            copied = 0
            while copied < size:
                try:
                    n = os.copy_file_range(self._fd, fd, size - copied, copied, copied)
                except OSError as exc:
                    # Across file systems (the session root is often a tmpfs):
                    # sendfile, still in the kernel.
                    if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                        raise
                    n = os.sendfile(fd, self._fd, copied, size - copied)
                if n == 0:
                    raise OSError(errno.EIO, "the stored test set ended early")
                copied += n
        finally:
            os.close(fd)


def expected_outputs(problem: Problem) -> list[str] | None:
    if problem.expected is None:
        return None
    outputs: list[str] = json.loads(problem.expected.read_text("utf-8"))
    return outputs
