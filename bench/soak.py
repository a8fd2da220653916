"""Soak: N requests against one real `coderunner serve`, with the server's memory and
open files sampled as it goes, to show they stay flat.

    .venv/bin/python bench/soak.py [--requests 10000] [--clients 4] [--every 500] [--csv out.csv]

Each sample (every `--every` answered requests) prints and appends to the CSV:
requests done, seconds, RSS (MB), open fds, threads, non-200 answers so far, load
average. A flat RSS and fd count after the warm-up is the result; the last line says
how far each moved from the first sample. Loopback only.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import signal
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import Server


def threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--concurrent", type=int, default=2, help="queue.max_concurrent")
    parser.add_argument("--every", type=int, default=500)
    parser.add_argument("--csv", type=Path, default=None)
    args = parser.parse_args()
    # Stopped early (kill PID): still stop the server and print the summary.
    signal.signal(signal.SIGTERM, _interrupt)
    server = Server(max_concurrent=args.concurrent, max_size=256)
    lock = threading.Lock()
    done = failed = 0
    samples: list[tuple[int, float, float, int, int, int, float]] = []
    header = "requests,seconds,rss_mb,fds,threads,failed,load1"
    if args.csv:
        args.csv.write_text(header + "\n")
    print(header, flush=True)

    def sample(started: float) -> None:
        pid = server.proc.pid
        row = (
            done,
            round(time.perf_counter() - started, 1),
            round(server.rss_kb() / 1024, 1),
            server.open_files(),
            threads(pid),
            failed,
            round(os.getloadavg()[0], 1),
        )
        samples.append(row)
        line = ",".join(map(str, row))
        print(line, flush=True)
        if args.csv:
            with args.csv.open("a") as out:
                out.write(line + "\n")

    def one(_: int) -> None:
        nonlocal done, failed
        try:
            code = server.submit("python")[1].status_code
        except Exception:  # a transport error counts as a failure, not a crash of the soak
            code = -1
        with lock:
            done += 1
            failed += code != 200
            if done % args.every == 0:
                sample(started)

    try:
        for _ in range(20):  # warm-up: imports, pool, caches
            server.submit("python")
        started = time.perf_counter()
        sample(started)
        pool = concurrent.futures.ThreadPoolExecutor(args.clients)
        try:
            list(pool.map(one, range(args.requests)))
        except KeyboardInterrupt:
            print("stopped early", flush=True)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if done % args.every:
            sample(started)
    finally:
        server.stop()
    first, last = samples[0], samples[-1]
    print(
        f"soak {done} requests, {failed} not 200, {done / last[1]:.2f} req/s: "
        f"RSS {first[2]} -> {last[2]} MB (max {max(s[2] for s in samples)}), "
        f"fds {first[3]} -> {last[3]} (max {max(s[3] for s in samples)}), "
        f"threads {first[4]} -> {last[4]}"
    )


if __name__ == "__main__":
    main()
