"""The `trace` task kind (SPEC section 11, POST /trace): a Python program run once
in the ordinary pipeline under the tracer that the python image carries
(images/common/harness/tracer.py, installed as /opt/coderunner/harness/tracer.py).

Pure functions only: the request model, `prepare` (what the container runs, from
the language's [trace] recipe), the parser of the tracer's stdout and `answer`
(the parsed trace + crrun's record of the run -> the SPEC body).

The tracer writes one JSON object a line as the program runs ("start", a step,
"out" with the program's own prints, "end" with why it stopped), so whatever ends
the run, what reached the capped stdout is a trace: a line cut by a kill is
dropped, and when no "end" line came, crrun's record says why (timeout, memory,
output cap).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from ..analyzer import RunRecord, SessionOutput, text
from ..errors import InvalidRequest, UnsupportedLanguage
from ..languages import Language
from ..request_body import Finished, RequestKind, RunDone, parse_json

if TYPE_CHECKING:
    from ..admission import Admission
    from ..config import Settings
    from ..kinds import Prepared

NAME = "trace"
DEFAULT_STEPS = 1000  # SPEC section 11
EVENT_BATCH = 200  # steps per live "step" event

STOP_REASONS = ("completed", "exception", "step_limit", "timeout", "memory_limit", "output_limit")


class TraceRequest(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    code: str = Field(min_length=1)
    stdin: str = ""
    language: str = Field("python", min_length=1, max_length=64)
    maxSteps: int | None = Field(None, gt=0)
    timeLimitMs: int | None = Field(None, gt=0)
    memoryLimitMb: int | None = Field(None, gt=0)
    user: str | None = Field(None, max_length=256)


def parse_request(body: bytes) -> TraceRequest:
    return parse_json(TraceRequest, body)


def supports(language: Language) -> bool:
    return "trace" in language.recipes


def prepare(body: TraceRequest, language: Language, settings: Settings) -> Prepared:
    """The program as the language's source file, run by the [trace] recipe with the
    tracer's three numbers appended (a plain recipe: crrun execs it directly)."""
    from ..kinds import Prepared  # kinds registers this module's kind

    recipe = language.recipes.get("trace")
    if recipe is None or not recipe.get("run"):
        raise UnsupportedLanguage(f"language {language.id!r} has no execution tracer")
    lim = settings.limits
    steps = body.maxSteps or DEFAULT_STEPS
    if steps > lim.max_trace_steps:
        raise InvalidRequest(
            f"maxSteps {steps} is above limits.max_trace_steps ({lim.max_trace_steps})",
            details={"limit": lim.max_trace_steps},
        )
    run = f"{recipe['run']} {steps} {lim.max_output_bytes} {lim.max_trace_bytes}"
    return Prepared(
        language=language,
        source_name=language.source_name,
        files={language.source_name: body.code.encode("utf-8")},
        compile=recipe.get("compile", ""),
        run=run,
        tests=[body.stdin.encode("utf-8")],
        time_limit_ms=body.timeLimitMs,
        memory_limit_mb=body.memoryLimitMb,
        max_output_bytes=lim.max_trace_bytes,
        extra={"maxSteps": steps},
    )


# ---- the tracer's stdout -------------------------------------------------------


@dataclass
class Parsed:
    started: bool = False
    steps: list[dict[str, Any]] = field(default_factory=list)
    stdout: list[str] = field(default_factory=list)
    end: str | None = None
    error: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)


def parse(output: str) -> Parsed:
    """Every complete line the tracer wrote, in order.  A last line without its
    newline was cut (a kill, the output cap) and is dropped; so is anything that
    is not one of the tracer's objects (nothing else writes to this stream)."""
    parsed = Parsed()
    lines = output.split("\n")
    for line in lines[:-1]:  # the part after the last newline is incomplete
        if not line.startswith("{"):
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if not isinstance(obj, dict):
            continue
        if "step" in obj:
            if parsed.end is None:
                parsed.steps.append(obj)
        elif "out" in obj:
            if isinstance(obj["out"], str) and parsed.end is None:
                parsed.stdout.append(obj["out"])
        elif "end" in obj:
            if parsed.end is None and obj["end"] in STOP_REASONS:
                parsed.end = obj["end"]
                error = obj.get("error")
                parsed.error = error if isinstance(error, dict) else None
        elif "start" in obj:
            parsed.started = True
        elif "warn" in obj and len(parsed.warnings) < 20:
            parsed.warnings.append(str(obj["warn"])[:300])
    return parsed


def stop_reason(parsed: Parsed, run: RunRecord, memory_limit_mb: int | None) -> str:
    """The tracer's own word when it said one; else what stopped it, from crrun."""
    if parsed.end is not None:
        return parsed.end
    if run.oom or (memory_limit_mb and run.maxrss_kb > memory_limit_mb * 1024):
        return "memory_limit"
    if run.timeout != "none":
        return "timeout"
    if run.ole:
        return "output_limit"
    if run.signal or run.exit != 0:
        return "exception"
    return "completed"


def answer(
    session_id: str,
    out: SessionOutput,
    body: TraceRequest,
    *,
    memory_limit_mb: int,
    internal_error: str | None = None,
    unfinished: str | None = None,
) -> dict[str, Any]:
    """The 200 body of POST /trace (SPEC section 11).  Two stop reasons beyond the
    SPEC's, for what is not the program's doing: "internal_error" (the session
    failed; error.message says why) and "cancelled" (DELETE /tasks/{id})."""
    run = None if internal_error else out.runs.get(0)
    parsed = parse(text(out.stdout.get(0, b""))) if run else Parsed()
    stderr = text(out.stderr.get(0, b"")) if run else ""
    problem = internal_error
    if run is None and problem is None and unfinished is None:
        problem = "the traced run did not take place"
    elif run is not None and run.error != "-":
        problem = f"supervisor error: {run.error}"
    if run is None or problem is not None:
        reason = "internal_error" if problem is not None or unfinished is None else "cancelled"
        error: dict[str, Any] | None = {
            "type": "InternalError" if reason == "internal_error" else "Cancelled",
            "message": problem or unfinished or "",
            "line": None,
        }
        return _body(session_id, reason, parsed, stderr, error, run)
    reason = stop_reason(parsed, run, memory_limit_mb)
    if not parsed.started and reason in ("completed", "exception"):
        # The tracer never ran (the harness missing from the image): ours, not the program's.
        message = f"the tracer did not start: {stderr[-500:]}".strip()
        return _body(
            session_id,
            "internal_error",
            parsed,
            stderr,
            {"type": "InternalError", "message": message, "line": None},
            run,
        )
    error = parsed.error if reason == "exception" else None
    if reason == "exception" and error is None:
        # Ended without the tracer's last word and without a limit: killed by a
        # signal, or os._exit from the program.
        how = f"signal {run.signal}" if run.signal else f"exit code {run.exit}"
        error = {"type": "ProgramExit", "message": f"the program ended with {how}", "line": None}
    return _body(session_id, reason, parsed, stderr, error, run)


def _body(
    session_id: str,
    reason: str,
    parsed: Parsed,
    stderr: str,
    error: dict[str, Any] | None,
    run: RunRecord | None,
) -> dict[str, Any]:
    return {
        "sessionId": session_id,
        "stopReason": reason,
        "stdout": "".join(parsed.stdout),
        "stderr": stderr,
        "error": error,
        "steps": parsed.steps,
        "timeMs": round(run.wall_ms, 1) if run else 0.0,
        "cpuMs": round(run.cpu_ms, 1) if run else 0.0,
        "memoryKb": run.maxrss_kb if run else 0,
    }


class Trace(RequestKind[TraceRequest]):
    """The Kind (coderunner/kinds.py) of POST /trace and of tasks with kind "trace"."""

    name = NAME

    def parse(self, body: bytes) -> TraceRequest:
        return parse_request(body)

    def check(self, body: TraceRequest, admission: Admission) -> None:
        admission.check_submission(body.code, [body.stdin])

    def prepare(self, body: TraceRequest, language: Language, settings: Settings) -> Prepared:
        return prepare(body, language, settings)

    def respond(self, body: TraceRequest, done: Finished) -> dict[str, Any]:
        return answer(
            done.session_id,
            done.out,
            body,
            memory_limit_mb=done.memory_limit_mb,
            internal_error=done.internal_error,
            unfinished=done.unfinished,
        )

    def run_events(self, body: TraceRequest, run: RunDone) -> list[tuple[str, dict[str, Any]]]:
        """The finished run's steps as "step" events, EVENT_BATCH steps each."""
        steps = parse(text(run.stdout)).steps
        return [
            ("step", {"from": i, "steps": steps[i : i + EVENT_BATCH]})
            for i in range(0, len(steps), EVENT_BATCH)
        ]
