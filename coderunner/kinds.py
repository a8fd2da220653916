"""Task kinds: how a harness plugs into the one pipeline (SPEC sections 8-11).

Every kind runs in ONE container of the ordinary pipeline: compile once, each "test"
one crrun run with the same limits and verdicts. A kind is a small object of pure
functions: validate the body, say what the container runs (`Prepared`), turn the
analyzer's output into the synchronous endpoint's 200 body (`answer`), and turn one
finished run into live events (`item_events`). The runner, queue, pool, store and
events are the same for every kind.

`isolatedTest` is the first kind; unitTest, functionTest and trace register theirs in
`KINDS` (a dict, so that a kind is one import and one line).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from . import analyzer
from .errors import InvalidRequest
from .harness.trace import Trace
from .languages import Language
from .request_body import Finished, RequestKind, RunDone
from .schemas import Submission, parse_submission

if TYPE_CHECKING:
    from .admission import Admission
    from .config import Settings

# Names of files staged into input/ (and copied into the work dir by entry.sh).
FILE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")
RESERVED = {"testcases", "job", "go", "done"}


@dataclass(frozen=True)
class Prepared:
    """What one container runs."""

    language: Language
    source_name: str  # the main file in input/ (what CR_SOURCE names)
    files: dict[str, bytes]  # every file staged into input/ (source included)
    compile: str  # compile recipe ("" = nothing to compile)
    run: str  # run recipe
    tests: Sequence[bytes]  # stdin of each run, in order (a stored problem: read lazily)
    # The requested per-test CPU limit (None: limits.time_limit_ms), capped at
    # max_time_limit_ms (None: limits.max_time_limit_ms); the language's time_factor
    # is applied on top (coderunner/limits.py). A unit-test kind sets both to its
    # whole-run limit.
    time_limit_ms: int | None = None
    max_time_limit_ms: int | None = None
    memory_limit_mb: int | None = None
    # The per-test stdout/stderr cap (None: limits.max_output_bytes). A trace is the
    # run's stdout and gets limits.max_trace_bytes.
    max_output_bytes: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # for the kind's own answer()

    def __post_init__(self) -> None:
        for name in self.files:
            if not FILE_NAME.match(name) or name in RESERVED:
                raise ValueError(f"bad input file name {name!r}")
        if self.source_name not in self.files:
            raise ValueError(f"the source {self.source_name!r} is not among the files")
        if not self.tests:
            raise ValueError("at least one run is needed")

    @property
    def extra_files(self) -> list[str]:
        """The files besides the source (FILES= / CR_FILES)."""
        return sorted(name for name in self.files if name != self.source_name)

    @property
    def default_recipes(self) -> bool:
        """The language's own recipes and no extra file: any warm container fits."""
        return (
            not self.extra_files
            and self.compile == self.language.compile
            and self.run == self.language.run
        )


# The seam every kind is typed by: the base holds the calls all kinds share.
Kind: TypeAlias = RequestKind[Any]


class IsolatedTest(RequestKind[Submission]):
    """POST /isolatedTest (SPEC section 2): stdin per test, stdout/verdict per test."""

    name = "isolatedTest"

    def parse(self, body: bytes) -> Submission:
        return parse_submission(body)

    def check(self, body: Submission, admission: Admission) -> None:
        admission.check_submission(body.code, body.testCases or [])

    def prepare(self, body: Submission, language: Language, settings: Settings) -> Prepared:
        tests: Sequence[bytes]
        extra: dict[str, Any] = {}
        if body.problemId is not None:
            # A stored problem (SPEC section 10): its inputs are staged by the kernel.
            tests, extra["expected"] = stored_tests(settings, body.problemId)
        else:
            assert body.testCases is not None
            tests = [t.encode("utf-8") for t in body.testCases]
        return Prepared(
            language=language,
            source_name=language.source_name,
            files={language.source_name: body.code.encode("utf-8")},
            compile=language.compile,
            run=language.run,
            tests=tests,
            time_limit_ms=body.timeLimitMs,
            memory_limit_mb=body.memoryLimitMb,
            extra=extra,
        )

    def respond(self, body: Submission, done: Finished) -> dict[str, Any]:
        return analyzer.build_answer(
            done.session_id,
            done.out,
            tests=len(done.prepared.tests),
            compiled=bool(done.prepared.compile),
            time_limit_ms=done.time_limit_ms,
            memory_limit_mb=done.memory_limit_mb,
            expected=done.prepared.extra.get("expected", body.expectedOutputs),
            internal_error=done.internal_error,
            unfinished=done.unfinished,
        )

    def run_events(self, body: Submission, run: RunDone) -> list[tuple[str, dict[str, Any]]]:
        outputs = run.prepared.extra.get("expected", body.expectedOutputs)
        expected = None if outputs is None else outputs[run.index]
        result = analyzer.test_result(
            run.record,
            run.stdout,
            time_limit_ms=run.time_limit_ms,
            memory_limit_mb=run.memory_limit_mb,
            expected=expected,
        )
        return [
            (
                "test",
                {
                    "index": run.index,
                    "result": result,
                    "stdout": analyzer.text(run.stdout),
                    "stderr": analyzer.text(run.stderr),
                },
            )
        ]


def stored_tests(settings: Settings, problem_id: str) -> tuple[Sequence[bytes], list[str] | None]:
    """A stored stdin problem's inputs (left in their file) and expected outputs."""
    from .problems import StoredTests, expected_outputs, lookup

    problem = lookup(settings.problems.database, problem_id)
    if problem is None:
        raise InvalidRequest(f"unknown problemId {problem_id!r}", details={"problemId": problem_id})
    if problem.blob is None:
        raise InvalidRequest(
            f"problem {problem_id!r} holds function cases: submit it to /functionTest"
        )
    try:
        return StoredTests(problem.blob), expected_outputs(problem)
    except FileNotFoundError:  # replaced between the lookup and the open
        return stored_tests(settings, problem_id)


KINDS: dict[str, Kind] = {"isolatedTest": IsolatedTest(), "trace": Trace()}

# The harness kinds import Prepared from here, so they are registered after it.
from .functions.kind import FunctionTestKind  # noqa: E402

KINDS["functionTest"] = FunctionTestKind()
from .harness.unit import UnitTestKind  # noqa: E402

KINDS["unitTest"] = UnitTestKind()


def kind_named(name: object) -> Kind:
    if not isinstance(name, str) or name not in KINDS:
        raise InvalidRequest(f"unknown kind {name!r}; valid kinds: {', '.join(sorted(KINDS))}")
    return KINDS[name]
