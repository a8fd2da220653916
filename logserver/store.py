"""The event store: SQLite through sqlite-utils, with exactly one writer.

Every write goes through one dedicated thread that owns the only read-write
connection (WAL, synchronous=FULL), so a POST is answered only after its row is
committed and there is never writer-vs-writer lock contention inside the process.
Reads (GET /log, the admin page) use a second, read-only connection on its own
thread; WAL lets them run while the writer commits.

Alarm mails are jobs in the `mails` table, created in the same transaction as
the event that raises them, so an alarm is never stored without its mail (or the
other way round). An event's mail outcome is copied onto the event row.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from plumbing.errors import Unavailable
from plumbing.events import DELIVERED_MAIL_STATUSES, OPEN_MAIL_STATUSES, MailStatus

T = TypeVar("T")

# Columns of `events` (seq is the rowid: arrival order, "newest first").
EVENT_COLUMNS = {
    "seq": int,
    "id": str,  # client-chosen or generated; unique
    "time": str,  # when it happened (client clock if given), ISO 8601 UTC
    "received_at": str,
    "type": str,
    "message": str,
    "user": str,
    "source": str,
    "broadcast": int,
    "details": str,  # JSON object
    "client": str,  # address that posted it
    "mail_id": int,
    "mail_status": str,  # NULL (no alarm) | pending | sending | sent | outbox | failed
    "mailed_at": str,
    "mail_attempts": int,
    "mail_error": str,
}
MAIL_COLUMNS = {
    "id": int,
    "fingerprint": str,  # hash of (type, message, source): what "the same alarm" means
    "first_event": str,
    "count": int,
    "first_at": str,
    "last_at": str,
    "created_ts": float,  # epoch seconds: coalescing windows
    "due_ts": float,  # next delivery attempt
    "status": str,  # pending | sending | sent | outbox | failed
    "attempts": int,
    "last_error": str,
    "mailed_at": str,
}
# Every state, for the metrics and the OpenAPI document.
MAIL_STATUSES = tuple(MailStatus)


def utc_iso(moment: datetime | None = None) -> str:
    """Fixed-width UTC timestamps, so that string order is time order."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class LogEvent:
    id: str
    time: str
    received_at: str
    type: str
    message: str
    user: str | None
    source: str | None
    broadcast: bool
    details: dict[str, Any] | None
    client: str | None

    @property
    def fingerprint(self) -> str:
        key = json.dumps([self.type, self.message, self.source or ""])
        return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class AlarmPolicy:
    delay_s: float
    window_s: float


# GET /log answers at most this many events.
MAX_QUERY_LIMIT = 1_000


@dataclass(frozen=True)
class EventQuery:
    types: tuple[str, ...] = ()
    user: str | None = None
    since: str | None = None
    until: str | None = None
    broadcast: bool | None = None
    limit: int = 100


@dataclass(frozen=True)
class MailJob:
    """A claimed alarm mail: what the mailer needs to compose and send it."""

    id: int
    count: int
    attempts: int
    first_at: str
    last_at: str
    event: dict[str, Any]  # the first event of the series
    users: list[str]


class _Connection:
    """One SQLite connection, used only by one dedicated thread (sqlite3 objects
    must stay on the thread that made them)."""

    def __init__(self, name: str, opener: Callable[[], sqlite_utils.Database]) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._opener = opener
        self._db: sqlite_utils.Database | None = None

    def _call(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        if self._db is None:
            self._db = self._opener()
        return fn(self._db, *args)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, self._call, fn, args)
        except sqlite3.Error as exc:
            raise Unavailable(f"event store unavailable: {exc}") from exc
        except RuntimeError as exc:  # executor already shut down
            raise Unavailable("event store is closed") from exc

    async def close(self) -> None:
        def _close(_: Any) -> None:
            if self._db is not None:
                self._db.close()
                self._db = None

        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._pool, _close, None)
        self._pool.shutdown(wait=True)


class Store:
    def __init__(self, path: Path, *, busy_timeout_s: float = 5.0) -> None:
        self.path = path
        self._busy_ms = int(busy_timeout_s * 1000)
        self._writer = _Connection("logserver-writer", self._open_writer)
        self._reader = _Connection("logserver-reader", self._open_reader)

    # -- connections -------------------------------------------------------------

    def _open_writer(self) -> sqlite_utils.Database:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=self._busy_ms / 1000)
        db = sqlite_utils.Database(conn)
        db.enable_wal()
        # FULL: in WAL mode each commit is fsync'd, so "200" means "on disk".
        db.execute("PRAGMA synchronous=FULL")
        return db

    def _open_reader(self) -> sqlite_utils.Database:
        uri = self.path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=self._busy_ms / 1000)
        return sqlite_utils.Database(conn)

    async def open(self) -> None:
        """Create the schema and re-queue mails a previous run was sending."""
        await self._writer.run(_migrate)

    async def close(self) -> None:
        await self._reader.close()
        await self._writer.close()

    # -- events ------------------------------------------------------------------

    async def insert_event(self, event: LogEvent, policy: AlarmPolicy) -> tuple[str, bool]:
        """Store `event` (and its alarm mail job); returns (id, created).

        A repeated id is not stored again: created is False and nothing changes.
        """
        return await self._writer.run(_insert_event, event, policy)

    async def query_events(self, query: EventQuery) -> list[dict[str, Any]]:
        return await self._reader.run(_query_events, query)

    # -- mails -------------------------------------------------------------------

    async def claim_due_mail(self, now: float) -> tuple[MailJob | None, float | None]:
        """Mark the most overdue pending mail as sending and return it; else
        (None, when the next one is due)."""
        return await self._writer.run(_claim_due_mail, now)

    async def record_mail(
        self, job_id: int, *, status: str, error: str | None, due_ts: float | None = None
    ) -> None:
        """Record a delivery attempt on the job and on every event it carries."""
        await self._writer.run(_record_mail, job_id, status, error, due_ts)

    async def open_mails(self, limit: int = 50) -> list[dict[str, Any]]:
        return await self._reader.run(_open_mails, limit)

    async def mail_counts(self) -> tuple[dict[str, int], int]:
        """Mail jobs by status, and the failed delivery attempts recorded (/metrics).
        On the reader: a scrape never waits for the writer."""
        return await self._reader.run(_mail_counts)

    async def purge(self, cutoff: str) -> tuple[int, int]:
        """Delete events received before `cutoff` (ISO UTC) and delivered mail jobs
        last seen before it; an alarm not yet delivered is kept whatever its age.
        Returns (events, mails) deleted."""
        return await self._writer.run(_purge, cutoff)

    async def health(self) -> dict[str, int]:
        """Prove the writer can take the write lock; count undelivered mails."""
        return await self._writer.run(_health)


# The functions below run on a connection's own thread.


def _migrate(db: sqlite_utils.Database) -> None:
    with db.atomic():
        events = db.table("events")
        events.create(
            EVENT_COLUMNS,
            pk="seq",
            not_null={"id", "time", "received_at", "type", "message", "broadcast"},
            defaults={"broadcast": 0, "mail_attempts": 0},
            if_not_exists=True,
        )
        events.create_index(["id"], unique=True, if_not_exists=True)
        events.create_index(["time"], if_not_exists=True)
        events.create_index(["type", "seq"], if_not_exists=True)
        events.create_index(["user", "seq"], if_not_exists=True)
        events.create_index(["mail_id"], if_not_exists=True)
        mails = db.table("mails")
        mails.create(
            MAIL_COLUMNS,
            pk="id",
            not_null={"fingerprint", "first_event", "count", "status", "attempts"},
            defaults={"attempts": 0},
            if_not_exists=True,
        )
        mails.create_index(["fingerprint", "id"], if_not_exists=True)
        mails.create_index(["status", "due_ts"], if_not_exists=True)
        # A crash mid-send leaves "sending": send again (at-least-once).
        db.execute("UPDATE mails SET status = 'pending' WHERE status = 'sending'")
        db.execute("UPDATE events SET mail_status = 'pending' WHERE mail_status = 'sending'")


def _insert_event(
    db: sqlite_utils.Database, event: LogEvent, policy: AlarmPolicy
) -> tuple[str, bool]:
    with db.atomic():
        if db.execute("SELECT 1 FROM events WHERE id = ?", [event.id]).fetchone():
            return event.id, False
        row: dict[str, Any] = {
            "id": event.id,
            "time": event.time,
            "received_at": event.received_at,
            "type": event.type,
            "message": event.message,
            "user": event.user,
            "source": event.source,
            "broadcast": int(event.broadcast),
            # ASCII JSON: lone surrogates from untrusted output stay storable.
            "details": None if event.details is None else json.dumps(event.details),
            "client": event.client,
        }
        if event.broadcast:
            row["mail_id"] = _join_mail(db, event, policy)
            row["mail_status"] = MailStatus.PENDING
        db.table("events").insert(row)
        return event.id, True


def _join_mail(db: sqlite_utils.Database, event: LogEvent, policy: AlarmPolicy) -> int:
    """Attach a broadcast event to a mail job: an unsent one for the same alarm
    (storm → one mail with a count), else a new one, held back until the window
    of the previous mail for this alarm has passed."""
    now = datetime.fromisoformat(event.received_at).timestamp()
    fingerprint = event.fingerprint
    pending = db.execute(
        "SELECT id FROM mails WHERE fingerprint = ? AND status = 'pending'"
        " ORDER BY id DESC LIMIT 1",
        [fingerprint],
    ).fetchone()
    if pending:
        db.execute(
            "UPDATE mails SET count = count + 1, last_at = ? WHERE id = ?",
            [event.received_at, pending[0]],
        )
        return int(pending[0])
    previous = db.execute(
        "SELECT created_ts FROM mails WHERE fingerprint = ? ORDER BY id DESC LIMIT 1",
        [fingerprint],
    ).fetchone()
    due = now + policy.delay_s
    if previous and previous[0] + policy.window_s > now:
        due = max(due, previous[0] + policy.window_s)
    mails = db.table("mails")
    mails.insert(
        {
            "fingerprint": fingerprint,
            "first_event": event.id,
            "count": 1,
            "first_at": event.received_at,
            "last_at": event.received_at,
            "created_ts": now,
            "due_ts": due,
            "status": MailStatus.PENDING,
            "attempts": 0,
        }
    )
    mail_id = mails.last_pk
    assert mail_id is not None  # set by the insert above
    return int(mail_id)


def _event_dict(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    row["broadcast"] = bool(row["broadcast"])
    row["details"] = json.loads(row["details"]) if row["details"] else None
    return row


def _query_events(db: sqlite_utils.Database, query: EventQuery) -> list[dict[str, Any]]:
    where: list[str] = []
    params: list[Any] = []
    if query.types:
        where.append(f"type IN ({', '.join('?' for _ in query.types)})")
        params.extend(query.types)
    filters = (
        ("user = ?", query.user),
        ("time >= ?", query.since),
        ("time <= ?", query.until),
        ("broadcast = ?", None if query.broadcast is None else int(query.broadcast)),
    )
    for clause, value in filters:
        if value is not None:
            where.append(clause)
            params.append(value)
    rows = db.table("events").rows_where(
        " AND ".join(where) or None, params, order_by="seq DESC", limit=query.limit
    )
    return [_event_dict(row) for row in rows]


def _claim_due_mail(db: sqlite_utils.Database, now: float) -> tuple[MailJob | None, float | None]:
    with db.atomic():
        row = db.execute(
            "SELECT id, count, attempts, first_at, last_at, first_event FROM mails"
            " WHERE status = 'pending' AND due_ts <= ? ORDER BY due_ts LIMIT 1",
            [now],
        ).fetchone()
        if row is None:
            (next_due,) = db.execute(
                "SELECT min(due_ts) FROM mails WHERE status = 'pending'"
            ).fetchone()
            return None, next_due
        job_id, count, attempts, first_at, last_at, first_event = row
        # Claimed: a repeat of this alarm arriving mid-send starts a new job
        # instead of joining one whose count is already in the mail.
        db.execute("UPDATE mails SET status = 'sending' WHERE id = ?", [job_id])
        found = next(db.query("SELECT * FROM events WHERE id = ?", [first_event]), None)
        # The first event cannot be purged while its mail is open, but a hand-edited
        # or damaged database must not stop every later alarm: mail what is known.
        event = (
            _event_dict(found)
            if found is not None
            else {
                "id": first_event,
                "type": "error",
                "message": "(the event of this alarm is missing from the database)",
            }
        )
        users = [
            user
            for (user,) in db.execute(
                "SELECT DISTINCT user FROM events WHERE mail_id = ? AND user IS NOT NULL"
                " ORDER BY user LIMIT 20",
                [job_id],
            )
        ]
        job = MailJob(job_id, count, attempts, first_at, last_at, event, users)
        return job, None


def _record_mail(
    db: sqlite_utils.Database, job_id: int, status: str, error: str | None, due_ts: float | None
) -> None:
    mailed_at = utc_iso() if status in DELIVERED_MAIL_STATUSES else None
    with db.atomic():
        db.execute(
            "UPDATE mails SET status = ?, attempts = attempts + 1, last_error = ?,"
            " mailed_at = ?, due_ts = coalesce(?, due_ts) WHERE id = ?",
            [status, error, mailed_at, due_ts, job_id],
        )
        db.execute(
            "UPDATE events SET mail_status = ?, mail_attempts = ("
            " SELECT attempts FROM mails WHERE id = ?), mail_error = ?, mailed_at = ?"
            " WHERE mail_id = ?",
            [status, job_id, error, mailed_at, job_id],
        )


def _open_mails(db: sqlite_utils.Database, limit: int) -> list[dict[str, Any]]:
    marks = ", ".join("?" for _ in OPEN_MAIL_STATUSES)
    return list(
        db.query(
            "SELECT mails.*, events.type, events.message, events.source FROM mails"
            " JOIN events ON events.id = mails.first_event"
            f" WHERE mails.status IN ({marks}) ORDER BY mails.id DESC LIMIT ?",
            [*OPEN_MAIL_STATUSES, limit],
        )
    )


def _mail_counts(db: sqlite_utils.Database) -> tuple[dict[str, int], int]:
    counts = dict(db.execute("SELECT status, count(*) FROM mails GROUP BY status").fetchall())
    # Every attempt increments `attempts`; exactly one attempt of a delivered
    # job succeeded, so the rest failed.
    (failed,) = db.execute(
        "SELECT coalesce(sum(attempts), 0)"
        " - count(CASE WHEN status IN ('sent', 'outbox') THEN 1 END) FROM mails"
    ).fetchone()
    return counts, int(failed)


def _purge(db: sqlite_utils.Database, cutoff: str) -> tuple[int, int]:
    with db.atomic():
        events = db.execute(
            "DELETE FROM events WHERE received_at < ?"
            " AND (mail_status IS NULL OR mail_status IN ('sent', 'outbox'))",
            [cutoff],
        ).rowcount
        mails = db.execute(
            "DELETE FROM mails WHERE last_at < ? AND status IN ('sent', 'outbox')", [cutoff]
        ).rowcount
    return events, mails


def _health(db: sqlite_utils.Database) -> dict[str, int]:
    # BEGIN IMMEDIATE takes the write lock: a database that is locked, read-only
    # or corrupt fails here rather than on the next POST.
    db.execute("BEGIN IMMEDIATE")
    try:
        counts: dict[str, int] = {status.value: 0 for status in OPEN_MAIL_STATUSES}
        counts.update(
            db.execute(
                "SELECT status, count(*) FROM mails"
                " WHERE status IN ('pending', 'sending', 'failed') GROUP BY status"
            ).fetchall()
        )
        # Pending after at least one failed attempt: the admins should look.
        (counts["retrying"],) = db.execute(
            "SELECT count(*) FROM mails WHERE status = 'pending' AND attempts > 0"
        ).fetchone()
    finally:
        db.execute("ROLLBACK")
    return counts
