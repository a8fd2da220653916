"""The synchronous endpoints (SPEC section 8 over each kind's own section): submit a
task of the endpoint's kind and wait for its answer. POST /isolatedTest is the first;
harness.py adds the harness kinds' endpoints the same way."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import StorageFull
from ..kinds import KINDS
from .common import admit_request, report_storage_full, state

Endpoint = Callable[[Request], Awaitable[Response]]


def synchronous(kind_name: str) -> Endpoint:
    """parse and admit -> run -> respond, for the kind named `kind_name`."""

    async def endpoint(request: Request) -> Response:
        st = state(request)
        kind = KINDS[kind_name]
        admitted = await admit_request(st, request, kind=kind)
        try:
            answer = await st.tasks.run(
                admitted.planned,
                request=admitted.request,
                user=admitted.user,
                client=admitted.address,
            )
        except StorageFull:
            report_storage_full(st)
            raise
        body = admitted.planned.body
        details: dict[str, Any] = {
            "address": admitted.address,
            "kind": kind_name,
            "language": admitted.planned.language.id,
            "codeBytes": len(kind.code(body).encode()),
            "tests": len(admitted.planned.prepared.tests),
            "sessionId": answer.get("sessionId"),
        }
        if isinstance(answer.get("results"), list):
            details["statuses"] = _count(r["status"] for r in answer["results"])
        st.events.emit("info", "request served", user=admitted.user, details=details)
        return JSONResponse(answer)

    endpoint.__name__ = kind_name
    return endpoint


def _count(items: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


isolated_test = synchronous("isolatedTest")  # POST /isolatedTest (SPEC section 2)
