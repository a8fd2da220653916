"""Dispatch cost: what a task pays for going through Redis Streams rather than the
in-process broker, and how long a task whose worker was lost waits.

    python bench/bench_dispatch.py [--tasks 500] [--inflight 1,16] [--lost 3]

Starts its own redis-server (a free loopback port, append-only file in a temporary
directory, as in production). The job itself is a no-op that sends one live event and
returns a result, so the figures are the broker's alone: submit -> a worker takes it
(XREADGROUP) -> start report -> one event -> first-wins finish -> the server has read
and acknowledged the outcome. The same with the local broker gives the baseline.

`--lost`: a worker takes a job and freezes (no lease renewal); the time until another
worker starts attempt 2 is lease_s (here 2 s) minus the time since the last renewal,
plus up to one reaper interval (here 0.5 s).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from coderunner.config import DispatchSettings
from coderunner.dispatch.base import Emit, Job, Outcome
from coderunner.dispatch.local import LocalBroker
from coderunner.dispatch.redis import RedisBroker
from coderunner.dispatch.worker import RedisWorker
from coderunner.tasks.model import new_task_id

RESULT = {"sessionId": "0" * 32, "results": [{"status": "OK", "timeMs": 11.4}] * 3}


class Clock:
    """A sink that notes when each task's outcome reached the server."""

    def __init__(self) -> None:
        self.waiting: dict[str, asyncio.Future[float]] = {}
        self.starts: dict[str, float] = {}

    def expect(self, task_id: str) -> asyncio.Future[float]:
        self.waiting[task_id] = asyncio.get_running_loop().create_future()
        return self.waiting[task_id]

    async def started(self, task_id: str, attempt: int, worker: str) -> None:
        self.starts[f"{task_id}/{attempt}"] = time.perf_counter()

    async def event(self, task_id: str, type: str, data: dict[str, Any]) -> None:
        pass

    async def retried(self, task_id: str, attempt: int, reason: str) -> None:
        pass

    async def finished(self, task_id: str, outcome: Outcome) -> None:
        future = self.waiting.pop(task_id, None)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())


async def noop(job: Job, emit: Emit) -> Outcome:
    await emit("test", {"index": 0, "result": RESULT["results"][0], "stdout": "3\n"})
    return Outcome(result=RESULT)


def new_job() -> Job:
    return Job(
        task_id=new_task_id(),
        kind="isolatedTest",
        language="python",
        user="bench",
        request={"code": "print(1)", "language": "python", "testCases": ["1"]},
    )


async def measure(
    broker: Any,
    clock: Clock,
    tasks: int,
    inflight: int,
) -> tuple[list[float], float]:
    """Latencies (ms) of `tasks` jobs with `inflight` at a time, and the throughput."""
    latencies: list[float] = []
    queue = [new_job() for _ in range(tasks)]

    async def one_at_a_time() -> None:
        while queue:
            job = queue.pop()
            done = clock.expect(job.task_id)
            start = time.perf_counter()
            await broker.submit(job)
            latencies.append((await done - start) * 1000)

    begin = time.perf_counter()
    await asyncio.gather(*(one_at_a_time() for _ in range(inflight)))
    return latencies, tasks / (time.perf_counter() - begin)


def row(name: str, inflight: int, lat: list[float], rate: float) -> str:
    q = statistics.quantiles(lat, n=100)
    return (
        f"| {name} | {inflight} | {statistics.median(lat):.2f} ms | {q[94]:.2f} ms "
        f"| {q[98]:.2f} ms | {rate:.0f} tasks/s |"
    )


def start_redis(directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "yes",
            "--dir",
            str(directory),
            "--loglevel",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(500):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return proc, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.02)
    raise SystemExit("redis-server did not start")


async def lost_waits(url: str, rounds: int) -> list[float]:
    """Seconds from a worker's freeze to attempt 2 starting on another worker."""
    settings = DispatchSettings(
        backend="redis", url=url, lease_s=2, reap_interval_s=0.5, heartbeat_s=1, prefix="lost"
    )
    clock = Clock()
    broker = RedisBroker(settings, max_size=100, retry_after_s=1)
    await broker.start(clock)
    await asyncio.sleep(settings.lease_s)  # the reaper's grace after connecting
    waits: list[float] = []
    frozen_at: dict[str, float] = {}

    async def freeze(job: Job, emit: Emit) -> Outcome:
        frozen_at[job.task_id] = time.perf_counter()
        await asyncio.Event().wait()  # hangs; its renewals are stalled below
        raise AssertionError

    for index in range(rounds):
        hung = RedisWorker(
            settings, run=freeze, worker_id=f"hung{index}", languages=["python"], slots=1
        )

        async def stalled(**kwargs: Any) -> Any:
            await asyncio.Event().wait()

        hung._renew = stalled
        await hung.start()
        job = new_job()
        done = clock.expect(job.task_id)
        await broker.submit(job)
        while job.task_id not in frozen_at:
            await asyncio.sleep(0.01)
        rescuer = RedisWorker(
            settings, run=noop, worker_id=f"ok{index}", languages=["python"], slots=1
        )
        await rescuer.start()
        await done
        waits.append(clock.starts[f"{job.task_id}/2"] - frozen_at[job.task_id])
        await rescuer.close(0.1)
        await hung.close(0.1)
    await broker.close()
    return waits


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--inflight", default="1,16")
    parser.add_argument("--lost", type=int, default=3)
    args = parser.parse_args()
    levels = [int(x) for x in args.inflight.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_redis(Path(tmp))
        try:
            print("| broker | in flight | p50 | p95 | p99 | throughput |")
            print("|---|---|---|---|---|---|")
            for inflight in levels:
                clock = Clock()
                local = LocalBroker(noop, max_size=10_000, max_concurrent=64, retry_after_s=1)
                await local.start(clock)
                lat, rate = await measure(local, clock, args.tasks, inflight)
                print(row("local", inflight, lat, rate))
                await local.close()

                settings = DispatchSettings(backend="redis", url=url, prefix=f"b{inflight}")
                clock = Clock()
                broker = RedisBroker(settings, max_size=10_000, retry_after_s=1)
                await broker.start(clock)
                worker = RedisWorker(
                    settings, run=noop, worker_id="w", languages=["python"], slots=64
                )
                await worker.start()
                await measure(broker, clock, 50, inflight)  # warm-up (connections, scripts)
                lat, rate = await measure(broker, clock, args.tasks, inflight)
                print(row("redis", inflight, lat, rate))
                await worker.close(1)
                await broker.close()
            if args.lost:
                waits = await lost_waits(url, args.lost)
                print(
                    f"\nlost worker (lease_s=2, reap_interval_s=0.5): attempt 2 started "
                    f"{', '.join(f'{w:.2f}' for w in waits)} s after the freeze"
                )
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    asyncio.run(main())
