"""Command line: `coderunner serve [--config FILE]`, `coderunner worker [--config FILE]`
(takes tasks from Redis: coderunner/dispatch/workerapp.py), `coderunner check [--config FILE]`,
`coderunner run FILE --language L --input FILE...` (a client: see coderunner/runcmd.py)."""

from __future__ import annotations

import argparse
import os
import sys


def _report(problems: list[str]) -> int:
    """One line per problem on stderr; the exit status of a bad configuration."""
    for line in problems:
        print(f"coderunner: {line}", file=sys.stderr)
    return 2 if problems else 0


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
    # Only the server's commands pay for the settings, the checks and uvicorn.
    from . import check
    from .config import ConfigError, load_settings
    from .languages import LanguageError

    path = args.config or os.environ.get("CODERUNNER_CONFIG") or None
    try:
        settings = load_settings(path)
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
    from .serve import serve

    try:
        return serve(settings)
    except (ConfigError, LanguageError) as exc:
        return _report(str(exc).splitlines())


if __name__ == "__main__":
    sys.exit(main())
