"""Task store cost per task: create + 2 status saves + result save + 3 events;
and the delay from storing an event to its arrival at an SSE client.

    python bench/bench_taskstore.py [--tasks 2000] [--concurrency 1,8,64] [--events 300]

Each task's sequence runs as one coroutine; the figure is its wall time, p50/p95/p99,
measured on a fresh database in a temporary directory (WAL, one writer thread), once
with one task at a time and with several in flight (where the writer batches: each
task's latency then includes waiting for the others, the throughput is what grows).
Target: p50 <= 3 ms.

The SSE figure: a uvicorn server on loopback (its own thread) serving store + hub +
event_stream; for each event the client asks the server to store and publish one
(stamped with perf_counter at the start of add_event) and times its arrival on the
open stream. This is the task modules' share of "test end -> SSE event" (the
target for the whole path: p50 <= 300 ms); the runner's reading of the container's
log comes on top.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

from coderunner.tasks import Task, TaskStatus, TaskStore, new_task_id

RESULT = {
    "sessionId": "0" * 32,
    "compilerErrors": "",
    "stdout": ["3\n", "7\n", "11\n"],
    "stderr": ["", "", ""],
    "timestamps": [11.4, 10.9, 12.0],
    "results": [
        {
            "status": "OK",
            "exitCode": 0,
            "signal": None,
            "timeMs": 11.4,
            "memoryKb": 8120,
            "stdoutTruncated": False,
            "stderrTruncated": False,
        }
    ]
    * 3,
}


async def one_task(store: TaskStore, index: int) -> float:
    start = time.perf_counter()
    task = Task(
        id=new_task_id(),
        kind="isolatedTest",
        status=TaskStatus.QUEUED,
        user="bench",
        client="127.0.0.1",
        request={"code": "print(1)", "language": "python", "testCases": ["1", "2", "3"]},
        created_at=time.time(),
    )
    await store.create(task, idempotency_key=f"k{index}")
    task.status, task.started_at = TaskStatus.RUNNING, time.time()
    await store.save(task)
    await store.add_event(task.id, "status", {"status": "running"})
    await store.add_event(
        task.id, "test", {"index": 0, "result": RESULT["results"][0], "stdout": "3\n", "stderr": ""}
    )
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


def sse_delay(events: int) -> None:
    import json
    import socket
    import threading

    import httpx
    import uvicorn
    from httpx_sse import connect_sse
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    from coderunner.tasks import EventHub, event_stream

    with tempfile.TemporaryDirectory() as tmp:
        store, hub = TaskStore(Path(tmp) / "tasks.db", retention_s=3600), EventHub()

        async def produce(request: Request) -> Response:
            stamp = time.perf_counter()
            event = await store.add_event(request.path_params["id"], "test", {"t": stamp})
            await hub.publish(event)
            return JSONResponse({"id": event.id})

        async def create(request: Request) -> Response:
            task = Task(new_task_id(), "isolatedTest", TaskStatus.QUEUED, "b", "b", {}, time.time())
            await store.create(task)
            return JSONResponse({"id": task.id})

        async def stream(request: Request) -> Response:
            return await event_stream(store, hub, request.path_params["id"], 0)

        @contextlib.asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            await store.open()
            yield
            await store.close()

        app = Starlette(
            routes=[
                Route("/t", create, methods=["POST"]),
                Route("/t/{id}", produce, methods=["POST"]),
                Route("/t/{id}/events", stream),
            ],
            lifespan=lifespan,
        )
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        delays = []
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            task_id = http.post("/t").json()["id"]
            with (
                connect_sse(http, "GET", f"/t/{task_id}/events") as source,
                httpx.Client(base_url=http.base_url, timeout=30) as producer,
            ):
                received = source.iter_sse()
                for _ in range(events):
                    producer.post(f"/t/{task_id}")
                    sse = next(received)
                    delays.append((time.perf_counter() - json.loads(sse.data)["t"]) * 1000)
        server.should_exit = True
        thread.join(10)
    delays = delays[10:]  # warm-up
    print(
        f"SSE: stored event -> client, {len(delays)} events: p50 {quantile(delays, 0.5):.2f} ms"
        f"  p95 {quantile(delays, 0.95):.2f} ms  p99 {quantile(delays, 0.99):.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--concurrency", default="1,8,64")
    parser.add_argument("--events", type=int, default=300, help="SSE delay samples (0: skip)")
    args = parser.parse_args()
    print("task = create + 2 status saves + result save + 3 events (target p50 <= 3 ms)")
    for level in (int(x) for x in args.concurrency.split(",")):
        asyncio.run(run(args.tasks, level))
    if args.events:
        sse_delay(args.events)


if __name__ == "__main__":
    main()
