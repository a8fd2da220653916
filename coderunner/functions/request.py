"""The function-test request (SPEC §10) and its admission checks (pure).

`parse_function_test(body)` validates the shape (400 invalid_request);
`check_cases(signature, cases, max_cases)` checks every argument and expected value
against the declared types (400 invalid_arguments, naming the case index and the
parameter), before anything is staged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InvalidArguments, InvalidRequest, TooManyTestCases
from ..request_body import parse_json
from ..schemas import describe_error
from .types import Type, check, normalize, parse_type

IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
PROBLEM_ID = r"^[A-Za-z0-9_.-]{1,64}$"
MAX_PARAMS = 16


class Param(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    name: str = Field(pattern=IDENTIFIER)
    type: str = Field(max_length=16)


class FunctionSpec(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    # An identifier in every target language's syntax: it is written into the harness.
    name: str = Field(pattern=IDENTIFIER)
    params: list[Param] = Field(max_length=MAX_PARAMS)
    returns: str = Field(max_length=16)


class Case(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    args: list[Any]
    expected: Any = Field(...)


class Compare(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    mode: Literal["exact", "unordered", "float"] = "exact"
    tolerance: float = Field(1e-6, ge=0, allow_inf_nan=False)


class FunctionTest(BaseModel):
    """POST /functionTest. Either `function` + `cases` (+ `compare`) or `problemId`."""

    model_config = ConfigDict(strict=True, extra="ignore")
    code: str = Field(min_length=1)
    language: str = Field(min_length=1, max_length=64)
    function: FunctionSpec | None = None
    cases: list[Case] | None = Field(None, min_length=1)
    compare: Compare | None = None
    problemId: str | None = Field(None, pattern=PROBLEM_ID)
    user: str | None = Field(None, max_length=256)
    timeLimitMs: int | None = Field(None, gt=0)
    memoryLimitMb: int | None = Field(None, gt=0)


@dataclass(frozen=True)
class Signature:
    """A checked FunctionSpec: the types parsed."""

    name: str
    params: tuple[tuple[str, Type], ...]
    returns: Type

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "params": [{"name": n, "type": str(t)} for n, t in self.params],
            "returns": str(self.returns),
        }


@dataclass(frozen=True)
class CheckedCase:
    args: tuple[Any, ...]  # normalized (doubles as floats)
    expected: Any


@dataclass(frozen=True)
class FunctionJob:
    """Everything the harness and the comparison need, checked."""

    signature: Signature
    cases: tuple[CheckedCase, ...]
    mode: str
    tolerance: float


def parse_function_test(body: bytes) -> FunctionTest:
    return parse_json(FunctionTest, body, describe_error)


def signature(spec: FunctionSpec) -> Signature:
    try:
        params = tuple((p.name, parse_type(p.type)) for p in spec.params)
        returns = parse_type(spec.returns)
    except ValueError as exc:
        raise InvalidRequest(f"function: {exc}") from exc
    names = [n for n, _ in params]
    if len(set(names)) != len(names):
        raise InvalidRequest("function.params: parameter names must be distinct")
    return Signature(spec.name, params, returns)


def check_cases(sig: Signature, cases: list[Case], *, max_cases: int) -> tuple[CheckedCase, ...]:
    if len(cases) > max_cases:
        raise TooManyTestCases(
            f"{len(cases)} cases, over the limit of {max_cases} (limits.max_cases)",
            details={"limit": max_cases},
        )
    checked = []
    for index, case in enumerate(cases):
        if len(case.args) != len(sig.params):
            raise InvalidArguments(
                f"cases[{index}]: {len(case.args)} argument(s) given, the function "
                f"takes {len(sig.params)}",
                details={"case": index},
            )
        args = []
        for (name, typ), value in zip(sig.params, case.args, strict=True):
            problem = check(value, typ)
            if problem is not None:
                raise InvalidArguments(
                    f"cases[{index}], parameter {name!r} ({typ}): {problem}",
                    details={"case": index, "parameter": name},
                )
            args.append(normalize(value, typ))
        problem = check(case.expected, sig.returns)
        if problem is not None:
            raise InvalidArguments(
                f"cases[{index}], expected ({sig.returns}): {problem}",
                details={"case": index, "parameter": "expected"},
            )
        checked.append(CheckedCase(tuple(args), normalize(case.expected, sig.returns)))
    return tuple(checked)


def function_job(
    spec: FunctionSpec, cases: list[Case], compare: Compare | None, *, max_cases: int
) -> FunctionJob:
    sig = signature(spec)
    compare = compare or Compare()
    return FunctionJob(
        sig, check_cases(sig, cases, max_cases=max_cases), compare.mode, compare.tolerance
    )
