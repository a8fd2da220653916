"""The log-event contract between coderunner's log client and the log server: the
event types, the wire model of `POST /log`, the size caps both sides keep, and the
states of an alarm mail. One home, so that the two ends cannot drift apart."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

EventType = Literal["info", "warning", "error", "breach"]
# In order of severity (the admin page's filter lists them so).
EVENT_TYPES: tuple[str, ...] = get_args(EventType)

# The log server's default caps (`[logserver] max_message_chars`, `max_details_bytes`).
MESSAGE_CHARS_DEFAULT = 8_192
DETAILS_BYTES_DEFAULT = 65_536
# Fixed caps of the wire model.
USER_CHARS = 256
SOURCE_CHARS = 64
TIME_CHARS = 64
ID_PATTERN = r"^[\x21-\x7e]{1,128}$"

# What the client sends at most: half the server's defaults, because an event the
# server refuses (400) is dropped, so one must never be refused for its size.
CLIENT_MESSAGE_CHARS = MESSAGE_CHARS_DEFAULT // 2
CLIENT_DETAILS_BYTES = DETAILS_BYTES_DEFAULT // 2


class EventIn(BaseModel):
    """The POST /log body. Strict: `"broadcast": "yes"` is an error, not True, and
    an unknown field (a typo such as "brodcast") is refused rather than ignored."""

    model_config = ConfigDict(extra="forbid", strict=True)

    type: EventType
    message: str = Field(min_length=1)
    user: str | None = Field(None, max_length=USER_CHARS)
    broadcast: bool = False
    source: str | None = Field(None, max_length=SOURCE_CHARS)
    details: dict[str, Any] | None = None
    # Client-generated, so that a resent event is stored once.
    id: str | None = Field(None, pattern=ID_PATTERN)
    # When it happened, ISO 8601 (a spooled event may arrive long after).
    time: str | None = Field(None, max_length=TIME_CHARS)


class MailStatus(StrEnum):
    """An alarm mail's state in the log server's store (a StrEnum: stored as text)."""

    PENDING = "pending"  # waiting for its coalescing delay or its next attempt
    SENDING = "sending"  # claimed by the mailer
    SENT = "sent"  # accepted by the SMTP server
    OUTBOX = "outbox"  # written as a .eml file (no SMTP server configured)
    FAILED = "failed"  # the last attempt failed; retried with backoff


# Mails not yet delivered (the admin page lists them).
OPEN_MAIL_STATUSES = (MailStatus.PENDING, MailStatus.SENDING, MailStatus.FAILED)
DELIVERED_MAIL_STATUSES = (MailStatus.SENT, MailStatus.OUTBOX)
