"""coderunner's LogClient against a real log server process: outages, restarts,
crashes, refused events. "None twice" is checked on the wire (the server's access
log counts the POSTs), since the server would hide a duplicate by its id."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from coderunner import logclient
from coderunner.config import LoggingSettings
from coderunner.logclient import LogClient
from tests.helpers import REPO
from tests.support.logserver import LogServer


def _settings(server: LogServer, tmp_path: Path) -> LoggingSettings:
    return LoggingSettings(server_url=server.url, log_file=tmp_path / "spool" / "events.jsonl")


async def _drained(client: LogClient, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while client.backlog():
        assert time.monotonic() < deadline, f"{client.backlog()} events still not delivered"
        await asyncio.sleep(0.05)


def _posts(server: LogServer) -> int:
    # The server logs JSON lines; uvicorn's access lines carry the request line.
    records = [json.loads(line) for line in server.output.splitlines() if line.startswith("{")]
    return sum('"POST /log HTTP/1.1" 200' in r["message"] for r in records)


def _messages(server: LogServer) -> list[str]:
    return [e["message"] for e in reversed(server.events())]


async def test_outage_and_restart_lose_nothing_and_keep_order(
    make_logserver: Callable[..., LogServer], tmp_path: Path
) -> None:
    server = make_logserver(start=False)  # down
    settings = _settings(server, tmp_path)

    client = LogClient(settings)
    await client.start()
    for i in range(25):
        client.emit("info", f"event {i}", user="alice", details={"i": i})
    await asyncio.sleep(0.5)  # a few failed attempts
    assert client.backlog() == 25
    started = time.monotonic()
    await client.aclose()
    # A dead server does not hold up shutdown: waiting for it would cost the
    # whole CLOSE_TIMEOUT_S (3 s).
    assert time.monotonic() - started < 2.5

    client = LogClient(settings)  # coderunner restarted, log server still down
    await client.start()
    assert client.backlog() == 25
    for i in range(25, 50):
        client.emit("breach" if i % 10 == 0 else "info", f"event {i}", user="bob")
    assert client.backlog() == 50
    await asyncio.sleep(0.3)

    await asyncio.to_thread(server.start)
    await _drained(client)
    await client.aclose()

    assert _messages(server) == [f"event {i}" for i in range(50)]
    events = server.events()
    assert len({e["id"] for e in events}) == 50
    assert {e["source"] for e in events} == {"coderunner"}
    assert [e["type"] for e in reversed(events)][20:31:10] == ["info", "breach"]
    assert _posts(server) == 50  # not one sent twice


async def test_a_crash_loses_nothing(
    make_logserver: Callable[..., LogServer], tmp_path: Path
) -> None:
    server = make_logserver()
    settings = _settings(server, tmp_path)
    # A coderunner that delivers 10 events, spools 5 more and dies without aclose().
    script = textwrap.dedent(
        f"""
        import asyncio, os
        from coderunner.config import LoggingSettings
        from coderunner.logclient import LogClient

        async def main():
            client = LogClient(LoggingSettings(server_url={server.url!r},
                                               log_file={str(settings.log_file)!r}))
            await client.start()
            for i in range(10):
                client.emit("info", f"event {{i}}")
            while client.backlog():
                await asyncio.sleep(0.01)
            for i in range(10, 15):
                client.emit("warning", f"event {{i}}")
            os._exit(9)

        asyncio.run(main())
        """
    )
    crashed = subprocess.run([sys.executable, "-c", script], cwd=REPO, timeout=30)
    assert crashed.returncode == 9
    assert len(server.events()) <= 15

    client = LogClient(settings)
    await client.start()
    await _drained(client)
    await client.aclose()
    assert _messages(server) == [f"event {i}" for i in range(15)]


async def test_emit_never_raises_and_bad_input_still_arrives(
    make_logserver: Callable[..., LogServer], tmp_path: Path
) -> None:
    server = make_logserver()
    client = LogClient(_settings(server, tmp_path))
    # Before start(): straight to the spool, delivered once started.
    client.emit("info", "before start")
    await client.start()
    client.emit("debug", "unknown type")
    client.emit("info", "x" * 50_000)
    # A wrong type on purpose: a caller without a type checker must not break it.
    client.emit("warning", "not a dict", details=["a", 1])  # type: ignore[arg-type]
    client.emit("warning", "not serialisable", details={"path": Path("/x"), "obj": object()})
    client.emit("error", "bad bytes \udcff from a program", user="u\udcfe")
    await _drained(client)
    await client.aclose()
    client.emit("info", "after close")  # kept for the next start

    events = list(reversed(server.events()))
    assert [e["message"][:20] for e in events] == [
        "before start",
        "unknown type",
        "x" * 20,
        "not a dict",
        "not serialisable",
        "bad bytes ? from a p",
    ]
    assert events[1]["type"] == "error"
    assert events[1]["details"] == {"original_type": "debug"}
    assert events[2]["message"].endswith("…[truncated]")
    assert events[2]["details"] == {"message_chars": 50_000}
    assert events[3]["details"] == {"value": ["a", 1]}
    assert events[4]["details"]["path"] == "/x"
    assert events[5]["user"] == "u?"

    client = LogClient(_settings(server, tmp_path))
    await client.start()
    await _drained(client)
    await client.aclose()
    assert server.events()[0]["message"] == "after close"

    # A spool that cannot be written: emit logs the problem and returns.
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    broken = LogClient(LoggingSettings(server_url=server.url, log_file=blocker / "events.jsonl"))
    broken.emit("breach", "nowhere to go")


async def test_emit_does_not_wait_for_a_dead_server(
    make_logserver: Callable[..., LogServer], tmp_path: Path
) -> None:
    server = make_logserver(start=False)
    client = LogClient(_settings(server, tmp_path))
    await client.start()
    started = time.monotonic()
    for i in range(2_000):
        client.emit("info", f"event {i}", details={"i": i})
    # Waiting on the server would cost a connection attempt each, or the request
    # timeout (5 s) once: far beyond this bound even on a loaded machine.
    assert time.monotonic() - started < 4.0
    assert client.backlog() == 2_000
    await client.aclose()


async def test_an_event_the_server_refuses_does_not_block_the_rest(
    make_logserver: Callable[..., LogServer], logserver_config: dict[str, Any], tmp_path: Path
) -> None:
    logserver_config["logserver"]["max_message_chars"] = 64
    server = make_logserver()
    client = LogClient(_settings(server, tmp_path))
    await client.start()
    client.emit("info", "short")
    client.emit("info", "long " * 40)  # 400 from this server: dropped, logged
    client.emit("info", "after the refused one")
    await _drained(client)
    await client.aclose()
    assert _messages(server) == ["short", "after the refused one"]


async def test_the_spool_is_compacted_once_delivered(
    make_logserver: Callable[..., LogServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logclient, "COMPACT_BYTES", 2_000)
    server = make_logserver()
    settings = _settings(server, tmp_path)
    client = LogClient(settings)
    await client.start()
    for i in range(30):
        client.emit("info", f"event {i}")
    await _drained(client)
    await asyncio.sleep(0.2)
    assert settings.log_file.stat().st_size == 0
    offset_file = settings.log_file.with_name("events.jsonl.offset")
    assert offset_file.read_text().strip() == "0"
    client.emit("info", "event 30")
    await _drained(client)
    await client.aclose()
    spooled = [json.loads(line) for line in settings.log_file.read_text().splitlines()]
    assert [e["message"] for e in spooled] == ["event 30"]

    client = LogClient(settings)  # a restart after compaction resends nothing
    await client.start()
    assert client.backlog() == 0
    await client.aclose()
    assert _messages(server) == [f"event {i}" for i in range(31)]
    assert _posts(server) == 31


async def test_aclose_flushes_what_it_can(
    make_logserver: Callable[..., LogServer], tmp_path: Path
) -> None:
    server = make_logserver()
    client = LogClient(_settings(server, tmp_path))
    await client.start()
    for i in range(20):
        client.emit("info", f"event {i}")
    await client.aclose()  # no waiting for the backlog first
    assert client.backlog() == 0
    assert _messages(server) == [f"event {i}" for i in range(20)]


async def test_the_spool_is_capped_while_the_server_is_down_and_keeps_every_alarm(
    make_logserver: Callable[..., LogServer], tmp_path: Path
) -> None:
    """Every 429 adds an event: with the log server down the spool used to grow
    without bound. Now it stays near its cap, the oldest `info` events go first,
    `error`/`breach` never, and the drops are counted; what is kept arrives."""
    server = make_logserver(start=False)  # down
    cap = 65_536
    settings = LoggingSettings(
        server_url=server.url, log_file=tmp_path / "spool" / "events.jsonl", max_spool_bytes=cap
    )
    drops: list[tuple[str, int]] = []
    client = LogClient(settings, on_drop=lambda kind, count: drops.append((kind, count)))
    await client.start()
    padding = "x" * 200
    for i in range(3_000):
        if i % 100 == 0:
            client.emit("breach", f"alarm {i}", broadcast=True)
        elif i % 50 == 0:
            client.emit("error", f"error {i}")
        else:
            client.emit("info", f"info {i} {padding}")
        assert settings.log_file.stat().st_size <= cap + 1_000, i
    dropped = client.dropped["info"]
    assert dropped > 2_000
    assert sum(count for kind, count in drops if kind == "info") == dropped
    assert set(client.dropped) == {"info"}  # warnings were not needed, alarms never
    await client.aclose()

    server.start()
    client = LogClient(settings)
    await client.start()
    try:
        await _drained(client, timeout=60)
    finally:
        await client.aclose()
    messages = _messages(server)
    # Every alarm and error survived, in order; of the info events only the newest.
    assert [m for m in messages if m.startswith("alarm")] == [
        f"alarm {i}" for i in range(0, 3_000, 100)
    ]
    assert [m for m in messages if m.startswith("error")] == [
        f"error {i}" for i in range(50, 3_000, 100)
    ]
    infos = [int(m.split()[1]) for m in messages if m.startswith("info")]
    assert infos == sorted(infos) and infos[-1] == 2_999
    assert len(infos) == 2_940 - dropped


async def test_the_client_sends_the_log_server_token(
    make_logserver: Callable[..., LogServer],
    logserver_config: dict[str, Any],
    tmp_path: Path,
) -> None:
    logserver_config["logserver"]["token"] = "spool-token"
    server = make_logserver()
    settings = _settings(server, tmp_path)
    # Without the token the event waits (403 is retried), it is not dropped...
    client = LogClient(settings)
    await client.start()
    client.emit("warning", "kept for later")
    await asyncio.sleep(1.0)
    assert client.backlog() == 1
    await client.aclose()
    # ...and with it, it arrives.
    client = LogClient(settings, headers={"Authorization": "Bearer spool-token"})
    await client.start()
    try:
        await _drained(client)
    finally:
        await client.aclose()
    events = server.http.get(
        "/log", headers={"Authorization": "Bearer spool-token"}, params={"type": "warning"}
    ).json()["events"]
    assert [e["message"] for e in events] == ["kept for later"]
