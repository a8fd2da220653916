"""Log server settings: the `[logserver]`, `[smtp]` and `[alarms]` sections of the
shared `config.toml`, with `CODERUNNER_<SECTION>__<KEY>` environment overrides.

The file is shared with coderunner, so sections other than these three are ignored
here; inside them, an unknown key is an error (a typo must not silently disable
alarm mail). Nothing is built at import time: `load_settings` is called once by the
CLI (or by a test) and the result handed to `create_app`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from plumbing import events
from plumbing.settings import (
    ENV_PREFIX,
    ConfigError,
    ExpandedPath,
    Networks,
    Section,
    TomlEnvSettings,
    load,
)

__all__ = ["AlarmsSettings", "ConfigError", "LogServerSettings", "load_settings"]

# Deliberately plain: an address ends up in a mail header, so anything that could
# smuggle a second header or a second recipient (spaces, commas, angle brackets,
# CR/LF) is refused rather than "parsed leniently".
_ADDRESS = re.compile(r"^[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+$")


class ServerSection(Section):
    host: str = "127.0.0.1"
    port: int = Field(8081, ge=0, le=65535)
    database: ExpandedPath = Path("~/.coderunner-logs/logs.db")
    # Only these addresses may write or read events (every endpoint).
    trusted_hosts: Networks = ["127.0.0.1", "::1"]
    max_body_bytes: int = Field(262_144, ge=1_024)
    # An event over these is refused (400). The defaults sit above what the log
    # client sends (plumbing/events.py); set lower, coderunner's long events are dropped.
    max_message_chars: int = Field(events.MESSAGE_CHARS_DEFAULT, ge=64)
    max_details_bytes: int = Field(events.DETAILS_BYTES_DEFAULT, ge=256)
    # Events shown on the admin page.
    page_size: int = Field(200, ge=1, le=5_000)
    # How long a statement waits for a lock held by another process (a backup, the
    # sqlite3 shell) before the request fails with 503.
    busy_timeout_s: float = Field(5.0, gt=0)
    # Bearer token every endpoint requires when set (`Authorization: Bearer …`);
    # coderunner's log client sends the same key from the shared config.
    token: SecretStr = SecretStr("")
    # Events received longer ago than this are deleted (alarms not yet mailed are
    # kept whatever their age); delivered mail jobs likewise.
    retention_days: float = Field(90.0, gt=0)
    # /health answers 503 when the database's file system has less free space.
    min_free_mb: int = Field(64, ge=0)


class SmtpSettings(Section):
    # Empty: no SMTP server, alarm mails are written as .eml files to `outbox`.
    host: str = ""
    port: int = Field(587, ge=1, le=65535)
    username: str = ""
    # SecretStr keeps the password out of reprs and tracebacks.
    password: SecretStr = SecretStr("")
    starttls: bool = True
    # Implicit TLS (usually port 465); when set, `starttls` is not used.
    tls: bool = False
    sender: str = "coderunner@localhost"
    outbox: ExpandedPath = Path("~/.coderunner-logs/outbox")
    # Mail files in the outbox older than this are deleted.
    outbox_retention_days: float = Field(30.0, gt=0)
    timeout: float = Field(30.0, gt=0)

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str) -> str:
        if not _ADDRESS.match(value):
            raise ValueError(f"{value!r} is not a plain e-mail address (user@domain)")
        return value


class AlarmsSettings(Section):
    recipients: list[str] = []
    subject_prefix: str = "[coderunner]"
    # A burst of identical alarms (same type, message, source) within this many
    # seconds of the first becomes one mail with a count...
    coalesce_delay_s: float = Field(10.0, ge=0)
    # ...and at most one mail per this many seconds is sent for the same alarm;
    # repeats in between are counted into the next mail.
    coalesce_window_s: float = Field(300.0, ge=0)
    # Failed deliveries: retry after initial, 2*initial, … capped at max, forever
    # (the admin page lists undelivered mails with their last error); from
    # max_attempts on, each failure is logged as an error and /health says so.
    retry_initial_s: float = Field(30.0, gt=0)
    retry_max_s: float = Field(3_600.0, gt=0)
    max_attempts: int = Field(48, ge=1)

    @field_validator("recipients")
    @classmethod
    def _recipients(cls, value: list[str]) -> list[str]:
        for item in value:
            if not _ADDRESS.match(item):
                raise ValueError(f"{item!r} is not a plain e-mail address (user@domain)")
        return value

    @field_validator("subject_prefix")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if any(ch in value for ch in "\r\n"):
            raise ValueError("must be a single line")
        return value


class LogServerSettings(TomlEnvSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="ignore"
    )

    logserver: ServerSection = ServerSection()
    smtp: SmtpSettings = SmtpSettings()
    alarms: AlarmsSettings = AlarmsSettings()


def load_settings(path: Path | str | None = None, **overrides: Any) -> LogServerSettings:
    """Read `path` (TOML) if given, apply environment overrides, validate.

    `overrides` are per-section dicts merged over the file (tests use them).
    Raises ConfigError naming the offending key(s), e.g. `smtp.port: …`.
    """
    return load(LogServerSettings, path, overrides, sections=set(LogServerSettings.model_fields))
