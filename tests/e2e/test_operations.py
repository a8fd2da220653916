"""Operations against real servers: what /metrics says after real traffic, the
log server's OpenAPI description under a fuzzer, and /health of both servers,
including a coderunner whose Docker engine cannot be reached."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from prometheus_client.parser import text_string_to_metric_families
from pydantic import BaseModel

from logserver import schemas as logschemas
from tests.e2e.test_openapi import CHECKS, schemathesis
from tests.helpers import RunningServer, free_port, spawn_coderunner, wait_until
from tests.support.logserver import LogServer, SmtpServer

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(url: str) -> Samples:
    response = httpx.get(f"{url}/metrics", timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def logserver_config(tmp_path: Path, **sections: dict[str, Any]) -> dict[str, dict[str, Any]]:
    config: dict[str, dict[str, Any]] = {
        "logserver": {"port": free_port(), "database": tmp_path / "db" / "events.db"},
        "smtp": {"outbox": tmp_path / "outbox", "starttls": False, "timeout": 5},
        "alarms": {
            "recipients": ["admin@example.org"],
            "coalesce_delay_s": 0.1,
            "coalesce_window_s": 60,
            "retry_initial_s": 0.2,
            "retry_max_s": 0.5,
        },
    }
    for section, values in sections.items():
        config[section].update(values)
    return config


@pytest.fixture
def logservers(tmp_path: Path) -> Iterator[Callable[..., LogServer]]:
    started: list[LogServer] = []

    def make(config: dict[str, dict[str, Any]]) -> LogServer:
        workdir = tmp_path / f"logserver{len(started)}"
        workdir.mkdir()
        server = LogServer(workdir, config)
        started.append(server)
        server.start()
        return server

    yield make
    for server in started:
        server.stop()
        server.http.close()


# -- coderunner ------------------------------------------------------------------------

SLEEPER = {
    "code": "import time\ntime.sleep(2.5)\nprint(input())",
    "language": "python",
    "testCases": ["a\n"],
}
MIXED = {
    "code": "s = input()\nif s == 'boom':\n    raise SystemExit(3)\nprint(s)",
    "language": "python",
    "testCases": ["1\n", "2\n", "boom\n"],
    "expectedOutputs": ["1\n", "3\n", "x\n"],
}


@pytest.mark.docker
def test_coderunner_metrics_count_what_really_happened(
    make_server: Callable[..., RunningServer], tmp_path: Path, logservers: Callable[..., LogServer]
) -> None:
    # One slot, so that a second session has to wait in the queue; no warm
    # containers, so that "running" is exactly the sessions holding the slot.
    server = make_server(queue={"max_concurrent": 1}, pool={"enabled": False})
    answers: list[httpx.Response] = []

    def submit() -> None:
        answers.append(httpx.post(f"{server.url}/isolatedTest", json=SLEEPER, timeout=120))

    threads = [threading.Thread(target=submit) for _ in range(2)]
    threads[0].start()
    wait_until(
        lambda: value(scrape(server.url), "coderunner_running_containers") == 1,
        30,
        "the first session to hold the slot",
    )
    threads[1].start()
    busy = wait_until(
        lambda: (s := scrape(server.url)) and value(s, "coderunner_queue_depth") == 1 and s,
        30,
        "the second session to wait in the queue",
    )
    assert value(busy, "coderunner_running_containers") == 1
    for thread in threads:
        thread.join(120)
    assert [a.status_code for a in answers] == [200, 200]

    with httpx.Client(base_url=server.url, timeout=120) as client:
        mixed = client.post("/isolatedTest", json=MIXED)
        assert [r["status"] for r in mixed.json()["results"]] == ["AC", "WA", "RE"]
        assert client.post("/isolatedTest", json={"language": "python"}).status_code == 400
        unknown = {**MIXED, "language": "intercal"}
        assert client.post("/isolatedTest", json=unknown).status_code == 400
        assert client.get("/languages").status_code == 200
        health = client.get("/health")
    assert health.status_code == 200, health.text
    assert health.json()["docker"]["reachable"] is True

    samples = scrape(server.url)
    requests = "coderunner_http_requests_total"
    assert value(samples, requests, path="/isolatedTest", code="200") == 3
    assert value(samples, requests, path="/isolatedTest", code="400") == 2
    assert value(samples, requests, path="/languages", code="200") == 1
    assert value(samples, requests, path="/health", code="200") == 1
    assert value(samples, "coderunner_queue_depth") == 0
    assert value(samples, "coderunner_running_containers") == 0
    assert value(samples, "coderunner_session_duration_seconds_count") == 3
    assert value(samples, "coderunner_session_duration_seconds_bucket", le="+Inf") == 3
    assert value(samples, "coderunner_session_duration_seconds_sum") >= 5.0  # two sleepers
    verdicts = {
        status: value(samples, "coderunner_verdicts_total", status=status)
        for status in ("OK", "AC", "WA", "RE", "TLE")
    }
    assert verdicts == {"OK": 2, "AC": 1, "WA": 1, "RE": 1, "TLE": 0}

    # Nothing listens on the log server's address yet: every event waits in the
    # spool, and the gauge says how many; once a log server is up it drains to 0.
    backlog = value(samples, "coderunner_log_spool_backlog")
    assert backlog >= 5  # one event per request above
    port = int(server.settings.logging.server_url.rsplit(":", 1)[1])
    logs = logservers(logserver_config(tmp_path, logserver={"port": port}))
    wait_until(
        lambda: value(scrape(server.url), "coderunner_log_spool_backlog") == 0,
        30,
        "the spool to drain",
    )
    assert len(logs.events()) == backlog


def test_coderunner_health_without_an_engine_is_503_and_says_why(tmp_path: Path) -> None:
    """A real `coderunner serve` whose Docker host does not exist: it still serves,
    and /health says clearly what is missing."""
    proc, url = spawn_coderunner(tmp_path, DOCKER_HOST="unix:///nonexistent.sock")
    try:

        def answer() -> httpx.Response | None:
            assert proc.poll() is None, "coderunner exited without an engine"
            try:
                return httpx.get(f"{url}/health", timeout=5)
            except httpx.TransportError:
                return None

        health = wait_until(answer, 30, "coderunner to answer")
        assert health.status_code == 503
        body = health.json()
        assert body["status"] == "unavailable"
        assert body["docker"]["reachable"] is False
        assert body["languages"] == [] and "python" in body["missingImages"]
        # The rest of the server works: a submission is refused cleanly, not a 500.
        refused = httpx.post(f"{url}/isolatedTest", json=MIXED, timeout=30)
        assert refused.status_code == 400
        assert refused.json()["error"]["code"] == "unsupported_language"
        assert value(scrape(url), "coderunner_http_requests_total", path="/health", code="503") == 1
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0
    records = [json.loads(line) for line in output.decode().splitlines() if line.strip()]
    assert any("Docker engine unreachable" in r["message"] for r in records)


# -- the log server ------------------------------------------------------------------------


def test_logserver_metrics_count_events_and_mails(
    tmp_path: Path, logservers: Callable[..., LogServer]
) -> None:
    smtp = SmtpServer(free_port())
    smtp.start()
    try:
        server = logservers(
            logserver_config(
                tmp_path,
                smtp={"host": "127.0.0.1", "port": smtp.port},
                alarms={"max_attempts": 2},
            )
        )
        for kind in ("info", "info", "warning"):
            assert server.post(type=kind, message=f"a {kind}").status_code == 200
        assert server.post(id="evt-1", type="error", message="once").status_code == 200
        assert server.post(id="evt-1", type="error", message="once").status_code == 200
        assert server.post(type="debug", message="no such type").status_code == 400
        assert server.http.get("/nowhere").status_code == 404

        # Alarm A gets out; with SMTP down alarm B fails (and is retried, never given up);
        # A again within the window waits (pending) behind the mail just sent.
        assert server.post(type="breach", message="alarm A", broadcast=True).status_code == 200
        smtp.wait_for(1)
        wait_until(
            lambda: value(scrape(server.url), "logserver_mails", status="sent") == 1,
            10,
            "alarm A to be recorded as sent",
        )
    finally:
        smtp.stop()
    assert server.post(type="error", message="alarm B", broadcast=True).status_code == 200
    wait_until(
        lambda: value(scrape(server.url), "logserver_mail_failed_attempts") >= 2,
        20,
        "alarm B to fail twice",
    )
    assert server.post(type="breach", message="alarm A", broadcast=True).status_code == 200

    samples = scrape(server.url)
    stored = {
        kind: value(samples, "logserver_events_stored_total", type=kind)
        for kind in ("info", "warning", "error", "breach")
    }
    assert stored == {"info": 2, "warning": 1, "error": 2, "breach": 2}
    assert value(samples, "logserver_events_duplicate_total") == 1
    mails = {
        status: value(samples, "logserver_mails", status=status)
        for status in ("pending", "sending", "sent", "outbox", "failed")
    }
    # B is retrying (pending, or being tried right now); nothing is "failed" for good.
    assert mails["pending"] + mails["sending"] == 2
    assert (mails["sent"], mails["outbox"], mails["failed"]) == (1, 0, 0)
    assert value(samples, "logserver_mail_failed_attempts") >= 2
    requests = "logserver_http_requests_total"
    assert value(samples, requests, path="/log", code="200") == 8
    assert value(samples, requests, path="/log", code="400") == 1
    assert value(samples, requests, path="other", code="404") == 1

    health = server.http.get("/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok" and health.json()["database"] == "ok"
    open_mails = health.json()["mails"]
    assert open_mails["pending"] + open_mails["sending"] == 2
    assert open_mails["failed"] == 0
    assert open_mails["retrying"] + open_mails["sending"] == 1  # B, between two tries or in one

    # SIGTERM: a graceful stop (the lifespan closed the mailer and the store), and
    # every line it wrote is one JSON object. uvicorn re-raises the signal once
    # it is done, so the status is "killed by SIGTERM", which systemd counts as
    # a clean stop.
    proc = server.proc
    assert proc is not None
    server.stop()
    assert proc.returncode in (0, -signal.SIGTERM)
    records = [json.loads(line) for line in server.output.splitlines() if line.strip()]
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert "Application shutdown complete." in [r["message"] for r in records[-3:]]
    assert any('"POST /log HTTP/1.1" 200' in r["message"] for r in records)


def test_logserver_health_reports_a_writable_database(
    tmp_path: Path, logservers: Callable[..., LogServer]
) -> None:
    server = logservers(logserver_config(tmp_path))
    health = server.http.get("/health")
    assert health.status_code == 200
    body = health.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["smtp"]["mode"] == "outbox"
    assert body["mails"] == {"pending": 0, "sending": 0, "failed": 0, "retrying": 0}


def test_logserver_openapi_describes_every_route(
    tmp_path: Path, logservers: Callable[..., LogServer]
) -> None:
    server = logservers(logserver_config(tmp_path))
    doc = server.http.get("/openapi.json").json()
    assert doc["openapi"] == "3.1.0"
    assert {path: set(ops) for path, ops in doc["paths"].items()} == {
        "/log": {"get", "post"},
        "/": {"get"},
        "/health": {"get"},
        "/metrics": {"get"},
        "/openapi.json": {"get"},
    }
    # Every error answer is described with the error body (but /health's 503,
    # which is a health report).
    error = {"$ref": "#/components/schemas/Error"}
    for path, ops in doc["paths"].items():
        for op in ops.values():
            for status, answer in op["responses"].items():
                if status[0] in "45" and (path, status) != ("/health", "503"):
                    # Error answers are shared per status (generated from the error tree).
                    assert answer == {"$ref": f"#/components/responses/Error{status}"}, path
                    shared = doc["components"]["responses"][f"Error{status}"]
                    assert shared["content"]["application/json"]["schema"] == error, path
    assert set(doc["paths"]["/log"]["post"]["responses"]) == {
        "200",
        "400",
        "403",
        "413",
        "500",
        "503",
    }
    validate(doc)
    # Real answers conform to the models the document is generated from, and to it.
    stored = server.post(type="warning", message="openapi check", user="u1", broadcast=True)
    answers: list[tuple[type[BaseModel], Any]] = [
        (logschemas.Stored, stored.json()),
        (logschemas.EventList, server.http.get("/log").json()),
        (logschemas.HealthOk, server.http.get("/health").json()),
    ]
    for model, body in answers:
        model.model_validate(body)
        schema = {**doc["components"]["schemas"][model.__name__], "components": doc["components"]}
        assert Draft202012Validator(schema).is_valid(body), (model.__name__, body)
    # An alarm: its mail's state was among those checked against the enum.
    assert answers[1][1]["events"][0]["mail_status"] is not None


def test_fuzzer_finds_nothing_wrong_with_the_logserver(
    tmp_path: Path, logservers: Callable[..., LogServer]
) -> None:
    server = logservers(logserver_config(tmp_path))
    proc = subprocess.run(
        [
            schemathesis(),
            "run",
            f"{server.url}/openapi.json",
            "--checks",
            CHECKS,
            "--max-examples",
            "60",
            "--request-timeout",
            "30",
            "--seed",
            "20261122",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "passed" in proc.stdout
