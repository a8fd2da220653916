"""coderunner -> log server -> SMTP, all real: what coderunner must report arrives,
even when the log server was down while it happened."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import RunningServer, free_port, wait_until
from tests.support.logserver import LogServer, SmtpServer

pytestmark = pytest.mark.docker


def logserver(tmp_path: Path, smtp_port: int | None = None) -> LogServer:
    (tmp_path / "ls").mkdir()
    config: dict[str, dict[str, Any]] = {
        "logserver": {"port": free_port(), "database": tmp_path / "ls" / "events.db"},
        "smtp": {"outbox": tmp_path / "ls" / "outbox", "timeout": 5},
        "alarms": {
            "recipients": ["admin@example.org"],
            "coalesce_delay_s": 0.2,
            "retry_initial_s": 0.2,
            "retry_max_s": 1,
        },
    }
    if smtp_port is not None:
        config["smtp"].update({"host": "127.0.0.1", "port": smtp_port, "starttls": False})
    return LogServer(tmp_path / "ls", config)


def test_fifty_requests_while_the_log_server_is_down_all_arrive_once(
    make_server: Callable[..., RunningServer],
    tmp_path: Path,
) -> None:
    logs = logserver(tmp_path)
    server = make_server(
        logging={"server_url": logs.url},
        ratelimit={"requests_per_minute": 100_000, "per_user_requests_per_minute": 100_000},
        queue={"max_size": 64},
    )

    def one(i: int) -> int:
        body: dict[str, Any] = {
            "code": f"print({i})",
            "language": "python",
            "testCases": [""],
            "user": f"user{i % 5}",
        }
        if i % 10 == 9:
            body["testCases"] = []  # refused: 400
        with httpx.Client(base_url=server.url, timeout=120) as client:
            return client.post("/isolatedTest", json=body).status_code

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(one, range(50)))
    assert codes.count(200) == 45 and codes.count(400) == 5
    assert server.state.events.backlog() >= 50  # all waiting in the spool

    logs.start()
    try:
        wait_until(lambda: server.state.events.backlog() == 0, 30, "the spool to drain")
        events = logs.events(limit=1000)
    finally:
        logs.stop()
        logs.http.close()
    served = [e for e in events if e["message"] == "request served"]
    refused = [e for e in events if e["message"].startswith("refused request")]
    assert len(served) == 45 and len(refused) == 5
    assert len({e["id"] for e in events}) == len(events)  # none twice
    sessions = {e["details"]["sessionId"] for e in served}
    assert len(sessions) == 45
    assert {e["user"] for e in served} == {f"user{i}" for i in range(5)}
    assert all(e["details"]["language"] == "python" for e in served)


def test_refused_caller_becomes_a_breach_alarm_mail(
    make_server: Callable[..., RunningServer],
    tmp_path: Path,
) -> None:
    smtp = SmtpServer(free_port())
    smtp.start()
    logs = logserver(tmp_path, smtp.port)
    logs.start()
    try:
        # Loopback is not trusted here, so this very test is the attacker.
        server = make_server(
            logging={"server_url": logs.url}, server={"trusted_hosts": ["10.9.9.9"]}
        )
        with server.client() as client:
            for _ in range(5):
                resp = client.post(
                    "/isolatedTest",
                    json={"code": "print(1)", "language": "python", "testCases": [""]},
                )
                assert resp.status_code == 403
                assert resp.json()["error"]["code"] == "forbidden"
        received = smtp.wait_for(1, timeout=30)
        envelope, mail = received[0]
        assert envelope.rcpt_tos == ["admin@example.org"]
        assert "BREACH" in mail["Subject"]
        assert "127.0.0.1" in mail.get_content()
        breaches = logs.events(type="breach")
        # Coalesced: five refusals, not five alarms.
        assert 1 <= len(breaches) < 5
    finally:
        logs.stop()
        logs.http.close()
        smtp.stop()
