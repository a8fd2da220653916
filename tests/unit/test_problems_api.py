"""PUT/GET/DELETE /problems/{id} and GET /problems through a real server (SPEC §10):
status codes, error bodies, access check, body limit, and a restart of the server
on the same database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import RunningServer, settings_for, start_server

FUNCTION = {
    "name": "add",
    "params": [{"name": "a", "type": "int"}, {"name": "b", "type": "int"}],
    "returns": "int",
}
ADD = {"function": FUNCTION, "cases": [{"args": [1, 2], "expected": 3}]}


def test_create_replace_read_list_delete(make_server: Callable[..., RunningServer]) -> None:
    server = make_server()
    with server.client() as c:
        r = c.put(
            "/problems/echo.1",
            json={"title": "Echo", "testCases": ["a\n", "b"], "expectedOutputs": ["a\n", "b"]},
        )
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["id"] == "echo.1" and body["kind"] == "isolatedTest" and body["tests"] == 2
        assert body["hasExpectedOutputs"] is True and body["title"] == "Echo"
        assert c.put("/problems/echo.1", json={"testCases": ["x"]}).status_code == 200
        assert c.put("/problems/add", json=ADD).status_code == 201
        got = c.get("/problems/echo.1").json()
        assert got["tests"] == 1 and got["hasExpectedOutputs"] is False
        assert "testCases" not in got
        assert c.get("/problems/echo.1", params={"full": "1"}).json()["testCases"] == ["x"]
        add = c.get("/problems/add").json()
        assert add["function"]["name"] == "add" and add["cases"] == ADD["cases"]
        assert add["compare"] == {"mode": "exact", "tolerance": 1e-6}
        listing = c.get("/problems").json()["problems"]
        assert [p["id"] for p in listing] == ["add", "echo.1"]
        assert "cases" not in listing[0]
        assert c.delete("/problems/echo.1").json() == {"deleted": "echo.1"}
        r = c.get("/problems/echo.1")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
        assert c.delete("/problems/echo.1").status_code == 404


@pytest.fixture(scope="module")
def refusing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One server for the refusals: a refused body stores nothing."""
    server = start_server(settings_for(tmp_path_factory.mktemp("problems")))
    yield server
    server.stop()


@pytest.mark.parametrize(
    "path, body, status, code",
    [
        ("/problems/a", {}, 400, "invalid_request"),
        (
            "/problems/a",
            {"function": FUNCTION, "cases": [{"args": [1, 2.5], "expected": 3}]},
            400,
            "invalid_arguments",
        ),
        ("/problems/a", {"testCases": ["x"] * 101}, 400, "too_many_test_cases"),
        ("/problems/" + "x" * 65, {"testCases": ["x"]}, 400, "invalid_request"),
        ("/problems/a%20b", {"testCases": ["x"]}, 400, "invalid_request"),
    ],
)
def test_bad_problems_are_refused(
    refusing: RunningServer, path: str, body: dict[str, Any], status: int, code: str
) -> None:
    with refusing.client() as c:
        r = c.put(path, json=body)
        assert r.status_code == status, r.text
        assert r.json()["error"]["code"] == code
        if code == "invalid_arguments":
            assert r.json()["error"]["case"] == 0 and r.json()["error"]["parameter"] == "b"
        assert c.get("/problems").json() == {"problems": []}


def test_the_body_limit_and_the_access_check(make_server: Callable[..., RunningServer]) -> None:
    server = make_server(problems={"max_body_bytes": 1000})
    with server.client() as c:
        r = c.put("/problems/big", json={"testCases": ["x" * 2000]})
        assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
    closed = make_server(server={"trusted_hosts": ["10.9.9.9"]})
    with closed.client() as c:
        for method in ("GET", "PUT", "DELETE"):
            r = c.request(method, "/problems/x", json={"testCases": ["1"]})
            assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        assert c.get("/problems").status_code == 403


def test_problems_survive_a_restart(
    make_server: Callable[..., RunningServer], tmp_path: Path
) -> None:
    database = str(tmp_path / "shared" / "problems.db")
    first = make_server(problems={"database": database})
    with first.client() as c:
        assert c.put("/problems/kept", json=ADD).status_code == 201
        assert c.put("/problems/gone", json={"testCases": ["1"]}).status_code == 201
        assert c.delete("/problems/gone").status_code == 200
    first.stop()
    second = make_server(problems={"database": database})
    with second.client() as c:
        assert [p["id"] for p in c.get("/problems").json()["problems"]] == ["kept"]
        assert c.get("/problems/kept").json()["cases"] == ADD["cases"]
