"""Alarm mails: compose, deliver through SMTP (aiosmtplib) or to the outbox, retry.

The jobs live in the store (`mails` table), so this module holds no state worth
losing: one background task claims the most overdue job, tries it once, and
records the outcome; a failure is re-queued with exponential backoff, and a
restart simply finds the pending jobs again. Without an SMTP host (or without
recipients to send to) a mail is written as an .eml file to `smtp.outbox`
instead of being dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
import unicodedata
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import aiosmtplib

from logserver.config import AlarmsSettings, SmtpSettings
from logserver.store import MailJob, Store
from plumbing.errors import Unavailable
from plumbing.events import MailStatus

logger = logging.getLogger("logserver.mailer")

# How long the loop sleeps at most: a cheap guard against a missed wake-up or a
# wall clock that jumped.
MAX_IDLE_S = 60.0
# /health's SMTP probe: how long a result is reused, how long /health waits for a
# running probe, how long the probe itself may take.
PROBE_TTL_S = 10.0
PROBE_WAIT_S = 0.5
PROBE_TIMEOUT_S = 5.0
# A crashed delivery loop is restarted after this pause (a bug must not end
# alarm mail for the rest of the run, nor spin).
RESTART_DELAY_S = 1.0


class MailError(Exception):
    """A delivery attempt failed (SMTP refusal, network, timeout, disk)."""


def _clean(text: str) -> str:
    # Lone surrogates (undecodable bytes of an untrusted program's output) cannot
    # be encoded into a mail; replace them instead of failing the delivery.
    return text.encode("utf-8", "replace").decode("utf-8")


def _one_line(text: str, limit: int) -> str:
    # Control characters (CR/LF above all) never reach a header.
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in _clean(text))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compose(job: MailJob, smtp: SmtpSettings, alarms: AlarmsSettings) -> EmailMessage:
    event = job.event
    kind = str(event["type"]).upper()
    source = event.get("source") or "unknown source"
    subject = f"{alarms.subject_prefix} {kind}: {_one_line(event['message'], 120)}".strip()
    if job.count > 1:
        subject += f" ({job.count} times)"

    # Short lines: the mail stays plain 7-bit text unless the message needs more.
    lines = [
        f"{kind} alarm from {source}",
        "",
        _clean(event["message"]),
        "",
        f"Occurrences: {job.count}",
        f"First seen:  {job.first_at}",
        f"Last seen:   {job.last_at}",
    ]
    if job.users:
        lines.append(f"Users:       {', '.join(_clean(user) for user in job.users)}")
    lines.append(f"Event id:    {event['id']} (the first one)")
    lines.append(f"Posted by:   {event.get('client') or 'unknown'}")
    if event.get("details"):
        details = json.dumps(event["details"], indent=2, sort_keys=True, ensure_ascii=False)
        lines += ["", "Details:", _clean(details)]
    lines += ["", "-- ", f"CodeRunner log server, alarm mail #{job.id}"]

    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = smtp.sender
    msg["To"] = ", ".join(alarms.recipients) or "undisclosed-recipients:;"
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2])
    msg["X-CodeRunner-Alarm-Count"] = str(job.count)
    msg.set_content("\n".join(lines) + "\n")
    return msg


class Mailer:
    def __init__(self, smtp: SmtpSettings, alarms: AlarmsSettings, store: Store) -> None:
        self._smtp = smtp
        self._alarms = alarms
        self._store = store
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._probe: asyncio.Task[dict[str, Any]] | None = None
        self._probed_at = 0.0
        self.restarts = 0
        self.last_crash: str | None = None

    @property
    def outbox_mode(self) -> bool:
        return not (self._smtp.host and self._alarms.recipients)

    async def start(self) -> None:
        if self.outbox_mode:
            self._smtp.outbox.mkdir(parents=True, exist_ok=True)
            why = "no smtp.host" if not self._smtp.host else "no alarms.recipients"
            logger.warning("alarm mails go to the outbox %s (%s)", self._smtp.outbox, why)
        self._task = asyncio.create_task(self._supervise(), name="logserver-mailer")

    def status(self) -> dict[str, Any]:
        """For /health: is the delivery loop alive, and has it crashed before."""
        running = self._task is not None and not self._task.done()
        return {"running": running, "restarts": self.restarts, "lastCrash": self.last_crash}

    def wake(self) -> None:
        """A new alarm was stored: look at the queue now rather than later."""
        self._wake.set()

    async def aclose(self) -> None:
        for task in (self._task, self._probe):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._task = self._probe = None

    # -- the delivery loop -------------------------------------------------------

    async def _supervise(self) -> None:
        while True:
            try:
                await self._run()
            except Exception as exc:  # CancelledError (aclose) is not an Exception
                self.restarts += 1
                self.last_crash = f"{type(exc).__name__}: {exc}"[:300]
                logger.exception("the mail loop crashed (restart %d)", self.restarts)
                await asyncio.sleep(RESTART_DELAY_S)

    async def _run(self) -> None:
        while True:
            # Cleared before looking, so a wake() during the look is not lost.
            self._wake.clear()
            try:
                job, next_due = await self._store.claim_due_mail(time.time())
            except Unavailable as exc:
                logger.error("mail queue: %s", exc)
                await self._idle(1.0)
                continue
            if job is None:
                await self._idle(MAX_IDLE_S if next_due is None else next_due - time.time())
                continue
            await self._attempt(job)

    async def _idle(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=min(max(seconds, 0), MAX_IDLE_S))

    async def _attempt(self, job: MailJob) -> None:
        due_ts: float | None = None
        try:
            try:
                msg = compose(job, self._smtp, self._alarms)
            except Exception as exc:  # a damaged row: keep it visible, keep retrying
                raise MailError(f"cannot compose the mail: {type(exc).__name__}: {exc}") from exc
            if self.outbox_mode:
                path = await asyncio.to_thread(self._write_outbox, msg, job)
                status, error = MailStatus.OUTBOX, None
                logger.info("alarm mail #%d written to %s", job.id, path)
            else:
                status, error = MailStatus.SENT, await self._send(msg)
                logger.info("alarm mail #%d sent (%d events)", job.id, job.count)
        except MailError as exc:
            error = str(exc)[:500]
            attempts = job.attempts + 1
            # Never given up (the contract: a failed delivery is retried and survives
            # a restart): past max_attempts it goes on at the capped interval and
            # is reported as an error; the admin page lists it with its last error.
            status = MailStatus.PENDING
            backoff = self._alarms.retry_initial_s * 2 ** min(attempts - 1, 60)
            due_ts = time.time() + min(backoff, self._alarms.retry_max_s)
            report = logger.error if attempts >= self._alarms.max_attempts else logger.warning
            report("alarm mail #%d attempt %d failed: %s", job.id, attempts, error)
        # The outcome must reach the table, or the job would sit in "sending"
        # until the next restart (and then be sent twice).
        while True:
            try:
                await self._store.record_mail(job.id, status=status, error=error, due_ts=due_ts)
                return
            except Unavailable as exc:
                logger.error("cannot record alarm mail #%d: %s", job.id, exc)
                await asyncio.sleep(1.0)

    async def _send(self, msg: EmailMessage) -> str | None:
        smtp = self._smtp
        try:
            refused, _ = await aiosmtplib.send(
                msg,
                hostname=smtp.host,
                port=smtp.port,
                username=smtp.username or None,
                password=smtp.password.get_secret_value() or None,
                use_tls=smtp.tls,
                start_tls=smtp.starttls and not smtp.tls,
                timeout=smtp.timeout,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise MailError(f"{type(exc).__name__}: {exc}") from exc
        # Some recipients accepted: the alarm got out; note who did not get it.
        return f"refused by the server: {', '.join(sorted(refused))}" if refused else None

    def _write_outbox(self, msg: EmailMessage, job: MailJob) -> Path:
        stamp = job.first_at.replace("-", "").replace(":", "").replace(".", "")
        path = self._smtp.outbox / f"{stamp}-alarm-{job.id}.eml"
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            self._smtp.outbox.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as fh:
                fh.write(bytes(msg))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            raise MailError(f"cannot write to the outbox: {exc}") from exc
        return path

    # -- health ------------------------------------------------------------------

    async def check(self) -> dict[str, Any]:
        """SMTP reachability for /health, which must stay fast (monitors poll it
        with short timeouts): a probe result is reused for PROBE_TTL_S, and a probe
        still running after PROBE_WAIT_S is reported as such, not waited for."""
        if self.outbox_mode:
            reason = "no smtp.host configured" if not self._smtp.host else "no alarms.recipients"
            return {"mode": "outbox", "outbox": str(self._smtp.outbox), "reason": reason}
        now = time.monotonic()
        if self._probe is None or (self._probe.done() and now - self._probed_at > PROBE_TTL_S):
            self._probe = asyncio.create_task(self._probe_smtp(), name="logserver-smtp-probe")
            self._probed_at = now
        result: dict[str, Any] = {"mode": "smtp", "host": self._smtp.host, "port": self._smtp.port}
        try:
            return {**result, **await asyncio.wait_for(asyncio.shield(self._probe), PROBE_WAIT_S)}
        except TimeoutError:
            return {**result, "reachable": None, "error": "probe still running"}

    async def _probe_smtp(self) -> dict[str, Any]:
        smtp = self._smtp
        client = aiosmtplib.SMTP(
            hostname=smtp.host,
            port=smtp.port,
            use_tls=smtp.tls,
            start_tls=False,
            timeout=min(smtp.timeout, PROBE_TIMEOUT_S),
        )
        try:
            await client.connect()
            await client.noop()
            return {"reachable": True}
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            return {"reachable": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        finally:
            if client.is_connected:
                with contextlib.suppress(aiosmtplib.SMTPException, OSError, TimeoutError):
                    await client.quit()
