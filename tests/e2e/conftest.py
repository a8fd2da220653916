from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import RunningServer, start_module_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, docker_ready: None) -> Iterator[RunningServer]:
    """One real server for a module's tests, 2 concurrent containers."""
    root: Path = tmp_path_factory.mktemp("server")
    running = start_module_server(root)
    yield running
    running.stop()
