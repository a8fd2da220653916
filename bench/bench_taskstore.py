"""Task store cost per task: create + 2 status saves + result save + 3 events.

    python bench/bench_taskstore.py [--tasks 2000] [--concurrency 1,8,64]

Each task's sequence runs as one coroutine; the figure is its wall time, p50/p95/p99,
measured on a fresh database in a temporary directory (WAL, one writer thread), once
with one task at a time and with several in flight (where the writer batches: each
task's latency then includes waiting for the others, the throughput is what grows).
Target (issue 12): p50 <= 3 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from coderunner.tasks import Task, TaskStatus, TaskStore, new_task_id

RESULT = {
    "sessionId": "0" * 32,
    "compilerErrors": "",
    "stdout": ["3\n", "7\n", "11\n"],
    "stderr": ["", "", ""],
    "timestamps": [11.4, 10.9, 12.0],
    "results": [
        {"status": "OK", "exitCode": 0, "signal": None, "timeMs": 11.4, "memoryKb": 8120,
         "stdoutTruncated": False, "stderrTruncated": False}
    ] * 3,
}


async def one_task(store: TaskStore, index: int) -> float:
    start = time.perf_counter()
    task = Task(
        id=new_task_id(), kind="isolatedTest", status=TaskStatus.QUEUED, user="bench",
        client="127.0.0.1",
        request={"code": "print(1)", "language": "python", "testCases": ["1", "2", "3"]},
        created_at=time.time(),
    )
    await store.create(task, idempotency_key=f"k{index}")
    task.status, task.started_at = TaskStatus.RUNNING, time.time()
    await store.save(task)
    await store.add_event(task.id, "status", {"status": "running"})
    await store.add_event(task.id, "test", {"index": 0, "result": RESULT["results"][0],
                                            "stdout": "3\n", "stderr": ""})
    task.status, task.finished_at, task.result = TaskStatus.DONE, time.time(), RESULT
    await store.save(task)
    await store.add_event(task.id, "done", {"status": "done", "result": RESULT})
    return time.perf_counter() - start


def quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


async def run(tasks: int, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = TaskStore(Path(tmp) / "tasks.db", retention_s=3600)
        await store.open()
        try:
            for i in range(50):  # warm-up: connections, page cache
                await one_task(store, -i - 1)
            counter = iter(range(tasks))

            async def worker() -> list[float]:
                times = []
                for i in counter:
                    times.append(await one_task(store, i))
                return times

            start = time.perf_counter()
            parts = await asyncio.gather(*(worker() for _ in range(concurrency)))
            elapsed = time.perf_counter() - start
        finally:
            await store.close()
    times = sorted(t * 1000 for part in parts for t in part)
    print(
        f"concurrency {concurrency:3d}: {tasks} tasks, per task p50 {quantile(times, 0.5):.2f} ms"
        f"  p95 {quantile(times, 0.95):.2f} ms  p99 {quantile(times, 0.99):.2f} ms;"
        f"  throughput {tasks / elapsed:.0f} tasks/s ({elapsed / tasks * 1000:.2f} ms elapsed"
        " per task)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--concurrency", default="1,8,64")
    args = parser.parse_args()
    print("task = create + 2 status saves + result save + 3 events (target p50 <= 3 ms)")
    for level in (int(x) for x in args.concurrency.split(",")):
        asyncio.run(run(args.tasks, level))


if __name__ == "__main__":
    main()
