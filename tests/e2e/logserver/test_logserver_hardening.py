"""The log server on a long run: retention, free space, a mail loop that survives."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from logserver.config import load_settings
from logserver.mailer import Mailer
from logserver.store import AlarmPolicy, LogEvent, Store, utc_iso
from tests.helpers import wait_until
from tests.support.logserver import LogServer, SmtpServer


def test_events_and_outbox_mails_past_retention_are_deleted(
    make_logserver: Callable[..., LogServer], logserver_config: dict[str, Any]
) -> None:
    retention_s = 4.0
    logserver_config["logserver"]["retention_days"] = retention_s / 86_400
    logserver_config["smtp"]["outbox_retention_days"] = retention_s / 86_400
    logserver_config["alarms"]["recipients"] = []  # outbox mode
    outbox = Path(logserver_config["smtp"]["outbox"])
    outbox.mkdir(parents=True)
    stale = outbox / "20000101T000000-alarm-0.eml"
    stale.write_text("Subject: old\n\nold\n")
    os.utime(stale, (time.time() - 3_600, time.time() - 3_600))
    unrelated = outbox / "notes.txt"  # not ours: never touched
    unrelated.write_text("keep")
    os.utime(unrelated, (time.time() - 3_600, time.time() - 3_600))

    server = make_logserver()
    wait_until(lambda: not stale.exists(), 30, "the stale outbox mail to be deleted")
    assert unrelated.exists()
    old = server.post(type="info", message="old news").json()["id"]
    alarm = server.post(type="error", message="alarm", broadcast=True).json()["id"]
    mail = wait_until(lambda: list(outbox.glob("*.eml")), 30, "the alarm in the outbox")
    assert {e["id"] for e in server.events()} >= {old, alarm}
    wait_until(lambda: not server.events(), 60, "both events to pass their retention")
    wait_until(lambda: not mail[0].exists(), 60, "the outbox mail to pass its retention")
    with sqlite3.connect(server.workdir / "db" / "events.db") as db:
        assert db.execute("SELECT count(*) FROM mails").fetchone() == (0,)
    # A fresh event is kept: retention is by age, not a wipe.
    fresh = server.post(type="info", message="fresh").json()["id"]
    assert [e["id"] for e in server.events()] == [fresh]


def test_an_alarm_not_yet_delivered_is_kept_past_retention(
    make_logserver: Callable[..., LogServer],
    logserver_config: dict[str, Any],
    smtp_server: SmtpServer,
) -> None:
    logserver_config["logserver"]["retention_days"] = 1.0 / 86_400
    logserver_config["smtp"].update(host="127.0.0.1", port=smtp_server.port)  # SMTP down
    server = make_logserver()
    alarm = server.post(type="breach", message="kept", broadcast=True).json()["id"]
    server.post(type="info", message="dropped")
    wait_until(lambda: [e["id"] for e in server.events()] == [alarm], 30, "the info to go")
    wait_until(lambda: server.event(alarm)["mail_attempts"] >= 2, 30, "two failed attempts")
    smtp_server.start()
    smtp_server.wait_for(1, timeout=30)


def test_health_is_503_below_the_free_space_threshold(
    make_logserver: Callable[..., LogServer], logserver_config: dict[str, Any]
) -> None:
    logserver_config["logserver"]["min_free_mb"] = 1 << 40  # more than any disk
    server = make_logserver()
    response = server.http.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "low_disk"
    assert body["disk"]["ok"] is False and body["disk"]["freeBytes"] > 0


def test_an_alarm_whose_event_is_missing_does_not_stop_the_mail_loop(
    make_logserver: Callable[..., LogServer],
    logserver_config: dict[str, Any],
    smtp_server: SmtpServer,
) -> None:
    """A damaged row (a mail job whose first event is gone) used to kill the mail
    task silently: every later alarm stayed pending and /health said ok."""
    smtp_server.start()
    logserver_config["smtp"].update(host="127.0.0.1", port=smtp_server.port)
    server = make_logserver()
    with sqlite3.connect(server.workdir / "db" / "events.db") as db:
        db.execute(
            "INSERT INTO mails (fingerprint, first_event, count, first_at, last_at,"
            " created_ts, due_ts, status, attempts) VALUES ('x', 'gone', 1, ?, ?, ?, ?,"
            " 'pending', 0)",
            [utc_iso(), utc_iso(), time.time(), time.time()],
        )
    later = server.post(type="breach", message="after the damage", broadcast=True).json()["id"]
    mails = smtp_server.wait_for(2, timeout=30)
    subjects = sorted(str(mail["Subject"]) for _, mail in mails)
    assert any("after the damage" in s for s in subjects)
    assert any("missing from the database" in s for s in subjects)
    wait_until(lambda: server.event(later)["mail_status"] == "sent", 15, "sent")
    assert server.http.get("/health").json()["mailer"]["running"] is True


class _CrashingStore(Store):
    """A real store whose queue lookup fails once with an unexpected error (a bug)."""

    crashes = 1

    async def claim_due_mail(self, now: float) -> Any:
        if self.crashes:
            self.crashes -= 1
            raise RuntimeError("a bug in the mail queue")
        return await super().claim_due_mail(now)


async def test_the_mail_loop_is_restarted_after_a_crash(tmp_path: Path) -> None:
    settings = load_settings(
        logserver={"database": tmp_path / "db" / "events.db"},
        smtp={"outbox": tmp_path / "outbox"},
        alarms={"coalesce_delay_s": 0},
    )
    store = _CrashingStore(settings.logserver.database)
    await store.open()
    mailer = Mailer(settings.smtp, settings.alarms, store)
    await mailer.start()
    try:
        event = LogEvent(
            id="e1",
            time=utc_iso(),
            received_at=utc_iso(),
            type="error",
            message="after the crash",
            user=None,
            source="test",
            broadcast=True,
            details=None,
            client=None,
        )
        await store.insert_event(event, AlarmPolicy(0, 60))
        mailer.wake()
        deadline = time.monotonic() + 30
        while not list((tmp_path / "outbox").glob("*.eml")):
            assert time.monotonic() < deadline, "the alarm was not written after the crash"
            await asyncio.sleep(0.05)
        status = mailer.status()
        assert status["running"] is True and status["restarts"] == 1
        assert "a bug in the mail queue" in status["lastCrash"]
    finally:
        await mailer.aclose()
        await store.close()
