"""The helpers every test tier shares: loopback ports, polling, the unavailable() rule,
real coderunner servers (in-process uvicorn or a `coderunner serve` process), any ASGI
app on a real uvicorn server, and a webhook receiver. One home for each, so that a fix
(a longer start-up wait, a better timeout message) reaches every test.

Fixtures live in the conftest.py files; they build on these."""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal, NoReturn, TypeVar

import httpx
import pytest
import uvicorn
from starlette.types import ASGIApp

from coderunner.config import Settings, load_settings

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[1]

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


def free_port() -> int:
    """A loopback port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(
    predicate: Callable[[], T | Literal[False] | None],
    timeout: float = 30.0,
    what: str = "",
    interval: float = 0.05,
) -> T:
    """Poll `predicate` until it returns something truthy and return that; fail the
    test naming `what` after `timeout` seconds. Timeouts are generous on purpose: the
    machine is shared, and a test asserts the behaviour, not the speed."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(interval)


async def until(condition: Callable[[], Any], timeout: float = 30.0, what: str = "") -> None:
    """wait_until for async tests: yields to the event loop between polls. `condition`
    may be a coroutine function (a check that itself asks a server)."""
    deadline = time.monotonic() + timeout
    while not await _value(condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or condition}")
        await asyncio.sleep(0.02)


async def _value(result: Any) -> Any:
    return await result if inspect.isawaitable(result) else result


def toml_dump(config: dict[str, dict[str, Any]]) -> str:
    """Enough TOML for test configs (JSON strings and arrays are valid TOML)."""
    lines = []
    for section, values in config.items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            lines.append(f"{key} = {json.dumps(str(value) if isinstance(value, Path) else value)}")
        lines.append("")
    return "\n".join(lines)


# ---- coderunner servers ------------------------------------------------------------------


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
    return load_settings(None, **base)


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
        # The app handed to uvicorn.Config is ours (a Starlette app), whatever its type says.
        app: Any = self.server.config.app
        return app.state.coderunner

    def stop(self, *, drain: bool = True) -> None:
        """Stop the way SIGTERM stops `coderunner serve` (coderunner/serve.py): drain while
        still listening, so running sessions can post their callbacks, then exit.
        drain=False exits at once, like a second signal."""
        if drain and self.thread.is_alive() and self.server.servers:
            loop = self.server.servers[0].get_loop()
            grace = self.settings.server.shutdown_grace_s
            lifecycle = self.state.lifecycle

            async def drain_now() -> None:
                await lifecycle.drain()

            asyncio.run_coroutine_threadsafe(drain_now(), loop).result(grace + 30)
        self.server.should_exit = True
        self.thread.join(60)


def _run_uvicorn(app: ASGIApp, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    """`app` on 127.0.0.1:`port` in a thread of this process, started and listening."""
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.02)
    return server, thread


def start_server(settings: Settings, engine: Any = None) -> RunningServer:
    """The real coderunner app (create_app) on a real uvicorn server in this process."""
    from coderunner.app import create_app

    server, thread = _run_uvicorn(create_app(settings, engine=engine), settings.server.port)
    return RunningServer(settings, f"http://127.0.0.1:{settings.server.port}", server, thread)


def start_module_server(root: Path, **sections: dict[str, Any]) -> RunningServer:
    """The real server a module's end-to-end tests share: 2 concurrent containers, a
    64-place queue, no rate limit in the way; `sections` add or override settings."""
    base: dict[str, dict[str, Any]] = {
        "queue": {"max_concurrent": 2, "max_size": 64},
        "ratelimit": {"requests_per_minute": 100_000, "per_user_requests_per_minute": 100_000},
    }
    for section, values in sections.items():
        base.setdefault(section, {}).update(values)
    return start_server(settings_for(root, **base))


def wait_for_selftests(server: RunningServer, count: int, timeout: float = 300) -> Any:
    """/health once `count` languages have run their start-up self-test."""
    deadline = time.monotonic() + timeout
    with server.client() as client:
        while True:
            health = client.get("/health").json()
            if len(health["selftests"]) >= count:
                return health
            assert time.monotonic() < deadline, health
            time.sleep(0.5)


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
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    return proc, f"http://127.0.0.1:{port}"


def wait_serving(
    proc: subprocess.Popen[bytes], url: str, statuses: tuple[int, ...] = (200,), timeout: float = 60
) -> None:
    """Until the spawned server's /health answers one of `statuses`; kills it and
    raises when it exits or does not come up in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"coderunner serve exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code in statuses:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not come up")


# ---- any ASGI app, a webhook receiver --------------------------------------------------------


class Served:
    """An ASGI app on a real uvicorn server (loopback, free port, own thread)."""

    def __init__(self, app: ASGIApp) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server, self.thread = _run_uvicorn(app, self.port)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)


class WebhookReceiver:
    """A real webhook receiver on loopback that records what it got (204 to every
    POST). For scripted answers (errors, hangs, redirects) serve a Starlette app."""

    def __init__(self) -> None:
        self.got: list[tuple[dict[str, str], bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                data = self.rfile.read(int(self.headers["Content-Length"]))
                outer.got.append((dict(self.headers), data))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
