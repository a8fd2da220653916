"""Command line: `coderunner serve [--config FILE]`, `coderunner check [--config FILE]`."""

from __future__ import annotations

import argparse
import os
import sys

from .config import ConfigError, Settings, load_settings


def _settings(path: str | None) -> Settings:
    return load_settings(path or os.environ.get("CODERUNNER_CONFIG") or None)


def serve(settings: Settings) -> None:
    import uvicorn

    from .app import create_app

    uvicorn.run(
        create_app(settings),
        host=settings.server.host,
        port=settings.server.port,
        log_level="info",
        # In-flight sessions get the grace period, then the lifespan answers them IE.
        timeout_graceful_shutdown=int(settings.server.shutdown_grace_s) + 1,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="coderunner")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("serve", "run the server in the foreground"),
                       ("check", "validate the configuration and exit")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--config", help="TOML file (default: $CODERUNNER_CONFIG, else none)")
    args = parser.parse_args(argv)
    try:
        settings = _settings(args.config)
    except ConfigError as exc:
        print(f"coderunner: {exc}", file=sys.stderr)
        return 2
    if args.command == "check":
        print("configuration ok")
        return 0
    serve(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
