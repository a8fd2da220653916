"""The unit tier needs no Docker engine, and proves it: every test under tests/unit
sees an engine address where nothing listens (package scope: the other tiers keep the
real one), so a test that quietly started containers (the warm pool of a default
server, say) fails or finds no language instead of passing slowly."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

NO_ENGINE = "unix:///nonexistent/coderunner-unit-tests/docker.sock"


@pytest.fixture(autouse=True, scope="package")
def _no_docker_engine() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOCKER_HOST", NO_ENGINE)
        yield
