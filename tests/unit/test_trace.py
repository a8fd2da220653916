"""The trace kind's pure parts (coderunner/harness/trace.py) and the tracer's value
encoder (images/common/harness/tracer.py) without Docker. The tracer in the real
image, through the real pipeline: tests/e2e/test_trace.py."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from coderunner.analyzer import RunRecord, SessionOutput
from coderunner.config import load_settings
from coderunner.errors import InvalidRequest, UnsupportedLanguage
from coderunner.harness import trace
from coderunner.kinds import KINDS
from coderunner.languages import load_language
from tests.helpers import REPO

TRACER = REPO / "images" / "common" / "harness" / "tracer.py"


def _tracer_module() -> Any:
    spec = importlib.util.spec_from_file_location("cr_tracer", TRACER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tracer = _tracer_module()
PYTHON = load_language(REPO / "images" / "python", "coderunner/")


def step_line(n: int, line: int = 1) -> str:
    return json.dumps(
        {
            "step": n,
            "line": line,
            "event": "line",
            "functionScope": [],
            "localChanges": {},
            "globalChanges": {},
        }
    )


def output(*lines: str, tail: str = "") -> bytes:
    return ("".join(line + "\n" for line in lines) + tail).encode()


def session(stdout: bytes, record: RunRecord | None = None, stderr: bytes = b"") -> SessionOutput:
    out = SessionOutput()
    if record is not None:
        out.runs[0] = record
        out.stdout[0] = stdout
        out.stderr[0] = stderr
    return out


def answer(out: SessionOutput, **kw: Any) -> dict[str, Any]:
    body = trace.parse_request(b'{"code": "x = 1"}')
    return trace.answer("s1", out, body, memory_limit_mb=256, **kw)


# ---- request and prepare ----------------------------------------------------------


def test_prepare_appends_the_tracers_numbers_to_the_recipe() -> None:
    settings = load_settings()
    body = trace.parse_request(b'{"code": "print(1)", "stdin": "5\\n", "maxSteps": 20}')
    prepared = trace.prepare(body, PYTHON, settings)
    lim = settings.limits
    assert prepared.run == (
        f"python3 -B -I /opt/coderunner/harness/trace.py source.py "
        f"20 {lim.max_output_bytes} {lim.max_trace_bytes}"
    )
    assert prepared.files == {"source.py": b"print(1)"}
    assert prepared.tests == [b"5\n"]
    assert prepared.max_output_bytes == lim.max_trace_bytes
    assert KINDS["trace"].name == "trace"


def test_max_steps_default_and_cap() -> None:
    settings = load_settings()
    body = trace.parse_request(b'{"code": "x = 1"}')
    assert trace.prepare(body, PYTHON, settings).extra["maxSteps"] == 1000
    too_many = trace.parse_request(b'{"code": "x = 1", "maxSteps": 10001}')
    with pytest.raises(InvalidRequest, match="max_trace_steps"):
        trace.prepare(too_many, PYTHON, settings)


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "empty"),
        (b"[1]", "JSON object"),
        (b"{", "not valid JSON"),
        (b'{"code": ""}', "code"),
        (b'{"code": "x", "maxSteps": 0}', "maxSteps"),
        (b'{"code": "x", "maxSteps": "10"}', "maxSteps"),
        (b'{"code": "x", "stdin": 5}', "stdin"),
    ],
)
def test_bad_requests_are_refused_clearly(raw: bytes, message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        trace.parse_request(raw)


def test_a_language_without_tracer_is_unsupported() -> None:
    c = load_language(REPO / "images" / "c", "coderunner/")
    body = trace.parse_request(b'{"code": "int main(){}", "language": "c"}')
    with pytest.raises(UnsupportedLanguage):
        trace.prepare(body, c, load_settings())
    assert PYTHON.public()["trace"] is True and c.public()["trace"] is False


# ---- the parser on recorded outputs ------------------------------------------------


def test_parse_drops_a_line_cut_mid_way() -> None:
    text = output(
        '{"start":1}', step_line(0), '{"out":"a\\n"}', step_line(1), tail=step_line(2)[:25]
    ).decode()
    parsed = trace.parse(text)
    assert parsed.started and [s["step"] for s in parsed.steps] == [0, 1]
    assert parsed.stdout == ["a\n"] and parsed.end is None


def test_parse_empty_and_garbage() -> None:
    assert trace.parse("").steps == [] and not trace.parse("").started
    parsed = trace.parse('not json\n[1,2]\n{"step": \n{"start":1}\n"str"\n')
    assert parsed.started and parsed.steps == []


def test_parse_ignores_lines_after_the_end() -> None:
    text = output(
        '{"start":1}',
        step_line(0),
        '{"end":"completed","error":null}',
        step_line(1),
        '{"out":"late"}',
        '{"end":"exception","error":{"type":"X"}}',
    ).decode()
    parsed = trace.parse(text)
    assert len(parsed.steps) == 1 and parsed.stdout == [] and parsed.end == "completed"


def test_exception_answer_carries_error_and_line() -> None:
    err = {"type": "ZeroDivisionError", "message": "division by zero", "line": 2}
    out = session(
        output('{"start":1}', step_line(0), json.dumps({"end": "exception", "error": err})),
        RunRecord(cpu_ms=12.5, wall_ms=30.0, maxrss_kb=9000),
        b"Traceback ...\nZeroDivisionError: division by zero\n",
    )
    body = answer(out)
    assert body["stopReason"] == "exception" and body["error"] == err
    assert len(body["steps"]) == 1 and body["stderr"].startswith("Traceback")
    assert body["cpuMs"] == 12.5 and body["memoryKb"] == 9000 and body["sessionId"] == "s1"


@pytest.mark.parametrize(
    "record, reason",
    [
        (RunRecord(timeout="cpu", signal=9, exit=-1), "timeout"),
        (RunRecord(timeout="wall", signal=9), "timeout"),
        (RunRecord(oom=True, signal=9), "memory_limit"),
        (RunRecord(maxrss_kb=300 * 1024, signal=9), "memory_limit"),
        (RunRecord(ole=True, signal=9), "output_limit"),
        (RunRecord(oom=True, timeout="cpu", signal=9), "memory_limit"),
    ],
)
def test_without_the_tracers_last_word_crrun_says_why(record: RunRecord, reason: str) -> None:
    out = session(output('{"start":1}', step_line(0), step_line(1), tail='{"st'), record)
    body = answer(out)
    assert body["stopReason"] == reason and body["error"] is None
    assert [s["step"] for s in body["steps"]] == [0, 1]


def test_the_tracers_word_wins_over_the_record() -> None:
    out = session(
        output('{"start":1}', '{"end":"step_limit","error":null}'),
        RunRecord(timeout="wall", signal=9),
    )
    assert answer(out)["stopReason"] == "step_limit"


def test_a_killed_program_without_limit_is_an_exception() -> None:
    out = session(output('{"start":1}', step_line(0)), RunRecord(signal=11))
    body = answer(out)
    assert body["stopReason"] == "exception"
    assert body["error"]["type"] == "ProgramExit" and "signal 11" in body["error"]["message"]


def test_tracer_that_never_started_is_an_internal_error() -> None:
    out = session(b"", RunRecord(exit=2), b"python3: can't open file 'tracer.py'")
    body = answer(out)
    assert body["stopReason"] == "internal_error" and "tracer.py" in body["error"]["message"]


def test_internal_error_and_cancelled_answers() -> None:
    body = answer(SessionOutput(), internal_error="container failed")
    assert body["stopReason"] == "internal_error" and body["steps"] == []
    assert body["error"]["message"] == "container failed"
    body = answer(SessionOutput(), unfinished="cancelled")
    assert body["stopReason"] == "cancelled"
    supervisor = session(b"", RunRecord(error="crrun_failed"))
    assert answer(supervisor)["stopReason"] == "internal_error"


def test_item_events_batch_the_steps() -> None:
    stdout = output('{"start":1}', *(step_line(i) for i in range(450)))
    body = trace.parse_request(b'{"code": "x = 1"}')
    prepared = trace.prepare(body, PYTHON, load_settings())
    events = KINDS["trace"].item_events(
        0, RunRecord(), stdout, b"", prepared, body, time_limit_ms=1000, memory_limit_mb=256
    )
    assert [(t, d["from"], len(d["steps"])) for t, d in events] == [
        ("step", 0, 200),
        ("step", 200, 200),
        ("step", 400, 50),
    ]


# ---- the tracer's value encoder (the SPEC's type table, capped) --------------------


def test_types_per_the_seed() -> None:
    enc = tracer.encode
    assert enc(True) == {"type": "bool", "value": True}
    assert enc(3) == {"type": "number", "value": 3}
    assert enc(2.5) == {"type": "number", "value": 2.5}
    assert enc("s") == {"type": "string", "value": "s"}
    assert enc(None) == {"type": "none", "value": None}
    assert enc((1,))["type"] == enc({1})["type"] == enc([1])["type"] == "array"
    assert enc({"k": 1}) == {"type": "object", "value": {"k": {"type": "number", "value": 1}}}
    assert enc(range(3)) == {"type": "other", "value": "range(0, 3)"}


def test_caps_strings_items_depth() -> None:
    enc = tracer.encode
    s = enc("x" * 1000)
    assert len(s["value"]) == 200 and s["truncated"] and s["length"] == 1000
    a = enc(list(range(1000)))
    assert len(a["value"]) == 50 and a["length"] == 1000
    deep = enc([[[[[1]]]]])
    third = deep["value"][0]["value"][0]
    assert third["type"] == "array" and third["value"][0]["value"] == []
    assert third["value"][0]["truncated"]
    # a grid of 50 x 50 x 50 stays within the node budget
    grid = enc([[[0] * 50] * 50] * 50)
    assert len(json.dumps(grid)) < 500 * 60


def test_cycles_and_hostile_objects() -> None:
    enc = tracer.encode
    a: list[Any] = [1]
    a.append(a)
    assert enc(a)["value"][1] == {"type": "other", "value": "[...]"}

    class Bad:
        def __repr__(self) -> str:
            raise ValueError("no")

        __str__ = __repr__

    assert enc(Bad()) == {"type": "other", "value": "<unprintable Bad object>"}

    class Liar(list[int]):
        def __iter__(self) -> Any:
            raise RuntimeError("iter")

        def __len__(self) -> int:
            raise RuntimeError("len")

    assert [v["value"] for v in enc(Liar([1, 2]))["value"]] == [1, 2]

    class Huge:
        def __str__(self) -> str:
            return "y" * 5_000_000

    assert len(enc(Huge())["value"]) == 200


def test_numbers_json_cannot_hold() -> None:
    enc = tracer.encode
    assert enc(math.nan) == {"type": "other", "value": "nan"}
    assert enc(-math.inf)["value"] == "-inf"
    big = enc(10**5000)
    assert big["type"] == "other" and "5001 digits" in big["value"]
    assert enc(2**100) == {"type": "number", "value": 2**100}
    # lone surrogates would break the UTF-8 answer
    json.dumps(enc("\udc80x"), ensure_ascii=False).encode("utf-8")


def test_diff_reports_only_what_changed() -> None:
    snap: dict[str, Any] = {}
    ns: dict[str, Any] = {"__name__": "__main__", "a": 1, "b": [1]}
    assert set(tracer.diff(snap, ns)) == {"a", "b"}
    assert tracer.diff(snap, ns) == {}
    ns["b"].append(2)
    assert list(tracer.diff(snap, ns)) == ["b"]
    del ns["a"]
    assert tracer.diff(snap, ns) == {} and "a" not in snap
    ns["a"] = 1
    assert list(tracer.diff(snap, ns)) == ["a"]


def test_the_tracer_runs_a_program_on_this_python(tmp_path: Path) -> None:
    """The same file as in the image, on the host's interpreter: a quick protocol check
    (the real image: tests/e2e/test_trace.py)."""
    (tmp_path / "source.py").write_text("a = 1\ndef f(x):\n    return x + a\nb = f(2)\nprint(b)\n")
    run = subprocess.run(
        [sys.executable, "-B", "-I", str(TRACER), "source.py", "100", "65536", "4194304"],
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
    )
    parsed = trace.parse(run.stdout.decode())
    assert parsed.end == "completed" and "".join(parsed.stdout) == "3\n"
    assert [(s["line"], s["event"]) for s in parsed.steps] == [
        (1, "line"),
        (2, "line"),
        (2, "call"),
        (3, "return"),
        (4, "line"),
        (5, "line"),
    ]
    assert parsed.steps[3]["returnValue"] == {"type": "number", "value": 3}
    assert parsed.steps[4]["globalChanges"] == {"b": {"type": "number", "value": 3}}


def test_a_program_restoring_stdout_stays_captured(tmp_path: Path) -> None:
    (tmp_path / "source.py").write_text(
        "import sys, io\nsys.stdout = io.StringIO()\nprint('hidden')\n"
        "y = sys.stdout.getvalue()\nsys.stdout = sys.__stdout__\nprint('back', y.strip())\n"
    )
    run = subprocess.run(
        [sys.executable, "-B", "-I", str(TRACER), "source.py", "100", "65536", "4194304"],
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
    )
    parsed = trace.parse(run.stdout.decode())
    assert parsed.end == "completed" and "".join(parsed.stdout) == "back hidden\n"
    assert run.stderr == b""
