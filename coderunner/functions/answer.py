"""The /functionTest answer (SPEC §10) from the analyzer's output (pure).

Each case is one run of the ordinary pipeline; its verdict comes first from the run
(CE, IE, MLE, TLE, OLE, as for /isolatedTest), then from the harness's record: the
exception text (RE), a value of the wrong type (RE with a message), else the
server's comparison with the expected value (AC/WA). The expected values are only
ever here, never in the container.
"""

from __future__ import annotations

import signal as signals
from typing import Any

from .. import analyzer
from ..analyzer import RunRecord, SessionOutput
from . import record
from .compare import equal
from .request import FunctionJob
from .types import check, normalize, to_json

STDERR_HEAD = 400


def _signal_name(number: int) -> str:
    try:
        return f"{number} ({signals.Signals(number).name})"
    except ValueError:
        return str(number)


def _crash(run: RunRecord, rec: record.Record | None, stderr: bytes) -> str:
    if rec is not None and not rec.ok:
        return rec.error
    how = (
        f"the program was killed by signal {_signal_name(run.signal)}"
        if run.signal
        else f"the program exited with code {run.exit}"
    )
    if rec is not None:
        how += " after the function returned"
    tail = analyzer.text(stderr[:STDERR_HEAD]).strip()
    return f"{how}: {tail}" if tail else how


def case_result(
    job: FunctionJob,
    index: int,
    run: RunRecord | None,
    stdout: bytes,
    stderr: bytes,
    *,
    compile_failed: bool,
    time_limit_ms: int,
    memory_limit_mb: int,
    internal_error: str | None = None,
) -> dict[str, Any]:
    expected = to_json(job.cases[index].expected)
    case: dict[str, Any] = {
        "status": "CE",
        "actual": None,
        "expected": expected,
        "error": None,
        "stdout": "",
        "timeMs": 0.0,
    }
    if compile_failed:
        return case
    if internal_error or run is None or run.error != "-":
        case["status"] = "IE"
        case["error"] = internal_error or (
            f"supervisor error: {run.error}" if run else "the case did not run"
        )
        return case
    rec = record.parse(stdout)
    if rec is not None:
        case["stdout"] = analyzer.text(rec.before + rec.prints + rec.after)
        if rec.prints_truncated:
            case["stdout"] += "\n[coderunner] the function's output was truncated\n"
        case["timeMs"] = round(rec.elapsed_us / 1000, 3)
    else:
        case["stdout"] = analyzer.text(stdout)
        case["timeMs"] = round(run.wall_ms, 1)
    status = analyzer.verdict(
        run,
        compile_failed=False,
        time_limit_ms=time_limit_ms,
        memory_limit_mb=memory_limit_mb,
        stdout="",
        expected=None,
    )
    if status is analyzer.Status.MLE:
        case.update(status="MLE", error=f"memory limit exceeded ({memory_limit_mb} MB)")
    elif status is analyzer.Status.TLE:
        case.update(status="TLE", error=f"time limit exceeded ({time_limit_ms} ms of CPU)")
    elif status is analyzer.Status.OLE:
        case.update(status="OLE", error="output limit exceeded (the value and the prints)")
    elif status is analyzer.Status.RE:
        case.update(status="RE", error=_crash(run, rec, stderr))
    elif rec is None:
        case.update(
            status="RE",
            error="the program ended before the function returned "
            f"(exit code {run.exit}): did the function exit?",
        )
    elif not rec.ok:
        case.update(status="RE", error=rec.error)
    else:
        returns = job.signature.returns
        problem = check(rec.value, returns, reported=True)
        case["actual"] = to_json(rec.value)
        if problem is not None:
            case.update(status="RE", error=f"wrong return type: {problem}")
        else:
            actual = normalize(rec.value, returns)
            same = equal(actual, job.cases[index].expected, mode=job.mode, tolerance=job.tolerance)
            case["status"] = "AC" if same else "WA"
    return case


def build_answer(
    session_id: str,
    out: SessionOutput,
    job: FunctionJob,
    *,
    compiled: bool,
    time_limit_ms: int,
    memory_limit_mb: int,
    internal_error: str | None = None,
    unfinished: str | None = None,
) -> dict[str, Any]:
    """The /isolatedTest shape (one entry per case) plus "cases"; `stdout[i]` is what
    the function printed and `results[i].status` the case's verdict."""
    tests = len(job.cases)
    answer = analyzer.build_answer(
        session_id,
        out,
        tests=tests,
        compiled=compiled,
        time_limit_ms=time_limit_ms,
        memory_limit_mb=memory_limit_mb,
        expected=None,
        internal_error=internal_error,
        unfinished=unfinished,
    )
    failed = bool(answer["compilerErrors"]) or (
        compiled and internal_error is None and analyzer.compile_failed(out, compiled)
    )
    cases = []
    for i in range(tests):
        run = out.runs.get(i)
        case = case_result(
            job,
            i,
            run,
            out.stdout.get(i, b""),
            out.stderr.get(i, b""),
            compile_failed=failed,
            time_limit_ms=time_limit_ms,
            memory_limit_mb=memory_limit_mb,
            # A cancelled task: what finished keeps its verdict, the rest is IE.
            internal_error=internal_error or (unfinished if run is None else None),
        )
        cases.append(case)
        answer["results"][i]["status"] = case["status"]
        if case["status"] == "IE":
            answer["results"][i]["error"] = case["error"]
        answer["stdout"][i] = case["stdout"]
    answer["cases"] = cases
    return answer
