"""Request models (pydantic lives at the edges only)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import InvalidRequest


class Submission(BaseModel):
    # Strict: "5" is not an int and 5 is not a string; unknown fields are ignored so
    # that a newer client still works against this server.
    model_config = ConfigDict(strict=True, extra="ignore")

    code: str = Field(min_length=1)
    language: str = Field(min_length=1, max_length=64)
    # Either the tests or a stored problem's id (SPEC section 10).
    testCases: list[str] | None = Field(None, min_length=1)
    problemId: str | None = Field(None, pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    user: str | None = Field(None, max_length=256)
    expectedOutputs: list[str] | None = None
    timeLimitMs: int | None = Field(None, gt=0)
    memoryLimitMb: int | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _same_length(self) -> Submission:
        if self.problemId is not None:
            if self.testCases is not None or self.expectedOutputs is not None:
                raise ValueError(
                    'give either "problemId" or "testCases" (and "expectedOutputs"), not both'
                )
            return self
        if self.testCases is None:
            raise ValueError('"testCases" is required (or a "problemId")')
        if self.expectedOutputs is not None and len(self.expectedOutputs) != len(self.testCases):
            raise ValueError(
                f"expectedOutputs has {len(self.expectedOutputs)} items but testCases has "
                f"{len(self.testCases)}"
            )
        return self


class TaskSubmission(Submission):
    """POST /tasks: a kind's request body plus the task's own fields."""

    kind: str = Field("isolatedTest", description="isolatedTest, trace, or a registered kind")
    callbackUrl: str | None = Field(
        None, max_length=2048, description="http(s) URL on a host of tasks.webhook_hosts"
    )


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False):
        where = ".".join(str(p) for p in err["loc"]) or "body"
        msg = err["msg"]
        if err["type"] == "string_too_short" and where == "code":
            msg = "code must not be empty"
        elif err["type"] == "too_short" and where == "testCases":
            msg = "at least one test case is required"
        parts.append(f"{where}: {msg}")
    return "; ".join(parts[:10])


# Other request models (function tests, stored problems) describe their errors alike.
describe_error = _describe


def parse_submission(body: bytes) -> Submission:
    if not body.strip():
        raise InvalidRequest("the request body is empty; a JSON object is expected")
    try:
        return Submission.model_validate_json(body)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise InvalidRequest("the request body is not valid JSON") from exc
        if any(e["type"] == "model_type" for e in exc.errors()):
            raise InvalidRequest("the request body must be a JSON object") from exc
        raise InvalidRequest(_describe(exc)) from exc
