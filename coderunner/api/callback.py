"""GET /analyseTest/{sessionId}: the container's callback when its session is done.
Only loopback may call it, with the session's token; every refusal is a breach."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..admission import is_loopback
from ..errors import Forbidden
from ..gate import report_refusal
from .common import gate, state

BAD_CALLBACK = "refused a bad /analyseTest call"


async def analyse_test(request: Request) -> Response:
    st = state(request)
    address = st.admission.client_address(request)
    if not is_loopback(request.client.host if request.client else ""):
        report_refusal(gate(st), address, request.url.path, BAD_CALLBACK)
        raise Forbidden("/analyseTest is only served to loopback")
    token = request.query_params.get("token") or request.headers.get("x-session-token", "")
    try:
        # A session token is ASCII hex: anything else cannot match (and str
        # compare_digest refuses non-ASCII with a TypeError, which was a 500).
        if not token.isascii():
            raise Forbidden("wrong session token")
        st.runner.callback(request.path_params["session_id"], token)
    except Forbidden:
        report_refusal(gate(st), address, request.url.path, BAD_CALLBACK)
        raise
    return JSONResponse({"data": None})
