"""What a task is: its status, its stored record and the events a client can stream."""

from __future__ import annotations

import enum
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


class TaskStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINAL = frozenset({TaskStatus.DONE, TaskStatus.FAILED, TaskStatus.CANCELLED})


def new_task_id() -> str:
    """32 hex digits from the OS's CSPRNG: never derived from the input, not guessable."""
    return secrets.token_hex(16)


def iso_utc(moment: float | None) -> str | None:
    """Epoch seconds as ISO 8601 UTC with milliseconds: "2026-12-03T10:00:00.123Z"."""
    if moment is None:
        return None
    stamp = datetime.fromtimestamp(moment, tz=UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


def dumps(value: Any) -> str:
    """Compact JSON on one line (SSE `data:` must not contain a newline; json escapes them)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@dataclass
class Task:
    id: str
    kind: str
    status: TaskStatus
    user: str
    # Who submitted (address, or the token's identity): the scope of an Idempotency-Key.
    client: str
    # The accepted submission body: enough to run it again after a restart.
    request: dict[str, Any]
    created_at: float
    started_at: float | None = None
    finished_at: float | None = None
    # Exactly the synchronous endpoint's 200 body.
    result: dict[str, Any] | None = None
    # {"code", "message"} when the service failed or cancelled it.
    error: dict[str, str] | None = None
    callback_url: str | None = None

    @property
    def final(self) -> bool:
        return self.status in FINAL

    def public(self) -> dict[str, Any]:
        """The GET /tasks/{id} body (SPEC section 8); also the webhook's body."""
        return {
            "id": self.id,
            "kind": self.kind,
            "status": str(self.status),
            "createdAt": iso_utc(self.created_at),
            "startedAt": iso_utc(self.started_at),
            "finishedAt": iso_utc(self.finished_at),
            "result": self.result,
            "error": self.error,
        }


@dataclass(frozen=True)
class TaskEvent:
    task_id: str
    id: int  # 1, 2, 3 ... per task
    type: str  # "status" | "compile" | "test" | "unit" | "case" | "step" | "done"
    data: dict[str, Any]

    def sse(self) -> bytes:
        """One Server-Sent Event: id, event name and one line of JSON."""
        return f"id: {self.id}\nevent: {self.type}\ndata: {dumps(self.data)}\n\n".encode()
