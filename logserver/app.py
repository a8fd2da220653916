"""The log server's HTTP side: `create_app(settings)` builds the Starlette app.

Nothing is built at import time: the lifespan opens the store and starts the
mailer, and hands both to the endpoints through the request state.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from logserver.access import RefusalReporter, client_policy
from logserver.config import LogServerSettings, ServerSection
from logserver.mailer import Mailer
from logserver.metrics import CONTENT_TYPE, Metrics
from logserver.openapi import openapi
from logserver.pages import SECURITY_HEADERS, render_admin
from logserver.retention import retention
from logserver.store import MAX_QUERY_LIMIT, AlarmPolicy, EventQuery, LogEvent, Store, utc_iso
from plumbing.disk import free_bytes
from plumbing.errors import InvalidRequest, Unavailable, describe, exception_handlers
from plumbing.events import EVENT_TYPES, EventIn
from plumbing.http import client_address, edge, path_labels, read_body

logger = logging.getLogger("logserver.app")

# /health must answer even when the writer thread is stuck on a hung disk.
HEALTH_DB_TIMEOUT_S = 10.0
_DIGITS = re.compile(r"[0-9]{1,9}")


def _scrub(value: Any) -> Any:
    """Replace lone surrogates (JSON escapes of undecodable program output) in every
    string: they cannot be stored or mailed as UTF-8, and the event still matters."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    if isinstance(value, dict):
        return {_scrub(key): _scrub(item) for key, item in value.items()}
    return value


def _parse_time(value: str, name: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return utc_iso(moment)
    except (ValueError, OverflowError):  # Overflow: year 1 or 9999 shifted out of range
        raise InvalidRequest(f"{name}: not an ISO 8601 date-time: {value[:64]!r}") from None


def parse_event(data: Any, limits: ServerSection, client: str | None) -> LogEvent:
    if not isinstance(data, dict):
        raise InvalidRequest("the body must be a JSON object")
    try:
        body = EventIn.model_validate(_scrub(data))
    except ValidationError as exc:
        raise InvalidRequest(describe(exc)) from None
    if len(body.message) > limits.max_message_chars:
        raise InvalidRequest(f"message: longer than {limits.max_message_chars} characters")
    if body.details is not None:
        size = len(json.dumps(body.details))
        if size > limits.max_details_bytes:
            raise InvalidRequest(f"details: {size} bytes of JSON, over {limits.max_details_bytes}")
    received = utc_iso()
    return LogEvent(
        id=body.id or uuid.uuid4().hex,
        time=_parse_time(body.time, "time") if body.time else received,
        received_at=received,
        type=body.type,
        message=body.message,
        user=body.user,
        source=body.source,
        broadcast=body.broadcast,
        details=body.details,
        client=client,
    )


def _reject_constant(name: str) -> Any:
    raise InvalidRequest(f"{name} is not valid JSON")


# -- endpoints ---------------------------------------------------------------------


async def post_log(request: Request) -> Response:
    settings: LogServerSettings = request.state.settings
    raw = await read_body(request, settings.logserver.max_body_bytes)
    client = client_address(request)
    try:
        try:
            data = json.loads(raw, parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError):
            raise InvalidRequest("the body is not valid JSON") from None
        event = parse_event(data, settings.logserver, client)
    except RecursionError:
        raise InvalidRequest("the body is nested too deeply") from None
    policy = AlarmPolicy(settings.alarms.coalesce_delay_s, settings.alarms.coalesce_window_s)
    event_id, created = await request.state.store.insert_event(event, policy)
    metrics: Metrics = request.state.metrics
    if created:
        metrics.events.labels(event.type).inc()
    else:
        metrics.duplicates.inc()
    if created and event.broadcast:
        request.state.mailer.wake()
    return JSONResponse({"id": event_id})


def _flag(value: str, name: str) -> bool:
    if value.lower() in ("1", "true", "yes"):
        return True
    if value.lower() in ("0", "false", "no"):
        return False
    raise InvalidRequest(f"{name}: expected true or false")


async def get_log(request: Request) -> Response:
    params = request.query_params
    types = tuple(params.getlist("type"))
    unknown = [kind for kind in types if kind not in EVENT_TYPES]
    if unknown:
        raise InvalidRequest(f"type: unknown {unknown[0][:32]!r}; one of {', '.join(EVENT_TYPES)}")
    limit_text = params.get("limit", "100")
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    if not _DIGITS.fullmatch(limit_text) or not 1 <= int(limit_text) <= MAX_QUERY_LIMIT:
        raise InvalidRequest(f"limit: an integer from 1 to {MAX_QUERY_LIMIT}")
    query = EventQuery(
        types=types,
        user=params.get("user"),
        since=_parse_time(params["since"], "since") if "since" in params else None,
        until=_parse_time(params["until"], "until") if "until" in params else None,
        broadcast=_flag(params["broadcast"], "broadcast") if "broadcast" in params else None,
        limit=int(limit_text),
    )
    return JSONResponse({"events": await request.state.store.query_events(query)})


async def log_endpoint(request: Request) -> Response:
    # One route for both methods, so that a 405 on /log lists both in Allow.
    return await (post_log if request.method == "POST" else get_log)(request)


async def admin_page(request: Request) -> Response:
    settings: LogServerSettings = request.state.settings
    store: Store = request.state.store
    # A person typed these: an unknown type shows everything rather than an error.
    selected = request.query_params.get("type", "")
    selected = selected if selected in EVENT_TYPES else ""
    user = request.query_params.get("user", "")
    query = EventQuery(
        types=(selected,) if selected else (),
        user=user or None,
        limit=settings.logserver.page_size,
    )
    mailer: Mailer = request.state.mailer
    page = render_admin(
        events=await store.query_events(query),
        mails=await store.open_mails(),
        selected_type=selected,
        user=user,
        mail_mode=(
            f"outbox directory {settings.smtp.outbox}"
            if mailer.outbox_mode
            else f"SMTP {settings.smtp.host}:{settings.smtp.port}"
        ),
    )
    return HTMLResponse(page, headers=SECURITY_HEADERS)


async def health(request: Request) -> Response:
    settings: LogServerSettings = request.state.settings
    minimum = settings.logserver.min_free_mb * 1024 * 1024
    free = free_bytes(settings.logserver.database.parent)
    disk = {
        "path": str(settings.logserver.database.parent),
        "freeBytes": free,
        "minFreeBytes": minimum,
        "ok": free is not None and free >= minimum,
    }
    mailer: Mailer = request.state.mailer
    try:
        mails = await asyncio.wait_for(request.state.store.health(), HEALTH_DB_TIMEOUT_S)
    except (Unavailable, TimeoutError) as exc:
        reason = str(exc) or "the database did not answer in time"
        body = {"status": "unavailable", "database": reason, "disk": disk}
        return JSONResponse({**body, "mailer": mailer.status()}, status_code=503)
    smtp = await mailer.check()
    status = mailer.status()
    ok = disk["ok"] and status["running"]
    body = {
        "status": "ok" if ok else "low_disk" if not disk["ok"] else "mailer_stopped",
        "database": "ok",
        "disk": disk,
        "mailer": status,
        "smtp": smtp,
        "mails": mails,
    }
    return JSONResponse(body, status_code=200 if ok else 503)


async def metrics_endpoint(request: Request) -> Response:
    metrics: Metrics = request.state.metrics
    metrics.observe_mails(*await request.state.store.mail_counts())
    return Response(metrics.render(), media_type=CONTENT_TYPE)


async def openapi_json(request: Request) -> Response:
    return JSONResponse(openapi(request.state.settings, request.app.routes))


# -- plumbing ----------------------------------------------------------------------


ROUTES = [
    Route("/", admin_page, methods=["GET"]),
    Route("/log", log_endpoint, methods=["GET", "POST"]),
    Route("/health", health, methods=["GET"]),
    Route("/metrics", metrics_endpoint, methods=["GET"]),
    Route("/openapi.json", openapi_json, methods=["GET"]),
]


def _unexpected(request: Request, exc: Exception) -> None:
    logger.error("unhandled error on %s", request.url.path, exc_info=exc)


def create_app(settings: LogServerSettings) -> Starlette:
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        store = Store(settings.logserver.database, busy_timeout_s=settings.logserver.busy_timeout_s)
        await store.open()
        mailer = Mailer(settings.smtp, settings.alarms, store)
        await mailer.start()
        purge = asyncio.create_task(retention(settings, store), name="logserver-retention")
        try:
            yield {"settings": settings, "store": store, "mailer": mailer, "metrics": metrics}
        finally:
            purge.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await purge
            await mailer.aclose()
            await store.close()

    # Assembled as coderunner's app is (plumbing.http.edge, the one error renderer);
    # here the middleware refuses untrusted callers on every path.
    return Starlette(
        routes=ROUTES,
        lifespan=lifespan,
        middleware=edge(
            metrics.requests,
            path_labels(ROUTES),
            client_policy(settings),
            enforce=True,
            on_refusal=RefusalReporter(),
        ),
        exception_handlers=exception_handlers(on_unexpected=_unexpected),
    )
