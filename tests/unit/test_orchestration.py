"""The request path without Docker: real uvicorn servers, the real task store, queue,
pool, launcher, runner and lifecycle, with a fake `docker.handler`
(tests/support/fakehandler.py) and a fake engine. Watchdog, callback grace, pool claim and
discard, cancel, restart, fairness and the tasks API's refusals.

These run on top of the real-container tests (tests/e2e/, tests/container/test_containers.py),
never instead: they make the orchestration's corner cases fast and deterministic.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from coderunner.client import Client
from coderunner.tasks.model import Task, TaskStatus, new_task_id
from coderunner.tasks.store import TaskStore
from tests.helpers import RunningServer, WebhookReceiver, settings_for, start_server, wait_until
from tests.support.fakeengine import HANDLER, FakeEngine

FAST = {"requests_per_minute": 100_000, "per_user_requests_per_minute": 100_000}


def body(code: str = "", tests: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "code": f"{code}\nprint(input())\n",
        "language": "python",
        "testCases": [f"t{i}\n" for i in range(tests)],
        **extra,
    }


def warm_ready(pool: Any) -> None:
    """A warm container is claimable once its entry reads input/go: the fake handler
    files it in the fake engine's registry right after it opened that FIFO."""
    wait_until(lambda: pool.idle_count("python") >= 1, what="a warm container")
    sandbox = pool._idle["python"][0].sandbox
    entry = sandbox.dir.parent.parent / "fake-containers" / sandbox.container
    wait_until(entry.exists, what="the warm container to read input/go")


def handler_processes(engine: FakeEngine, sid: str) -> list[int]:
    """Live processes of the fake handler or its container for this session id (found
    by its directory's name, in their arguments or environment)."""
    slot = engine.dir_of(sid)
    assert slot, f"no fake handler ran session {sid}"
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                cmdline = Path(f"/proc/{entry.name}/cmdline").read_bytes()
                environ = Path(f"/proc/{entry.name}/environ").read_bytes()
            except OSError:
                continue
            if b"fakehandler" in cmdline and slot.encode() in cmdline + environ:
                found.append(int(entry.name))
    return found


class Fake:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.servers: list[tuple[RunningServer, FakeEngine]] = []

    def start(
        self, name: str = "s", **sections: dict[str, Any]
    ) -> tuple[RunningServer, FakeEngine]:
        base: dict[str, dict[str, Any]] = {
            "docker": {"handler": str(HANDLER)},
            "pool": {"enabled": False},
            "ratelimit": FAST,
        }
        for section, values in sections.items():
            base.setdefault(section, {}).update(values)
        settings = settings_for(self.tmp / name, **base)
        engine = FakeEngine(settings.sessions.root)
        server = start_server(settings, engine=engine)
        self.servers.append((server, engine))
        return server, engine

    def stop(self, server: RunningServer) -> None:
        server.stop()
        self.servers = [(s, e) for s, e in self.servers if s is not server]


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[Fake]:
    f = Fake(tmp_path)
    yield f
    for server, _ in f.servers:
        server.stop()


@pytest.fixture
def server(fake: Fake) -> tuple[RunningServer, FakeEngine]:
    return fake.start()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, FakeEngine]]:
    """One server for the tests that only read or are refused: they leave nothing
    behind that another test could trip over, and a server start is most of their cost."""
    f = Fake(tmp_path_factory.mktemp("shared"))
    yield f.start(tasks={"webhook_hosts": ["127.0.0.1"]})
    for server, _ in f.servers:
        server.stop()


# ---- the whole path ----------------------------------------------------------------------


def test_task_runs_and_streams_each_test_before_the_next_ends(server: Any) -> None:
    srv, engine = server
    with Client(srv.url) as client:
        task_id = client.submit(body("#fake sleep=0.4", 3)["code"], "python", ["a\n", "b\n", "c\n"])
        seen = [(time.monotonic(), e) for e in client.events(task_id)]
        task = client.wait(task_id, 10)
    kinds = [e["event"] for _, e in seen]
    assert kinds == ["status", "test", "test", "test", "done"], kinds
    assert seen[0][1]["data"] == {"status": "running"}
    assert [e["id"] for _, e in seen] == [1, 2, 3, 4, 5]
    first_test, done = seen[1][0], seen[-1][0]
    # Two more tests of 0.4 s ran after the first event; the first may reach us up to one
    # coalescing interval (0.25 s) late. Events held until the end would be ~0 s apart.
    assert done - first_test >= 0.4
    assert seen[1][1]["data"]["index"] == 0 and seen[1][1]["data"]["stdout"] == "A\n"
    assert seen[1][1]["data"]["result"]["status"] == "OK"
    assert task["status"] == "done" and task["result"]["stdout"] == ["A\n", "B\n", "C\n"]
    assert seen[-1][1]["data"] == {"status": "done", "result": task["result"]}
    assert engine.running() == [] and not list(srv.settings.sessions.root.iterdir())


def test_synchronous_endpoint_is_a_task_and_frees_its_slot(server: Any) -> None:
    srv, _ = server
    with srv.client() as client:
        answer = client.post("/isolatedTest", json=body(tests=2)).json()
    assert answer["stdout"] == ["T0\n", "T1\n"]
    assert srv.state.runner.queue.running == 0 and srv.state.tasks.health()["tasksInFlight"] == 0


# ---- watchdog, callback grace ------------------------------------------------------------


def test_watchdog_kills_a_container_that_never_ends(fake: Fake) -> None:
    srv, engine = fake.start(docker={"deadline_slack_s": 1}, limits={"compile_time_limit_ms": 500})
    started = time.monotonic()
    with srv.client() as client:
        answer = client.post("/isolatedTest", json=body("#fake hang", timeLimitMs=100)).json()
    # deadline = 2 x 0.5 s compile + (1.2 s wall + 0.5 s) + 1 s slack = 3.7 s
    assert 3.0 < time.monotonic() - started < 20
    result = answer["results"][0]
    assert result["status"] == "IE" and "watchdog" in result["error"]
    assert engine.removed[0] == answer["sessionId"]  # then once more by name
    assert engine.running() == [] and handler_processes(engine, answer["sessionId"]) == []
    assert srv.state.runner.queue.running == 0


def test_handler_exit_without_callback_is_answered_after_the_grace(server: Any) -> None:
    srv, engine = server
    started = time.monotonic()
    with srv.client() as client:
        answer = client.post("/isolatedTest", json=body("#fake no-callback")).json()
    assert time.monotonic() - started >= 2.0  # launcher.CALLBACK_GRACE_S
    result = answer["results"][0]
    assert result["status"] == "IE" and "without callback" in result["error"]
    assert engine.running() == []


# ---- warm pool ---------------------------------------------------------------------------


def test_pool_claim_serves_one_job_and_frees_the_slot_under_the_task_id(fake: Fake) -> None:
    srv, _ = fake.start(
        pool={"enabled": True, "prewarm": ["python"], "min_idle": 1}, queue={"max_concurrent": 1}
    )
    pool = srv.state.runner.pool
    warm_ready(pool)
    warm = {w.sandbox.id for w in pool._idle["python"]}
    with Client(srv.url) as client:
        task_id = client.submit(body()["code"], "python", ["x\n"])
        task = client.wait(task_id, 20)
    assert task["status"] == "done" and task["result"]["sessionId"] in warm
    # The slot was filed under the task id and freed once: the next job starts at once.
    queue = srv.state.runner.queue
    assert queue.running == 0 and not queue.is_running(task_id)
    with srv.client() as client:
        assert client.post("/isolatedTest", json=body()).json()["stdout"] == ["T0\n"]
    assert queue.running == 0


def test_pool_discards_a_warm_container_whose_job_cannot_be_loaded(fake: Fake) -> None:
    srv, engine = fake.start(pool={"enabled": True, "prewarm": ["python"], "min_idle": 1})
    pool = srv.state.runner.pool
    warm_ready(pool)
    warm = pool._idle["python"][0].sandbox
    # Something already sits where the job's source must go: loading it fails.
    (warm.dir / "input" / "source.py").write_text("planted")
    with srv.client() as client:
        answer = client.post("/isolatedTest", json=body()).json()
    assert answer["results"][0]["status"] == "IE"
    assert warm.container in engine.removed  # not started yet: removed by name
    wait_until(lambda: not warm.dir.exists(), what="the discarded directory to go")
    assert srv.state.runner.queue.running == 0


# ---- cancel ------------------------------------------------------------------------------


def test_cancel_running_stops_the_container_and_keeps_what_finished(server: Any) -> None:
    srv, engine = server
    with Client(srv.url) as client:
        task_id = client.submit(
            body("#fake sleep=0.5", 6)["code"], "python", [f"{i}\n" for i in range(6)]
        )
        for event in client.events(task_id):
            if event["event"] == "test":
                break
        task = client.cancel(task_id)
    assert task["status"] == "cancelled" and task["error"]["code"] == "cancelled"
    statuses = [r["status"] for r in task["result"]["results"]]
    assert statuses[0] == "OK" and statuses[-1] == "IE" and len(statuses) == 6
    assert task["result"]["results"][-1]["error"] == "cancelled"
    sid = task["result"]["sessionId"]
    assert engine.removed[0] == sid and engine.running() == []
    wait_until(lambda: handler_processes(engine, sid) == [], 10, "the handler to exit")
    assert not (srv.settings.sessions.root / str(engine.dir_of(sid))).exists()
    assert srv.state.runner.queue.running == 0


def test_cancel_queued_never_runs_and_a_final_task_is_unchanged(fake: Fake) -> None:
    srv, engine = fake.start(queue={"max_concurrent": 1})
    with Client(srv.url) as client:
        first = client.submit(body("#fake sleep=1")["code"], "python", ["a\n"])
        second = client.submit(body()["code"], "python", ["b\n"])
        wait_until(lambda: client.get(first)["status"] == "running")
        assert client.get(second)["status"] == "queued"
        cancelled = client.cancel(second)
        assert cancelled["status"] == "cancelled" and cancelled["result"] is None
        assert cancelled["startedAt"] is None
        done = client.wait(first, 20)
        assert done["status"] == "done"
        assert client.cancel(first) == done  # a final task is unchanged
        events = [e["event"] for e in client.events(second)]
    assert events == ["done"]  # it never ran
    assert len(engine.removed) == 0 and srv.state.runner.queue.depth == 0


# ---- restart -----------------------------------------------------------------------------


def test_restart_runs_queued_tasks_and_fails_running_ones(fake: Fake, tmp_path: Path) -> None:
    db = tmp_path / "shared" / "tasks.db"
    tasks = {"database": str(db)}
    srv, _ = fake.start(
        "a", queue={"max_concurrent": 1}, tasks=tasks, server={"shutdown_grace_s": 0.5}
    )
    with Client(srv.url) as client:
        running = client.submit(body("#fake sleep=30")["code"], "python", ["a\n"])
        queued = client.submit(body()["code"], "python", ["b\n"])
        wait_until(lambda: client.get(running)["status"] == "running")
    fake.stop(srv)

    # A crash leaves a task "running" in the store: the next start must fail it.
    async def crashed() -> str:
        store = TaskStore(db, retention_s=3600)
        await store.open()
        task = Task(
            new_task_id(),
            "isolatedTest",
            TaskStatus.RUNNING,
            "u",
            "c",
            body(),
            time.time(),
            started_at=time.time(),
        )
        await store.create(task)
        await store.close()
        return task.id

    lost = asyncio.run(crashed())
    srv, engine = fake.start("b", tasks=tasks)
    with Client(srv.url) as client:
        assert client.get(running)["status"] == "failed"
        assert client.get(running)["error"]["code"] == "shutting_down"
        after = client.wait(queued, 20)
        crashed_task = client.get(lost)
    assert after["status"] == "done" and after["result"]["stdout"] == ["B\n"]
    assert crashed_task["status"] == "failed" and crashed_task["error"]["code"] == "interrupted"
    assert engine.running() == []


# ---- fairness and admission --------------------------------------------------------------


def test_users_are_served_round_robin_within_their_cap(fake: Fake) -> None:
    srv, _ = fake.start(queue={"max_concurrent": 1, "max_per_user": 1})
    with Client(srv.url) as client:
        ids = [
            client.submit(body("#fake sleep=0.3")["code"], "python", ["x\n"], user="ann")
            for _ in range(3)
        ]
        bob = client.submit(body()["code"], "python", ["y\n"], user="bob")
        tasks = {i: client.wait(i, 30) for i in [*ids, bob]}
    order = sorted(tasks, key=lambda i: tasks[i]["startedAt"])
    assert order[:2] == [ids[0], bob], order  # bob's one job before ann's second


def test_max_per_user_caps_running_jobs(fake: Fake) -> None:
    srv, _ = fake.start(queue={"max_concurrent": 2, "max_per_user": 1})
    with Client(srv.url) as client:
        ids = [
            client.submit(body("#fake sleep=0.5")["code"], "python", ["x\n"], user="ann")
            for _ in range(2)
        ]
        wait_until(lambda: client.get(ids[0])["status"] == "running")
        time.sleep(0.2)
        assert client.get(ids[1])["status"] == "queued"  # a free slot, but ann holds one
        assert srv.state.runner.queue.running == 1
        assert client.wait(ids[1], 20)["status"] == "done"


def test_a_session_that_could_run_too_long_is_refused(shared: Any) -> None:
    srv, _ = shared
    # 100 tests x (10 s x 2 + 1 s) wall + 20 s compile = 2120 s > 900 s.
    with srv.client() as client:
        answer = client.post("/tasks", json=body(tests=100, timeLimitMs=10_000))
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "session_too_long" and "limits.max_session_s" in error["message"]


@pytest.mark.parametrize(
    "path,params,code",
    [
        ("/tasks/0123456789abcdef0123456789abcdef", {}, 404),
        ("/tasks/not-an-id", {}, 404),
        ("/tasks/0123456789abcdef0123456789abcdef/events", {}, 404),
        ("/tasks", {"ids": ",".join(["0" * 32] * 101)}, 400),
        ("/tasks", {}, 400),
    ],
)
def test_bad_reads(shared: Any, path: str, params: dict[str, str], code: int) -> None:
    srv, _ = shared
    with srv.client() as client:
        answer = client.get(path, params=params)
    assert answer.status_code == code
    assert answer.json()["error"]["code"] == ("not_found" if code == 404 else "invalid_request")


@pytest.mark.parametrize("wait", ["-1", "31", "abc", "nan"])
def test_wait_outside_0_to_30_is_refused(shared: Any, wait: str) -> None:
    srv, _ = shared
    with srv.client() as client:
        task_id = client.post("/tasks", json=body()).json()["id"]
        answer = client.get(f"/tasks/{task_id}", params={"wait": wait})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_request"


def test_get_many_keeps_order_and_nulls(shared: Any) -> None:
    srv, _ = shared
    with Client(srv.url) as client:
        a = client.submit("print(1)", "python", [""])
        b = client.submit("print(2)", "python", [""])
        client.wait(a, 10), client.wait(b, 10)
        tasks = client.get_many([b, "0" * 32, a, "junk"])
    assert [t and t["id"] for t in tasks] == [b, None, a, None]


@pytest.mark.parametrize(
    "payload,code",
    [
        ({"callbackUrl": "ftp://127.0.0.1/x"}, "invalid_request"),
        ({"callbackUrl": "http://user@127.0.0.1/x"}, "invalid_request"),
        ({"callbackUrl": 5}, "invalid_request"),
        ({"callbackUrl": "http://10.0.0.1/hook"}, "callback_not_allowed"),
        ({"kind": "nonsense"}, "invalid_request"),
        ({"language": "intercal"}, "unsupported_language"),
    ],
)
def test_bad_submissions(shared: Any, payload: dict[str, Any], code: str) -> None:
    srv, _ = shared
    with srv.client() as client:
        answer = client.post("/tasks", json={**body(), **payload})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == code


def test_idempotency_key_runs_once(shared: Any) -> None:
    srv, _ = shared
    with srv.client() as client:
        first = client.post("/tasks", json=body(), headers={"Idempotency-Key": "job-1"})
        again = client.post("/tasks", json=body(tests=2), headers={"Idempotency-Key": "job-1"})
        other = client.post("/tasks", json=body(), headers={"Idempotency-Key": "job-2"})
        bad = client.post("/tasks", json=body(), headers={"Idempotency-Key": "x" * 300})
    assert first.status_code == again.status_code == 202
    assert first.headers["Location"] == f"/tasks/{first.json()['id']}"
    assert again.json()["id"] == first.json()["id"] != other.json()["id"]
    assert bad.status_code == 400
    with Client(srv.url) as client:
        assert client.wait(first.json()["id"], 10)["result"]["stdout"] == ["T0\n"]


def test_access_check_applies_to_every_task_endpoint(fake: Fake) -> None:
    srv, _ = fake.start(server={"token": "s3cret"})
    paths = [
        ("POST", "/tasks"),
        ("GET", "/tasks?ids=" + "0" * 32),
        ("GET", "/tasks/" + "0" * 32),
        ("DELETE", "/tasks/" + "0" * 32),
        ("GET", f"/tasks/{'0' * 32}/events"),
    ]
    with srv.client() as client:
        for method, path in paths:
            answer = client.request(method, path, json=body() if method == "POST" else None)
            assert answer.status_code == 403, (method, path)
            assert answer.json()["error"]["code"] == "forbidden"


# ---- webhooks ----------------------------------------------------------------------------


def test_webhook_is_signed_with_the_task_body(fake: Fake) -> None:
    receiver = WebhookReceiver()
    try:
        srv, _ = fake.start(tasks={"webhook_hosts": ["127.0.0.1"], "webhook_secret": "k"})
        with srv.client() as client:
            task_id = client.post("/tasks", json=body(callbackUrl=receiver.url)).json()["id"]
        wait_until(lambda: receiver.got, 20, "the webhook")
        headers, data = receiver.got[0]
        with httpx.Client(base_url=srv.url) as client:
            stored = client.get(f"/tasks/{task_id}").json()
    finally:
        receiver.close()
    expected = "sha256=" + hmac.new(b"k", data, hashlib.sha256).hexdigest()
    assert headers["X-CodeRunner-Signature"] == expected
    assert headers["X-CodeRunner-Task"] == task_id
    assert json.loads(data) == stored and stored["status"] == "done"


def test_finished_tasks_expire_after_the_retention(fake: Fake) -> None:
    srv, _ = fake.start(tasks={"retention_s": 1})
    with Client(srv.url) as client:
        task_id = client.submit(body()["code"], "python", ["x\n"])
        assert client.wait(task_id, 10)["status"] == "done"
    with srv.client() as http:
        # The purge runs every max(1 s, retention / 4).
        wait_until(lambda: http.get(f"/tasks/{task_id}").status_code == 404, 15, "expiry")
        assert http.get(f"/tasks/{task_id}/events").status_code == 404
        assert http.get("/tasks", params={"ids": task_id}).json() == {"tasks": [None]}
