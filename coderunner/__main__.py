"""Command line: `coderunner serve [--config FILE]`, `coderunner worker [--config FILE]`
(takes tasks from Redis: coderunner/dispatch/workerapp.py), `coderunner check [--config FILE]`,
`coderunner run FILE --language L --input FILE...` (a client: see coderunner/runcmd.py)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import Any

import uvicorn

from . import check
from .config import ConfigError, Settings, load_settings
from .languages import LanguageError


def _settings(path: str | None) -> Settings:
    return load_settings(path)


def _report(problems: list[str]) -> int:
    """One line per problem on stderr; the exit status of a bad configuration."""
    for line in problems:
        print(f"coderunner: {line}", file=sys.stderr)
    return 2 if problems else 0


def serve(settings: Settings) -> int:
    from plumbing.logs import log_config

    from .app import create_app

    try:
        # The rules are compiled here (not twice): their errors read as in `check`.
        app = create_app(settings)
    except (ConfigError, LanguageError) as exc:
        return _report(str(exc).splitlines())
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="coderunner")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("serve", "run the server in the foreground"),
        ("worker", "take tasks from Redis (dispatch.url) and run them here"),
        ("check", "validate the configuration, language files and rules, and exit"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--config", help="TOML file (default: $CODERUNNER_CONFIG, else none)")
    from . import runcmd

    runcmd.add_arguments(sub.add_parser("run", help="run a file on a server, streaming verdicts"))
    args = parser.parse_args(argv)
    if args.command == "run":
        return runcmd.run(args)
    path = args.config or os.environ.get("CODERUNNER_CONFIG") or None
    try:
        settings = _settings(path)
    except ConfigError as exc:
        return _report([str(exc)])
    if args.command == "check":
        found = check.problems(settings)
        if not found:
            print("configuration, language files and rules ok")
        return _report(found)
    # A broken language file stops the start with the lines `check` prints.
    found = check.language_problems(settings)
    if found:
        return _report(found)
    if args.command == "worker":
        from .dispatch.workerapp import run_worker

        run_worker(settings)
        return 0
    return serve(settings)


if __name__ == "__main__":
    sys.exit(main())
