"""Prometheus metrics. One registry per app (not the global one), so that several
apps in one process (tests) never share or collide on counters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

if TYPE_CHECKING:
    from .queue import TaskQueue

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "coderunner_http_requests",
            "HTTP requests by path and status code",
            ["path", "code"],
            registry=self.registry,
        )
        self.queue_depth = Gauge(
            "coderunner_queue_depth", "Sessions waiting for a slot", registry=self.registry
        )
        self.running = Gauge(
            "coderunner_running_containers",
            "Sessions holding a container slot",
            registry=self.registry,
        )
        self.session_seconds = Histogram(
            "coderunner_session_duration_seconds",
            "From slot to answer",
            buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120),
            registry=self.registry,
        )
        self.verdicts = Counter(
            "coderunner_verdicts", "Per-test verdicts", ["status"], registry=self.registry
        )
        self.spool_backlog = Gauge(
            "coderunner_log_spool_backlog",
            "Log events not yet delivered to the log server",
            registry=self.registry,
        )

    def observe_queue(self, queue: TaskQueue) -> None:
        self.queue_depth.set(queue.depth)
        self.running.set(queue.running)

    def observe_session(self, answer: dict[str, Any], seconds: float) -> None:
        self.session_seconds.observe(seconds)
        for result in answer["results"]:
            self.verdicts.labels(result["status"]).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
