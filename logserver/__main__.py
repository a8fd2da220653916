"""Command line: `logserver serve [--config FILE]` (also `python -m logserver serve`)."""

from __future__ import annotations

import argparse
import logging
import sys

import uvicorn

from logserver.app import create_app
from logserver.config import ConfigError, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="logserver", description="CodeRunner log server: event store and alarm mails."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the server in the foreground")
    serve.add_argument(
        "--config", metavar="FILE", help="config.toml (sections [logserver], [smtp], [alarms])"
    )
    args = parser.parse_args(argv)

    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"logserver: {exc}", file=sys.stderr)
        return 2

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    uvicorn.run(
        create_app(settings),
        host=settings.logserver.host,
        port=settings.logserver.port,
        # The peer address decides trust: never take it from X-Forwarded-For.
        proxy_headers=False,
        server_header=False,
        log_config=None,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
