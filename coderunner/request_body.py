"""What every task kind does alike: read its JSON request into its pydantic model
with one set of error messages, answer the seam's (coderunner/kinds.py) questions
about the fields every request model has (language, user, code), and take the
runner's calls (answer, item_events) in one place for the kind's own steps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InvalidRequest

if TYPE_CHECKING:
    from .admission import Admission
    from .analyzer import RunRecord, SessionOutput
    from .config import Settings
    from .kinds import Prepared
    from .languages import Language

M = TypeVar("M", bound=BaseModel)


def field_errors(exc: ValidationError) -> str:
    """Every field's complaint, "field.path: message", the first ten."""
    parts = [
        f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}"
        for e in exc.errors(include_url=False)
    ]
    return "; ".join(parts[:10])


def parse_json(
    model: type[M], body: bytes, describe: Callable[[ValidationError], str] = field_errors
) -> M:
    """The body as `model`, or InvalidRequest: an empty body, a body that is not JSON
    or not an object each get their own sentence; the fields' errors, `describe`'s."""
    if not body.strip():
        raise InvalidRequest("the request body is empty; a JSON object is expected")
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        types = {e["type"] for e in exc.errors(include_url=False)}
        if "json_invalid" in types:
            raise InvalidRequest("the request body is not valid JSON") from exc
        if "model_type" in types:
            raise InvalidRequest("the request body must be a JSON object") from exc
        raise InvalidRequest(describe(exc)) from exc


class Fields(Protocol):
    """The fields every kind's request model has."""

    @property
    def language(self) -> str: ...

    @property
    def user(self) -> str | None: ...

    @property
    def code(self) -> str: ...


B = TypeVar("B", bound=Fields)


@dataclass(frozen=True)
class Finished:
    """A finished session, as a kind's `respond` reads it. internal_error: the session
    failed, every item IE with that reason. unfinished: cancelled, what finished keeps
    its verdict and the rest is IE with that reason."""

    session_id: str
    out: SessionOutput
    prepared: Prepared
    time_limit_ms: int
    memory_limit_mb: int
    internal_error: str | None = None
    unfinished: str | None = None


@dataclass(frozen=True)
class RunDone:
    """One finished run (one test) of a session, as a kind's `run_events` reads it."""

    index: int
    record: RunRecord
    stdout: bytes
    stderr: bytes
    prepared: Prepared
    time_limit_ms: int
    memory_limit_mb: int


class RequestKind(Generic[B]):
    """A task kind (coderunner/kinds.py): what every kind does alike once, the rest
    (parse, prepare, respond, run_events) its own. The defaults read the request's
    common fields; a kind overrides what its request does differently (unitTest's
    three texts, isolatedTest's test cases)."""

    name: str  # "isolatedTest" | "unitTest" | "functionTest" | "trace"

    def parse(self, body: bytes) -> B:
        """The validated request (InvalidRequest with a clear message)."""
        raise NotImplementedError

    def language_id(self, body: B) -> str:
        return body.language

    def user(self, body: B) -> str | None:
        return body.user

    def check(self, body: B, admission: Admission) -> None:
        """Size limits (code, counts) with the SPEC's codes."""
        admission.check_submission(body.code, [])

    def code(self, body: B) -> str:
        """What the sanitizer scans."""
        return body.code

    def prepare(self, body: B, language: Language, settings: Settings) -> Prepared:
        """What the one container runs."""
        raise NotImplementedError

    def respond(self, body: B, done: Finished) -> dict[str, Any]:
        """The synchronous endpoint's 200 body."""
        raise NotImplementedError

    def run_events(self, body: B, run: RunDone) -> list[tuple[str, dict[str, Any]]]:
        """Live events for one finished run ("test", "unit", "case", "step")."""
        raise NotImplementedError

    # The runner's calls, in its words: one place bundles them for the kind.
    def answer(
        self,
        session_id: str,
        out: SessionOutput,
        prepared: Prepared,
        body: B,
        *,
        time_limit_ms: int,
        memory_limit_mb: int,
        internal_error: str | None = None,
        unfinished: str | None = None,
    ) -> dict[str, Any]:
        done = Finished(
            session_id, out, prepared, time_limit_ms, memory_limit_mb, internal_error, unfinished
        )
        return self.respond(body, done)

    def item_events(
        self,
        index: int,
        record: RunRecord,
        stdout: bytes,
        stderr: bytes,
        prepared: Prepared,
        body: B,
        *,
        time_limit_ms: int,
        memory_limit_mb: int,
    ) -> list[tuple[str, dict[str, Any]]]:
        run = RunDone(index, record, stdout, stderr, prepared, time_limit_ms, memory_limit_mb)
        return self.run_events(body, run)
