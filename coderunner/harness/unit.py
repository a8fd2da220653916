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

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..analyzer import RunRecord, SessionOutput, compile_failed, compiler_message, text
from ..config import Settings
from ..errors import CodeTooLong, InvalidRequest, UnsupportedLanguage
from ..languages import Language
from .protocol import Parsed, UnitTest, parse

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
    if not body.strip():
        raise InvalidRequest("the request body is empty; a JSON object is expected")
    try:
        return UnitTestRequest.model_validate_json(body)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        if any(e["type"] == "json_invalid" for e in errors):
            raise InvalidRequest("the request body is not valid JSON") from exc
        if any(e["type"] == "model_type" for e in errors):
            raise InvalidRequest("the request body must be a JSON object") from exc
        parts = [f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in errors]
        raise InvalidRequest("; ".join(parts[:10])) from exc


@dataclass(frozen=True)
class Prepared:
    """What one container runs (the Kind seam's shape, INTERFACES section 2)."""

    language: Language
    source_name: str
    files: dict[str, bytes]
    compile: str
    run: str
    tests: list[bytes]
    time_limit_ms: int | None = None
    memory_limit_mb: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def supports(language: Language) -> bool:
    return "unit" in language.recipes


def prepare(body: UnitTestRequest, language: Language, settings: Settings) -> Prepared:
    recipe = language.recipes.get("unit")
    if recipe is None:
        raise UnsupportedLanguage(f"language {language.id!r} has no unit-test harness")
    lim = settings.limits
    for name in ("code", "testCode", "preloaded"):
        value = getattr(body, name) or ""
        size = len(value.encode("utf-8"))
        if size > lim.max_code_bytes:
            raise CodeTooLong(f"{name} is {size} bytes; the limit is {lim.max_code_bytes}")
    time_limit = body.timeLimitMs or lim.unit_time_limit_ms
    if time_limit > lim.max_unit_time_limit_ms:
        raise InvalidRequest(
            f"timeLimitMs {time_limit} is above limits.max_unit_time_limit_ms "
            f"({lim.max_unit_time_limit_ms})"
        )
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
        time_limit_ms=time_limit,
        memory_limit_mb=body.memoryLimitMb,
    )


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
    status: str                      # pass | fail | error
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
    session_id: str, out: SessionOutput, prepared: Prepared, body: Any = None
) -> dict[str, Any]:
    """The 200 body of POST /unitTest (SPEC section 9)."""
    time_limit = prepared.time_limit_ms or 0
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
    if compile_failed(out, prepared.language.compiled or bool(prepared.compile)):
        result["compilerErrors"] = compiler_message(out)
        result["message"] = "compilation failed"
        return result
    run = out.runs.get(0)
    parsed = parse(text(out.stdout.get(0, b"")))
    v = verdict(parsed, run, time_limit)
    result.update(
        status=v.status,
        summary=summary(v.tests),
        tests=[t.public() for t in v.tests],
        stdout=parsed.stdout,
        stderr=text(out.stderr.get(0, b"")),
        timeMs=round(run.wall_ms, 1) if run else 0.0,
        message=v.message,
    )
    if out.handler.get("error") and run is None:
        result["message"] = f"container failed: {out.handler['error']}"
    return result


def item_event(
    index: int, record: RunRecord, stdout: str, stderr: str
) -> list[tuple[str, dict[str, Any]]]:
    """`unit` events for the finished run: one per test, in order (the whole suite
    is one run, so they come together when it ends)."""
    tests = parse(stdout).tests
    return [("unit", {"index": i, **t.public()}) for i, t in enumerate(tests) if t.completed]
