"""The problem store (coderunner/problems.py) on real SQLite files: fresh databases,
replacement, deletion, restart survival, and a 100 x 1 MB test set staged into a
session by the kernel."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest

from coderunner.errors import (
    CodeRunnerError,
    InputTooLarge,
    InvalidArguments,
    InvalidRequest,
    TooManyTestCases,
)
from coderunner.problems import (
    Problem,
    ProblemBody,
    ProblemStore,
    StoredTests,
    expected_outputs,
    lookup,
    parse_problem,
    read_testcases,
)
from coderunner.runner.sessions import encode_testcases

T = TypeVar("T")
LIMITS = {"max_tests": 100, "max_input": 1_000_000, "max_cases": 100}
FUNCTION = {
    "name": "add",
    "params": [{"name": "a", "type": "int"}, {"name": "b", "type": "int"}],
    "returns": "int",
}


def parse(body: dict[str, Any]) -> ProblemBody:
    return parse_problem(json.dumps(body).encode(), **LIMITS)


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def blob(problem: Problem | None) -> Path:
    """The file of a stdin problem's test set (a function problem has none)."""
    assert problem is not None and problem.blob is not None
    return problem.blob


async def with_store(path: Path, fn: Callable[[ProblemStore], Awaitable[T]]) -> T:
    store = ProblemStore(path)
    await store.open()
    try:
        return await fn(store)
    finally:
        await store.close()


def test_put_get_list_delete_on_a_fresh_database(tmp_path: Path) -> None:
    db = tmp_path / "p" / "problems.db"

    async def scenario(store: ProblemStore) -> Problem:
        stdin, created = await store.put(
            "echo-1",
            parse(
                {
                    "title": "Echo",
                    "testCases": ["a\n", "", "\x00b"],
                    "expectedOutputs": ["a\n", "", "b"],
                }
            ),
        )
        assert created and stdin.kind == "isolatedTest" and stdin.tests == 3
        fn, created = await store.put(
            "add.v2",
            parse(
                {
                    "function": FUNCTION,
                    "cases": [{"args": [1, 2], "expected": 3}],
                    "compare": {"mode": "exact"},
                }
            ),
        )
        assert created and fn.kind == "functionTest"
        got = await store.get("echo-1")
        assert got is not None
        assert read_testcases(blob(got)) == [b"a\n", b"", b"\x00b"]
        assert blob(got).read_bytes() == encode_testcases([b"a\n", b"", b"\x00b"])
        assert expected_outputs(got) == ["a\n", "", "b"]
        public = got.public(full=True)
        assert public["testCases"] == ["a\n", "", "\x00b"] and public["title"] == "Echo"
        add = await store.get("add.v2")
        assert add is not None and add.public()["cases"] == [{"args": [1, 2], "expected": 3}]
        assert [p.id for p in await store.list()] == ["add.v2", "echo-1"]
        assert await store.delete("echo-1") is True
        assert await store.delete("echo-1") is False
        assert await store.get("echo-1") is None
        assert not blob(got).exists()
        return fn

    run(with_store(db, scenario))


def test_replacing_a_problem_keeps_one_blob_and_survives_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "problems.db"

    async def first(store: ProblemStore) -> None:
        await store.put("p", parse({"testCases": ["1\n"]}))
        _, created = await store.put("p", parse({"testCases": ["2\n", "3\n"]}))
        assert created is False

    run(with_store(db, first))
    # A blob no row names (a crash between the file and the commit) is removed at open.
    stray = db.parent / "problems.db.blobs" / "p.dead.tc"
    stray.write_bytes(b"junk")

    async def second(store: ProblemStore) -> None:
        p = await store.get("p")
        assert p is not None and p.tests == 2
        assert read_testcases(blob(p)) == [b"2\n", b"3\n"]
        assert sorted(x.name for x in store.blobs.iterdir()) == [blob(p).name]

    run(with_store(db, second))
    assert not stray.exists()
    rows = sqlite3.connect(db).execute("SELECT id, tests FROM problems").fetchall()
    assert rows == [("p", 2)]


@pytest.mark.parametrize(
    "body, error, words",
    [
        ({}, InvalidRequest, "either"),
        (
            {"testCases": ["a"], "function": FUNCTION, "cases": [{"args": [1, 2], "expected": 3}]},
            InvalidRequest,
            "either",
        ),
        ({"testCases": []}, InvalidRequest, "testCases"),
        ({"testCases": ["a"], "expectedOutputs": []}, InvalidRequest, "expectedOutputs has 0"),
        ({"testCases": ["x"] * 101}, TooManyTestCases, "101"),
        ({"testCases": ["x" * 1_000_001]}, InputTooLarge, "testCases[0]"),
        ({"function": FUNCTION}, InvalidRequest, "both"),
        (
            {"function": FUNCTION, "cases": [{"args": [1, "2"], "expected": 3}]},
            InvalidArguments,
            "parameter 'b'",
        ),
    ],
)
def test_bad_problems_are_refused_with_the_reason(
    body: dict[str, Any], error: type[CodeRunnerError], words: str
) -> None:
    with pytest.raises(error) as info:
        parse(body)
    assert words in info.value.message


def test_the_store_refuses_past_max_problems(tmp_path: Path) -> None:
    async def scenario(store: ProblemStore) -> None:
        store.max_problems = 2
        await store.put("a", parse({"testCases": ["1"]}))
        await store.put("b", parse({"testCases": ["1"]}))
        await store.put("b", parse({"testCases": ["2"]}))  # a replacement is no new problem
        with pytest.raises(InvalidRequest, match="max_problems"):
            await store.put("c", parse({"testCases": ["1"]}))

    run(with_store(tmp_path / "problems.db", scenario))


def test_a_100_x_1mb_test_set_is_staged_by_the_kernel(tmp_path: Path) -> None:
    mb = 1_000_000
    tests = [(f"{i:03d}" * (mb // 3 + 1))[:mb] for i in range(100)]
    body = json.dumps({"testCases": tests}).encode()
    del tests
    started = time.perf_counter()
    problem_body = parse_problem(body, **LIMITS)
    del body

    async def scenario(store: ProblemStore) -> Problem:
        p, _ = await store.put("big", problem_body)
        return p

    problem = run(with_store(tmp_path / "problems.db", scenario))
    put_s = time.perf_counter() - started
    assert problem.input_bytes == 100 * mb
    session_input = tmp_path / "session" / "input"
    session_input.mkdir(parents=True)
    tracemalloc.start()
    started = time.perf_counter()
    stored = StoredTests(blob(problem))
    assert len(stored) == 100
    stored.copy_to(session_input / "testcases")
    stage_s = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # Not one of the 100 MB went through Python's memory while staging.
    assert peak < 1_000_000, peak
    staged = session_input / "testcases"
    assert staged.stat().st_size == blob(problem).stat().st_size > 100 * mb
    with open(staged, "rb") as fh:
        assert fh.readline() == b"CRTC1 100\n"
    assert read_testcases(staged)[42][:6] == b"042042"
    print(f"PUT (parse + encode + write) {put_s:.2f} s; staging 100 MB {stage_s * 1000:.0f} ms")


def test_lookup_and_stored_tests_keep_the_inputs_of_their_moment(tmp_path: Path) -> None:
    db = tmp_path / "problems.db"
    assert lookup(db, "nothing") is None  # no database yet

    async def scenario(store: ProblemStore) -> None:
        await store.put("p", parse({"testCases": ["a\n", "", "ccc"]}))
        problem = lookup(db, "p")
        assert problem is not None and problem.tests == 3 and lookup(db, "q") is None
        stored = StoredTests(blob(problem))
        # Replaced before the session is staged: the open file still has the old set.
        await store.put("p", parse({"testCases": ["new"]}))
        assert not blob(problem).exists()
        assert len(stored) == 3 and stored[0] == b"a\n" and stored[1] == b""
        assert stored[-1] == b"ccc" and list(stored) == [b"a\n", b"", b"ccc"]
        # Across file systems (a tmpfs session root) the copy is sendfile's.
        for target in (tmp_path / "tc", Path("/dev/shm") / f"crtc-{os.getpid()}"):
            try:
                stored.copy_to(target)
                assert target.read_bytes() == encode_testcases([b"a\n", b"", b"ccc"])
            finally:
                target.unlink(missing_ok=True)

    run(with_store(db, scenario))
