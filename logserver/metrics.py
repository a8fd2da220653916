"""Prometheus metrics of the log server (GET /metrics).

One registry per app (not prometheus-client's global one), so that several apps in
one process (tests) never share counters. Events and HTTP requests are counted by
this process; the mail figures are read from the store at scrape time, because
the mail queue lives in the database and survives restarts (a counter kept in
memory would start again at zero and hide mails still pending from before).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from logserver.store import MAIL_STATUSES
from plumbing.events import EVENT_TYPES

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "logserver_http_requests",
            "HTTP requests by path and status code",
            ["path", "code"],
            registry=self.registry,
        )
        self.events = Counter(
            "logserver_events_stored",
            "Events stored by this process, by type (a repeated id is not counted)",
            ["type"],
            registry=self.registry,
        )
        self.duplicates = Counter(
            "logserver_events_duplicate",
            "Events refused as repeats of a stored id (client retries)",
            registry=self.registry,
        )
        self.mails = Gauge(
            "logserver_mails",
            "Alarm mail jobs in the store by status: pending/sending (not yet out), "
            "sent (SMTP), outbox (written as a file), failed (given up)",
            ["status"],
            registry=self.registry,
        )
        self.failed_attempts = Gauge(
            "logserver_mail_failed_attempts",
            "Failed delivery attempts recorded in the store, retries included",
            registry=self.registry,
        )
        # Every label present from the start: a dashboard sees 0, not "no data".
        for kind in EVENT_TYPES:
            self.events.labels(kind)
        for status in MAIL_STATUSES:
            self.mails.labels(status)

    def observe_mails(self, counts: dict[str, int], failed_attempts: int) -> None:
        for status in MAIL_STATUSES:
            self.mails.labels(status).set(counts.get(status, 0))
        self.failed_attempts.set(failed_attempts)

    def render(self) -> bytes:
        return generate_latest(self.registry)
