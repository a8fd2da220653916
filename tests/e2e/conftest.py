from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import RunningServer, settings_for, start_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, docker_ready: None) -> Iterator[RunningServer]:
    """One real server for a module's tests, 2 concurrent containers."""
    root: Path = tmp_path_factory.mktemp("server")
    running = start_server(
        settings_for(
            root,
            queue={"max_concurrent": 2, "max_size": 64},
            ratelimit={"requests_per_minute": 100_000, "per_user_requests_per_minute": 100_000},
        )
    )
    yield running
    running.stop()
