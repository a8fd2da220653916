"""Throughput of real workers: a redis-server, one `coderunner serve` with
`dispatch.backend = "redis"` and 1 or 2 `coderunner worker` processes (each with
`queue.max_concurrent` slots, own sessions root, same Docker engine), N python tasks
(`print(input()[::-1])`, one test) submitted at once through POST /tasks.

    python bench/bench_workers.py [--tasks 40] [--workers 1,2] [--slots 2]

Every container of every worker shares this machine's CPUs: with 2 cores, a second
worker adds slots, not CPU; the figure shows the cost of the distribution, not a
speed-up a second host would give.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def spawn(command: str, tmp: Path, name: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    full = {
        **os.environ,
        **env,
        "CODERUNNER_SESSIONS__ROOT": str(tmp / name / "sessions"),
        "CODERUNNER_LOGGING__LOG_FILE": str(tmp / name / "spool.jsonl"),
        "CODERUNNER_LOGGING__SERVER_URL": "http://127.0.0.1:9",
    }
    log = open(tmp / f"{name}.log", "ab")  # noqa: SIM115 (the process keeps it)
    return subprocess.Popen(
        [sys.executable, "-m", "coderunner", command, "--config", str(REPO / "config.toml")],
        env=full,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait(predicate: Callable[[], object], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("timed out")


def one_run(workers: int, tasks: int, slots: int) -> float:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        rport, port = free_port(), free_port()
        redis = subprocess.Popen(
            [
                binary,
                "--port",
                str(rport),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--dir",
                name,
            ],
            stdout=subprocess.DEVNULL,
        )
        env = {
            "CODERUNNER_DISPATCH__BACKEND": "redis",
            "CODERUNNER_DISPATCH__URL": f"redis://127.0.0.1:{rport}/0",
            "CODERUNNER_DISPATCH__HEARTBEAT_S": "0.5",
            "CODERUNNER_DISPATCH__LANGUAGES": '["python"]',
            "CODERUNNER_SERVER__PORT": str(port),
            "CODERUNNER_TASKS__DATABASE": str(tmp / "tasks.db"),
            "CODERUNNER_QUEUE__MAX_CONCURRENT": str(slots),
            "CODERUNNER_QUEUE__MAX_SIZE": "1000",
            "CODERUNNER_RATELIMIT__REQUESTS_PER_MINUTE": "100000",
            "CODERUNNER_RATELIMIT__PER_USER_REQUESTS_PER_MINUTE": "100000",
            "CODERUNNER_DOCKER__SELFTEST_AT_START": "false",
        }
        procs = [spawn("serve", tmp, "server", env)]
        procs += [
            spawn("worker", tmp, f"w{i}", {**env, "CODERUNNER_DISPATCH__WORKER_ID": f"w{i}"})
            for i in range(workers)
        ]
        url = f"http://127.0.0.1:{port}"
        try:
            wait(lambda: len(httpx.get(f"{url}/workers").json()) == workers, 120)
            wait(lambda: any(x["id"] == "python" for x in httpx.get(f"{url}/languages").json()), 30)
            body = {"code": "print(input()[::-1])", "language": "python", "testCases": ["ab\n"]}
            with httpx.Client(base_url=url, timeout=60) as http:
                http.post("/isolatedTest", json=body).raise_for_status()  # warm-up
                start = time.perf_counter()
                ids = [http.post("/tasks", json=body).json()["id"] for _ in range(tasks)]
                pending = set(ids)
                while pending:
                    got = http.get("/tasks", params={"ids": ",".join(list(pending)[:100])})
                    for task in got.json()["tasks"]:
                        if task and task["status"] in ("done", "failed", "cancelled"):
                            pending.discard(task["id"])
                    time.sleep(0.1)
                return tasks / (time.perf_counter() - start)
        finally:
            for proc in reversed(procs):
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(60)
                except subprocess.TimeoutExpired:
                    proc.kill()
            redis.terminate()
            redis.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=40)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--slots", type=int, default=2)
    args = parser.parse_args()
    print(f"| workers | slots each | tasks | throughput (cores: {os.cpu_count()}) |")
    print("|---|---|---|---|")
    for count in (int(x) for x in args.workers.split(",")):
        rate = one_run(count, args.tasks, args.slots)
        print(f"| {count} | {args.slots} | {args.tasks} | {rate:.2f} tasks/s |")


if __name__ == "__main__":
    main()
