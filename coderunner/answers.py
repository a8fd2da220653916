"""The answers of coderunner's endpoints, as models.

GET /openapi.json is generated from them (coderunner/openapi.py), and the tests
validate real answers against them; the endpoints still build plain dicts. The
verdicts and statuses come from their enums (analyzer.Status, tasks' TaskStatus,
the tracer's stop reasons), so a new value shows up in the document by itself.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .analyzer import Status
from .harness.trace import STOP_REASONS
from .tasks.model import TaskStatus

SESSION_ID = r"^[0-9a-f]{32}$"
# Beyond the tracer's own reasons: what is not the program's doing (harness/trace.py).
TRACE_STOP_REASONS = (*STOP_REASONS, "internal_error", "cancelled")
UnitStatus = Literal["pass", "fail", "error"]
TaskEventType = Literal["status", "compile", "test", "unit", "case", "step", "done"]


class Answer_(BaseModel):
    """Answers allow fields a newer server adds: a client must ignore them."""

    model_config = ConfigDict(extra="allow")


class Result(Answer_):
    status: Status
    exitCode: int | None
    signal: int | None
    timeMs: float = Field(ge=0)
    cpuMs: float = Field(0.0, ge=0)
    memoryKb: int = Field(ge=0)
    stdoutTruncated: bool
    stderrTruncated: bool
    error: str | None = None


class Answer(Answer_):
    """POST /isolatedTest: one entry per test case, in order."""

    sessionId: str = Field(pattern=SESSION_ID)
    compilerErrors: str
    stdout: list[str]
    stderr: list[str]
    timestamps: list[float]
    results: list[Result]


class CaseResult(Answer_):
    status: Status
    actual: Any
    expected: Any
    error: str | None
    stdout: str
    timeMs: float = Field(ge=0)


class FunctionAnswer(Answer):
    """POST /functionTest: the /isolatedTest answer plus one entry per case."""

    cases: list[CaseResult]


class Assertion(Answer_):
    passed: bool
    message: str


class UnitTestResult(Answer_):
    path: list[str]
    name: str
    status: UnitStatus
    timeMs: float | None
    assertions: list[Assertion]
    output: str


class UnitSummary(Answer_):
    tests: int = Field(ge=0)
    passed: int = Field(ge=0)
    failed: int = Field(ge=0)
    errors: int = Field(ge=0)


class UnitTestAnswer(Answer_):
    """POST /unitTest: the overall status and one entry per test, in order."""

    sessionId: str
    status: UnitStatus
    compilerErrors: str
    summary: UnitSummary
    tests: list[UnitTestResult]
    stdout: str
    stderr: str
    timeMs: float = Field(ge=0)
    message: str | None


class Value(Answer_):
    type: Literal["bool", "number", "string", "object", "array", "none", "other"]
    value: Any
    truncated: bool = False
    length: int | None = None


class Step(Answer_):
    step: int = Field(ge=0)
    line: int
    event: Literal["line", "call", "return", "exception"]
    functionScope: list[str]
    localChanges: dict[str, Value]
    globalChanges: dict[str, Value]
    returnValue: Value | None = None
    exception: str | None = None


class TraceError(Answer_):
    type: str
    message: str
    line: int | None


class TraceAnswer(Answer_):
    """POST /trace: the steps recorded and why the program stopped."""

    sessionId: str
    stopReason: str = Field(json_schema_extra={"enum": list(TRACE_STOP_REASONS)})
    stdout: str
    stderr: str
    error: TraceError | None
    steps: list[Step]
    timeMs: float = Field(0.0, ge=0)
    cpuMs: float = Field(0.0, ge=0)
    memoryKb: int = Field(0, ge=0)


class TaskError(Answer_):
    code: str
    message: str


class Task(Answer_):
    """GET /tasks/{id}; also a webhook's body."""

    id: str = Field(pattern=SESSION_ID)
    kind: str
    status: TaskStatus
    createdAt: str
    startedAt: str | None
    finishedAt: str | None
    # The kind's synchronous answer.
    result: Answer | FunctionAnswer | UnitTestAnswer | TraceAnswer | None
    error: TaskError | None


class TaskAccepted(Answer_):
    id: str = Field(pattern=SESSION_ID)
    status: TaskStatus
    links: dict[str, str]


class TaskList(Answer_):
    """GET /tasks?ids=: in the order asked; null for an unknown id."""

    tasks: list[Task | None]


class TaskEventLine(BaseModel):
    """One Server-Sent Event of GET /tasks/{id}/events."""

    id: str = Field(pattern=r"^[0-9]+$")
    event: TaskEventType
    data: str = Field(description="one line of JSON")


class Package(Answer_):
    name: str
    version: str


class Language(Answer_):
    id: str
    name: str
    version: str
    compiled: bool
    extension: str
    unitTest: bool
    trace: bool
    functionTest: bool
    packages: list[Package]


class Worker(Answer_):
    id: str
    host: str
    slots: int = Field(ge=0)
    running: int = Field(ge=0)
    languages: list[str]
    lastSeen: str | None


class Disk(Answer_):
    path: str
    freeBytes: int | None
    minFreeBytes: int
    ok: bool


class Health(Answer_):
    """GET /health (200 healthy, 503 not): the parts, each with its own report."""

    status: Literal["ok", "low_disk", "draining", "unavailable"]
    disk: dict[str, Disk]


class Problem(Answer_):
    id: str
    kind: Literal["isolatedTest", "functionTest"]
    tests: int = Field(ge=1)
    inputBytes: int = Field(ge=0)
    createdAt: str
    updatedAt: str
    title: str | None = None
    hasExpectedOutputs: bool | None = None
    testCases: list[str] | None = None
    expectedOutputs: list[str] | None = None
    function: dict[str, Any] | None = None
    cases: list[Any] | None = None
    compare: dict[str, Any] | None = None


class ProblemList(Answer_):
    problems: list[Problem]


class Deleted(Answer_):
    deleted: str


class Accepted(Answer_):
    """GET /analyseTest: the handler's callback was taken."""

    data: None
