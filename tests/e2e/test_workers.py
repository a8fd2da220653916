"""Workers on many machines (SPEC section 13), for real: a redis-server, one
`coderunner serve` with `dispatch.backend = "redis"` (it runs no container) and
`coderunner worker` processes with their own session roots on the same Docker engine.
Work spreads over both workers, a worker without a language never gets its tasks, a
worker killed with SIGKILL mid-task loses the task to the other one (which completes
it once) and removes its orphan container when it restarts, and a Redis restarted
while tasks wait loses none of them."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from coderunner.client import Client
from coderunner.runner.engine import ROOT_LABEL, root_label
from tests.e2e.test_tasks import containers, serve
from tests.helpers import REPO, unavailable, wait_until
from tests.support.redisserver import RedisServer

pytestmark = pytest.mark.docker

SLEEPY = "import time\ns = input()\ntime.sleep(float(s))\nprint(s)\n"
LOOSE = {
    "CODERUNNER_RATELIMIT__REQUESTS_PER_MINUTE": "100000",
    "CODERUNNER_RATELIMIT__PER_USER_REQUESTS_PER_MINUTE": "100000",
    "CODERUNNER_POOL__ENABLED": "false",
}


class Cluster:
    def __init__(self, tmp: Path, redis: RedisServer) -> None:
        self.tmp = tmp
        self.redis = redis
        self.procs: list[subprocess.Popen[bytes]] = []
        self.dispatch = {
            "CODERUNNER_DISPATCH__BACKEND": "redis",
            "CODERUNNER_DISPATCH__URL": redis.url,
            "CODERUNNER_DISPATCH__LEASE_S": "3",
            "CODERUNNER_DISPATCH__REAP_INTERVAL_S": "0.5",
            "CODERUNNER_DISPATCH__HEARTBEAT_S": "0.5",
            "CODERUNNER_DISPATCH__PREFIX": "e2e",
        }

    def server(self) -> str:
        proc, url = serve(self.tmp / "server", self.tmp / "tasks.db", **LOOSE, **self.dispatch)
        self.procs.append(proc)
        return url

    def root(self, name: str) -> Path:
        return self.tmp / name / "sessions"

    def worker(self, name: str, languages: str) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            **LOOSE,
            **self.dispatch,
            "CODERUNNER_DISPATCH__WORKER_ID": name,
            "CODERUNNER_DISPATCH__LANGUAGES": languages,
            "CODERUNNER_SESSIONS__ROOT": str(self.root(name)),
            "CODERUNNER_LOGGING__LOG_FILE": str(self.tmp / name / "spool" / "events.jsonl"),
            "CODERUNNER_LOGGING__SERVER_URL": "http://127.0.0.1:9",
            "CODERUNNER_QUEUE__MAX_CONCURRENT": "2",
            "CODERUNNER_SERVER__SHUTDOWN_GRACE_S": "2",
        }
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 (the process keeps it)
        proc = subprocess.Popen(
            [sys.executable, "-m", "coderunner", "worker", "--config", str(REPO / "config.toml")],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    if shutil.which("redis-server") is None:
        unavailable("redis-server is not installed (apt-get install redis-server)")
    redis = RedisServer(tmp_path / "redis")
    redis.start()
    made = Cluster(tmp_path, redis)
    yield made
    made.stop()
    redis.stop(kill=True)


def offers(url: str, language: str) -> bool:
    """The server's languages are its live workers': read every heartbeat."""
    listed = httpx.get(f"{url}/languages", timeout=10).json()
    return any(lang["id"] == language for lang in listed)


def workers(url: str) -> dict[str, dict[str, Any]]:
    return {w["id"]: w for w in httpx.get(f"{url}/workers", timeout=10).json()}


def done_per_worker(url: str) -> dict[str, float]:
    text = httpx.get(f"{url}/metrics", timeout=10).text
    found = re.findall(
        r'coderunner_worker_tasks_total\{outcome="done",worker="([^"]+)"\} (\S+)', text
    )
    return {worker: float(count) for worker, count in found}


def finished(client: Client, ids: list[str]) -> bool:
    tasks = client.get_many(ids)
    return all(t and t["status"] in ("done", "failed", "cancelled") for t in tasks)


def test_work_spreads_over_two_workers_and_languages_route(cluster: Cluster) -> None:
    url = cluster.server()
    cluster.worker("wa", '["python","c"]')
    cluster.worker("wb", '["python"]')
    wait_until(lambda: set(workers(url)) == {"wa", "wb"}, 120, "both workers registered")
    wait_until(lambda: offers(url, "python") and offers(url, "c"), 30, "their languages")
    listed = workers(url)
    assert listed["wa"]["languages"] == ["c", "python"] and listed["wb"]["languages"] == ["python"]
    with Client(url) as client:
        ids = [client.submit("print(input()[::-1])", "python", [f"task{i}\n"]) for i in range(50)]
        wait_until(lambda: finished(client, ids), 600, "50 tasks")
        for i, task_id in enumerate(ids):
            task = client.get(task_id)
            assert task["status"] == "done", task
            assert task["result"]["stdout"] == [f"task{i}"[::-1] + "\n"]
        spread = done_per_worker(url)
        assert spread.get("wa", 0) > 0 and spread.get("wb", 0) > 0, spread
        assert spread["wa"] + spread["wb"] == 50
        # C: only wa has it; wb never receives one.
        c_ids = [
            client.submit('#include <stdio.h>\nint main(void){puts("c");return 0;}\n', "c", ["\n"])
            for _ in range(4)
        ]
        wait_until(lambda: finished(client, c_ids), 300, "the C tasks")
        assert all(client.get(t)["result"]["stdout"] == ["c\n"] for t in c_ids)
        after = done_per_worker(url)
        assert after["wb"] == spread["wb"] and after["wa"] == spread["wa"] + 4
    health = httpx.get(f"{url}/health", timeout=10).json()
    assert health["dispatch"]["workers"] == 2 and health["docker"]["reachable"] is None


def test_a_killed_worker_loses_its_task_to_the_other_and_cleans_up_on_restart(
    cluster: Cluster,
) -> None:
    url = cluster.server()
    procs = {"wa": cluster.worker("wa", '["python"]'), "wb": cluster.worker("wb", '["python"]')}
    wait_until(lambda: set(workers(url)) == {"wa", "wb"}, 120, "both workers registered")
    wait_until(lambda: offers(url, "python"), 30, "python offered")
    with Client(url) as client:
        task_id = client.submit(SLEEPY, "python", ["18\n"], time_limit_ms=10_000)
        victim = wait_until(
            lambda: next((w for w, i in workers(url).items() if i["running"]), None),
            120,
            "a worker runs it",
        )
        other = "wb" if victim == "wa" else "wa"
        label = f"{ROOT_LABEL}={root_label(cluster.root(victim))}"
        wait_until(lambda: containers(label), 60, "its container")
        procs[victim].send_signal(signal.SIGKILL)
        procs[victim].wait(10)
        # The lease (3 s) expires, the reaper hands the task to the other worker.
        wait_until(lambda: workers(url).get(other, {}).get("running"), 60, "the other takes it")
        assert containers(label), "the killed worker's container still runs (orphan)"
        procs[victim] = cluster.worker(victim, '["python"]')
        wait_until(lambda: not containers(label), 30, "the restarted worker removes its orphan")
        task = client.wait(task_id, 120)
    assert task["status"] == "done", task
    assert task["result"]["stdout"] == ["18\n"]
    spread = done_per_worker(url)
    assert spread == {other: 1.0}, spread  # completed once, on the other worker
    assert victim in workers(url)  # back in the registry


def test_redis_restarted_while_tasks_wait_loses_none(cluster: Cluster) -> None:
    url = cluster.server()
    with Client(url) as client:
        # No worker yet: they wait in Redis (the language check needs a registered
        # worker, so one comes and goes first).
        first = cluster.worker("wa", '["python"]')
        wait_until(lambda: "wa" in workers(url), 120, "the worker registered")
        wait_until(lambda: offers(url, "python"), 30, "python offered")
        first.send_signal(signal.SIGSTOP)  # alive in the registry a moment, takes nothing
        ids = [client.submit("print(input())", "python", [f"{i}\n"]) for i in range(5)]
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        cluster.redis.restart()
        time.sleep(1)
        cluster.worker("wa", '["python"]')
        wait_until(lambda: finished(client, ids), 300, "the waiting tasks")
        for i, task_id in enumerate(ids):
            task = client.get(task_id)
            assert task["status"] == "done" and task["result"]["stdout"] == [f"{i}\n"], task
