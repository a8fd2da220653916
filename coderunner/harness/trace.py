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
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..analyzer import RunRecord, SessionOutput, text
from ..config import Settings
from ..errors import CodeTooLong, InputTooLarge, InternalError, InvalidRequest, UnsupportedLanguage
from ..languages import Language

NAME = "trace"
DEFAULT_STEPS = 1000          # SPEC section 11
PARAMS_FILE = "trace.json"    # staged beside the source; the tracer's parameters
EVENT_BATCH = 200             # steps per live "step" event

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
    if not body.strip():
        raise InvalidRequest("the request body is empty; a JSON object is expected")
    try:
        return TraceRequest.model_validate_json(body)
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
    # The trace is the run's stdout: it needs a larger cap than a program's output.
    max_output_bytes: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def supports(language: Language) -> bool:
    return "trace" in language.recipes


def prepare(body: TraceRequest, language: Language, settings: Settings) -> Prepared:
    recipe = language.recipes.get("trace")
    if recipe is None or not recipe.get("run"):
        raise UnsupportedLanguage(f"language {language.id!r} has no execution tracer")
    lim = settings.limits
    size = len(body.code.encode("utf-8"))
    if size > lim.max_code_bytes:
        raise CodeTooLong(f"code is {size} bytes; the limit is {lim.max_code_bytes}")
    stdin = body.stdin.encode("utf-8")
    if len(stdin) > lim.max_input_bytes:
        raise InputTooLarge(f"stdin is {len(stdin)} bytes; the limit is {lim.max_input_bytes}")
    steps = body.maxSteps or DEFAULT_STEPS
    if steps > lim.max_trace_steps:
        raise InvalidRequest(
            f"maxSteps {steps} is above limits.max_trace_steps ({lim.max_trace_steps})"
        )
    time_limit = body.timeLimitMs or lim.time_limit_ms
    if time_limit > lim.max_time_limit_ms:
        raise InvalidRequest(
            f"timeLimitMs {time_limit} is above limits.max_time_limit_ms ({lim.max_time_limit_ms})"
        )
    if body.memoryLimitMb is not None and body.memoryLimitMb > lim.max_memory_limit_mb:
        raise InvalidRequest(
            f"memoryLimitMb {body.memoryLimitMb} is above limits.max_memory_limit_mb "
            f"({lim.max_memory_limit_mb})"
        )
    params = {
        "maxSteps": steps,
        "maxOutputBytes": lim.max_output_bytes,
        "maxTraceBytes": lim.max_trace_bytes,
    }
    return Prepared(
        language=language,
        source_name=language.source_name,
        files={
            language.source_name: body.code.encode("utf-8"),
            PARAMS_FILE: json.dumps(params).encode("ascii"),
        },
        compile=recipe.get("compile", ""),
        run=recipe["run"],
        tests=[stdin],
        time_limit_ms=time_limit,
        memory_limit_mb=body.memoryLimitMb,
        max_output_bytes=lim.max_trace_bytes,
        extra={"maxSteps": steps, "memoryLimitMb": body.memoryLimitMb or lim.memory_limit_mb},
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
    for line in lines[:-1]:   # the part after the last newline is incomplete
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
    prepared: Prepared,
    body: TraceRequest,
) -> dict[str, Any]:
    """The 200 body of POST /trace (SPEC section 11)."""
    run = out.runs.get(0)
    if run is None or run.error != "-":
        why = f"supervisor error: {run.error}" if run else "the traced run did not take place"
        raise InternalError(why)
    parsed = parse(text(out.stdout.get(0, b"")))
    stderr = text(out.stderr.get(0, b""))
    reason = stop_reason(parsed, run, prepared.extra.get("memoryLimitMb"))
    if not parsed.started and reason in ("completed", "exception"):
        # The tracer never ran (python missing, the harness file unreadable):
        # that is ours, not the program's.
        raise InternalError(f"the tracer did not start: {stderr[-500:]}".strip())
    error = parsed.error if reason == "exception" else None
    if reason == "exception" and error is None:
        # Ended without the tracer's last word and without a limit: killed by a
        # signal or os._exit from the program.
        how = f"signal {run.signal}" if run.signal else f"exit code {run.exit}"
        error = {"type": "ProgramExit", "message": f"the program ended with {how}", "line": None}
    return {
        "sessionId": session_id,
        "stopReason": reason,
        "stdout": "".join(parsed.stdout),
        "stderr": stderr,
        "error": error,
        "steps": parsed.steps,
        "timeMs": round(run.wall_ms, 1),
        "cpuMs": round(run.cpu_ms, 1),
        "memoryKb": run.maxrss_kb,
    }


def item_event(index: int, record: RunRecord, stdout: str, stderr: str) -> list[tuple[str, dict]]:
    """Live events for the finished run: its steps in batches of EVENT_BATCH."""
    steps = parse(stdout).steps
    return [
        ("step", {"from": i, "steps": steps[i:i + EVENT_BATCH]})
        for i in range(0, len(steps), EVENT_BATCH)
    ]
