"""The tracer's cost (SPEC section 11): the same ~10,000-step loop through a real
server, untraced (POST /isolatedTest) and traced (POST /trace), one at a time.

    .venv/bin/python bench/bench_trace.py [-n 5]

The loop runs at module level: 4,998 iterations of two lines and three more lines,
9,999 steps (maxSteps 10000). crrun measures both runs in the sandbox (the answers'
cpuMs), so the ratio is what the tracer adds to the program's CPU time, the part
that counts against its time limit. Printed: the median CPU ms of each and of an
empty program (the interpreter's start, paid by both), the ratio traced/untraced
of the whole run and of the loop alone (start subtracted), and the tracer's CPU per
step. Only loopback is loaded; the images are those CODERUNNER_DOCKER__IMAGE_PREFIX
names.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run

ITERATIONS = 4998
LOOP = f"total = 0\nfor i in range({ITERATIONS}):\n    total += i\nprint(total)\n"
EMPTY = "pass\n"
STEPS = 2 * ITERATIONS + 3


def cpu_untraced(server: run.Server, code: str) -> float:
    body = {"code": code, "language": "python", "testCases": [""]}
    resp = server.client.post("/isolatedTest", json=body)
    answer = resp.json()
    assert resp.status_code == 200 and answer["results"][0]["status"] == "OK", resp.text
    return float(answer["results"][0]["cpuMs"])


def cpu_traced(server: run.Server, code: str, steps: int) -> float:
    resp = server.client.post("/trace", json={"code": code, "maxSteps": 10_000})
    answer = resp.json()
    assert resp.status_code == 200 and answer["stopReason"] == "completed", resp.text[:500]
    assert len(answer["steps"]) == steps, len(answer["steps"])
    return float(answer["cpuMs"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=5, help="runs of each (median)")
    args = parser.parse_args()
    server = run.Server(max_concurrent=1)
    try:
        plain, traced, empty, empty_traced = [], [], [], []
        for _ in range(args.n):
            plain.append(cpu_untraced(server, LOOP))
            traced.append(cpu_traced(server, LOOP, STEPS))
            empty.append(cpu_untraced(server, EMPTY))
            empty_traced.append(cpu_traced(server, EMPTY, 1))
    finally:
        server.stop()
    p, t = statistics.median(plain), statistics.median(traced)
    e, et = statistics.median(empty), statistics.median(empty_traced)
    print(f"{STEPS}-step loop, median of {args.n} (CPU ms as crrun measures them):")
    print(f"  untraced       {p:8.1f} ms   (empty program {e:.1f} ms)")
    print(f"  traced         {t:8.1f} ms   (empty program {et:.1f} ms)")
    print(f"  ratio traced/untraced, whole run:   {t / p:6.1f}x")
    loop_plain, loop_traced = max(p - e, 0.1), max(t - et, 0.1)
    print(f"  ratio traced/untraced, loop alone:  {loop_traced / loop_plain:6.1f}x")
    print(f"  tracer cost per step: {(loop_traced - loop_plain) * 1000 / STEPS:.1f} µs")


if __name__ == "__main__":
    main()
