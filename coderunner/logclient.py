"""Durable, ordered, at-least-once delivery of events to the log server.

The spool (`logging.log_file`) is the queue: `emit` appends one JSON line to it
and returns; one background task reads the lines from the committed offset and
POSTs them to the log server one at a time, in order, waiting (with backoff)
while the server is down. Each event carries a client-generated id, so sending
one again after a crash or a retry is harmless: the server stores it once.

Durability, and what it costs the caller:
- emit() does a single `write()` with O_APPEND: from the moment it returns, the
  event survives a crash of coderunner (it is in the kernel's page cache). It
  never waits for the disk or the network, and never raises.
- a background task fsyncs the spool shortly after writes (power loss).
- the delivered offset lives in `<log_file>.offset`, saved at most once a second
  without fsync: after a crash a few events may be sent twice, never lost.
- once everything is delivered and the spool has grown past COMPACT_BYTES it is
  truncated (the offset is reset durably first, so a crash in between only
  resends already-delivered events).
- the spool is capped (`logging.max_spool_bytes`): while the log server is down,
  a full spool is rewritten without its oldest `info` events (then `warning`),
  down to SHRINK_TO of the cap. `error` and `breach` events are never dropped;
  what was dropped is counted (`on_drop`, shown in /metrics) and logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from plumbing import events

if TYPE_CHECKING:
    from coderunner.config import LoggingSettings

logger = logging.getLogger("coderunner.logclient")

# The caps come with the event contract (plumbing/events.py): below the log
# server's defaults, since an event the server refuses (400) is dropped.
MAX_MESSAGE_CHARS = events.CLIENT_MESSAGE_CHARS
MAX_DETAILS_BYTES = events.CLIENT_DETAILS_BYTES
MAX_USER_CHARS = events.USER_CHARS

FSYNC_DELAY_S = 0.2  # a burst of emits shares one fsync
RETRY_INITIAL_S = 0.2
RETRY_MAX_S = 5.0
REQUEST_TIMEOUT_S = 5.0
CLOSE_TIMEOUT_S = 3.0  # aclose() keeps delivering at most this long
OFFSET_SAVE_INTERVAL_S = 1.0
COMPACT_BYTES = 1 << 20
READ_CHUNK = 1 << 20
SHRINK_TO = 0.75  # a full spool is cut to this share of the cap, not to just under it
# Dropped first to last when the spool is full; other types are never dropped.
DROPPABLE = (b"info", b"warning")


def _event_type(raw: bytes) -> bytes:
    """The type of a spooled line without parsing it all (`_encode` writes `type`
    among the first keys); unknown = never dropped."""
    start = raw.find(b'"type":"', 0, 256)
    if start < 0:
        return b""
    start += len(b'"type":"')
    return raw[start : raw.find(b'"', start, start + 16)]


class LogClient:
    def __init__(
        self,
        settings: LoggingSettings,
        *,
        headers: dict[str, str] | None = None,
        on_drop: Callable[[str, int], None] | None = None,
    ) -> None:
        self._path = Path(settings.log_file)
        self._cap = settings.max_spool_bytes
        self._limit = self._cap  # size that triggers the next shrink
        self._size = 0  # bytes in the spool file
        self._generation = 0  # bumped when the spool is rewritten
        self._headers = {"Content-Type": "application/json", **(headers or {})}
        self._on_drop = on_drop
        self.dropped: dict[str, int] = {}
        self._offset_path = self._path.with_name(self._path.name + ".offset")
        self._url = settings.server_url.rstrip("/") + "/log"
        self._source = settings.source
        self._fd: int | None = None
        self._pos = 0  # first byte not yet delivered
        self._saved_pos = 0
        self._saved_at = 0.0
        self._backlog = 0
        self._closing = False
        self._stopping = asyncio.Event()  # set by aclose(): cut a retry pause short
        self._outage_since: float | None = None
        self._wake = asyncio.Event()
        self._unsynced = asyncio.Event()
        self._http: httpx.AsyncClient | None = None
        self._tasks: list[asyncio.Task[None]] = []

    # -- public interface -----------------------------------------------------------

    async def start(self) -> None:
        """Open the spool, pick up what a previous run left, start delivering."""
        self._path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self._path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        size = self._drop_torn_tail(fd)
        self._pos = self._saved_pos = self._load_offset(fd, size)
        self._backlog = self._count_lines(fd, self._pos, size)
        self._fd = fd
        self._size = size
        if size > self._limit:
            self._shrink()
        self._closing = False
        self._stopping.clear()
        self._http = httpx.AsyncClient(timeout=REQUEST_TIMEOUT_S, trust_env=False)
        self._tasks = [
            asyncio.create_task(self._deliver_loop(), name="logclient-deliver"),
            asyncio.create_task(self._sync_loop(), name="logclient-fsync"),
        ]
        if self._backlog:
            logger.info("log spool %s: %d events left to deliver", self._path, self._backlog)

    def emit(
        self,
        type: str,
        message: str,
        *,
        user: str | None = None,
        broadcast: bool = False,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Spool an event for delivery. Never blocks on the log server, never raises.

        Call it from the event loop's thread (like everything else here)."""
        try:
            line = self._encode(type, message, user, broadcast, details)
            self._append(line)
        except Exception:
            # The one place where an event can be lost: keep it in our own log.
            logger.exception("could not spool a log event: %s %.200r", type, message)

    async def aclose(self) -> None:
        """Deliver what can be delivered within CLOSE_TIMEOUT_S, then stop.

        With the log server down this returns at once (after one more try); what
        is left stays in the spool for the next start."""
        if self._fd is None:
            return
        self._closing = True
        self._stopping.set()
        self._wake.set()
        deliver, sync = self._tasks
        try:
            await asyncio.wait_for(asyncio.shield(deliver), CLOSE_TIMEOUT_S)
        except TimeoutError:
            deliver.cancel()
        sync.cancel()
        await asyncio.gather(deliver, sync, return_exceptions=True)
        self._tasks = []
        fd, self._fd = self._fd, None
        try:
            self._save_offset(durable=True)
            os.fsync(fd)
        except OSError as exc:
            logger.error("log spool %s: %s", self._path, exc)
        finally:
            os.close(fd)
        if self._http is not None:
            await self._http.aclose()
            self._http = None
        if self._backlog:
            logger.warning("log spool %s: %d events kept for later", self._path, self._backlog)

    def backlog(self) -> int:
        """Events spooled but not yet delivered."""
        return self._backlog

    # -- spooling -------------------------------------------------------------------

    def _encode(
        self,
        type: str,
        message: str,
        user: str | None,
        broadcast: bool,
        details: dict[str, Any] | None,
    ) -> bytes:
        extra: dict[str, Any] = {}
        if type not in events.EVENT_TYPES:
            # A caller's bug must not cost the event: the server would refuse it.
            extra["original_type"] = str(type)[:64]
            type = "error"
        message = str(message) or "(empty message)"
        if len(message) > MAX_MESSAGE_CHARS:
            extra["message_chars"] = len(message)
            message = message[:MAX_MESSAGE_CHARS] + " …[truncated]"
        if details is not None and not isinstance(details, dict):
            details = {"value": details}
        if details or extra:
            details = {**(details or {}), **extra}
            dumped = json.dumps(details, default=str)
            if len(dumped) > MAX_DETAILS_BYTES:
                details = {"truncated": True, "preview": dumped[:1_000]}
        event: dict[str, Any] = {
            "id": uuid.uuid4().hex,
            "time": datetime.now(UTC).isoformat(),
            "type": type,
            "message": message,
            "broadcast": bool(broadcast),
            "source": self._source,
        }
        if user is not None:
            event["user"] = str(user)[:MAX_USER_CHARS]
        if details:
            event["details"] = details
        # ASCII JSON: one line whatever the content (no raw newline can appear),
        # and lone surrogates from program output stay encodable.
        return (json.dumps(event, default=str, separators=(",", ":")) + "\n").encode("ascii")

    def _append(self, line: bytes) -> None:
        if self._fd is None:
            # Not started yet, or closed: straight to the file, read at next start.
            self._path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
            return
        os.write(self._fd, line)
        self._size += len(line)
        self._backlog += 1
        if self._size > self._limit:
            self._shrink()
        self._unsynced.set()
        self._wake.set()

    def _shrink(self) -> None:
        """The spool is over its cap: rewrite the undelivered events without the
        oldest droppable ones. Crash-safe: the offset is reset to 0 durably first,
        so a crash before the rename only resends (the server drops repeats)."""
        assert self._fd is not None
        raw = os.pread(self._fd, self._size - self._pos, self._pos)
        lines = raw.split(b"\n")[:-1]
        kinds = [_event_type(line) for line in lines]
        total = sum(len(line) + 1 for line in lines)
        target = int(self._cap * SHRINK_TO)
        keep = [True] * len(lines)
        dropped: dict[str, int] = {}
        for kind in DROPPABLE:
            for index, line in enumerate(lines):  # oldest first
                if total <= target:
                    break
                if keep[index] and kinds[index] == kind:
                    keep[index] = False
                    total -= len(line) + 1
                    dropped[kind.decode()] = dropped.get(kind.decode(), 0) + 1
        kept = b"".join(line + b"\n" for line, ok in zip(lines, keep, strict=True) if ok)
        tmp = self._path.with_name(self._path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            os.write(fd, kept)
            os.fsync(fd)
        finally:
            os.close(fd)
        self._pos = 0
        self._save_offset(durable=True)
        os.replace(tmp, self._path)
        new_fd = os.open(self._path, os.O_RDWR | os.O_APPEND | os.O_CLOEXEC)
        os.close(self._fd)
        self._fd = new_fd
        self._size = len(kept)
        self._backlog = len(lines) - sum(dropped.values())
        self._generation += 1
        # Only undroppable events left over the target: grow rather than rewrite
        # the spool on every emit.
        self._limit = max(self._cap, self._size + self._cap // 4)
        for name, count in dropped.items():
            self.dropped[name] = self.dropped.get(name, 0) + count
            if self._on_drop is not None:
                self._on_drop(name, count)
        logger.warning(
            "log spool %s over %d bytes: dropped %s; %d events wait",
            self._path,
            self._cap,
            ", ".join(f"{count} {kind}" for kind, count in dropped.items()) or "nothing",
            self._backlog,
        )

    @staticmethod
    def _drop_torn_tail(fd: int) -> int:
        """A crash mid-write can leave half a line at the end: cut it off."""
        size = os.fstat(fd).st_size
        if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
            return size
        start = max(0, size - READ_CHUNK)
        cut = os.pread(fd, size - start, start).rfind(b"\n")
        keep = 0 if cut < 0 else start + cut + 1
        os.ftruncate(fd, keep)
        logger.warning("log spool: dropped %d bytes of a torn last line", size - keep)
        return keep

    def _load_offset(self, fd: int, size: int) -> int:
        try:
            offset = int(self._offset_path.read_text(encoding="ascii").strip() or 0)
        except (OSError, ValueError):
            return 0
        # Only a line boundary inside the file is believable; anything else means
        # the offset file is stale: start over (the server drops repeats by id).
        if offset == 0 or (0 < offset <= size and os.pread(fd, 1, offset - 1) == b"\n"):
            return offset
        return 0

    @staticmethod
    def _count_lines(fd: int, start: int, end: int) -> int:
        count = 0
        while start < end:
            chunk = os.pread(fd, min(READ_CHUNK, end - start), start)
            count += chunk.count(b"\n")
            start += len(chunk)
        return count

    def _save_offset(self, *, durable: bool = False) -> None:
        tmp = self._offset_path.with_name(self._offset_path.name + ".tmp")
        with open(tmp, "w", encoding="ascii") as fh:
            fh.write(f"{self._pos}\n")
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, self._offset_path)
        if durable:
            dirfd = os.open(self._offset_path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dirfd)
            finally:
                os.close(dirfd)
        self._saved_pos, self._saved_at = self._pos, time.monotonic()

    def _read_pending(self) -> list[tuple[int, bytes]]:
        """Complete lines after the delivered offset, with the offset after each."""
        assert self._fd is not None
        size = os.fstat(self._fd).st_size
        if self._pos >= size:
            return []
        chunk = os.pread(self._fd, min(READ_CHUNK, size - self._pos), self._pos)
        lines, end = [], self._pos
        for raw in chunk.split(b"\n")[:-1]:  # the last piece is incomplete or empty
            end += len(raw) + 1
            lines.append((end, raw))
        return lines

    def _compact(self) -> None:
        """Everything is delivered: empty the spool so it does not grow forever."""
        assert self._fd is not None
        if self._pos < COMPACT_BYTES or os.fstat(self._fd).st_size != self._pos:
            return
        self._pos = 0
        self._save_offset(durable=True)  # first, so a crash now only resends
        os.ftruncate(self._fd, 0)
        os.fsync(self._fd)
        self._size = 0
        self._limit = self._cap

    # -- background tasks ---------------------------------------------------------

    async def _sync_loop(self) -> None:
        while True:
            await self._unsynced.wait()
            await asyncio.sleep(FSYNC_DELAY_S)
            self._unsynced.clear()
            fd = self._fd  # a shrink may have replaced the file
            if fd is None:
                return
            try:
                await asyncio.to_thread(os.fsync, fd)
            except OSError as exc:
                logger.error("log spool %s: fsync failed: %s", self._path, exc)

    async def _deliver_loop(self) -> None:
        # A bug here must not silently end delivery for the rest of the run.
        while True:
            try:
                await self._deliver()
                return
            except Exception:
                logger.exception("log delivery failed; restarting it in 1 s")
                await asyncio.sleep(1.0)

    async def _deliver(self) -> None:
        """Send the spool in order until it is empty and aclose() was called."""
        while True:
            try:
                lines = self._read_pending()
                if not lines:
                    if self._pos != self._saved_pos:
                        self._save_offset()
                    self._compact()
            except OSError as exc:
                logger.error("log spool %s: %s", self._path, exc)
                lines = []
            if not lines:
                if self._closing:
                    return
                self._wake.clear()
                await self._wake.wait()
                continue
            generation = self._generation
            for end, raw in lines:
                if generation != self._generation:
                    break  # the spool was rewritten meanwhile: read it again
                try:
                    event_id = json.loads(raw)["id"]
                except (ValueError, TypeError, KeyError):
                    logger.error(
                        "log spool %s: skipping a corrupt line at %d", self._path, self._pos
                    )
                else:
                    if not await self._send(event_id, raw):
                        return  # closing while the server is unavailable
                    if generation != self._generation:
                        break  # offsets changed under us; a repeat is harmless
                self._pos = end
                self._backlog -= 1
                if time.monotonic() - self._saved_at >= OFFSET_SAVE_INTERVAL_S:
                    with contextlib.suppress(OSError):
                        self._save_offset()

    async def _send(self, event_id: str, line: bytes) -> bool:
        """POST one spooled event until the server has it (or refuses it for good);
        False when aclose() was called and the server is still unavailable.

        The spool line is sent as it is: it is already ASCII JSON, so nothing in
        it (a lone surrogate from a program's output) can fail to encode here."""
        assert self._http is not None
        delay = RETRY_INITIAL_S
        while True:
            try:
                response = await self._http.post(self._url, content=line, headers=self._headers)
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                status = response.status_code
                if status == 200:
                    if self._outage_since is not None:
                        down = time.monotonic() - self._outage_since
                        logger.info("log server reachable again after %.1f s", down)
                        self._outage_since = None
                    return True
                if 400 <= status < 500 and status not in (403, 404, 408, 429):
                    # The event itself is wrong: retrying cannot help, and it must
                    # not block every later event. Keep it in our own log.
                    logger.error(
                        "log server refused event %s (%d %s): %.2000s",
                        event_id,
                        status,
                        response.text[:500],
                        line.decode("ascii", "replace"),
                    )
                    return True
                problem = f"HTTP {status}"
            if self._outage_since is None:
                self._outage_since = time.monotonic()
                logger.warning(
                    "log server %s unavailable (%s); %d events wait in the spool",
                    self._url,
                    problem,
                    self._backlog,
                )
            if self._closing:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay)
            delay = min(delay * 2, RETRY_MAX_S)
