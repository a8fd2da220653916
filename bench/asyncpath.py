"""The asynchronous path against the synchronous one, whole path, same server: the
asynchronous path (tasks, events) should cost no more than the synchronous one.
bench/run.py --only async calls `measure` with its real `coderunner serve`.

Three ways to get one Python hello world with 1 test answered, interleaved round by
round (the order rotates every round, so load drifts and position hit all alike):

- sync: `POST /isolatedTest` until the answer;
- poll: `POST /tasks` (kind isolatedTest), then `GET /tasks/{id}?wait=30` until the
  task is final and its result is in hand;
- sse:  `POST /tasks`, then `GET /tasks/{id}/events` until the `done` event.

For each: end-to-end latency, and the server process's own CPU (utime + stime of
/proc/<pid>/stat, all its threads) from just before the request to the end of the
settle pause after it, so work the request leaves behind (the warm pool replacing the
claimed container, the task store's batched commits) is charged to it. The server's
reaped children (handler, docker CLI) are shown beside it: the same per session on
every path, they show that the paths run the same session.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from httpx_sse import connect_sse

BODY = {"code": "print('hello')\n", "language": "python", "testCases": [""]}
FINAL = {"done", "failed", "cancelled"}
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(own utime + stime, reaped children's cutime + cstime) of a process, seconds."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    # The command name may hold spaces and parentheses: fields start after the last ")".
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return (utime + stime) / TICK, (cutime + cstime) / TICK


def _result(answer: httpx.Response) -> Any:
    assert answer.status_code == 200, answer.text
    return answer.json()


def sync(client: httpx.Client) -> Any:
    return _result(client.post("/isolatedTest", json=BODY))


def _submit(client: httpx.Client) -> str:
    answer = client.post("/tasks", json={**BODY, "kind": "isolatedTest"})
    assert answer.status_code == 202, answer.text
    task_id: str = answer.json()["id"]
    return task_id


def poll(client: httpx.Client) -> Any:
    task_id = _submit(client)
    while True:
        task = _result(client.get(f"/tasks/{task_id}", params={"wait": 30}))
        if task["status"] in FINAL:
            assert task["status"] == "done", task
            return task["result"]


def sse(client: httpx.Client) -> Any:
    task_id = _submit(client)
    with connect_sse(client, "GET", f"/tasks/{task_id}/events") as source:
        assert source.response.status_code == 200, source.response.read()
        for event in source.iter_sse():
            if event.event == "done":
                data = event.json()
                assert data["status"] == "done", data
                return data["result"]
    raise AssertionError(f"task {task_id}: the event stream ended without `done`")


PATHS: dict[str, Callable[[httpx.Client], Any]] = {"sync": sync, "poll": poll, "sse": sse}
LABELS = {
    "sync": "POST /isolatedTest",
    "poll": "POST /tasks + GET ?wait= long poll",
    "sse": "POST /tasks + SSE events to `done`",
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(client: httpx.Client, pid: int, n: int, settle: float = 0.3) -> list[tuple[str, ...]]:
    names = list(PATHS)
    latency: dict[str, list[float]] = {name: [] for name in names}
    own: dict[str, list[float]] = {name: [] for name in names}
    children: dict[str, list[float]] = {name: [] for name in names}
    for name in names:  # one unmeasured request each: first-use costs (imports, caches)
        PATHS[name](client)
        time.sleep(settle)
    for round_ in range(n):
        for name in names[round_ % 3 :] + names[: round_ % 3]:
            cpu0, kids0 = cpu_seconds(pid)
            started = time.perf_counter()
            result = PATHS[name](client)
            latency[name].append(time.perf_counter() - started)
            assert result["stdout"] == ["hello\n"], result
            time.sleep(settle)  # unloaded: the pool refills, the store commits
            cpu1, kids1 = cpu_seconds(pid)
            own[name].append(cpu1 - cpu0)
            children[name].append(kids1 - kids0)

    p50 = {name: statistics.median(latency[name]) for name in names}
    cpu = {name: statistics.fmean(own[name]) for name in names}
    rows: list[tuple[str, ...]] = []
    for name in names:
        ratio = "1.00" if name == "sync" else f"{p50[name] / p50['sync']:.2f}"
        rows.append(
            (
                f"async path, python hello, 1 test: {LABELS[name]}: p50 / p90",
                f"{p50[name] * 1000:.0f} ms",
                f"{pct(latency[name], 0.9) * 1000:.0f} ms",
                f"{ratio} (p50 vs sync)",
            )
        )
    for name in names:
        ratio = "1.00" if name == "sync" else f"{cpu[name] / cpu['sync']:.2f}"
        rows.append(
            (
                f"async path: server CPU per request, {name} (own / reaped children)",
                f"{cpu[name] * 1000:.1f} ms",
                f"{statistics.fmean(children[name]) * 1000:.1f} ms",
                f"{ratio} (own vs sync)",
            )
        )
    # The noise to read the ratios against: the same path (sync) in the first and the
    # second half of the rounds, same run, only the time differs.
    half = n // 2
    if half >= 3:
        early, late = latency["sync"][:half], latency["sync"][half:]
        cpu_early, cpu_late = own["sync"][:half], own["sync"][half:]
        rows.append(
            (
                "async path: noise, sync alone 1st / 2nd half of the rounds: p50, CPU",
                f"{statistics.median(late) / statistics.median(early):.2f}",
                f"{statistics.fmean(cpu_late) / statistics.fmean(cpu_early):.2f}",
                "(1.00 = no drift)",
            )
        )
    rows.append(
        (
            f"async path: n={n} each, CPU clock tick {1000 / TICK:.0f} ms",
            f"load {os.getloadavg()[0]:.1f}",
            f"{os.cpu_count()} cores",
            "",
        )
    )
    return rows
