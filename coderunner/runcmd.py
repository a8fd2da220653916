"""`coderunner run FILE --language L --input FILE... [--expected FILE...]`: submit a
task to a CodeRunner server, show each test's verdict as its `test` event arrives
(a live table in a terminal, one plain line per event when piped) and a summary.

Exit code: 0 when every test is OK or AC, 1 otherwise (or when the task failed or
was cancelled), 2 when the command could not do its job (files, server, HTTP error).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, TextIO

import httpx

from .client import Client, ClientError

PASSED = {"OK", "AC"}
STYLES = {
    "OK": "green",
    "AC": "green",
    "WA": "red",
    "RE": "red",
    "TLE": "yellow",
    "MLE": "yellow",
    "OLE": "yellow",
    "CE": "magenta",
    "IE": "magenta",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="source file to run")
    parser.add_argument("--language", "-l", required=True, help="language id (GET /languages)")
    parser.add_argument(
        "--input",
        "-i",
        type=Path,
        nargs="+",
        required=True,
        action="extend",
        help="stdin of each test, one file per test",
    )
    parser.add_argument(
        "--expected",
        "-e",
        type=Path,
        nargs="+",
        action="extend",
        help="expected output of each test (AC/WA verdicts), in --input order",
    )
    parser.add_argument(
        "--url",
        default=os.environ.get("CODERUNNER_URL", "http://127.0.0.1:8080"),
        help="server base URL (default: $CODERUNNER_URL or http://127.0.0.1:8080)",
    )
    parser.add_argument(
        "--token",
        default=os.environ.get("CODERUNNER_TOKEN") or None,
        help="bearer token (default: $CODERUNNER_TOKEN)",
    )
    parser.add_argument("--time-limit-ms", type=int, help="CPU time per test")
    parser.add_argument("--memory-limit-mb", type=int)


class Report:
    """What is known of each test so far; rendered as lines or as a table."""

    def __init__(self, count: int) -> None:
        self.rows: list[dict[str, Any] | None] = [None] * count
        self.status = "queued"
        self.compile_log = ""

    def test(self, data: dict[str, Any]) -> int:
        index = int(data["index"])
        result = data.get("result") or {}
        if isinstance(result, str):
            result = {"status": result}
        self.rows[index] = {**result, "stderr": data.get("stderr", "")}
        return index

    def finish(self, result: dict[str, Any] | None) -> list[int]:
        """Fill tests that got no event (e.g. CE) from the final result; their indexes."""
        filled = []
        for index, row in enumerate((result or {}).get("results") or []):
            if index < len(self.rows) and self.rows[index] is None:
                stderr = (result or {}).get("stderr") or []
                self.rows[index] = {**row, "stderr": stderr[index] if index < len(stderr) else ""}
                filled.append(index)
        return filled

    def line(self, index: int) -> str:
        row = self.rows[index] or {}
        parts = [f"test {index + 1}/{len(self.rows)}", f"{row.get('status', '?'):<3}"]
        if row.get("timeMs") is not None:
            parts.append(f"{row['timeMs']:.0f} ms")
        if row.get("memoryKb") is not None:
            parts.append(f"{row['memoryKb']} KB")
        note = _first_line(row.get("stderr", ""))
        if note and row.get("status") not in PASSED:
            parts.append(f"stderr: {note}")
        return "  ".join(parts)

    def passed(self) -> bool:
        return all(row is not None and row.get("status") in PASSED for row in self.rows)

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for row in self.rows:
            status = (row or {}).get("status", "missing")
            counts[status] = counts.get(status, 0) + 1
        ok = sum(n for status, n in counts.items() if status in PASSED)
        detail = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
        return f"{ok}/{len(self.rows)} passed ({detail})"

    def table(self) -> Any:
        from rich.table import Table

        table = Table(title=f"task {self.status}", title_justify="left")
        for name in ("test", "verdict", "time", "memory", "stderr"):
            table.add_column(name, justify="right" if name in ("time", "memory") else "left")
        for index, row in enumerate(self.rows):
            if row is None:
                table.add_row(str(index + 1), "[dim]…[/dim]", "", "", "")
                continue
            status = row.get("status", "?")
            time_ms = row.get("timeMs")
            table.add_row(
                str(index + 1),
                f"[{STYLES.get(status, 'white')}]{status}[/]",
                "" if time_ms is None else f"{time_ms:.0f} ms",
                "" if row.get("memoryKb") is None else f"{row['memoryKb']} KB",
                "" if status in PASSED else _first_line(row.get("stderr", "")),
            )
        return table


def _first_line(text: str, width: int = 60) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SystemExit(f"coderunner run: cannot read {path}: {exc}") from exc


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    expected = args.expected
    if expected is not None and len(expected) != len(args.input):
        print(
            f"coderunner run: {len(args.input)} --input but {len(expected)} --expected files",
            file=sys.stderr,
        )
        return 2
    try:
        code = _read(args.file)
        tests = [_read(path) for path in args.input]
        outputs = [_read(path) for path in expected] if expected else None
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    report = Report(len(tests))
    try:
        with Client(args.url, args.token) as client:
            task_id = client.submit(
                code,
                args.language,
                tests,
                outputs,
                time_limit_ms=args.time_limit_ms,
                memory_limit_mb=args.memory_limit_mb,
            )
            if out.isatty():
                task = _follow_live(client, task_id, report, out)
            else:
                task = _follow_plain(client, task_id, report, out)
    except ClientError as exc:
        print(f"coderunner run: {exc}", file=sys.stderr)
        return 2
    except httpx.HTTPError as exc:
        print(f"coderunner run: cannot reach {args.url}: {exc}", file=sys.stderr)
        return 2
    if task["status"] != "done":
        error = task.get("error") or {}
        print(
            f"task {task['status']}: {error.get('code', '')} {error.get('message', '')}".rstrip(),
            file=out,
        )
        return 1
    print(report.summary(), file=out)
    return 0 if report.passed() else 1


def _events(client: Client, task_id: str, report: Report) -> Any:
    """Apply each event to the report; yields (kind, index or payload)."""
    for event in client.events(task_id):
        kind, data = event["event"], event["data"]
        if kind == "status":
            report.status = data.get("status", report.status)
            yield "status", None
        elif kind == "compile":
            report.compile_log = data.get("log") or ""
            yield "compile", data
        elif kind == "test":
            yield "test", report.test(data)
        elif kind == "done":
            report.status = data.get("status", "done")
            yield "done", report.finish(data.get("result"))


def _follow_plain(client: Client, task_id: str, report: Report, out: TextIO) -> dict[str, Any]:
    print(f"task {task_id}", file=out, flush=True)
    for kind, value in _events(client, task_id, report):
        if kind == "compile" and not value.get("ok"):
            print("compilation failed:\n" + report.compile_log.rstrip(), file=out, flush=True)
        elif kind == "test":
            print(report.line(value), file=out, flush=True)
        elif kind == "done":
            for index in value:
                print(report.line(index), file=out, flush=True)
    # The stored task is the authority (and covers a stream that ended early).
    return client.wait(task_id)


def _follow_live(client: Client, task_id: str, report: Report, out: TextIO) -> dict[str, Any]:
    from rich.console import Console
    from rich.live import Live

    console = Console(file=out)
    console.print(f"task {task_id}")
    with Live(report.table(), console=console, refresh_per_second=8) as live:
        for kind, value in _events(client, task_id, report):
            if kind == "compile" and not value.get("ok"):
                console.print("[magenta]compilation failed[/]")
                console.print(report.compile_log.rstrip(), markup=False, highlight=False)
            live.update(report.table())
    return client.wait(task_id)
