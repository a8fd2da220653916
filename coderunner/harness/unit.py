"""The `unitTest` task kind (SPEC section 9): a submission and its test code run
as ONE run of the ordinary pipeline, with the language's test framework.

Pure functions only: the request model, `prepare` (what the container runs,
from the language's [unit] recipe in images/<id>/language.toml), and the
verdict rules from the harness's protocol (coderunner/harness/protocol.py) and
crrun's record of the run.  The rules exist because a suite that crashed or
timed out must never show green: `pass` needs at least one test, every test
passed, and a run that ended normally with the harness's end marker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from ..analyzer import RunRecord, SessionOutput, compile_failed, compiler_message, text
from ..errors import CodeRunnerError, UnsupportedLanguage
from ..kinds import Prepared
from ..languages import Language
from ..request_body import Finished, RequestKind, RunDone, parse_json
from .protocol import Parsed, UnitTest, parse

if TYPE_CHECKING:
    from ..admission import Admission
    from ..config import Settings

NAME = "unitTest"


class UnitTestRequest(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    language: str = Field(min_length=1, max_length=64)
    code: str = Field(min_length=1)
    testCode: str = Field(min_length=1)
    preloaded: str | None = None
    user: str | None = Field(None, max_length=256)
    timeLimitMs: int | None = Field(None, gt=0)
    memoryLimitMb: int | None = Field(None, gt=0)


def parse_request(body: bytes) -> UnitTestRequest:
    return parse_json(UnitTestRequest, body)


def supports(language: Language) -> bool:
    return "unit" in language.recipes


def prepare(body: UnitTestRequest, language: Language, settings: Settings) -> Prepared:
    recipe = language.recipes.get("unit")
    if recipe is None:
        raise UnsupportedLanguage(
            f"language {language.id!r} has no unit-test harness; GET /languages says "
            'which have "unitTest": true'
        )
    lim = settings.limits
    files = {
        language.source_name: body.code.encode("utf-8"),
        recipe["tests"]: body.testCode.encode("utf-8"),
        # Always staged (empty when absent): a recipe may name it unconditionally.
        recipe["preloaded"]: (body.preloaded or "").encode("utf-8"),
    }
    return Prepared(
        language=language,
        source_name=language.source_name,
        files=files,
        compile=recipe.get("compile", ""),
        run=recipe["run"],
        tests=[b""],
        # The whole run's CPU limit; above the maximum it is capped, not refused
        # (as timeLimitMs of /isolatedTest), and the language's time_factor applies.
        time_limit_ms=body.timeLimitMs or lim.unit_time_limit_ms,
        max_time_limit_ms=lim.max_unit_time_limit_ms,
        memory_limit_mb=body.memoryLimitMb,
    )


def check(body: UnitTestRequest, admission: Admission) -> None:
    """The size limits of `code` (limits.max_code_bytes, max_code_lines) for each of
    the three texts, the error naming the field."""
    for name in ("code", "testCode", "preloaded"):
        value = getattr(body, name)
        if value is None:
            continue
        try:
            admission.check_submission(value, [])
        except CodeRunnerError as exc:
            if name != "code":
                exc.message = exc.message.replace("code", name, 1)
                exc.args = (exc.message,)
            raise


# ---- verdicts ------------------------------------------------------------------


def run_problem(run: RunRecord | None, time_limit_ms: int) -> str | None:
    """Why the run did not end normally, or None.  Order as in the analyzer's
    verdicts: memory before time (an OOM kill may come late), output, then exit."""
    if run is None:
        return "the test run did not take place (internal error)"
    if run.error != "-":
        return f"supervisor error: {run.error}"
    if run.oom:
        return "the test run ran out of memory"
    if run.timeout != "none":
        return f"the test run exceeded its time limit ({time_limit_ms} ms for the whole run)"
    if run.ole:
        return "the test run exceeded the output limit"
    if run.signal:
        return f"the test run was killed by signal {run.signal}"
    if run.exit != 0:
        return f"the test run exited with code {run.exit}"
    return None


@dataclass
class Verdict:
    status: str  # pass | fail | error
    message: str | None
    tests: list[UnitTest]


def verdict(parsed: Parsed, run: RunRecord | None, time_limit_ms: int) -> Verdict:
    """SPEC section 9's rules, from the parsed protocol and crrun's record."""
    tests = parsed.tests
    problem = run_problem(run, time_limit_ms)
    unfinished = [t for t in tests if not t.completed]
    for t in unfinished:
        if not t.errors:
            t.errors.append(f"the test never completed: {problem or 'the run stopped inside it'}")
    if problem is not None:
        where = f" during test {unfinished[0].name!r}" if unfinished else ""
        return Verdict("error", problem + where, tests)
    if unfinished:
        return Verdict("error", f"test {unfinished[0].name!r} never completed", tests)
    if not parsed.ended:
        return Verdict("error", "the test run stopped before the end of the suite", tests)
    if not tests:
        return Verdict("error", "no test ran", tests)
    failed = sum(t.status != "pass" for t in tests)
    if failed:
        return Verdict("fail", f"{failed} of {len(tests)} tests did not pass", tests)
    return Verdict("pass", None, tests)


def summary(tests: list[UnitTest]) -> dict[str, int]:
    statuses = [t.status for t in tests]
    return {
        "tests": len(tests),
        "passed": statuses.count("pass"),
        "failed": statuses.count("fail"),
        "errors": statuses.count("error"),
    }


def answer(
    session_id: str,
    out: SessionOutput,
    prepared: Prepared,
    body: Any = None,
    *,
    time_limit_ms: int | None = None,
    memory_limit_mb: int | None = None,
    internal_error: str | None = None,
    unfinished: str | None = None,
) -> dict[str, Any]:
    """The 200 body of POST /unitTest (SPEC section 9).  internal_error: the session
    failed; unfinished: cancelled.  Both are `error` with what finished kept."""
    time_limit = time_limit_ms or prepared.time_limit_ms or 0
    result: dict[str, Any] = {
        "sessionId": session_id,
        "status": "error",
        "compilerErrors": "",
        "summary": summary([]),
        "tests": [],
        "stdout": "",
        "stderr": "",
        "timeMs": 0.0,
        "message": None,
    }
    if internal_error is None and compile_failed(out, bool(prepared.compile)):
        result["compilerErrors"] = compiler_message(out)
        result["message"] = "compilation failed"
        return result
    run = out.runs.get(0)
    parsed = parse(text(out.stdout.get(0, b"")))
    v = verdict(parsed, run, time_limit)
    message = v.message
    status = v.status
    if internal_error is not None or unfinished is not None:
        status = "error"
        message = (
            f"internal error: {internal_error}"
            if internal_error is not None
            else f"the test run was {unfinished}"
        )
    result.update(
        status=status,
        summary=summary(v.tests),
        tests=[t.public() for t in v.tests],
        stdout=parsed.stdout,
        stderr=text(out.stderr.get(0, b"")),
        timeMs=round(run.wall_ms, 1) if run else 0.0,
        message=message,
    )
    return result


def item_events(
    index: int,
    record: RunRecord,
    stdout: bytes,
    stderr: bytes,
    prepared: Prepared | None = None,
    body: Any = None,
    *,
    time_limit_ms: int | None = None,
    memory_limit_mb: int | None = None,
) -> list[tuple[str, dict[str, Any]]]:
    """`unit` events for the finished run: one per completed test, in order (the
    whole suite is one run, so they come together when it ends)."""
    tests = parse(text(stdout)).tests
    return [("unit", {"index": i, **t.public()}) for i, t in enumerate(tests) if t.completed]


class UnitTestKind(RequestKind[UnitTestRequest]):
    """The `unitTest` kind for the seam (coderunner/kinds.py)."""

    name = NAME

    def parse(self, body: bytes) -> UnitTestRequest:
        return parse_request(body)

    def check(self, body: UnitTestRequest, admission: Admission) -> None:
        check(body, admission)

    def code(self, body: UnitTestRequest) -> str:
        # The tests come from the same client as the code: the sanitizer reads all.
        return "\n".join(x for x in (body.preloaded, body.code, body.testCode) if x)

    def prepare(self, body: UnitTestRequest, language: Language, settings: Settings) -> Prepared:
        return prepare(body, language, settings)

    def respond(self, body: UnitTestRequest, done: Finished) -> dict[str, Any]:
        return answer(
            done.session_id,
            done.out,
            done.prepared,
            body,
            time_limit_ms=done.time_limit_ms,
            memory_limit_mb=done.memory_limit_mb,
            internal_error=done.internal_error,
            unfinished=done.unfinished,
        )

    def run_events(self, body: UnitTestRequest, run: RunDone) -> list[tuple[str, dict[str, Any]]]:
        return item_events(run.index, run.record, run.stdout, run.stderr)
