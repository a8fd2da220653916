"""Command line: `logserver serve [--config FILE]` (also `python -m logserver serve`),
`logserver check [--config FILE]`."""

from __future__ import annotations

import argparse
import sys

import uvicorn

from logserver.app import create_app
from logserver.config import ConfigError, load_settings
from plumbing.logs import log_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="logserver", description="CodeRunner log server: event store and alarm mails."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("serve", "run the server in the foreground"),
        ("check", "validate the configuration ([logserver], [smtp], [alarms]) and exit"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument(
            "--config", metavar="FILE", help="config.toml (sections [logserver], [smtp], [alarms])"
        )
    args = parser.parse_args(argv)

    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"logserver: {exc}", file=sys.stderr)
        return 2
    if args.command == "check":
        print("configuration ok")
        return 0

    # uvicorn handles SIGTERM/SIGINT: stop accepting, finish the requests in
    # flight (each POST answers only after its commit), then the lifespan stops
    # the mailer and closes the store. It then re-raises the signal, so the
    # process ends "killed by SIGTERM", which systemd counts as a clean stop.
    uvicorn.run(
        create_app(settings),
        host=settings.logserver.host,
        port=settings.logserver.port,
        # The peer address decides trust: never take it from X-Forwarded-For.
        proxy_headers=False,
        server_header=False,
        # One JSON object per line on stdout (journald keeps them as they are).
        log_config=log_config(),
        timeout_graceful_shutdown=10,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
