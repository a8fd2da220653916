"""Fixtures for the log server tests; whatever a test starts, the fixture stops."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import free_port
from tests.support.logserver import LogServer, SmtpServer


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """Not started: call .start() (tests decide whether SMTP is up)."""
    server = SmtpServer(free_port())
    yield server
    server.stop()


@pytest.fixture
def logserver_config(tmp_path: Path) -> dict[str, dict[str, Any]]:
    """A fresh database, outbox mode, fast retries; tests edit it before starting."""
    return {
        "logserver": {"port": free_port(), "database": tmp_path / "db" / "events.db"},
        "smtp": {"outbox": tmp_path / "outbox", "starttls": False, "timeout": 5},
        "alarms": {
            "recipients": ["admin@example.org", "oncall@example.org"],
            "coalesce_delay_s": 0.2,
            "coalesce_window_s": 60,
            "retry_initial_s": 0.2,
            "retry_max_s": 1,
        },
    }


@pytest.fixture
def make_logserver(
    tmp_path: Path, logserver_config: dict[str, dict[str, Any]]
) -> Iterator[Callable[..., LogServer]]:
    servers: list[LogServer] = []

    def make(start: bool = True) -> LogServer:
        server = LogServer(tmp_path, logserver_config)
        servers.append(server)
        if start:
            server.start()
        return server

    yield make
    for server in servers:
        server.stop()
        server.http.close()
