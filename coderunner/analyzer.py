"""The log analyzer: session output files -> the client's answer.

Two halves. `read_output` is the only code that touches the files the untrusted
program could have tampered with: it opens them relative to the output directory,
refuses symlinks and anything but regular files, and reads at most the caps. The
rest is pure functions from those bytes to verdicts.
"""

from __future__ import annotations

import enum
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Bytes of one testCaseLog line, generously (the file is read at most this per test).
RESULT_LINE_CAP = 512


class Status(enum.StrEnum):
    OK = "OK"
    AC = "AC"
    WA = "WA"
    RE = "RE"
    TLE = "TLE"
    MLE = "MLE"
    OLE = "OLE"
    CE = "CE"
    IE = "IE"


@dataclass(frozen=True)
class RunRecord:
    """One crrun result line, parsed (docs/DESIGN.md §3)."""

    exit: int = 0
    signal: int = 0
    cpu_ms: float = 0.0
    wall_ms: float = 0.0
    maxrss_kb: int = 0
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    timeout: str = "none"
    oom: bool = False
    ole: bool = False
    error: str = "-"

    @property
    def failed(self) -> bool:
        return (
            self.error != "-"
            or self.timeout != "none"
            or self.ole
            or self.oom
            or (self.exit != 0 or self.signal != 0)
        )


@dataclass
class SessionOutput:
    compile_log: bytes = b""
    compile: RunRecord | None = None
    runs: dict[int, RunRecord] = field(default_factory=dict)
    stdout: dict[int, bytes] = field(default_factory=dict)
    stderr: dict[int, bytes] = field(default_factory=dict)
    handler: dict[str, str] = field(default_factory=dict)


def parse_record(line: str) -> RunRecord | None:
    fields: dict[str, str] = {}
    for part in line.split():
        key, sep, value = part.partition("=")
        if sep:
            fields[key] = value
    try:
        return RunRecord(
            exit=int(fields.get("exit", "0")),
            signal=int(fields.get("signal", "0")),
            cpu_ms=float(fields.get("cpu_ms", "0")),
            wall_ms=float(fields.get("wall_ms", "0")),
            maxrss_kb=int(fields.get("maxrss_kb", "0")),
            stdout_truncated=fields.get("stdout_truncated") == "1",
            stderr_truncated=fields.get("stderr_truncated") == "1",
            timeout=fields.get("timeout", "none"),
            oom=fields.get("oom") == "1",
            ole=fields.get("ole") == "1",
            error=fields.get("error", "-"),
        )
    except ValueError:
        return None


def parse_testcase_log(text: str, tests: int) -> dict[int, RunRecord]:
    """`<index> <record>` lines; the first line for an index wins (a program cannot
    append a forged line for a test that already finished), out-of-range ignored."""
    runs: dict[int, RunRecord] = {}
    for line in text.splitlines():
        index, _, rest = line.partition(" ")
        if not index.isdigit() or int(index) >= tests or int(index) in runs:
            continue
        record = parse_record(rest)
        if record is not None:
            runs[int(index)] = record
    return runs


def parse_kv(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip()] = value.strip()
    return values


def outputs_match(actual: str, expected: str) -> bool:
    """Ignore trailing whitespace on each line and trailing blank lines."""

    def norm(text: str) -> list[str]:
        lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        return lines

    return norm(actual) == norm(expected)


def verdict(
    run: RunRecord | None,
    *,
    compile_failed: bool,
    time_limit_ms: int,
    memory_limit_mb: int,
    stdout: str,
    expected: str | None,
) -> Status:
    if compile_failed:
        return Status.CE
    if run is None or run.error != "-":
        return Status.IE
    if run.oom or run.maxrss_kb > memory_limit_mb * 1024:
        return Status.MLE
    if run.timeout != "none" or run.cpu_ms > time_limit_ms:
        return Status.TLE
    if run.ole:
        return Status.OLE
    if run.signal or run.exit != 0:
        return Status.RE
    if expected is not None:
        return Status.AC if outputs_match(stdout, expected) else Status.WA
    return Status.OK


def text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def compile_failed(out: SessionOutput, compiled: bool) -> bool:
    # No compile record at all means the container never got that far: that is an
    # internal error (IE per test), not the user's compile error.
    return compiled and out.compile is not None and out.compile.failed


def compiler_message(out: SessionOutput) -> str:
    message = text(out.compile_log)
    rec = out.compile
    if rec is None:
        return message or "compilation did not run"
    # The compile step only truncates its log (crrun --truncate-only): the
    # truncation is told whatever else stopped the compiler.
    if rec.ole or rec.stdout_truncated or rec.stderr_truncated:
        message += "\n[coderunner] compiler output truncated: log limit exceeded\n"
    if rec.oom:  # before the time limit, as in the verdicts (an OOM kill may come late)
        message += "\n[coderunner] compilation stopped: memory limit exceeded\n"
    elif rec.timeout != "none":
        message += "\n[coderunner] compilation stopped: time limit exceeded\n"
    elif rec.signal:
        message += f"\n[coderunner] compiler killed by signal {rec.signal}\n"
    return message


def test_result(
    run: RunRecord | None,
    stdout: bytes,
    *,
    time_limit_ms: int,
    memory_limit_mb: int,
    expected: str | None,
    compile_failed: bool = False,
    internal_error: str | None = None,
    out: SessionOutput | None = None,
) -> dict[str, Any]:
    """One entry of `results` (SPEC section 2); also the `test` event's `result`."""
    status = verdict(
        run,
        compile_failed=compile_failed,
        time_limit_ms=time_limit_ms,
        memory_limit_mb=memory_limit_mb,
        stdout=text(stdout),
        expected=expected,
    )
    time_ms = round(run.wall_ms, 1) if run else 0.0
    result: dict[str, Any] = {
        "status": str(status),
        "exitCode": run.exit if run and run.exit >= 0 and not run.signal else None,
        "signal": run.signal if run and run.signal else None,
        "timeMs": time_ms,
        "cpuMs": round(run.cpu_ms, 1) if run else 0.0,
        "memoryKb": run.maxrss_kb if run else 0,
        "stdoutTruncated": bool(run and run.stdout_truncated),
        "stderrTruncated": bool(run and run.stderr_truncated),
    }
    if status is Status.IE:
        result["error"] = internal_error or _ie_reason(out or SessionOutput(), run)
    return result


def build_answer(
    session_id: str,
    out: SessionOutput,
    *,
    tests: int,
    compiled: bool,
    time_limit_ms: int,
    memory_limit_mb: int,
    expected: list[str] | None,
    internal_error: str | None = None,
    unfinished: str | None = None,
) -> dict[str, Any]:
    """The 200 body of POST /isolatedTest (SPEC §2): one entry per test, in order.

    internal_error: every test IE with this reason (the session failed).
    unfinished: the tests that have a result keep it, the others are IE with this
    reason (a cancelled task)."""
    failed = compile_failed(out, compiled) and internal_error is None
    answer: dict[str, Any] = {
        "sessionId": session_id,
        "compilerErrors": compiler_message(out) if failed else "",
        "stdout": [],
        "stderr": [],
        "timestamps": [],
        "results": [],
    }
    for i in range(tests):
        run = None if internal_error else out.runs.get(i)
        stdout = out.stdout.get(i, b"") if run else b""
        result = test_result(
            run,
            stdout,
            time_limit_ms=time_limit_ms,
            memory_limit_mb=memory_limit_mb,
            expected=None if expected is None else expected[i],
            compile_failed=failed,
            internal_error=internal_error or (unfinished if run is None else None),
            out=out,
        )
        answer["stdout"].append(text(stdout))
        answer["stderr"].append(text(out.stderr.get(i, b"")) if run else "")
        answer["timestamps"].append(result["timeMs"])
        answer["results"].append(result)
    return answer


def _ie_reason(out: SessionOutput, run: RunRecord | None) -> str:
    if run is not None:
        return f"supervisor error: {run.error}"
    if out.handler.get("error"):
        return f"container failed: {out.handler['error']}"
    return "the test did not run (container ended early)"


# ---- the file side -------------------------------------------------------------


def _read_capped(dir_fd: int, name: str, cap: int) -> bytes | None:
    """A regular file in the directory, never through a symlink, at most `cap` bytes."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks, left = [], cap
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _open_output(session_dir: Path) -> int | None:
    """The session's output/ directory, opened (None: it is not there)."""
    try:
        # The session dir is ours; output/ inside it could have been swapped for a
        # symlink only by us, but refuse one anyway.
        return os.open(session_dir / "output", os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None


def _read_runs(dir_fd: int, tests: int) -> dict[int, RunRecord]:
    """The finished runs that testCaseLog lists so far."""
    log = _read_capped(dir_fd, "testCaseLog", RESULT_LINE_CAP * (tests + 1)) or b""
    return parse_testcase_log(log.decode("ascii", "replace"), tests)


def read_output(session_dir: Path, *, tests: int, max_output: int, max_log: int) -> SessionOutput:
    """Read what the container left. Blocking I/O: call in a worker thread."""
    out = SessionOutput()
    dir_fd = _open_output(session_dir)
    if dir_fd is None:
        return out
    try:
        out.compile_log = _read_capped(dir_fd, "logCompile", max_log) or b""
        record = _read_capped(dir_fd, "compile.result", 4096)
        out.compile = parse_record(record.decode("ascii", "replace")) if record else None
        out.runs = _read_runs(dir_fd, tests)
        for i in out.runs:
            out.stdout[i] = _read_capped(dir_fd, f"{i}.out", max_output) or b""
            out.stderr[i] = _read_capped(dir_fd, f"{i}.err", max_output) or b""
    finally:
        os.close(dir_fd)
    status = session_dir / "handler.status"
    if status.is_file() and not status.is_symlink():
        out.handler = parse_kv(status.read_text(encoding="utf-8", errors="replace")[:4096])
    return out


@dataclass
class Progress:
    """What has finished so far in a running session (live events)."""

    compile: RunRecord | None = None
    compile_log: bytes = b""
    runs: list[tuple[int, RunRecord, bytes, bytes]] = field(default_factory=list)


def read_progress(
    session_dir: Path,
    *,
    tests: int,
    max_output: int,
    max_log: int,
    seen: set[int],
    compile_seen: bool,
) -> Progress:
    """The compile result and the tests finished since the last call (indexes not in
    `seen`), read with the same careful capped reader as `read_output`. Blocking I/O.

    PID 1 appends a test's line to testCaseLog once its run is over and its output
    files are complete. While a later test runs, its program could write into output/
    too: what this reads is provisional, the final answer (read after the container
    has ended, PID 1 having rewritten testCaseLog) is authoritative."""
    progress = Progress()
    dir_fd = _open_output(session_dir)
    if dir_fd is None:
        return progress
    try:
        if not compile_seen:
            record = _read_capped(dir_fd, "compile.result", 4096)
            if record:
                progress.compile = parse_record(record.decode("ascii", "replace"))
                progress.compile_log = _read_capped(dir_fd, "logCompile", max_log) or b""
        runs = _read_runs(dir_fd, tests)
        for i in sorted(set(runs) - seen):
            stdout = _read_capped(dir_fd, f"{i}.out", max_output) or b""
            stderr = _read_capped(dir_fd, f"{i}.err", max_output) or b""
            progress.runs.append((i, runs[i], stdout, stderr))
    finally:
        os.close(dir_fd)
    return progress
