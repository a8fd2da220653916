"""The OpenAPI entries of POST /functionTest and /problems (SPEC §10), merged into
coderunner/openapi.py's document: the request models of functions/request.py and
problems.py, the answers of answers.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from .. import answers
from ..config import Settings
from ..problems import ProblemBody
from .request import PROBLEM_ID, FunctionTest

REQUESTS: tuple[type[BaseModel], ...] = (FunctionTest, ProblemBody)
ANSWERS: tuple[type[BaseModel], ...] = (
    answers.FunctionAnswer,
    answers.Problem,
    answers.ProblemList,
    answers.Deleted,
)
# A function test is a submission: the same refusals (coderunner/openapi.py's SUBMIT).
SUBMIT = (400, 403, 413, 429, 500, 503)
COMMON = (403, 500)


def operations(
    operation: Callable[..., dict[str, Any]],
    answer: Callable[..., dict[str, Any]],
    path_param: Callable[..., dict[str, Any]],
    query: Callable[..., dict[str, Any]],
) -> dict[tuple[str, str], dict[str, Any]]:
    problem_id = path_param("problem_id", {"type": "string", "pattern": PROBLEM_ID})
    problem = answers.Problem
    return {
        ("/functionTest", "post"): operation(
            "functionTest",
            "Call a named function on typed arguments, per case; the server compares",
            SUBMIT,
            body=FunctionTest,
            ok={
                "200": answer(
                    "the /isolatedTest shape plus one entry per case", answers.FunctionAnswer
                )
            },
        ),
        ("/problems", "get"): operation(
            "listProblems",
            "Every stored problem (without its tests)",
            COMMON,
            ok={"200": answer("the problems", answers.ProblemList)},
        ),
        ("/problems/{problem_id}", "put"): operation(
            "putProblem",
            "Store a problem (created 201, replaced 200)",
            (400, *COMMON, 413, 429),
            body=ProblemBody,
            parameters=[problem_id],
            ok={"200": answer("replaced", problem), "201": answer("created", problem)},
        ),
        ("/problems/{problem_id}", "get"): operation(
            "getProblem",
            "A stored problem (?full=1: with a stdin problem's tests)",
            (400, *COMMON, 404),
            parameters=[problem_id, query("full", {"type": "string", "enum": ["1", "0"]})],
            ok={"200": answer("the problem", problem)},
        ),
        ("/problems/{problem_id}", "delete"): operation(
            "deleteProblem",
            "Delete a stored problem",
            (400, *COMMON, 404),
            parameters=[problem_id],
            ok={"200": answer("deleted", answers.Deleted)},
        ),
    }


def constrain(schemas: dict[str, Any], settings: Settings, rule: Callable[..., None]) -> None:
    """The configured limits of these request bodies."""
    lim = settings.limits
    rule(schemas["FunctionTest"], "cases", maxItems=lim.max_cases)
    rule(schemas["ProblemBody"], "cases", maxItems=lim.max_cases)
    rule(schemas["ProblemBody"], "testCases", maxItems=lim.max_test_cases)
