"""The OpenAPI 3.1 description of the log server (GET /openapi.json).

Written by hand from SPEC §5 and the endpoints in app.py rather than generated, so
that it says exactly what they promise, error bodies included; the operations
suite runs a schema-driven fuzzer (schemathesis) against it. The limits that come
from the configuration (message length, page size) are filled in per app.
"""

from __future__ import annotations

from typing import Any

from logserver.config import LogServerSettings
from logserver.store import MAIL_STATUSES, MAX_QUERY_LIMIT
from plumbing.events import EVENT_TYPES, OPEN_MAIL_STATUSES

# Every code a log server error body can carry (plumbing.errors + Starlette's own).
ERROR_CODES = [
    "invalid_request", "forbidden", "not_found", "method_not_allowed", "payload_too_large",
    "unavailable", "internal_error", "http_error",
]


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json({"$ref": "#/components/schemas/Error"}, description)


def _nullable(kind: str) -> dict[str, Any]:
    return {"type": [kind, "null"]}


# Answers any endpoint can give: the trusted-hosts check runs before routing, and
# an unexpected failure is a 500 in the same error body.
COMMON = {
    "403": _error("the caller's address is not in logserver.trusted_hosts, or the bearer "
                  "token (logserver.token) is missing or wrong"),
    "500": _error("unexpected internal error"),
}
STORE_DOWN = {"503": _error("the event store is unavailable (locked, read-only, closed)")}


def _event_in(settings: LogServerSettings) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "message"],
        "properties": {
            "type": {"type": "string", "enum": list(EVENT_TYPES)},
            "message": {"type": "string", "minLength": 1,
                        "maxLength": settings.logserver.max_message_chars},
            "user": {"type": ["string", "null"], "maxLength": 256},
            "broadcast": {"type": "boolean", "default": False,
                          "description": "e-mail the admins (alarms.recipients)"},
            "source": {"type": ["string", "null"], "maxLength": 64},
            "details": {"type": ["object", "null"],
                        "description": "structured context, at most "
                                       f"{settings.logserver.max_details_bytes} bytes of JSON"},
            "id": {"type": ["string", "null"], "pattern": "^[\\x21-\\x7e]{1,128}$",
                   "description": "client-chosen id: a repeated id is stored once"},
            "time": {"anyOf": [{"type": "string", "format": "date-time", "maxLength": 64},
                               {"const": ""}, {"type": "null"}],
                     "description": "when it happened, ISO 8601 (empty or null: on arrival)"},
        },
    }


EVENT = {
    "type": "object",
    "required": ["seq", "id", "time", "received_at", "type", "message", "user", "source",
                 "broadcast", "details", "client", "mail_id", "mail_status", "mailed_at",
                 "mail_attempts", "mail_error"],
    "properties": {
        "seq": {"type": "integer", "description": "arrival order"},
        "id": {"type": "string"},
        "time": {"type": "string", "description": "ISO 8601, UTC"},
        "received_at": {"type": "string"},
        "type": {"type": "string", "enum": list(EVENT_TYPES)},
        "message": {"type": "string"},
        "user": _nullable("string"),
        "source": _nullable("string"),
        "broadcast": {"type": "boolean"},
        "details": _nullable("object"),
        "client": _nullable("string"),
        "mail_id": _nullable("integer"),
        "mail_status": {"enum": [*MAIL_STATUSES, None]},
        "mailed_at": _nullable("string"),
        "mail_attempts": _nullable("integer"),
        "mail_error": _nullable("string"),
    },
}
ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {"code": {"type": "string", "enum": ERROR_CODES},
                       "message": {"type": "string"}},
    }},
}
DISK = {"type": "object", "description": "free space where the database lives",
        "properties": {"path": {"type": "string"},
                       "freeBytes": {"type": ["integer", "null"]},
                       "minFreeBytes": {"type": "integer"}, "ok": {"type": "boolean"}}}
MAILER = {"type": "object", "description": "the alarm-mail loop (restarted if it crashes)",
          "properties": {"running": {"type": "boolean"}, "restarts": {"type": "integer"},
                         "lastCrash": {"type": ["string", "null"]}}}
HEALTH_OK = {
    "type": "object",
    "required": ["status", "database", "smtp", "mails", "disk", "mailer"],
    "properties": {
        "status": {"const": "ok"},
        "database": {"const": "ok"},
        "disk": DISK,
        "mailer": MAILER,
        "smtp": {"type": "object", "required": ["mode"], "properties": {
            "mode": {"enum": ["smtp", "outbox"]},
            "reachable": {"type": ["boolean", "null"]},
        }},
        "mails": {"type": "object", "description": "alarm mails not delivered yet; "
                  "`retrying`: pending after at least one failed attempt",
                  "properties": {s: {"type": "integer"}
                                 for s in (*OPEN_MAIL_STATUSES, "retrying")}},
    },
}
HEALTH_DOWN = {
    "type": "object",
    "required": ["status", "database"],
    "properties": {"status": {"enum": ["unavailable", "low_disk", "mailer_stopped"]},
                   "database": {"type": "string", "description": "what is wrong"},
                   "disk": DISK, "mailer": MAILER},
}


def _query(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description, **extra}


LOG_FILTERS = [
    _query("type", {"type": "array", "items": {"type": "string", "enum": list(EVENT_TYPES)}},
           "only these types (repeat the parameter for several)", style="form", explode=True),
    _query("user", {"type": "string"}, "only this user's events"),
    _query("since", {"type": "string", "format": "date-time"}, "events at or after (ISO 8601)"),
    _query("until", {"type": "string", "format": "date-time"}, "events at or before (ISO 8601)"),
    _query("broadcast", {"type": "boolean"}, "only alarms (true) or only the rest (false)"),
    _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_QUERY_LIMIT,
                     "default": 100}, "at most this many, newest first"),
]


def openapi(settings: LogServerSettings) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "CodeRunner log server", "version": "1.0.0",
                 "description": "Stores CodeRunner's events in SQLite and e-mails alarms "
                                "(broadcast events) to the admins. Trusted hosts only."},
        "paths": {
            "/log": {
                "post": {
                    "summary": "Store one event; answered once it is durably stored",
                    "operationId": "postLog",
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/EventIn"}}}},
                    "responses": {
                        "200": _json({"type": "object", "required": ["id"],
                                      "properties": {"id": {"type": "string"}}},
                                     "stored (or already stored under this id)"),
                        "400": _error("invalid event (nothing was stored)"),
                        "413": _error("the body is over logserver.max_body_bytes"),
                        **COMMON, **STORE_DOWN,
                    },
                },
                "get": {
                    "summary": "Query events, newest first",
                    "operationId": "getLog",
                    "parameters": LOG_FILTERS,
                    "responses": {
                        "200": _json({"type": "object", "required": ["events"], "properties": {
                            "events": {"type": "array",
                                       "items": {"$ref": "#/components/schemas/Event"}}}},
                                     "the matching events"),
                        "400": _error("a filter is invalid"),
                        **COMMON, **STORE_DOWN,
                    },
                },
            },
            "/": {"get": {
                "summary": "Admin page: recent events and undelivered alarm mails",
                "operationId": "adminPage",
                "parameters": [
                    _query("type", {"type": "string"}, "show one type (unknown: all)"),
                    _query("user", {"type": "string"}, "show one user's events"),
                ],
                "responses": {
                    "200": {"description": "HTML, no scripts",
                            "content": {"text/html": {"schema": {"type": "string"}}}},
                    **COMMON, **STORE_DOWN,
                },
            }},
            "/health": {"get": {
                "summary": "Database writable, SMTP reachability, undelivered mails",
                "operationId": "health",
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/HealthOk"}, "healthy"),
                    "503": _json({"$ref": "#/components/schemas/HealthDown"},
                                 "the database is unavailable, free space is below "
                                 "logserver.min_free_mb, or the mail loop is stopped"),
                    **COMMON,
                },
            }},
            "/metrics": {"get": {
                "summary": "Prometheus metrics (text exposition format)",
                "operationId": "metrics",
                "responses": {
                    "200": {"description": "events stored by type, mails by status, "
                                           "HTTP requests by status code",
                            "content": {"text/plain": {"schema": {"type": "string"}}}},
                    **COMMON, **STORE_DOWN,
                },
            }},
            "/openapi.json": {"get": {
                "summary": "This document",
                "operationId": "openapi",
                "responses": {
                    "200": _json({"type": "object"}, "OpenAPI 3.1"),
                    **COMMON,
                },
            }},
        },
        "components": {"schemas": {
            "EventIn": _event_in(settings),
            "Event": EVENT,
            "Error": ERROR,
            "HealthOk": HEALTH_OK,
            "HealthDown": HEALTH_DOWN,
        }},
    }
