"""The log server's answers, as models: GET /openapi.json is generated from them
(logserver/openapi.py) and the tests validate real answers against them. The
endpoints still build plain dicts; the event types and mail states come from the
event contract, so a new value shows up in the document by itself."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from plumbing.events import OPEN_MAIL_STATUSES, EventType, MailStatus


class Answer(BaseModel):
    """Answers allow fields a newer server adds: a client must ignore them."""

    model_config = ConfigDict(extra="allow")


class Stored(Answer):
    id: str = Field(description="the event's id (the client's, or one given on arrival)")


class Event(Answer):
    """A stored event, as GET /log lists it."""

    seq: int = Field(description="arrival order")
    id: str
    time: str = Field(description="ISO 8601, UTC")
    received_at: str
    type: EventType
    message: str
    user: str | None
    source: str | None
    broadcast: bool
    details: dict[str, Any] | None
    client: str | None
    mail_id: int | None
    mail_status: MailStatus | None
    mailed_at: str | None
    mail_attempts: int | None
    mail_error: str | None


class EventList(Answer):
    events: list[Event]


class Disk(Answer):
    """Free space where the database lives."""

    path: str
    freeBytes: int | None
    minFreeBytes: int
    ok: bool


class MailerStatus(Answer):
    """The alarm-mail loop (restarted if it crashes)."""

    running: bool
    restarts: int
    lastCrash: str | None


class Smtp(Answer):
    mode: Literal["smtp", "outbox"]
    reachable: bool | None = None


class HealthOk(Answer):
    status: Literal["ok"]
    database: Literal["ok"]
    disk: Disk
    mailer: MailerStatus
    smtp: Smtp
    # Alarm mails not delivered yet; `retrying`: pending after a failed attempt.
    mails: dict[str, int] = Field(
        json_schema_extra={"propertyNames": {"enum": [*map(str, OPEN_MAIL_STATUSES), "retrying"]}}
    )


class HealthDown(Answer):
    status: Literal["unavailable", "low_disk", "mailer_stopped"]
    database: str = Field(description="ok, or what is wrong")
    disk: Disk
    mailer: MailerStatus
