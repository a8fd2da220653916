"""Tasks on the real request path (real server in this process, real containers):

1. the task store's cost per request: the time a request spends awaiting the store
   (create, status saves, events, result), measured around the server's own TaskStore
   calls, for synchronous and asynchronous requests (target p50 <= 3 ms);
2. the delay from a test's end to its `test` event at an SSE client: each test prints
   time.time() as its last act, the client stamps the event's arrival (same clock)
   (target p50 <= 300 ms).

    .venv/bin/python bench/bench_tasks.py [--quick]

The synchronous latency against `docker run` is bench/run.py --only latency.
Only loopback is used.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coderunner.client import Client  # noqa: E402
from tests.helpers import settings_for, start_server  # noqa: E402

STAMP = "import time\ns = input()\ntime.sleep(float(s))\nprint(repr(time.time()))\n"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def instrument(store: Any) -> dict[str, float]:
    """Accumulate the seconds each task's requests spend in the store's calls."""
    cost: dict[str, float] = collections.defaultdict(float)

    def wrap(name: str, task_id_of: Any) -> None:
        original = getattr(store, name)

        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                cost[task_id_of(*args)] += time.perf_counter() - started

        setattr(store, name, timed)

    wrap("create", lambda task, **_: task.id)
    wrap("save", lambda task: task.id)
    wrap("save_with_event", lambda task, *_: task.id)
    wrap("add_event", lambda task_id, *_: task_id)
    return cost


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    requests = 10 if args.quick else 40
    streamed = 3 if args.quick else 10

    tmp = Path(tempfile.mkdtemp(prefix="crbench-tasks-"))
    server = start_server(
        settings_for(
            tmp,
            queue={"max_concurrent": 2},
            pool={"prewarm": ["python"], "min_idle": 2, "max_idle_per_language": 2},
            ratelimit={"requests_per_minute": 100_000, "per_user_requests_per_minute": 100_000},
        )
    )
    cost = instrument(server.state.tasks.store)
    try:
        time.sleep(3)  # the pool fills
        with httpx.Client(base_url=server.url, timeout=120) as http:
            for _ in range(requests):
                answer = http.post(
                    "/isolatedTest",
                    json={
                        "code": "print(input())",
                        "language": "python",
                        "testCases": ["a\n", "b\n"],
                    },
                )
                assert answer.status_code == 200, answer.text
                time.sleep(0.2)
        sync_costs = list(cost.values())
        cost.clear()

        delays: list[float] = []
        with Client(server.url) as client:
            for _ in range(streamed):
                task_id = client.submit(STAMP, "python", ["0.3\n"] * 4, time_limit_ms=2000)
                for event in client.events(task_id):
                    if event["event"] == "test":
                        delays.append(time.time() - float(event["data"]["stdout"]))
        async_costs = list(cost.values())
    finally:
        server.stop()

    print("task store: time a request spends awaiting the store (target p50 <= 3 ms)")
    for name, values in (
        ("synchronous /isolatedTest, 2 tests", sync_costs),
        ("POST /tasks + live events, 4 tests", async_costs),
    ):
        print(
            f"  {name}: n={len(values)} p50 {statistics.median(values) * 1000:.2f} ms, "
            f"p95 {pct(values, 0.95) * 1000:.2f} ms"
        )
    print("test end -> its SSE `test` event at the client (target p50 <= 300 ms)")
    print(
        f"  n={len(delays)} p50 {statistics.median(delays) * 1000:.0f} ms, "
        f"p95 {pct(delays, 0.95) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
