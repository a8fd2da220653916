"""Where does the server's memory go per request? A debugging aid for the soak.

    .venv/bin/python bench/memprobe.py [--warmup 200] [--rounds 2] [--requests 500]

Starts a real `coderunner serve` (loopback) through this same file in `child` mode,
which turns tracemalloc on and, on SIGUSR1, collects garbage and writes a snapshot
plus a count of live objects by type. The driver sends `--warmup` requests, takes a
snapshot, then `--rounds` times sends `--requests` more and takes another. Printed:
per round, the biggest tracemalloc growths by line and the object types whose count
grew. Something that grows by about the same amount every round, in proportion to the
requests, is a leak; a one-off growth is a cache filling. Production code is untouched:
the hook lives only in this wrapper process.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import ctypes
import gc
import os
import pickle
import signal
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def child(argv: list[str]) -> None:
    """Run `coderunner <argv>` with tracemalloc on and a SIGUSR1 snapshot hook."""
    out = Path(os.environ["MEMPROBE_DIR"])
    frames = int(os.environ.get("MEMPROBE_FRAMES", "8"))
    if frames:  # 0: no tracing (tracemalloc's own tables inflate RSS)
        tracemalloc.start(frames)
    count = 0

    def dump(signum: int, frame: Any) -> None:
        nonlocal count
        gc.collect()
        types = collections.Counter(type(o).__qualname__ for o in gc.get_objects())
        rss = _rss_kb()
        # SQLite allocates with malloc, unseen by tracemalloc: its page caches and
        # statement caches are bounded (cache_size per connection), but fill as the
        # task store grows.
        sqlite = ctypes.CDLL("libsqlite3.so.0")
        sqlite.sqlite3_memory_used.restype = ctypes.c_int64
        types["(sqlite3_memory_used)"] = sqlite.sqlite3_memory_used()
        # Memory malloc holds but nobody uses (freed, kept for reuse) goes back to the
        # system here: what RSS loses is allocator high-water, not live data.
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        types["(rss kB before/after malloc_trim)"] = rss * 1_000_000 + _rss_kb()
        snap = (
            tracemalloc.take_snapshot().filter_traces(
                [tracemalloc.Filter(False, tracemalloc.__file__)]
            )
            if frames
            else None
        )
        name = out / f"snap-{count}"
        with open(f"{name}.tmp", "wb") as fh:
            pickle.dump((snap, dict(types)), fh)
        os.rename(f"{name}.tmp", f"{name}.pickle")  # the driver waits for this name
        count += 1

    signal.signal(signal.SIGUSR1, dump)
    from coderunner.__main__ import main

    sys.exit(main(argv))


def driver() -> None:
    sys.path.insert(0, str(HERE))
    from run import Server

    parser = argparse.ArgumentParser()
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="crbench-memprobe-")
    os.environ["MEMPROBE_DIR"] = tmp
    server = Server(
        max_concurrent=2,
        max_size=256,
        command=[sys.executable, str(Path(__file__).resolve()), "child"],
    )
    taken = 0

    def snapshot() -> tuple[tracemalloc.Snapshot, dict[str, int]]:
        nonlocal taken
        os.kill(server.proc.pid, signal.SIGUSR1)
        path = Path(tmp) / f"snap-{taken}.pickle"
        deadline = time.monotonic() + 300
        while not path.exists():
            if time.monotonic() > deadline:
                raise RuntimeError("no snapshot from the server")
            time.sleep(0.2)
        taken += 1
        with path.open("rb") as fh:
            snap, types = pickle.load(fh)
        traced = sum(s.size for s in snap.statistics("filename")) / 1e6 if snap else 0.0
        before_trim, after_trim = divmod(types.pop("(rss kB before/after malloc_trim)"), 1_000_000)
        sqlite_mb = types.pop("(sqlite3_memory_used)") / 1e6
        print(
            f"snapshot {taken - 1}: traced {traced:.2f} MB, RSS {before_trim / 1024:.1f} MB "
            f"({after_trim / 1024:.1f} after malloc_trim), sqlite {sqlite_mb:.2f} MB, "
            f"fds {server.open_files()}, "
            f"threads {len(os.listdir(f'/proc/{server.proc.pid}/task'))}",
            flush=True,
        )
        return snap, types

    def load(n: int) -> int:
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            codes = list(pool.map(lambda _: server.submit("python")[1].status_code, range(n)))
        return sum(code != 200 for code in codes)

    try:
        started = time.perf_counter()
        print(f"warm-up {args.warmup}: {load(args.warmup)} not 200", flush=True)
        before = snapshot()
        for round_ in range(args.rounds):
            t = time.perf_counter()
            failed = load(args.requests)
            rate = args.requests / (time.perf_counter() - t)
            after = snapshot()
            print(
                f"\n== round {round_ + 1}: {args.requests} requests, {failed} not 200, "
                f"{rate:.2f} req/s",
                flush=True,
            )
            for stat in after[0].compare_to(before[0], "lineno")[: args.top] if after[0] else []:
                print(
                    f"  {stat.size_diff / 1024:+8.1f} KiB {stat.count_diff:+6d} blocks  "
                    f"{stat.traceback[0].filename.split('site-packages/')[-1]}:"
                    f"{stat.traceback[0].lineno}"
                )
            grew = sorted(((after[1].get(k, 0) - v, k) for k, v in before[1].items()), reverse=True)
            grew += [(v, k) for k, v in after[1].items() if k not in before[1]]
            print(
                "  object types grown:",
                ", ".join(f"{k} {d:+d}" for d, k in sorted(grew, reverse=True)[:12] if d > 0),
            )
            with open(Path(tmp) / f"round-{round_ + 1}.txt", "w") as fh:  # full tracebacks
                for stat in after[0].compare_to(before[0], "traceback")[:40] if after[0] else []:
                    fh.write(f"{stat.size_diff / 1024:+.1f} KiB {stat.count_diff:+d}\n")
                    fh.write("\n".join(stat.traceback.format()) + "\n\n")
            before = after
        print(f"\ndone in {time.perf_counter() - started:.0f} s; tracebacks in {tmp}/round-*.txt")
    finally:
        server.stop()


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        child(sys.argv[2:])
    else:
        driver()
