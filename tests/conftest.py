"""Shared fixtures: real uvicorn servers on loopback, fresh directories per test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import docker
import httpx
import pytest
import uvicorn

from coderunner.config import Settings, load_settings

# CI (and `install.sh --test`) set this: there a missing engine, image or tool
# is a failure, never a skip.
REQUIRE_DOCKER = os.environ.get("CODERUNNER_REQUIRE_DOCKER") == "1"
STRICT = REQUIRE_DOCKER or bool(os.environ.get("CI"))


def unavailable(problem: str) -> NoReturn:
    """A part this test needs is missing: fail where everything must run (CI,
    `install.sh --test`), skip on a developer's machine."""
    if STRICT:
        pytest.fail(f"required here (CI / CODERUNNER_REQUIRE_DOCKER=1): {problem}")
    pytest.skip(problem)
REPO = Path(__file__).resolve().parents[1]
NEEDED_IMAGES = ("coderunner/python", "coderunner/c", "coderunner/cpp")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def spawn_coderunner(tmp_path: Path, **env: str) -> tuple[subprocess.Popen[bytes], str]:
    """A real `coderunner serve` process on a free loopback port with its own session
    root and spool (no log server listens); `env` adds or overrides variables.
    Returns the process (output piped) and its base URL; the caller waits for it."""
    port = free_port()
    full = {
        **os.environ,
        "CODERUNNER_SERVER__PORT": str(port),
        "CODERUNNER_SESSIONS__ROOT": str(tmp_path / "sessions"),
        "CODERUNNER_TASKS__DATABASE": str(tmp_path / "tasks" / "tasks.db"),
        "CODERUNNER_LOGGING__LOG_FILE": str(tmp_path / "spool" / "events.jsonl"),
        "CODERUNNER_LOGGING__SERVER_URL": f"http://127.0.0.1:{free_port()}",
        "CODERUNNER_PROBLEMS__DATABASE": str(tmp_path / "problems" / "problems.db"),
        **env,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "coderunner", "serve", "--config", str(REPO / "config.toml")],
        env=full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    return proc, f"http://127.0.0.1:{port}"


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
        if item.get_closest_marker("docker"):
            item.fixturenames.insert(0, "docker_ready")


@dataclass
class RunningServer:
    settings: Settings
    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=120, **kwargs)

    @property
    def state(self) -> Any:
        return self.server.config.app.state.coderunner

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(60)


def settings_for(tmp_path: Path, **sections: dict[str, Any]) -> Settings:
    """Settings for one test: its own session root, spool and an unused log server."""
    port = free_port()
    base: dict[str, dict[str, Any]] = {
        "server": {"port": port},
        "sessions": {"root": str(tmp_path / "sessions")},
        "tasks": {"database": str(tmp_path / "tasks" / "tasks.db")},
        "problems": {"database": str(tmp_path / "problems" / "problems.db")},
        # Tests start many servers; the start-up self-test has its own test.
        "docker": {"selftest_at_start": False},
        "logging": {
            "log_file": str(tmp_path / "spool" / "events.jsonl"),
            # Nothing listens here unless a test starts a log server on it.
            "server_url": f"http://127.0.0.1:{free_port()}",
        },
    }
    for section, values in sections.items():
        base.setdefault(section, {}).update(values)
    return load_settings(**base)


def start_server(settings: Settings, engine: Any = None) -> RunningServer:
    from coderunner.app import create_app

    config = uvicorn.Config(
        create_app(settings, engine=engine),
        host="127.0.0.1",
        port=settings.server.port,
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.02)
    return RunningServer(settings, f"http://127.0.0.1:{settings.server.port}", server, thread)


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
