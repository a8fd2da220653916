"""CodeRunner benchmark: one command, one table, ratios against baselines measured in
the same run (bench/baselines.py).

    .venv/bin/python bench/run.py [--quick] [--only latency,throughput,tests,overload,soak,async]

Start-up: a real `coderunner serve` on a free loopback port, its own session root.
Only loopback is ever loaded.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import asyncpath
import baselines

REPO = Path(__file__).resolve().parent.parent
HELLO = {"python": "print('hello')\n", "c": baselines.PROGRAMS["c"][2]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    def __init__(
        self,
        max_concurrent: int,
        max_size: int = 64,
        pool: bool = True,
        runtime: str = "runc",
        command: list[str] | None = None,
    ) -> None:
        self.pool = pool
        self.port = free_port()
        self.tmp = tempfile.mkdtemp(prefix="crbench-server-")
        env = {
            **os.environ,
            "CODERUNNER_SERVER__PORT": str(self.port),
            "CODERUNNER_SESSIONS__ROOT": f"{self.tmp}/sessions",
            "CODERUNNER_TASKS__DATABASE": f"{self.tmp}/tasks/tasks.db",
            "CODERUNNER_LOGGING__LOG_FILE": f"{self.tmp}/spool/events.jsonl",
            # Nothing listens there: events wait in the spool, as without a log server.
            "CODERUNNER_LOGGING__SERVER_URL": f"http://127.0.0.1:{free_port()}",
            "CODERUNNER_DOCKER__RUNTIME": runtime,
            "CODERUNNER_QUEUE__MAX_CONCURRENT": str(max_concurrent),
            "CODERUNNER_QUEUE__MAX_SIZE": str(max_size),
            "CODERUNNER_POOL__ENABLED": "true" if pool else "false",
            "CODERUNNER_POOL__PREWARM": '["python", "c"]',
            "CODERUNNER_POOL__MIN_IDLE": str(max_concurrent),
            "CODERUNNER_POOL__MAX_IDLE_PER_LANGUAGE": str(max(2, max_concurrent)),
            "CODERUNNER_POOL__MAX_IDLE": str(2 * max(2, max_concurrent)),
            "CODERUNNER_RATELIMIT__REQUESTS_PER_MINUTE": "1000000",
            "CODERUNNER_RATELIMIT__PER_USER_REQUESTS_PER_MINUTE": "1000000",
        }
        self.proc = subprocess.Popen(
            # `command`: how to start coderunner (bench/memprobe.py wraps it to trace memory).
            [
                *(command or [sys.executable, "-m", "coderunner"]),
                "serve",
                "--config",
                str(REPO / "config.toml"),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self.client = httpx.Client(
            base_url=self.url, timeout=120, limits=httpx.Limits(max_connections=64)
        )
        # Steady state: the server self-tests every language at start (a
        # container each, a JVM or GHC compile among them); measuring before
        # they are over charged seconds of their CPU to the first requests.
        languages = len(self.client.get("/languages", timeout=5).json()) if self._up() else 0
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                health = self.client.get("/health").json()
                if len(health.get("selftests", {})) >= languages > 0:
                    break
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.2)
        # Let the pool fill: warm containers still being made while the clock runs
        # would charge their start to the first requests (more with more concurrency).
        want = 2 * max_concurrent if pool else 0  # python and c, min_idle each
        deadline = time.monotonic() + 180
        while want and time.monotonic() < deadline:
            try:
                if _find(self.client.get("/health").json(), "warmContainers") >= want:
                    break
            except (httpx.HTTPError, ValueError, TypeError):
                pass
            time.sleep(0.5)
        time.sleep(1)

    def _up(self) -> bool:
        for _ in range(200):
            try:
                if self.client.get("/health").status_code in (200, 503):
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        return False

    def submit(self, language: str, tests: list[str] | None = None) -> tuple[float, Any]:
        body = {"code": HELLO[language], "language": language, "testCases": tests or [""]}
        started = time.perf_counter()
        resp = self.client.post("/isolatedTest", json=body)
        elapsed = time.perf_counter() - started
        return elapsed, resp

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def open_files(self) -> int:
        return len(os.listdir(f"/proc/{self.proc.pid}/fd"))

    def stop(self) -> None:
        self.client.close()
        self.proc.terminate()
        self.proc.wait(60)
        shutil.rmtree(self.tmp, ignore_errors=True)


def _find(body: Any, key: str) -> int:
    """A key anywhere in a JSON body (the /health layout is not ours to fix here)."""
    if isinstance(body, dict):
        if key in body:
            return int(body[key])
        return max((_find(v, key) for v in body.values()), default=-1)
    return -1


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(x: float) -> str:
    return f"{x * 1000:.0f} ms"


def latency(n: int) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    server = Server(max_concurrent=2)
    try:
        for language in ("python", "c"):
            src = baselines.write_source(language)
            bare, seed, ours = [], [], []
            for _ in range(n):  # interleaved, so drift hits all three alike
                bare.append(baselines.bare_docker_run(language, src))
                seed.append(baselines.seed_sequence(language, src))
                elapsed, resp = server.submit(language)
                assert resp.status_code == 200 and resp.json()["stdout"] == ["hello\n"], resp.text
                ours.append(elapsed)
                time.sleep(0.3)  # unloaded: let the pool refill between requests
            b50 = statistics.median(bare)
            rows.append(
                (
                    f"{language} hello, 1 test: (a) docker run --rm",
                    ms(b50),
                    ms(pct(bare, 0.95)),
                    "1.00",
                )
            )
            rows.append(
                (
                    f"{language} hello, 1 test: (b) seed create/cp/start/wait/logs/rm",
                    ms(statistics.median(seed)),
                    ms(pct(seed, 0.95)),
                    f"{statistics.median(seed) / b50:.2f}",
                )
            )
            rows.append(
                (
                    f"{language} hello, 1 test: (c) coderunner over HTTP",
                    ms(statistics.median(ours)),
                    ms(pct(ours, 0.95)),
                    f"{statistics.median(ours) / b50:.2f}",
                )
            )
    finally:
        server.stop()
    return rows


def many_tests(n: int) -> list[tuple[str, ...]]:
    server = Server(max_concurrent=1)
    try:
        one, fifty, own = [], [], []
        for _ in range(n):
            t1, _ = server.submit("c", [""])
            time.sleep(0.3)
            t50, resp = server.submit("c", [""] * 50)
            time.sleep(0.3)
            body = resp.json()
            assert body["stdout"] == ["hello\n"] * 50
            one.append(t1)
            fifty.append(t50)
            own.append(sum(body["timestamps"][1:]) / 1000)
        extra = (statistics.median(fifty) - statistics.median(one) - statistics.median(own)) / 49
    finally:
        server.stop()
    return [
        (
            "c hello, 50 tests vs 1: cost per extra test beyond the program's own run",
            f"{extra * 1000:.2f} ms",
            "",
            "target <= 2 ms",
        )
    ]


# concurrency -> (bare rate, our rate, bare p50 s, our p50 s), for the plot
Curve = dict[int, tuple[float, float, float, float]]


def throughput(requests: int, rates: dict[int, float], curve: Curve) -> list[tuple[str, ...]]:
    """Closed-loop: `conc` clients each send the next request when the last one returns.
    Fills `rates` with coderunner's measured rate per concurrency (the overload run
    takes 3x the concurrency-2 rate as its arrival rate) and `curve` for the plot.
    Every session has a fresh container of its own: the warm pool replaces each one
    claimed, so at saturation each session pays for a container's creation and start,
    as each bare `docker run --rm` does."""
    rows: list[tuple[str, ...]] = []
    src = baselines.write_source("python")
    for conc in (1, 2, 4, 8):
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(conc) as pool:
            bare = list(
                pool.map(lambda _: baselines.bare_docker_run("python", src), range(requests))
            )
        bare_rate = requests / (time.perf_counter() - started)
        server = Server(max_concurrent=conc, max_size=256)
        try:
            started = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(conc) as pool:
                answers = list(pool.map(lambda _, s=server: s.submit("python"), range(requests)))
            ours = requests / (time.perf_counter() - started)
            codes = [resp.status_code for _, resp in answers]
            assert codes == [200] * requests, codes
        finally:
            server.stop()
        rates[conc] = ours
        curve[conc] = (
            bare_rate,
            ours,
            statistics.median(bare),
            statistics.median(e for e, _ in answers),
        )
        rows.append(
            (
                f"throughput, concurrency {conc}: docker run / coderunner",
                f"{bare_rate:.2f} / {ours:.2f} req/s",
                "",
                f"{ours / bare_rate:.2f}",
            )
        )
    return rows


def plot(curve: Curve, path: Path, title: str) -> None:
    """Latency and throughput against concurrency, coderunner and `docker run --rm`."""
    import matplotlib

    matplotlib.use("Agg")  # no display: a file only
    import matplotlib.pyplot as plt

    conc = sorted(curve)
    fig, (lat, thr) = plt.subplots(1, 2, figsize=(10, 4))
    for index, label, style in ((2, "docker run --rm", "o--"), (3, "coderunner", "s-")):
        lat.plot(conc, [curve[c][index] * 1000 for c in conc], style, label=label)
    for index, label, style in ((0, "docker run --rm", "o--"), (1, "coderunner", "s-")):
        thr.plot(conc, [curve[c][index] for c in conc], style, label=label)
    lat.set(
        xlabel="concurrency", ylabel="p50 latency (ms)", title="Python hello, 1 test", xticks=conc
    )
    thr.set(xlabel="concurrency", ylabel="requests/s", title="closed-loop throughput", xticks=conc)
    for axes in (lat, thr):
        axes.grid(alpha=0.3)
        axes.legend()
        axes.set_ylim(bottom=0)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def overload(seconds: float, rate: float) -> list[tuple[str, ...]]:
    """Open-loop arrivals at `rate` req/s for `seconds`."""
    server = Server(max_concurrent=2, max_size=8)
    results: list[tuple[int, float]] = []
    lock = threading.Lock()

    def one() -> None:
        try:
            elapsed, resp = server.submit("python")
            code = resp.status_code
        except httpx.HTTPError:
            elapsed, code = 0.0, -1
        with lock:
            results.append((code, elapsed))

    rss_before = server.rss_kb()
    threads = []
    started = time.perf_counter()
    i = 0
    while time.perf_counter() - started < seconds:
        target = started + i / rate
        time.sleep(max(0.0, target - time.perf_counter()))
        thread = threading.Thread(target=one)
        thread.start()
        threads.append(thread)
        i += 1
    for thread in threads:
        thread.join(120)
    rss_after = server.rss_kb()
    server.stop()
    codes = [c for c, _ in results]
    admitted = [e for c, e in results if c == 200]
    other = sorted({c for c in codes if c not in (200, 503, 429)})
    return [
        (
            f"overload {rate:.1f} req/s for {seconds:.0f} s: 503 share / other errors",
            f"{codes.count(503) / len(codes):.0%}",
            f"{other or 'none'}",
            "",
        ),
        (
            "overload: admitted p50 / p95",
            ms(statistics.median(admitted)),
            ms(pct(admitted, 0.95)),
            "",
        ),
        (
            "overload: server RSS before / after",
            f"{rss_before // 1024} MB",
            f"{rss_after // 1024} MB",
            "",
        ),
    ]


def soak(requests: int) -> list[tuple[str, ...]]:
    server = Server(max_concurrent=2, max_size=256)
    try:
        for _ in range(20):
            server.submit("python")
        rss0, fds0 = server.rss_kb(), server.open_files()
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            codes = list(
                pool.map(lambda _: server.submit("python")[1].status_code, range(requests))
            )
        rss1, fds1 = server.rss_kb(), server.open_files()
    finally:
        server.stop()
    return [
        (
            f"soak {requests} requests ({codes.count(200)} answered 200): RSS, open files",
            f"{rss0 // 1024} -> {rss1 // 1024} MB",
            f"{fds0} -> {fds1} fds",
            "",
        )
    ]


def async_path(n: int) -> list[tuple[str, ...]]:
    """Sync against async (long poll, SSE) on one server: bench/asyncpath.py."""
    server = Server(max_concurrent=2)
    try:
        return asyncpath.measure(server.client, server.proc.pid, n)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--only", default="latency,tests,throughput,overload")
    parser.add_argument("--soak", type=int, default=10_000)
    parser.add_argument(
        "--plot",
        type=Path,
        default=None,
        help="write latency/throughput against concurrency here (PNG)",
    )
    args = parser.parse_args()
    quick = args.quick
    rows: list[tuple[str, ...]] = []
    parts = args.only.split(",")
    if "latency" in parts:
        rows += latency(8 if quick else 30)
    if "tests" in parts:
        rows += many_tests(3 if quick else 10)
    rates: dict[int, float] = {}
    curve: Curve = {}
    if "throughput" in parts:
        rows += throughput(12 if quick else 40, rates, curve)
        if args.plot:
            plot(
                curve,
                args.plot,
                f"{time.strftime('%Y-%m-%d')}, load average "
                f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
            )
    if "overload" in parts:
        # The overload server runs 2 containers at once: 3x what 2 sustain.
        sustainable = rates.get(2) or float(os.environ.get("CR_BENCH_RATE", "4"))
        rows += overload(15 if quick else 60, 3 * sustainable)
    if "soak" in parts:
        rows += soak(args.soak)
    if "async" in parts:
        rows += async_path(10 if quick else 30)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}} | p50 / value | p95 / detail | ratio vs (a)")
    print("-" * (width + 50))
    for row in rows:
        print(f"{row[0]:<{width}} | {row[1]:>11} | {row[2]:>12} | {row[3]}")


if __name__ == "__main__":
    main()
