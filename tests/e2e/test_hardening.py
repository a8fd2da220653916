"""Hardening findings against real `coderunner serve` / `logserver serve` processes
(the behaviour depends on how the servers are set up, so in-process copies of the
checks would prove nothing): forged X-Forwarded-For, folded breach alarms, the
log-server token, ENOSPC while staging, free space in /health."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from coderunner.api import BAD_CALLBACK, REFUSED_CALLER, STORAGE_FULL
from coderunner.app import create_app
from tests.helpers import free_port, settings_for, spawn_coderunner, unavailable, wait_until
from tests.support.logserver import LogServer, SmtpServer

# A submission the access check must see before anything else (its body is invalid).
EMPTY: dict[str, Any] = {}
FAST_START = {
    "CODERUNNER_DOCKER__SELFTEST_AT_START": "false",
    "CODERUNNER_POOL__ENABLED": "false",
}


class Served:
    """A running `coderunner serve`; its output is drained (a full pipe would
    block the server) and kept for assertions."""

    def __init__(self, tmp_path: Path, env: dict[str, str]) -> None:
        self.proc, self.url = spawn_coderunner(tmp_path, **{**FAST_START, **env})
        self.spool = tmp_path / "spool" / "events.jsonl"
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

        def answers() -> bool:
            assert self.proc.poll() is None, "coderunner exited:\n" + "".join(self.lines)
            try:
                httpx.get(f"{self.url}/openapi.json", timeout=5)
                return True
            except httpx.TransportError:
                return False

        wait_until(answers, 60, "coderunner to answer")

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.decode(errors="replace"))

    def post(self, headers: dict[str, str] | None = None) -> httpx.Response:
        return httpx.post(f"{self.url}/isolatedTest", json=EMPTY, headers=headers, timeout=30)

    def spooled(self) -> list[dict[str, Any]]:
        if not self.spool.exists():
            return []
        return [json.loads(line) for line in self.spool.read_text().splitlines()]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(10)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def make(**env: str) -> Served:
        served = Served(tmp_path / f"cr{len(started)}", env)
        started.append(served)
        return served

    yield make
    for served in started:
        served.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    yield server
    server.stop()


# -- 1. X-Forwarded-For is only believed from server.proxies -----------------------------


def test_a_forged_forwarded_for_from_loopback_changes_nothing(
    serve: Callable[..., Served],
) -> None:
    # Loopback is trusted; the forged address is not: still served as loopback.
    served = serve()
    answer = served.post({"X-Forwarded-For": "198.51.100.9"})
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["code"] == "invalid_request"
    assert not [e for e in served.spooled() if e["type"] == "breach"]

    # Only the forged address is trusted: a loopback caller claiming it is refused.
    served = serve(CODERUNNER_SERVER__TRUSTED_HOSTS='["203.0.113.7"]')
    answer = served.post({"X-Forwarded-For": "203.0.113.7"})
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"]["code"] == "forbidden"
    (breach,) = [e for e in served.spooled() if e["type"] == "breach"]
    assert breach["details"]["address"] == "127.0.0.1"


def test_forwarded_for_is_believed_from_a_configured_proxy(
    serve: Callable[..., Served],
) -> None:
    served = serve(
        CODERUNNER_SERVER__TRUSTED_HOSTS='["203.0.113.7"]',
        CODERUNNER_SERVER__PROXIES='["127.0.0.1"]',
    )
    believed = served.post({"X-Forwarded-For": "203.0.113.7"})
    assert believed.status_code == 400, believed.text  # past the access check
    assert served.post().status_code == 403  # the proxy itself is not trusted
    other = served.post({"X-Forwarded-For": "198.51.100.1"})
    assert other.status_code == 403


def test_both_servers_share_one_idea_of_the_client_address(
    serve: Callable[..., Served], tmp_path: Path
) -> None:
    """plumbing.http's middleware in both real processes: a forged X-Forwarded-For
    from a caller that is not a configured proxy changes nothing in either, and both
    refuse an oversized body alike. (Mapped IPv6 peers and zones are in
    tests/test_plumbing.py: uvicorn's asyncio sockets are IPv6-only, so a real server
    here never sees ::ffff:127.0.0.1.)"""
    served = serve(
        CODERUNNER_SERVER__TRUSTED_HOSTS='["127.0.0.1"]', CODERUNNER_LIMITS__MAX_BODY_BYTES="4096"
    )
    forged = served.post({"X-Forwarded-For": "198.51.100.9"})
    assert forged.status_code == 400, forged.text  # past the access check
    big = httpx.post(
        f"{served.url}/isolatedTest",
        timeout=30,
        json={"language": "python", "code": "x" * 5_000, "testCases": [""]},
    )
    assert big.status_code == 413, big.text
    assert big.json()["error"]["code"] == "payload_too_large"

    workdir = tmp_path / "logserver"
    workdir.mkdir()
    config: dict[str, dict[str, Any]] = {
        "logserver": {
            "port": free_port(),
            "database": workdir / "db" / "ev.db",
            "trusted_hosts": ["127.0.0.1"],
            "max_body_bytes": 4_096,
        },
        "smtp": {"outbox": workdir / "outbox"},
    }
    logserver = LogServer(workdir, config)
    logserver.start()
    try:
        posted = logserver.http.post(
            "/log",
            json={"type": "info", "message": "m"},
            headers={"X-Forwarded-For": "198.51.100.9"},
        )
        assert posted.status_code == 200, posted.text
        (event,) = logserver.events()
        assert event["client"] == "127.0.0.1"
        # The same status and code as coderunner for a body over its cap.
        big = logserver.http.post("/log", json={"type": "info", "message": "x" * 5_000})
        assert big.status_code == 413
        assert big.json()["error"]["code"] == "payload_too_large"
    finally:
        logserver.stop()

    config["logserver"]["trusted_hosts"] = ["203.0.113.7"]
    logserver = LogServer(workdir, config)
    logserver.start()
    try:
        claimed = logserver.http.get("/log", headers={"X-Forwarded-For": "203.0.113.7"})
        assert claimed.status_code == 403, claimed.text
        assert claimed.json()["error"]["code"] == "forbidden"
    finally:
        logserver.stop()
        logserver.http.close()


# -- 2. breach alarms fold into one mail -------------------------------------------------


def test_refusals_from_many_addresses_fold_into_one_mail(
    serve: Callable[..., Served], tmp_path: Path, smtp_server: SmtpServer
) -> None:
    smtp_server.start()
    workdir = tmp_path / "logserver"
    workdir.mkdir()
    config: dict[str, dict[str, Any]] = {
        "logserver": {"port": free_port(), "database": workdir / "db" / "events.db"},
        "smtp": {
            "host": "127.0.0.1",
            "port": smtp_server.port,
            "starttls": False,
            "timeout": 5,
            "outbox": workdir / "outbox",
        },
        # Generous: every refusal below arrives well within the first 10 s.
        "alarms": {
            "recipients": ["admin@example.org"],
            "coalesce_delay_s": 10,
            "coalesce_window_s": 300,
        },
    }
    logserver = LogServer(workdir, config)
    logserver.start()
    try:
        served = serve(
            CODERUNNER_SERVER__PROXIES='["127.0.0.1"]',
            CODERUNNER_LOGGING__SERVER_URL=logserver.url,
        )
        callers = [f"198.51.100.{i}" for i in range(1, 31)]
        for address in callers:
            assert served.post({"X-Forwarded-For": address}).status_code == 403

        def stored() -> list[dict[str, Any]]:
            events = logserver.events(type="breach")
            return events if len(events) == len(callers) else []

        events = wait_until(stored, 60, "every breach event at the log server")
        assert {e["message"] for e in events} == {REFUSED_CALLER}
        assert sorted(e["details"]["address"] for e in events) == sorted(callers)
        assert all(e["details"]["count"] == 1 for e in events)

        ((_, mail),) = smtp_server.wait_for(1, timeout=60)
        assert REFUSED_CALLER in str(mail["Subject"])
        # Proof without sleeping: every event joined the mail just sent (or, on a very
        # slow machine, the one folded follow-up held back for coalesce_window_s).
        with sqlite3.connect(workdir / "db" / "events.db") as db:
            jobs = db.execute("SELECT id, count, status FROM mails ORDER BY id").fetchall()
        assert len(jobs) <= 2, jobs
        assert sum(count for _, count, _ in jobs) == len(callers)
        assert int(mail["X-CodeRunner-Alarm-Count"]) == jobs[0][1]
        assert len(smtp_server.received) == 1
    finally:
        logserver.stop()
        logserver.http.close()


# -- 4. the log-server token, and who may read the operations endpoints ------------------


def test_coderunner_delivers_to_a_log_server_that_requires_a_token(
    serve: Callable[..., Served], tmp_path: Path
) -> None:
    workdir = tmp_path / "logserver"
    workdir.mkdir()
    config: dict[str, dict[str, Any]] = {
        "logserver": {
            "port": free_port(),
            "database": workdir / "db" / "events.db",
            "token": "the-log-token",
        },
        "smtp": {"outbox": workdir / "outbox"},
    }
    logserver = LogServer(workdir, config)
    logserver.start()
    try:
        served = serve(
            CODERUNNER_LOGGING__SERVER_URL=logserver.url,
            CODERUNNER_LOGSERVER__TOKEN="the-log-token",
            CODERUNNER_SERVER__TRUSTED_HOSTS='["192.0.2.1"]',
        )
        assert served.post().status_code == 403
        good = {"Authorization": "Bearer the-log-token"}

        def delivered() -> list[dict[str, Any]]:
            response = logserver.http.get("/log", headers=good, params={"type": "breach"})
            assert response.status_code == 200
            return [e for e in response.json()["events"] if e["source"] == "coderunner"]

        (event,) = wait_until(delivered, 30, "the breach event at the log server")
        assert event["message"] == REFUSED_CALLER
        assert logserver.http.get("/log").status_code == 403  # a local process without it
    finally:
        logserver.stop()
        logserver.http.close()


@pytest.mark.parametrize("path", ["/health", "/metrics", "/languages", "/openapi.json"])
def test_operations_endpoints_follow_ops_access(path: str, make_server: Callable[..., Any]) -> None:
    guarded = make_server(server={"token": "ops-token"})
    with guarded.client() as client:
        refused = client.get(path)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "forbidden"
        # /health may be 503 (no engine, low disk): it was let in, that is the point.
        assert client.get(path, headers={"Authorization": "Bearer ops-token"}).status_code in (
            200,
            503,
        )
    untrusted = make_server(server={"trusted_hosts": ["192.0.2.1"]})
    with untrusted.client() as client:
        assert client.get(path).status_code == 403
    open_ = make_server(server={"token": "ops-token", "ops_access": "any"})
    with open_.client() as client:
        assert client.get(path).status_code in (200, 503)


# -- 7. /analyseTest: bytes compared, refusals logged ------------------------------------


async def test_analyse_test_from_another_address_is_refused_and_logged(tmp_path: Path) -> None:
    """uvicorn binds loopback in tests, so the ASGI app is called with a peer that is
    not loopback (what a server bound to 0.0.0.0 would see)."""
    settings = settings_for(tmp_path)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://coderunner") as client:
        for _ in range(3):
            answer = await client.get(f"/analyseTest/{'0' * 32}", params={"token": "x"})
            assert answer.status_code == 403
    spooled = [json.loads(line) for line in settings.logging.log_file.read_text().splitlines()]
    (breach,) = [e for e in spooled if e["type"] == "breach"]  # folded: one a minute
    assert breach["message"] == BAD_CALLBACK and breach["broadcast"]
    assert breach["details"]["address"] == "192.0.2.10"


@pytest.mark.docker
def test_a_non_ascii_session_token_is_refused_not_a_crash(
    make_server: Callable[..., Any],
) -> None:
    running = make_server(pool={"enabled": False})
    root = running.settings.sessions.root
    sleeper = {
        "code": "import time\ntime.sleep(4)",
        "language": "python",
        "testCases": [""],
        "timeLimitMs": 6000,
    }
    answers: list[httpx.Response] = []
    thread = threading.Thread(
        target=lambda: answers.append(
            httpx.post(f"{running.url}/isolatedTest", json=sleeper, timeout=120)
        )
    )
    thread.start()
    try:
        session_id = wait_until(
            lambda: (
                next((p.name for p in root.iterdir() if len(p.name) == 32), None)
                if root.exists()
                else None
            ),
            60,
            "the session directory",
        )
        with running.client() as client:
            by_query = client.get(f"/analyseTest/{session_id}", params={"token": "é" * 32})
            assert by_query.status_code == 403, by_query.text
            by_header = client.get(
                f"/analyseTest/{session_id}", headers={"X-Session-Token": "é".encode("latin-1")}
            )
            assert by_header.status_code == 403, by_header.text
    finally:
        thread.join(120)
    assert answers and answers[0].status_code == 200, answers


# -- 6. a full disk ------------------------------------------------------------------------


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs, filled up: staging a session there fails with ENOSPC."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0:
        unavailable("mounting a tmpfs needs root (the suite runs as root in CI)")
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0711", "tmpfs", str(mount)], check=True
    )
    try:
        (mount / "sessions").mkdir()
        with open(mount / "filler", "wb") as fh:
            try:
                while True:
                    fh.write(b"\0" * 65_536)
            except OSError:
                pass
        yield mount / "sessions"
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.docker
def test_enospc_while_staging_is_503_with_one_folded_alarm(
    serve: Callable[..., Served], tiny_tmpfs: Path
) -> None:
    served = serve(CODERUNNER_SESSIONS__ROOT=str(tiny_tmpfs))
    submission = {
        "code": "print(1)\n" * 2_000,
        "language": "python",
        "testCases": ["x" * 100_000] * 5,
    }
    for _ in range(5):
        answer = httpx.post(f"{served.url}/isolatedTest", json=submission, timeout=60)
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"]["code"] == "storage_full"
        assert int(answer.headers["Retry-After"]) >= 1
    alarms = [e for e in served.spooled() if e["broadcast"]]
    assert len(alarms) == 1, alarms
    assert alarms[0]["message"] == STORAGE_FULL and alarms[0]["type"] == "error"
    assert list(tiny_tmpfs.iterdir()) == []  # nothing half-staged left behind

    health = httpx.get(f"{served.url}/health", timeout=30)
    assert health.status_code == 503
    body = health.json()
    assert body["status"] == "low_disk"
    assert body["disk"]["sessions"]["ok"] is False
    assert body["disk"]["sessions"]["freeBytes"] < body["disk"]["sessions"]["minFreeBytes"]
    assert body["disk"]["spool"]["ok"] is True


def test_health_reports_free_space_and_a_threshold(serve: Callable[..., Served]) -> None:
    served = serve(CODERUNNER_SESSIONS__MIN_FREE_MB=str(1 << 40))  # more than any disk
    body = httpx.get(f"{served.url}/health", timeout=30).json()
    assert body["disk"]["sessions"]["freeBytes"] > 0
    assert body["disk"]["sessions"]["ok"] is False
    assert httpx.get(f"{served.url}/health", timeout=30).status_code == 503


def test_spool_drops_are_counted_in_metrics(make_server: Callable[..., Any]) -> None:
    """The log server is down (nothing listens at its URL): refused requests fill
    the capped spool; the dropped `warning` events show in /metrics, and the file
    stays near its cap."""
    running = make_server(logging={"max_spool_bytes": 65_536})
    with running.client() as client:
        for _ in range(400):
            assert client.post("/isolatedTest", content=b"{").status_code == 400
        metrics = client.get("/metrics").text
    dropped = [
        line
        for line in metrics.splitlines()
        if line.startswith('coderunner_log_events_dropped_total{type="warning"}')
    ]
    assert dropped and float(dropped[0].split()[-1]) > 0, metrics
    assert running.settings.logging.log_file.stat().st_size <= 65_536 + 4_096
