"""1000 idle SSE clients on one real uvicorn server process keep its memory bounded,
and every subscription is freed when they leave."""

from __future__ import annotations

import asyncio
import os
import resource
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from tests.helpers import REPO, free_port

CLIENTS = 1000
# What 1000 idle streams may add to the server's resident memory (measured: about 26 MB).
MAX_GROWTH_MB = 48


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


async def wait_for(check: Callable[[], Awaitable[bool]], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.1)


async def test_thousand_idle_streams_keep_memory_bounded(tmp_path: Path) -> None:
    # Each connection is a file descriptor on both ends: make room for them.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, CLIENTS * 2 + 200)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    assert wanted >= CLIENTS + 100, f"the hard limit of open files ({hard}) is too low"
    port = free_port()
    env = {**os.environ, "SSEAPP_DB": str(tmp_path / "tasks.db"), "SSEAPP_PING_S": "5"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "tests.support.sseapp:from_env",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--backlog",
            "2048",
        ],
        cwd=REPO,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    limits = httpx.Limits(max_connections=CLIENTS + 10, max_keepalive_connections=CLIENTS + 10)
    release = asyncio.Event()
    try:
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:

            async def up() -> bool:
                try:
                    return (await http.get("/stats")).status_code == 200
                except httpx.TransportError:
                    return False

            await wait_for(up)
            task_id = (await http.post("/tasks")).json()["id"]

            async def subscribers() -> int:
                count: int = (await http.get("/stats")).json()["subscribers"]
                return count

            # Warm up code paths (one stream) before the baseline.
            async with http.stream("GET", f"/tasks/{task_id}/events") as response:
                await anext(response.aiter_lines())
            await wait_for(lambda: _eq(subscribers(), 0))
            before = rss_mb(server.pid)

            opened = 0

            async def idle_client() -> None:
                nonlocal opened
                async with http.stream("GET", f"/tasks/{task_id}/events") as response:
                    lines = response.aiter_lines()
                    assert await anext(lines) == ": ping"
                    opened += 1
                    await release.wait()

            clients = [asyncio.create_task(idle_client()) for _ in range(CLIENTS)]
            await wait_for(lambda: _eq(subscribers(), CLIENTS), timeout=180)
            assert opened == CLIENTS
            # Idle for a few ping intervals: memory must not creep either.
            during = rss_mb(server.pid)
            await asyncio.sleep(12)
            later = rss_mb(server.pid)
            print(
                f"\nserver RSS: {before:.1f} MB idle, {during:.1f} MB with {CLIENTS} streams,"
                f" {later:.1f} MB 12 s later"
            )
            assert during - before < MAX_GROWTH_MB
            assert later - before < MAX_GROWTH_MB
            # The streams are still served (pings), then everyone leaves.
            assert all(not c.done() for c in clients)
            release.set()
            await asyncio.wait_for(asyncio.gather(*clients), 120)
            await wait_for(lambda: _eq(subscribers(), 0), timeout=120)
    finally:
        release.set()
        server.terminate()
        server.wait(30)


async def _eq(awaitable: Awaitable[object], value: object) -> bool:
    return await awaitable == value
