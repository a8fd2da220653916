"""The price of gVisor: the same requests through a real server under runc and runsc.

    .venv/bin/python bench/bench_runtime.py [-n 10]

For each runtime a real `coderunner serve` (its own loopback port and session root)
answers hello-world programs in Python and C with 1 and with 20 test cases, one
request at a time; the table shows the median end-to-end latency (POST to answer),
the median CPU time the answer reports per test, and the ratio runsc/runc. The
servers run side by side and take turns request by request.

runc is measured twice: without the warm pool (like runsc, which cannot use it: see
coderunner/runner/pool.py), for the price of the runtime alone, and with it, as served by
default. Only loopback is ever loaded.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run

CASES = [("python", 1), ("python", 20), ("c", 1), ("c", 20)]
# (column title, runtime, warm pool)
SETUPS = [("runc", "runc", False), ("runc+pool", "runc", True), ("runsc", "runsc", False)]


class Server(run.Server):
    """bench/run.py's server, one request at a time, runtime and pool as asked."""

    def __init__(self, runtime: str, pool: bool) -> None:
        super().__init__(max_concurrent=1, pool=pool, runtime=runtime)

    def wait_warm(self) -> None:
        """With the pool: start each request on a ready warm container, as an
        unloaded server would."""
        if not self.pool:
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.client.get("/health").json().get("warmContainers", 0) >= 2:
                return
            time.sleep(0.1)

    def check(self, language: str, tests: int) -> tuple[float, Any]:
        elapsed, resp = self.submit(language, [""] * tests)
        answer = resp.json()
        assert resp.status_code == 200 and answer["stdout"] == ["hello\n"] * tests, resp.text
        return elapsed, answer


def measure(n: int) -> dict[tuple[str, str, int], tuple[float, float]]:
    """(setup, language, tests) -> (median seconds, median CPU ms per test).

    The three servers run side by side and take turns, request by request, so
    that whatever else loads the machine meanwhile weighs on all of them alike."""
    servers: dict[str, Server] = {}
    try:
        for title, runtime, pool in SETUPS:
            servers[title] = Server(runtime, pool)
        seconds: dict[tuple[str, str, int], list[float]] = {}
        cpu: dict[tuple[str, str, int], list[float]] = {}
        for rnd in range(n + 1):
            for language, tests in CASES:
                for title, server in servers.items():
                    server.wait_warm()
                    elapsed, answer = server.check(language, tests)
                    if rnd == 0:
                        continue  # warm-up: image and page caches
                    key = (title, language, tests)
                    seconds.setdefault(key, []).append(elapsed)
                    cpu.setdefault(key, []).append(
                        statistics.mean(r["cpuMs"] for r in answer["results"])
                    )
            print(f"  round {rnd}/{n} done", file=sys.stderr)
    finally:
        for server in servers.values():
            server.stop()
    return {key: (statistics.median(seconds[key]), statistics.median(cpu[key])) for key in seconds}


def table(results: dict[tuple[str, str, int], tuple[float, float]], n: int) -> str:
    head = (
        "request",
        "runc p50",
        "runc+pool p50",
        "runsc p50",
        "runsc/runc",
        "runsc/runc+pool",
        "cpu/test runc",
        "cpu/test runsc",
    )
    rows = [head]
    for language, tests in CASES:
        runc, pooled, runsc = (results[t, language, tests] for t, _, _ in SETUPS)
        rows.append(
            (
                f"{language} hello, {tests} test{'s' if tests > 1 else ''}",
                f"{runc[0] * 1000:.0f} ms",
                f"{pooled[0] * 1000:.0f} ms",
                f"{runsc[0] * 1000:.0f} ms",
                f"{runsc[0] / runc[0]:.2f}",
                f"{runsc[0] / pooled[0]:.2f}",
                f"{runc[1]:.1f} ms",
                f"{runsc[1]:.1f} ms",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return f"{n} requests per cell, one at a time, medians\n" + "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=10, help="requests per cell (default 10)")
    args = parser.parse_args()
    print(table(measure(args.n), args.n))


if __name__ == "__main__":
    main()
