"""Where a session's CPU goes: coderunner against a bare `docker run --rm`, side by side.

    .venv/bin/python bench/profile.py [-n 20] [--language python] [--execs]

Per session, sequential (unloaded), CPU seconds from /proc accounting:
- server: the coderunner process itself (Python: HTTP, staging, analyzer, pool);
- handler tree: its reaped children (docker-handler.sh, the docker CLI, curl, the
  small tools the handler runs), for the bare run the docker CLI;
- engine: dockerd + containerd (the shims and the container's own processes are
  not counted by either side: they are the same work in both).
With --execs, strace counts the programs the server starts per session.
Loopback only; a real `coderunner serve` as in bench/run.py.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baselines
from run import Server

TICK = os.sysconf("SC_CLK_TCK")


def cpu(pid: int) -> tuple[float, float]:
    """(own, reaped children) CPU seconds of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / TICK
    children = (int(fields[13]) + int(fields[14])) / TICK
    return own, children


def engine_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in ("dockerd", "containerd"):
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def engine_cpu(pids: list[int]) -> float:
    return sum(cpu(p)[0] for p in pids)


def self_children() -> float:
    usage = os.times()
    return usage.children_user + usage.children_system


def profile(n: int, language: str) -> dict[str, dict[str, float]]:
    engine = engine_pids()
    src = baselines.write_source(language)
    for _ in range(3):
        baselines.bare_docker_run(language, src)
    c0, e0, t0 = self_children(), engine_cpu(engine), time.perf_counter()
    for _ in range(n):
        baselines.bare_docker_run(language, src)
    bare = {
        "wall": (time.perf_counter() - t0) / n,
        "server": 0.0,
        "handler tree": (self_children() - c0) / n,
        "engine": (engine_cpu(engine) - e0) / n,
    }

    server = Server(max_concurrent=1)
    try:
        for _ in range(3):
            server.submit(language)
            time.sleep(0.5)
        (s0, h0), e0 = cpu(server.proc.pid), engine_cpu(engine)
        wall = 0.0
        for _ in range(n):
            elapsed, resp = server.submit(language)
            assert resp.status_code == 200, resp.text
            wall += elapsed
            time.sleep(0.5)  # the pool's refill is part of each session's cost
        (s1, h1), e1 = cpu(server.proc.pid), engine_cpu(engine)
    finally:
        server.stop()
    ours = {
        "wall": wall / n,
        "server": (s1 - s0) / n,
        "handler tree": (h1 - h0) / n,
        "engine": (e1 - e0) / n,
    }
    return {"docker run --rm": bare, "coderunner": ours}


def execs(n: int, language: str) -> Counter[str]:
    """Programs started per session (strace on the server and its descendants)."""
    server = Server(max_concurrent=1)
    out = Path(tempfile.mkdtemp(prefix="crbench-strace-")) / "trace"
    try:
        server.submit(language)
        time.sleep(1)
        tracer = subprocess.Popen(
            [
                "strace",
                "-f",
                "-qq",
                "-e",
                "trace=execve",
                "-e",
                "signal=none",
                "-o",
                str(out),
                "-p",
                str(server.proc.pid),
            ]
        )
        time.sleep(1)
        for _ in range(n):
            server.submit(language)
            time.sleep(0.5)
        tracer.terminate()
        tracer.wait()
    finally:
        server.stop()
    counts: Counter[str] = Counter()
    for line in out.read_text().splitlines():
        if "execve(" in line and "= 0" in line:
            counts[line.split('execve("', 1)[1].split('"', 1)[0].rsplit("/", 1)[-1]] += 1
    return Counter({k: v / n for k, v in counts.items()})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--language", default="python")
    parser.add_argument("--execs", action="store_true")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    result = profile(args.n, args.language)
    print(f"{args.language} hello, {args.n} sequential sessions, load average {load:.1f}")
    print(f"{'per session (ms)':<18}" + "".join(f"{k:>15}" for k in result["coderunner"]))
    for who, row in result.items():
        print(f"{who:<18}" + "".join(f"{v * 1000:>15.0f}" for v in row.values()))
    if args.execs:
        print("programs started per session:")
        for name, count in execs(max(5, args.n // 4), args.language).most_common():
            print(f"  {name:<20} {count:.1f}")


if __name__ == "__main__":
    main()
