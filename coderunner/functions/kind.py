"""The `functionTest` task kind (SPEC §10): POST /functionTest and POST /tasks with
"kind": "functionTest". Pure functions around the one pipeline (coderunner/kinds.py):
the request in, a generated harness and one run per case out (stdin "i\\n"), the
answer and the `case` events from the analyzer's output."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..errors import InvalidRequest
from ..languages import Language
from ..problems import lookup
from ..request_body import Finished, RequestKind, RunDone
from . import answer, codegen
from .request import Case, Compare, FunctionJob, FunctionSpec, FunctionTest, function_job
from .request import parse_function_test as _parse

if TYPE_CHECKING:
    from ..config import Settings
    from ..kinds import Prepared


def parse(body: bytes) -> FunctionTest:
    sub = _parse(body)
    given = sub.function is not None or sub.cases is not None
    if sub.problemId is not None and given:
        raise InvalidRequest('give either "problemId" or "function" and "cases", not both')
    if sub.problemId is None and (sub.function is None or sub.cases is None):
        raise InvalidRequest('"function" and "cases" are required (or a "problemId")')
    return sub


def resolve(sub: FunctionTest, settings: Settings) -> FunctionJob:
    """The checked signature and cases: the request's, or its stored problem's."""
    max_cases = settings.limits.max_cases
    if sub.problemId is None:
        assert sub.function is not None and sub.cases is not None
        return function_job(sub.function, sub.cases, sub.compare, max_cases=max_cases)
    problem = lookup(settings.problems.database, sub.problemId)
    if problem is None:
        raise InvalidRequest(
            f"unknown problemId {sub.problemId!r}", details={"problemId": sub.problemId}
        )
    if problem.kind != "functionTest":
        raise InvalidRequest(
            f"problem {sub.problemId!r} holds stdin tests: submit it to /isolatedTest"
        )
    d = problem.definition
    try:
        spec = FunctionSpec.model_validate(d["function"])
        cases = [Case.model_validate(c) for c in d["cases"]]
        compare = sub.compare or Compare.model_validate(d.get("compare") or {})
    except (KeyError, ValidationError) as exc:  # written by this server: not expected
        raise InvalidRequest(f"problem {sub.problemId!r} is unreadable: {exc}") from exc
    return function_job(spec, cases, compare, max_cases=max_cases)


class FunctionTestKind(RequestKind[FunctionTest]):
    name = "functionTest"

    def parse(self, body: bytes) -> FunctionTest:
        return parse(body)

    def prepare(self, body: FunctionTest, language: Language, settings: Settings) -> Prepared:
        from ..kinds import Prepared  # kinds.py registers this kind: imported late

        job = resolve(body, settings)
        harness = codegen.harness(
            language,
            body.code,
            job,
            # The value and the prints share the run's stdout cap.
            max_prints=settings.limits.max_output_bytes // 2,
        )
        return Prepared(
            language=language,
            source_name=harness.source_name,
            files=harness.files,
            compile=harness.compile,
            run=harness.run,
            tests=[b"%d\n" % i for i in range(len(job.cases))],
            time_limit_ms=body.timeLimitMs,
            memory_limit_mb=body.memoryLimitMb,
            extra={"job": job},
        )

    def respond(self, body: FunctionTest, done: Finished) -> dict[str, Any]:
        return answer.build_answer(
            done.session_id,
            done.out,
            done.prepared.extra["job"],
            compiled=bool(done.prepared.compile),
            time_limit_ms=done.time_limit_ms,
            memory_limit_mb=done.memory_limit_mb,
            internal_error=done.internal_error,
            unfinished=done.unfinished,
        )

    def run_events(self, body: FunctionTest, run: RunDone) -> list[tuple[str, dict[str, Any]]]:
        case = answer.case_result(
            run.prepared.extra["job"],
            run.index,
            run.record,
            run.stdout,
            run.stderr,
            compile_failed=False,
            time_limit_ms=run.time_limit_ms,
            memory_limit_mb=run.memory_limit_mb,
        )
        return [("case", {"index": run.index, **case})]
