"""The analyzer's pure half (verdicts, parsing) and its file half (caps, symlinks)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coderunner import analyzer
from coderunner.analyzer import RunRecord, Status, verdict

OK_LINE = (
    "exit=0 signal=0 cpu_ms=3.5 wall_ms=4.25 maxrss_kb=900 stdout_bytes=2 stderr_bytes=0 "
    "stdout_truncated=0 stderr_truncated=0 timeout=none oom=0 ole=0 error=-"
)


@pytest.mark.parametrize(
    ("record", "expected", "status"),
    [
        (RunRecord(), None, Status.OK),
        (RunRecord(), "out\n", Status.AC),
        (RunRecord(), "other", Status.WA),
        (RunRecord(exit=1), None, Status.RE),
        (RunRecord(exit=-1, signal=11), None, Status.RE),
        (RunRecord(timeout="cpu", exit=-1, signal=9), None, Status.TLE),
        (RunRecord(timeout="wall", exit=-1, signal=9), None, Status.TLE),
        (RunRecord(cpu_ms=1500.0), None, Status.TLE),
        (RunRecord(ole=True, exit=-1, signal=9), None, Status.OLE),
        (RunRecord(oom=True, exit=-1, signal=9), None, Status.MLE),
        (RunRecord(maxrss_kb=300 * 1024), None, Status.MLE),
        (RunRecord(error="exec_failed"), None, Status.IE),
        (None, None, Status.IE),
    ],
)
def test_verdicts(record: RunRecord | None, expected: str | None, status: Status) -> None:
    got = verdict(
        record,
        compile_failed=False,
        time_limit_ms=1000,
        memory_limit_mb=256,
        stdout="out\n",
        expected=expected,
    )
    assert got is status


def test_compile_failure_wins_over_everything() -> None:
    got = verdict(
        RunRecord(),
        compile_failed=True,
        time_limit_ms=1,
        memory_limit_mb=1,
        stdout="",
        expected=None,
    )
    assert got is Status.CE


@pytest.mark.parametrize(
    ("actual", "expected", "match"),
    [
        ("1 2\n3\n", "1 2\n3", True),
        ("1 2   \n3\t\n\n\n", "1 2\n3\n", True),
        ("1 2\r\n3\r\n", "1 2\n3\n", True),
        ("1  2\n", "1 2\n", False),
        ("\n1\n", "1\n", False),
        ("", "\n\n", True),
        ("1\n2\n", "1\n", False),
    ],
)
def test_output_comparison_rule(actual: str, expected: str, match: bool) -> None:
    assert analyzer.outputs_match(actual, expected) is match


def test_testcase_log_first_line_per_index_wins_and_out_of_range_is_ignored() -> None:
    forged = OK_LINE.replace("exit=0", "exit=9")
    text = f"0 {OK_LINE}\n0 {forged}\n7 {OK_LINE}\ngarbage\n1 {forged}\n"
    runs = analyzer.parse_testcase_log(text, tests=2)
    assert set(runs) == {0, 1}
    assert runs[0].exit == 0 and runs[1].exit == 9
    assert runs[0].wall_ms == 4.25 and runs[0].maxrss_kb == 900


def write_output(tmp_path: Path, files: dict[str, bytes]) -> Path:
    session = tmp_path / "session"
    (session / "output").mkdir(parents=True)
    for name, data in files.items():
        (session / "output" / name).write_bytes(data)
    return session


def test_read_output_caps_every_file(tmp_path: Path) -> None:
    session = write_output(
        tmp_path,
        {
            "testCaseLog": f"0 {OK_LINE}\n".encode(),
            "0.out": b"x" * 10_000,
            "0.err": b"e" * 10_000,
            "logCompile": b"c" * 10_000,
        },
    )
    out = analyzer.read_output(session, tests=1, max_output=100, max_log=50)
    assert out.stdout[0] == b"x" * 100 and out.stderr[0] == b"e" * 100
    assert out.compile_log == b"c" * 50


def test_read_output_never_follows_symlinks(tmp_path: Path) -> None:
    secret = tmp_path / "host-secret"
    secret.write_text("TOP SECRET")
    session = write_output(tmp_path, {"testCaseLog": f"0 {OK_LINE}\n".encode()})
    os.symlink(secret, session / "output" / "0.out")
    os.symlink(secret, session / "output" / "logCompile")
    os.mkfifo(session / "output" / "0.err")  # a FIFO must not block the reader
    out = analyzer.read_output(session, tests=1, max_output=100, max_log=100)
    assert out.stdout[0] == b"" and out.stderr[0] == b"" and out.compile_log == b""
    assert secret.read_text() == "TOP SECRET"


def test_build_answer_for_ce_and_ie() -> None:
    out = analyzer.SessionOutput(
        compile_log=b"error: nope\n", compile=analyzer.parse_record("exit=1 signal=0")
    )
    ce = analyzer.build_answer(
        "s", out, tests=2, compiled=True, time_limit_ms=1, memory_limit_mb=1, expected=None
    )
    assert [r["status"] for r in ce["results"]] == ["CE", "CE"]
    assert ce["compilerErrors"] == "error: nope\n"
    ie = analyzer.build_answer(
        "s",
        analyzer.SessionOutput(),
        tests=1,
        compiled=False,
        time_limit_ms=1,
        memory_limit_mb=1,
        expected=None,
        internal_error="watchdog: x",
    )
    assert ie["results"][0]["status"] == "IE" and ie["results"][0]["error"] == "watchdog: x"
    assert ie["stdout"] == [""] and ie["timestamps"] == [0.0]
