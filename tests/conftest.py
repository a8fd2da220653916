"""Fixtures for every tier; the helpers they build on are in tests/helpers.py.

tests/unit       no Docker, no server beyond this process (the engine is hidden there)
tests/container  real images and crrun, no HTTP server
tests/e2e        real servers, containers, Redis, SMTP, browser; installed/ for the
                 deployed setup
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docker
import pytest

from tests.helpers import RunningServer, settings_for, start_server, unavailable

NEEDED_IMAGES = ("coderunner/python", "coderunner/c", "coderunner/cpp")


def docker_problem() -> str | None:
    try:
        client = docker.from_env(timeout=10)
        client.ping()
        missing = [name for name in NEEDED_IMAGES if not client.images.list(name=name)]
        client.close()
    except Exception as exc:
        return f"Docker engine unreachable: {exc}"
    if missing:
        return f"images not built: {', '.join(missing)} (run images/build.sh)"
    return None


@pytest.fixture(scope="session")
def docker_ready() -> None:
    problem = docker_problem()
    if problem is not None:
        unavailable(problem)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if isinstance(item, pytest.Function) and item.get_closest_marker("docker"):
            item.fixturenames.insert(0, "docker_ready")


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Callable[..., RunningServer]]:
    started: list[RunningServer] = []

    def make(**sections: dict[str, Any]) -> RunningServer:
        running = start_server(settings_for(tmp_path / f"s{len(started)}", **sections))
        started.append(running)
        return running

    yield make
    for running in started:
        running.stop()
