"""`coderunner serve`: the app on uvicorn, draining on SIGTERM before the usual shutdown.

Its own module so that the other commands (`run` above all, a client) do not import
uvicorn and the server's settings to start."""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn

from plumbing.logs import log_config

from .app import create_app
from .config import Settings


def serve(settings: Settings) -> int:
    # The rules are compiled here (not twice): their errors (ConfigError,
    # LanguageError) reach the command line, which prints them as `check` does.
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.server.host,
        port=settings.server.port,
        log_config=log_config(),
        # The peer address decides trust: uvicorn's default would believe any
        # X-Forwarded-For from loopback. Only `server.proxies` (plumbing.http) may.
        proxy_headers=False,
        # The drain below already waited; what still runs is answered IE.
        timeout_graceful_shutdown=5,
    )
    DrainingServer(config, app.state.coderunner).run()
    return 0


class DrainingServer(uvicorn.Server):
    """SIGTERM/SIGINT: first stop admitting (503) and let running sessions finish
    within `server.shutdown_grace_s`, then the usual uvicorn shutdown, whose
    lifespan answers whatever is left with IE. A second signal exits at once."""

    def __init__(self, config: Any, state: Any) -> None:
        super().__init__(config)
        self.state = state
        self._draining: asyncio.Task[None] | None = None

    def handle_exit(self, sig: int, frame: Any) -> None:
        if self._draining is not None or not self.started:
            super().handle_exit(sig, frame)
            return
        self._draining = asyncio.get_event_loop().create_task(self._drain())

    async def _drain(self) -> None:
        # The lifecycle's one drain: the lifespan's shutdown waits for this same one.
        await self.state.lifecycle.drain()
        self.should_exit = True
