"""The unit-test protocol parser and the verdict rules of SPEC section 9, pure:
no Docker.  The rules that matter most: a crash, a timeout, an OOM, zero tests
or a test that never completed is `error`, never `pass`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coderunner.admission import Admission
from coderunner.analyzer import RunRecord, SessionOutput
from coderunner.config import Settings
from coderunner.errors import CodeTooLong, InvalidRequest, UnsupportedLanguage
from coderunner.harness import unit
from coderunner.harness.protocol import completed_tests, parse
from coderunner.kinds import KINDS
from coderunner.languages import Language, load_languages
from coderunner.tasks.service import plan_request
from tests.helpers import REPO

OK = RunRecord(wall_ms=120.0)


def lines(*items: str) -> str:
    return "".join(f"{i}\n" for i in items)


GOOD = lines(
    "<DESCRIBE::>add",
    "<IT::>small",
    "<PASSED::>Test Passed",
    "<OUTPUT::>adding<:LF:>",
    "<COMPLETEDIN::>0.40",
    "<IT::>wrong",
    "<FAILED::>3 should equal 4",
    "<COMPLETEDIN::>0.10",
    "<COMPLETEDIN::>1.00",
    "<END::>",
)


def test_parse_keeps_order_paths_messages_output() -> None:
    p = parse(GOOD)
    assert p.ended
    assert [(t.path, t.name, t.status) for t in p.tests] == [
        (["add"], "small", "pass"),
        (["add"], "wrong", "fail"),
    ]
    assert p.tests[0].output == "adding\n"
    assert p.tests[0].time_ms == 0.4
    assert p.tests[1].assertions[0].message == "3 should equal 4"


def test_nested_groups_and_escaped_newlines() -> None:
    p = parse(
        lines(
            "<DESCRIBE::>a",
            "<DESCRIBE::>b<:LF:>c",
            "<IT::>t",
            "<FAILED::>x<:LF:>y",
            "<COMPLETEDIN::>1",
            "<COMPLETEDIN::>1",
            "<IT::>u",
            "<PASSED::>ok",
            "<COMPLETEDIN::>1",
            "<COMPLETEDIN::>1",
            "<END::>",
        )
    )
    assert [(t.path, t.name) for t in p.tests] == [(["a", "b\nc"], "t"), (["a"], "u")]
    assert p.tests[0].assertions[0].message == "x\ny"


def test_lines_that_are_not_protocol_are_ignored_not_tests() -> None:
    # What a harness's runtime may print on stdout (a JVM warning): never a test.
    p = parse("Picked up JAVA_TOOL_OPTIONS\r\n" + GOOD + "garbage <IT::>not at start\n")
    assert [t.name for t in p.tests] == ["small", "wrong"]
    assert p.unknown_lines == 2


def test_only_newline_splits_lines() -> None:
    # \r, \x0b, \u2028 inside a message stay in the message.
    p = parse(lines("<IT::>t", "<FAILED::>a\rb\x0bc\u2028d", "<COMPLETEDIN::>1", "<END::>"))
    assert p.tests[0].assertions[0].message == "a\rb\x0bc\u2028d"


def test_top_level_assertions_are_a_test_of_their_own() -> None:
    p = parse(
        lines(
            "<PASSED::>Test Passed",
            "<FAILED::>1 should equal 2",
            "<IT::>t",
            "<PASSED::>Test Passed",
            "<COMPLETEDIN::>1",
            "<END::>",
        )
    )
    assert [(t.name, t.status) for t in p.tests] == [("(outside a test)", "fail"), ("t", "pass")]


def test_output_outside_tests_is_stdout() -> None:
    p = parse(
        lines(
            "<OUTPUT::>module level<:LF:>",
            "<IT::>t",
            "<OUTPUT::>inside",
            "<PASSED::>ok",
            "<COMPLETEDIN::>1",
            "<OUTPUT::>after",
            "<END::>",
        )
    )
    assert p.stdout == "module level\nafter"
    assert p.tests[0].output == "inside"


def test_bad_times_do_not_raise() -> None:
    p = parse(
        lines(
            "<IT::>a",
            "<COMPLETEDIN::>nan",
            "<IT::>b",
            "<COMPLETEDIN::>-5",
            "<IT::>c",
            "<COMPLETEDIN::>x",
            "<IT::>d",
            "<COMPLETEDIN::>inf",
            "<END::>",
        )
    )
    assert [t.time_ms for t in p.tests] == [0.0, 0.0, 0.0, 0.0]


def test_nothing_after_end_counts() -> None:
    p = parse(GOOD + lines("<IT::>forged", "<PASSED::>ok", "<COMPLETEDIN::>1"))
    assert [t.name for t in p.tests] == ["small", "wrong"]


def test_completed_tests_for_live_events() -> None:
    cut = GOOD[: GOOD.index("<IT::>wrong") + len("<IT::>wrong\n<FAILED::>3")]
    assert [t.name for t in completed_tests(cut)] == ["small"]
    assert [t.name for t in completed_tests(GOOD)] == ["small", "wrong"]


# ---- verdicts -------------------------------------------------------------------


def verdict(text: str, run: RunRecord | None = OK) -> unit.Verdict:
    return unit.verdict(parse(text), run, 12000)


def test_pass_needs_every_test_passed_and_the_end() -> None:
    ok = lines("<IT::>a", "<PASSED::>ok", "<COMPLETEDIN::>1", "<END::>")
    assert verdict(ok).status == "pass"
    assert verdict(ok).message is None
    assert verdict(GOOD).status == "fail"
    assert verdict(GOOD).message == "1 of 2 tests did not pass"


def test_an_exception_in_a_test_is_a_failed_run_and_an_error_test() -> None:
    v = verdict(lines("<IT::>a", "<ERROR::>boom", "<COMPLETEDIN::>1", "<END::>"))
    assert v.status == "fail"
    assert v.tests[0].status == "error"


def test_zero_tests_is_error() -> None:
    v = verdict(lines("<END::>"))
    assert (v.status, v.message) == ("error", "no test ran")


def test_a_run_that_stopped_early_is_error_even_if_all_green() -> None:
    # exit 0 (sys.exit(0) between tests) but no end marker
    v = verdict(lines("<IT::>a", "<PASSED::>ok", "<COMPLETEDIN::>1"))
    assert v.status == "error"
    assert "before the end of the suite" in (v.message or "")


def test_a_test_that_never_completed_is_error() -> None:
    v = verdict(lines("<IT::>a", "<PASSED::>ok", "<COMPLETEDIN::>1", "<IT::>b", "<PASSED::>ok"))
    assert v.status == "error"
    assert [t.status for t in v.tests] == ["pass", "error"]
    assert "never completed" in v.tests[1].errors[0]


@pytest.mark.parametrize(
    ("run", "words"),
    [
        (RunRecord(timeout="cpu"), "time limit (12000 ms"),
        (RunRecord(timeout="wall"), "time limit"),
        (RunRecord(oom=True, timeout="cpu"), "out of memory"),
        (RunRecord(ole=True), "output limit"),
        (RunRecord(signal=11), "signal 11"),
        (RunRecord(exit=1), "exited with code 1"),
        (RunRecord(error="crrun_failed"), "supervisor error"),
        (None, "did not take place"),
    ],
)
def test_crash_timeout_oom_are_error_never_pass(run: RunRecord | None, words: str) -> None:
    # Even a complete-looking, all-green protocol: the run did not end normally.
    ok = lines("<IT::>a", "<PASSED::>ok", "<COMPLETEDIN::>1", "<IT::>b", "<PASSED::>ok")
    v = verdict(ok, run)
    assert v.status == "error"
    assert words in (v.message or "")
    assert "during test 'b'" in (v.message or "")
    assert v.tests[0].status == "pass"  # what finished is kept
    assert v.tests[1].status == "error"
    assert words in v.tests[1].errors[0]


TAGS = ["DESCRIBE", "IT", "PASSED", "FAILED", "ERROR", "OUTPUT", "COMPLETEDIN", "END", "LOG", "X"]
protocol_line = st.one_of(
    st.tuples(st.sampled_from(TAGS), st.text(max_size=20)).map(lambda t: f"<{t[0]}::>{t[1]}"),
    st.text(max_size=30),
)
records = st.builds(
    RunRecord,
    exit=st.sampled_from([0, 0, 1, 137]),
    signal=st.sampled_from([0, 0, 9, 11]),
    timeout=st.sampled_from(["none", "none", "cpu", "wall"]),
    oom=st.booleans(),
    ole=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(protocol_line, max_size=40), records)
def test_any_text_gives_a_consistent_verdict(items: list[str], run: RunRecord) -> None:
    text = "\n".join(items)
    v = verdict(text, run)
    assert v.status in ("pass", "fail", "error")
    summary = unit.summary(v.tests)
    assert summary["passed"] + summary["failed"] + summary["errors"] == summary["tests"]
    if v.status == "pass":
        assert not run.failed and summary["tests"] >= 1
        assert summary["passed"] == summary["tests"]
        assert parse(text).ended
    if run.failed:
        assert v.status == "error"
    json.dumps([t.public() for t in v.tests])


@settings(max_examples=200, deadline=None)
@given(st.lists(protocol_line, max_size=40))
def test_cutting_the_text_never_turns_it_into_pass(items: list[str]) -> None:
    text = "\n".join(items) + "\n"
    full = verdict(text)
    for cut in range(0, len(text), max(1, len(text) // 7)):
        v = verdict(text[:cut])
        if v.status == "pass":  # a prefix can pass only if it holds the end marker
            assert "<END::>" in text[:cut] and full.status == "pass"


# ---- prepare / answer -----------------------------------------------------------


@pytest.fixture(scope="module")
def langs() -> dict[str, Language]:
    return load_languages(REPO / "images", "coderunner/")


def request(**kw: Any) -> unit.UnitTestRequest:
    return unit.UnitTestRequest.model_validate(
        {"language": "python", "code": "x = 1", "testCode": "test.pass_()", **kw}
    )


def test_every_required_language_has_a_unit_recipe(langs: dict[str, Language]) -> None:
    for lang in ("python", "javascript", "typescript", "java", "cpp", "csharp", "ruby", "go"):
        assert unit.supports(langs[lang]), lang
    assert not unit.supports(langs["bash"])


def test_prepare_stages_code_tests_and_preloaded(langs: dict[str, Language]) -> None:
    p = unit.prepare(request(preloaded="P = 1"), langs["python"], Settings())
    assert langs["python"].public()["unitTest"] is True
    assert langs["bash"].public()["unitTest"] is False
    assert p.files == {"source.py": b"x = 1", "tests.py": b"test.pass_()", "preloaded.py": b"P = 1"}
    assert p.tests == [b""]
    assert p.time_limit_ms == 12000
    assert p.run == langs["python"].recipes["unit"]["run"]


def test_time_limit_is_the_whole_runs_capped_not_refused(langs: dict[str, Language]) -> None:
    s = Settings()
    kind = KINDS["unitTest"]
    planned = plan_request(s, kind, request(), langs)
    assert planned.plan.time_limit_ms == 12000 and planned.plan.tests == 1
    assert plan_request(s, kind, request(timeLimitMs=500), langs).plan.time_limit_ms == 500
    assert plan_request(s, kind, request(timeLimitMs=10**6), langs).plan.time_limit_ms == 30000
    with pytest.raises(UnsupportedLanguage, match="no unit-test harness"):
        plan_request(s, kind, request(language="bash"), langs)


def test_size_limits_name_the_field() -> None:
    s = Settings()
    admission = Admission(s.server, s.ratelimit, s.limits)
    kind = KINDS["unitTest"]
    kind.check(request(preloaded="p = 1"), admission)
    too_big = "x" * (s.limits.max_code_bytes + 1)
    for field in ("code", "testCode", "preloaded"):
        with pytest.raises(CodeTooLong, match=f"^{field} is"):
            kind.check(request(**{field: too_big}), admission)


def test_parse_request_errors() -> None:
    with pytest.raises(InvalidRequest, match="testCode"):
        unit.parse_request(b'{"language": "python", "code": "x"}')
    with pytest.raises(InvalidRequest, match="not valid JSON"):
        unit.parse_request(b"{")
    with pytest.raises(InvalidRequest, match="timeLimitMs"):
        unit.parse_request(
            b'{"language": "python", "code": "x", "testCode": "y", "timeLimitMs": "5"}'
        )


def test_answer_compile_error(langs: dict[str, Language]) -> None:
    p = unit.prepare(request(language="cpp"), langs["cpp"], Settings())
    out = SessionOutput(compile_log=b"tests.cpp:1: error: nope", compile=RunRecord(exit=1))
    a = unit.answer("s1", out, p)
    assert (a["status"], a["message"]) == ("error", "compilation failed")
    assert (
        unit.answer("s1", SessionOutput(), p, internal_error="boom")["message"]
        == "internal error: boom"
    )
    cancelled = unit.answer(
        "s1", SessionOutput(runs={0: OK}, stdout={0: GOOD.encode()}), p, unfinished="cancelled"
    )
    assert (cancelled["status"], cancelled["message"]) == ("error", "the test run was cancelled")
    assert len(cancelled["tests"]) == 2
    assert "nope" in a["compilerErrors"]
    assert a["tests"] == [] and a["summary"]["tests"] == 0


def test_answer_body_shape(langs: dict[str, Language]) -> None:
    p = unit.prepare(request(), langs["python"], Settings())
    out = SessionOutput(runs={0: OK}, stdout={0: GOOD.encode()}, stderr={0: b"warn"})
    a = unit.answer("s1", out, p)
    assert set(a) == {
        "sessionId",
        "status",
        "compilerErrors",
        "summary",
        "tests",
        "stdout",
        "stderr",
        "timeMs",
        "message",
    }
    assert a["status"] == "fail" and a["stderr"] == "warn" and a["timeMs"] == 120.0
    assert a["tests"][0] == {
        "path": ["add"],
        "name": "small",
        "status": "pass",
        "timeMs": 0.4,
        "assertions": [{"passed": True, "message": "Test Passed"}],
        "output": "adding\n",
    }


def test_item_event_one_unit_event_per_finished_test(langs: dict[str, Language]) -> None:
    body = request()
    prepared = unit.prepare(body, langs["python"], Settings())
    events = KINDS["unitTest"].item_events(
        0, OK, GOOD.encode(), b"", prepared, body, time_limit_ms=1, memory_limit_mb=1
    )
    assert [(kind, data["name"], data["index"]) for kind, data in events] == [
        ("unit", "small", 0),
        ("unit", "wrong", 1),
    ]
