"""Endpoints of the stored problems (SPEC §10): PUT/GET/DELETE /problems/{id},
GET /problems. The same access check (trusted hosts, token) and rate limits as the
submissions; a PUT body may be as large as problems.max_body_bytes."""

from __future__ import annotations

import re

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import CodeRunnerError, InvalidRequest, NotFound
from ..gate import warn_refused
from ..problems import parse_problem
from .common import check_access, state

PROBLEM_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def _problem_id(request: Request) -> str:
    problem_id: str = request.path_params["problem_id"]
    if not PROBLEM_ID.match(problem_id):
        raise InvalidRequest("a problem id is 1 to 64 characters of A-Z a-z 0-9 _ . -")
    return problem_id


async def put_problem(request: Request) -> Response:
    st = state(request)
    address = check_access(st, request)
    user = request.headers.get("x-user") or address
    try:
        problem_id = _problem_id(request)
        st.admission.check_rate(user)
        body = await st.admission.read_body(request, st.settings.problems.max_body_bytes)
        lim = st.settings.limits
        # A 100 MB body takes a while to parse and encode: not on the event loop.
        parsed = await anyio.to_thread.run_sync(
            lambda: parse_problem(
                body,
                max_tests=lim.max_test_cases,
                max_input=lim.max_input_bytes,
                max_cases=lim.max_cases,
            )
        )
        problem, created = await st.problems.put(problem_id, parsed)
    except CodeRunnerError as exc:
        warn_refused(st.events, "problem", exc, user=user, address=address)
        raise
    st.events.emit(
        "info",
        f"problem {problem_id} {'created' if created else 'replaced'}",
        user=user,
        details={"address": address, "kind": problem.kind, "tests": problem.tests},
    )
    return JSONResponse(problem.public(), status_code=201 if created else 200)


async def get_problem(request: Request) -> Response:
    st = state(request)
    check_access(st, request)
    problem = await st.problems.get(_problem_id(request))
    if problem is None:
        raise NotFound("no such problem")
    full = request.query_params.get("full") in ("1", "true")
    body = await anyio.to_thread.run_sync(lambda: problem.public(full=full))
    return JSONResponse(body)


async def delete_problem(request: Request) -> Response:
    st = state(request)
    address = check_access(st, request)
    problem_id = _problem_id(request)
    if not await st.problems.delete(problem_id):
        raise NotFound("no such problem")
    st.events.emit("info", f"problem {problem_id} deleted", details={"address": address})
    return JSONResponse({"deleted": problem_id})


async def list_problems(request: Request) -> Response:
    st = state(request)
    check_access(st, request)
    return JSONResponse({"problems": [p.public(brief=True) for p in await st.problems.list()]})
