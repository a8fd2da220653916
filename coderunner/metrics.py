"""Prometheus metrics. One registry per app (not the global one), so that several
apps in one process (tests) never share or collide on counters."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

if TYPE_CHECKING:
    from .runner.queue import TaskQueue

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
        self.spool_dropped = Counter(
            "coderunner_log_events_dropped",
            "Log events dropped because the spool reached logging.max_spool_bytes",
            ["type"],
            registry=self.registry,
        )

        # Workers on other hosts (dispatch.backend = "redis"), by worker id.
        self.worker_slots = Gauge(
            "coderunner_worker_slots",
            "Container slots of each live worker",
            ["worker"],
            registry=self.registry,
        )
        self.worker_running = Gauge(
            "coderunner_worker_running",
            "Tasks running on each live worker",
            ["worker"],
            registry=self.registry,
        )
        self.worker_tasks = Counter(
            "coderunner_worker_tasks",
            "Tasks finished, by worker and outcome (done, or the"
            " error code: worker_lost, cancelled ...)",
            ["worker", "outcome"],
            registry=self.registry,
        )
        self._workers_seen: set[str] = set()

    def observe_workers(self, workers: list[Any]) -> None:
        live = {w.id for w in workers}
        for gone in self._workers_seen - live:
            for gauge in (self.worker_slots, self.worker_running):
                with contextlib.suppress(KeyError):
                    gauge.remove(gone)
        for worker in workers:
            self.worker_slots.labels(worker.id).set(worker.slots)
            self.worker_running.labels(worker.id).set(worker.running)
        self._workers_seen = live

    def observe_remote(self, worker: str, outcome: Any) -> None:
        code = "done" if outcome.error is None else str(outcome.error.get("code", "error"))
        self.worker_tasks.labels(worker or "(none)", code).inc()

    def observe_queue(self, queue: TaskQueue) -> None:
        self.queue_depth.set(queue.depth)
        self.running.set(queue.running)

    def observe_session(self, answer: dict[str, Any], seconds: float) -> None:
        self.session_seconds.observe(seconds)
        # Only kinds with per-test verdicts have "results" (a trace has none).
        for result in answer.get("results") or []:
            if isinstance(result, dict) and isinstance(result.get("status"), str):
                self.verdicts.labels(result["status"]).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
