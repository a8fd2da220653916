"""Function tests, the pure parts: the request and argument checks, the type
language, the comparison modes, the record parser and the verdicts built from
the analyzer's output (SPEC §10). The harnesses themselves run in the real
containers in tests/container/test_function_harness.py."""

from __future__ import annotations

import ast
import json
import math
from typing import Any

import pytest

from coderunner.analyzer import RunRecord, SessionOutput
from coderunner.errors import InvalidArguments, InvalidRequest, TooManyTestCases
from coderunner.functions import answer, record
from coderunner.functions.compare import equal
from coderunner.functions.lang_cpp import cpp_string
from coderunner.functions.lang_java import java_string
from coderunner.functions.lang_python import files as python_files
from coderunner.functions.request import parse_function_test
from coderunner.functions.types import check, parse_type
from tests.support.functions_driver import job

TWO_SUM = {
    "name": "twoSum",
    "params": [{"name": "nums", "type": "int[]"}, {"name": "target", "type": "int"}],
    "returns": "int[]",
}


# ---- the request ----------------------------------------------------------------


def test_a_valid_request_parses() -> None:
    body = {
        "code": "x",
        "language": "python",
        "function": TWO_SUM,
        "cases": [{"args": [[2, 7], 9], "expected": [0, 1]}],
        "compare": {"mode": "unordered"},
    }
    sub = parse_function_test(json.dumps(body).encode())
    assert sub.function is not None and sub.compare is not None
    assert sub.function.name == "twoSum" and sub.compare.mode == "unordered"
    assert sub.compare.tolerance == 1e-6


@pytest.mark.parametrize(
    "body, words",
    [
        (b"", "empty"),
        (b"[1]", "object"),
        (b'{"code": "", "language": "python"}', "code"),
        (b'{"code": "x", "language": "python", "compare": {"mode": "fuzzy"}}', "compare.mode"),
        (
            b'{"code": "x", "language": "python", "function": {"name": "a b", "params": [], '
            b'"returns": "int"}}',
            "function.name",
        ),
        (b'{"code": "x", "language": "python", "problemId": "../etc"}', "problemId"),
        (b'{"code": "x", "language": "python", "cases": []}', "cases"),
    ],
)
def test_malformed_requests_are_invalid_request(body: bytes, words: str) -> None:
    with pytest.raises(InvalidRequest) as info:
        parse_function_test(body)
    assert words in info.value.message


@pytest.mark.parametrize(
    "args, expected, where, words",
    [
        ([[2, 7], "9"], [0], {"case": 0, "parameter": "target"}, "expected int, got a string"),
        ([[2, 7], 2**31], [0], {"case": 0, "parameter": "target"}, "out of the range of int"),
        ([[2, True], 9], [0], {"case": 0, "parameter": "nums"}, "[1]: expected int, got a boolean"),
        ([[2, 7.5], 9], [0], {"case": 0, "parameter": "nums"}, "[1]: expected int, got the number"),
        ([None, 9], [0], {"case": 0, "parameter": "nums"}, "expected int[], got null"),
        ([[2, 7]], [0], {"case": 0}, "1 argument(s) given, the function takes 2"),
        ([[2, 7], 9], "x", {"case": 0, "parameter": "expected"}, "expected int[], got a string"),
    ],
)
def test_bad_arguments_name_the_case_and_the_parameter(
    args: list[Any], expected: Any, where: dict[str, Any], words: str
) -> None:
    cases = [{"args": args, "expected": expected}]
    with pytest.raises(InvalidArguments) as info:
        job(TWO_SUM, cases)
    assert info.value.status == 400 and info.value.code == "invalid_arguments"
    assert info.value.details == where
    assert words in info.value.message
    assert "cases[0]" in info.value.message


def test_the_case_index_is_the_failing_one() -> None:
    cases = [{"args": [[1], 1], "expected": [0]}] * 3 + [{"args": [[1], "x"], "expected": [0]}]
    with pytest.raises(InvalidArguments, match=r"cases\[3\], parameter 'target'"):
        job(TWO_SUM, cases)


def test_too_many_cases_and_bad_types() -> None:
    with pytest.raises(TooManyTestCases, match="max_cases"):
        from coderunner.functions.request import Case, FunctionSpec, function_job

        function_job(
            FunctionSpec.model_validate(TWO_SUM),
            [Case.model_validate({"args": [[1], 1], "expected": [1]})] * 3,
            None,
            max_cases=2,
        )
    with pytest.raises(InvalidRequest, match="unknown type 'int\\[\\]\\[\\]\\[\\]'"):
        job({**TWO_SUM, "returns": "int[][][]"}, [{"args": [[1], 1], "expected": [1]}])
    with pytest.raises(InvalidRequest, match="distinct"):
        job(
            {**TWO_SUM, "params": [{"name": "a", "type": "int"}] * 2},
            [{"args": [1, 1], "expected": [1]}],
        )


@pytest.mark.parametrize(
    "value, type_name, ok",
    [
        (2147483647, "int", True),
        (-2147483648, "int", True),
        (2147483648, "int", False),
        (2**63 - 1, "long", True),
        (-(2**63), "long", True),
        (2**63, "long", False),
        (1, "double", True),
        (1.5, "double", True),
        (True, "double", False),
        (10**400, "double", False),
        (math.inf, "double", False),
        (math.nan, "double", False),
        (True, "bool", True),
        (0, "bool", False),
        ("a\x00", "string", True),
        ("\ud800", "string", False),
        ([[]], "string[][]", True),
        ([[1]], "string[][]", False),
    ],
)
def test_type_checks(value: Any, type_name: str, ok: bool) -> None:
    assert (check(value, parse_type(type_name)) is None) is ok


def test_a_reported_double_may_be_non_finite() -> None:
    assert check(math.nan, parse_type("double"), reported=True) is None
    assert check([math.inf], parse_type("double[]"), reported=True) is None


# ---- the comparison ---------------------------------------------------------------


def test_exact_is_type_exact() -> None:
    assert equal([1, 2], [1, 2]) and not equal([1, 2], [2, 1])
    assert not equal(True, 1) and not equal(1, True)
    assert equal(2.0, 2.0) and not equal(math.nan, math.nan)
    assert not equal([[1]], [[1], []])


def test_unordered_is_a_top_level_multiset() -> None:
    assert equal([[1, 2], [3]], [[3], [1, 2]], mode="unordered")
    assert not equal([[2, 1], [3]], [[3], [1, 2]], mode="unordered")  # inner order counts
    assert not equal([1, 1, 2], [1, 2, 2], mode="unordered")
    assert equal("ab", "ab", mode="unordered") and not equal("ab", "ba", mode="unordered")


def test_float_tolerance_is_absolute_or_relative() -> None:
    assert equal(0.30000000000000004, 0.3, mode="float")
    assert equal(1e-7, 0.0, mode="float", tolerance=1e-6)
    assert equal(1_000_000.5, 1_000_000.0, mode="float", tolerance=1e-6)
    assert not equal(1.1, 1.0, mode="float", tolerance=1e-6)
    assert equal([[0.1 + 0.2]], [[0.3]], mode="float")
    assert not equal(math.nan, 0.0, mode="float") and not equal(math.inf, 1e308, mode="float")
    assert equal(["a", 1.0], ["a", 1.0000001], mode="float") is True


# ---- the record -------------------------------------------------------------------


def rec(payload: bytes, prints: bytes, kind: str = "ok", cut: int = 0, us: int = 5) -> bytes:
    return (
        payload
        + prints
        + b"\x02CRFN1 %s %d %d %d %d\n" % (kind.encode(), len(payload), len(prints), cut, us)
    )


def parsed(stdout: bytes) -> record.Record:
    """A record that must be there."""
    found = record.parse(stdout)
    assert found is not None
    return found


def test_the_record_carries_value_prints_and_time() -> None:
    r = parsed(b"early\n" + rec(b"[1,2]", b"hi\x02CRFN1 ok 9 9 0 0\n"))
    assert r.ok and r.value == [1, 2] and r.prints == b"hi\x02CRFN1 ok 9 9 0 0\n"
    assert r.before == b"early\n" and r.after == b"" and r.elapsed_us == 5


def test_the_last_record_wins_and_garbage_is_no_record() -> None:
    forged = rec(b"1", b"") + rec(b"2", b"")
    assert parsed(forged).value == 2
    assert record.parse(b"") is None
    assert record.parse(b"\x02CRFN1 ok 1 0 0 0") is None  # no newline: cut off
    assert record.parse(b"\x02CRFN1 ok 50 0 0 0\n") is None  # lengths past the start
    assert record.parse(b"x\x02CRFN1 maybe 1 0 0 0\n") is None
    bad = record.parse(rec(b"[1,", b""))
    assert bad is not None and not bad.ok and "could not encode" in bad.error
    assert parsed(rec(b"NaN", b"")).value != parsed(rec(b"NaN", b"")).value


# ---- verdicts from the analyzer's output ----------------------------------------------

OK_RUN = RunRecord(exit=0, wall_ms=12.5, cpu_ms=10.0, maxrss_kb=5000)


def build(
    runs: dict[int, RunRecord],
    stdout: dict[int, bytes],
    stderr: dict[int, bytes] | None = None,
    compile_failed: bool = False,
    **kw: Any,
) -> dict[str, Any]:
    cases = [{"args": [[1, 2], 3], "expected": [0, 1]}] * len(runs)
    j = job(TWO_SUM, cases, kw.pop("compare", None))
    out = SessionOutput(
        runs=runs,
        stdout=stdout,
        stderr=stderr or {},
        compile=RunRecord(exit=1 if compile_failed else 0),
        compile_log=b"error: x" if compile_failed else b"",
    )
    return answer.build_answer(
        "sid", out, j, compiled=True, time_limit_ms=1000, memory_limit_mb=64, **kw
    )


def test_verdicts_per_case() -> None:
    runs = {
        0: OK_RUN,
        1: OK_RUN,
        2: OK_RUN,
        3: RunRecord(exit=0, timeout="cpu", cpu_ms=1500),
        4: RunRecord(exit=-1, signal=11),
        5: RunRecord(exit=0, oom=True),
        6: RunRecord(exit=0, ole=True),
        7: OK_RUN,
        8: OK_RUN,
    }
    stdout = {
        0: rec(b"[0,1]", b"p"),
        1: rec(b"[1,0]", b""),
        2: rec(b"ZeroDivisionError: x", b"", kind="err"),
        3: b"",
        4: b"",
        5: b"",
        6: b"x" * 10,
        7: b"no record",
        8: rec(b'"str"', b""),
    }
    a = build(runs, stdout, stderr={4: b"Segmentation fault\n"})
    statuses = [c["status"] for c in a["cases"]]
    assert statuses == ["AC", "WA", "RE", "TLE", "RE", "MLE", "OLE", "RE", "RE"]
    assert [r["status"] for r in a["results"]] == statuses
    c = a["cases"]
    assert c[0] == {
        "status": "AC",
        "actual": [0, 1],
        "expected": [0, 1],
        "error": None,
        "stdout": "p",
        "timeMs": 0.005,
    }
    assert a["stdout"][0] == "p"
    assert c[2]["error"] == "ZeroDivisionError: x" and c[2]["actual"] is None
    assert "signal 11 (SIGSEGV): Segmentation fault" in c[4]["error"]
    assert "ended before the function returned" in c[7]["error"]
    assert c[8]["error"] == "wrong return type: expected int[], got a string"
    assert c[8]["actual"] == "str"


def test_compile_error_and_internal_error() -> None:
    a = build({0: OK_RUN}, {0: rec(b"[0,1]", b"")}, compile_failed=True)
    assert a["cases"][0]["status"] == "CE" and "error: x" in a["compilerErrors"]
    a = build({0: OK_RUN}, {0: rec(b"[0,1]", b"")}, internal_error="docker went away")
    assert a["cases"][0]["status"] == "IE" and a["cases"][0]["error"] == "docker went away"


def test_a_non_finite_double_is_reported_as_a_string() -> None:
    j = job({"name": "f", "params": [], "returns": "double[]"}, [{"args": [], "expected": [1]}])
    out = SessionOutput(runs={0: OK_RUN}, stdout={0: rec(b"[NaN,Infinity,-Infinity]", b"")})
    a = answer.build_answer("s", out, j, compiled=False, time_limit_ms=1000, memory_limit_mb=64)
    assert a["cases"][0]["actual"] == ["NaN", "Infinity", "-Infinity"]
    assert a["cases"][0]["status"] == "WA"
    json.dumps(a, allow_nan=False)  # the answer is strict JSON


# ---- literals ----------------------------------------------------------------------

NASTY = ["", 'q"b\\', "\n\r\t", "\x00", "é✓😀", "\u2028", "#{x}${y}", "\\u000a", "??="]


def test_python_case_literals_are_exact() -> None:
    j = job(
        {
            "name": "f",
            "params": [
                {"name": "s", "type": "string[]"},
                {"name": "d", "type": "double[][]"},
                {"name": "n", "type": "long"},
            ],
            "returns": "int",
        },
        [{"args": [NASTY, [[0.1, 1e300, -0.0, 3]], -(2**63)], "expected": 1}],
    )
    text = python_files("def f(s, d, n): return 1", j, 100)["crcases.py"]
    body = text.split("CASES = (\n", 1)[1].rsplit(")", 1)[0]
    lam = ast.parse(body.strip().rstrip(","), mode="eval").body
    assert isinstance(lam, ast.Lambda)
    args = ast.literal_eval(lam.body)
    assert args == (NASTY, [[0.1, 1e300, -0.0, 3.0]], -(2**63))


def test_java_strings_never_use_lexer_unicode_escapes_for_control_characters() -> None:
    lit = java_string('a\nb"\\u000a\x00é')
    assert "\\u000a" not in lit.replace("\\\\u000a", "")
    assert lit == '"a\\012b\\"\\\\u000a\\000\\u00e9"'


def test_cpp_strings_keep_nul_and_avoid_trigraphs() -> None:
    assert cpp_string("a\x00??=") == 'std::string("a\\000\\?\\?=", 5)'
    assert cpp_string("é") == 'std::string("\\303\\251", 2)'
