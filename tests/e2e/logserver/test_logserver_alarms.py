"""Alarm mails through a real SMTP server (aiosmtpd), the outbox, retries, storms."""

from __future__ import annotations

import time
from collections.abc import Callable
from email import message_from_bytes, policy
from typing import Any

from tests.helpers import wait_until
from tests.support.logserver import LogServer, SmtpServer

RECIPIENTS = ["admin@example.org", "oncall@example.org"]


def sentinel_mail(server: LogServer, smtp: SmtpServer, name: str) -> list[str]:
    """A positive signal that the mailer has dealt with every event before this
    one: a broadcast posted now, whose mail comes after any mail those events
    could still cause. Returns the subjects of every mail received until it."""
    server.post(type="error", message=f"sentinel {name}", broadcast=True)
    wait_until(
        lambda: any(
            m["Subject"] == f"[coderunner] ERROR: sentinel {name}" for _, m in smtp.received
        ),
        30,
        f"the sentinel mail {name}",
    )
    return [m["Subject"] for _, m in smtp.received]


def _use_smtp(config: dict[str, Any], smtp: SmtpServer) -> None:
    config["smtp"].update(host="127.0.0.1", port=smtp.port, sender="alarms@example.org")


def test_broadcast_is_mailed_to_the_recipients(
    make_logserver: Callable[..., LogServer],
    logserver_config: dict[str, Any],
    smtp_server: SmtpServer,
) -> None:
    _use_smtp(logserver_config, smtp_server)
    smtp_server.start()
    server = make_logserver()
    assert server.post(type="info", message="an ordinary request").status_code == 200
    response = server.post(
        type="breach",
        message="forbidden: 203.0.113.9 is not a trusted host",
        user="mallory",
        source="coderunner",
        broadcast=True,
        details={"address": "203.0.113.9", "path": "/isolatedTest"},
    )
    event_id = response.json()["id"]

    ((envelope, mail),) = smtp_server.wait_for(1)
    assert envelope.mail_from == "alarms@example.org"
    assert envelope.rcpt_tos == RECIPIENTS
    assert mail["To"] == "admin@example.org, oncall@example.org"
    assert mail["Subject"] == ("[coderunner] BREACH: forbidden: 203.0.113.9 is not a trusted host")
    body = mail.get_content()
    assert "BREACH alarm from coderunner" in body
    assert "forbidden: 203.0.113.9 is not a trusted host" in body
    assert "Occurrences: 1" in body.splitlines()
    assert "Users:       mallory" in body.splitlines()
    assert event_id in body
    assert '"path": "/isolatedTest"' in body

    stored = wait_until(
        lambda: (e := server.event(event_id))["mail_status"] == "sent" and e, 10, "mail recorded"
    )
    assert stored["mailed_at"] and stored["mail_attempts"] == 1 and stored["mail_error"] is None
    health = server.http.get("/health").json()
    assert health["smtp"] == {
        "mode": "smtp",
        "host": "127.0.0.1",
        "port": smtp_server.port,
        "reachable": True,
    }
    # The info event must not have produced a mail.
    assert sentinel_mail(server, smtp_server, "after-info") == [
        "[coderunner] BREACH: forbidden: 203.0.113.9 is not a trusted host",
        "[coderunner] ERROR: sentinel after-info",
    ]


def test_smtp_down_then_back_delivers_the_mail(
    make_logserver: Callable[..., LogServer],
    logserver_config: dict[str, Any],
    smtp_server: SmtpServer,
) -> None:
    _use_smtp(logserver_config, smtp_server)
    smtp_server.start()
    smtp_server.stop()  # it was up once; now it is down, same port
    server = make_logserver()
    event_id = server.post(type="error", message="internal error", broadcast=True).json()["id"]

    failing = wait_until(
        lambda: (e := server.event(event_id))["mail_attempts"] >= 2 and e, 15, "failed attempts"
    )
    assert failing["mail_status"] == "pending"
    assert failing["mailed_at"] is None
    assert "connect" in failing["mail_error"].lower()
    health = server.http.get("/health").json()
    assert health["status"] == "ok"
    assert health["smtp"]["reachable"] is False
    assert health["mails"]["pending"] + health["mails"]["sending"] == 1
    assert "internal error" in server.http.get("/").text

    smtp_server.start()
    ((envelope, mail),) = smtp_server.wait_for(1)
    assert envelope.rcpt_tos == RECIPIENTS
    assert mail["Subject"] == "[coderunner] ERROR: internal error"
    delivered = wait_until(
        lambda: (e := server.event(event_id))["mail_status"] == "sent" and e, 10, "mail recorded"
    )
    assert delivered["mail_attempts"] >= 3
    assert delivered["mailed_at"] and delivered["mail_error"] is None


def test_pending_mail_survives_a_logserver_restart(
    make_logserver: Callable[..., LogServer],
    logserver_config: dict[str, Any],
    smtp_server: SmtpServer,
) -> None:
    _use_smtp(logserver_config, smtp_server)
    server = make_logserver()  # SMTP is not running
    ids = [server.post(type="info", message=f"event {i}").json()["id"] for i in range(3)]
    alarm = server.post(type="breach", message="sanitizer: fork bomb", broadcast=True).json()["id"]
    wait_until(lambda: server.event(alarm)["mail_attempts"] >= 1, 15, "a failed attempt")
    server.stop()

    smtp_server.start()
    server.start()  # same database file, new process
    assert [e["id"] for e in server.events()] == [alarm, *reversed(ids)]
    ((_, mail),) = smtp_server.wait_for(1)
    assert mail["Subject"] == "[coderunner] BREACH: sanitizer: fork bomb"
    wait_until(lambda: server.event(alarm)["mail_status"] == "sent", 10, "mail recorded")
    # Sent once, not again by the restarted mailer.
    assert sentinel_mail(server, smtp_server, "after-restart") == [
        "[coderunner] BREACH: sanitizer: fork bomb",
        "[coderunner] ERROR: sentinel after-restart",
    ]


def test_an_alarm_storm_becomes_one_mail_with_a_count(
    make_logserver: Callable[..., LogServer],
    logserver_config: dict[str, Any],
    smtp_server: SmtpServer,
) -> None:
    _use_smtp(logserver_config, smtp_server)
    logserver_config["alarms"].update(coalesce_delay_s=6, coalesce_window_s=120)
    smtp_server.start()
    server = make_logserver()

    started = time.monotonic()
    storm = [
        server.post(
            type="breach",
            message="rate limit exceeded",
            source="coderunner",
            user=f"user{i % 5}",
            broadcast=True,
        ).json()["id"]
        for i in range(50)
    ]
    other = server.post(type="breach", message="another alarm", broadcast=True).json()["id"]
    # The test's premise: the storm fits in the coalescing delay.
    assert time.monotonic() - started < 6, "posting the storm took longer than the delay"

    smtp_server.wait_for(2)
    # Nothing more of the storm comes after these two.
    assert sorted(sentinel_mail(server, smtp_server, "after-storm")) == [
        "[coderunner] BREACH: another alarm",
        "[coderunner] BREACH: rate limit exceeded (50 times)",
        "[coderunner] ERROR: sentinel after-storm",
    ]
    mails = {mail["Subject"]: (envelope, mail) for envelope, mail in smtp_server.received}
    _, mail = mails["[coderunner] BREACH: rate limit exceeded (50 times)"]
    assert mail["X-CodeRunner-Alarm-Count"] == "50"
    body = mail.get_content()
    assert "Occurrences: 50" in body.splitlines()
    assert "Users:       user0, user1, user2, user3, user4" in body.splitlines()

    wait_until(lambda: server.event(storm[-1])["mail_status"] == "sent", 10, "mail recorded")
    events = {e["id"]: e for e in server.events()}
    assert {events[i]["mail_status"] for i in storm} == {"sent"}
    assert len({events[i]["mail_id"] for i in storm}) == 1
    assert events[other]["mail_id"] != events[storm[0]]["mail_id"]

    # Still in the window: the same alarm again waits for the window's end.
    late = server.post(
        type="breach", message="rate limit exceeded", source="coderunner", broadcast=True
    ).json()["id"]
    # A mail posted after it (with its own, shorter wait) goes out first.
    assert len(sentinel_mail(server, smtp_server, "in-window")) == 4
    assert server.event(late)["mail_status"] == "pending"
    assert server.http.get("/health").json()["mails"]["pending"] == 1


def test_without_smtp_host_mails_go_to_the_outbox(
    make_logserver: Callable[..., LogServer], logserver_config: dict[str, Any]
) -> None:
    server = make_logserver()
    event_id = server.post(
        type="breach", message="container escape attempt\r\nBcc: x@example.com", broadcast=True
    ).json()["id"]
    outbox = logserver_config["smtp"]["outbox"]
    (path,) = wait_until(lambda: list(outbox.glob("*.eml")), 10, "an .eml in the outbox")
    mail = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert mail["To"] == "admin@example.org, oncall@example.org"
    # CR/LF in an event message never becomes a header of its own.
    assert mail["Subject"] == "[coderunner] BREACH: container escape attempt Bcc: x@example.com"
    assert mail["Bcc"] is None
    assert event_id in mail.get_content()
    stored = wait_until(
        lambda: (e := server.event(event_id))["mail_status"] == "outbox" and e, 10, "recorded"
    )
    assert stored["mailed_at"]


def test_a_mail_that_keeps_failing_is_retried_forever_and_shown(
    make_logserver: Callable[..., LogServer],
    logserver_config: dict[str, Any],
    smtp_server: SmtpServer,
) -> None:
    """The contract says a failed delivery is retried and survives: past
    max_attempts it goes on at the capped interval, never given up."""
    _use_smtp(logserver_config, smtp_server)  # not started yet
    logserver_config["alarms"]["max_attempts"] = 2
    logserver_config["alarms"]["retry_max_s"] = 0.3
    server = make_logserver()
    event_id = server.post(type="error", message="disk full", broadcast=True).json()["id"]
    stored = wait_until(
        lambda: (e := server.event(event_id))["mail_attempts"] >= 4 and e, 30, "4 attempts"
    )
    assert stored["mail_status"] == "pending"
    assert stored["mail_error"]
    health = server.http.get("/health").json()
    assert health["mails"]["failed"] == 0
    assert health["mails"]["retrying"] == 1
    page = server.http.get("/").text
    assert "retrying" in page and "disk full" in page
    smtp_server.start()
    ((_, mail),) = smtp_server.wait_for(1, timeout=30)
    assert "disk full" in str(mail["Subject"])
    wait_until(lambda: server.event(event_id)["mail_status"] == "sent", 15, "sent")
