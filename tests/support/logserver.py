"""Real things for the log server tests: a log server process (`python -m logserver
serve --config FILE`) and an aiosmtpd SMTP server on loopback ports. Used by
tests/e2e/logserver and by the end-to-end tests that run both servers."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.helpers import REPO, toml_dump, wait_until

# -- SMTP -------------------------------------------------------------------------------


class _Sink:
    def __init__(self, received: list[tuple[Envelope, EmailMessage]]) -> None:
        self.received = received
        self.lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        with self.lock:
            self.received.append((envelope, message_from_bytes(raw, policy=policy.default)))
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on 127.0.0.1:`port`; can be stopped and started again on the same port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: list[tuple[Envelope, EmailMessage]] = []
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(_Sink(self.received), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 15.0) -> list[tuple[Envelope, EmailMessage]]:
        wait_until(lambda: len(self.received) >= count, timeout, f"{count} mail(s)")
        return list(self.received)


# -- the log server process ----------------------------------------------------------------


class LogServer:
    def __init__(self, workdir: Path, config: dict[str, dict[str, Any]]) -> None:
        self.workdir = workdir
        self.port = int(config["logserver"]["port"])
        self.url = f"http://127.0.0.1:{self.port}"
        self.config_path = workdir / "config.toml"
        self.config_path.write_text(toml_dump(config), encoding="utf-8")
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.http = httpx.Client(base_url=self.url, timeout=10, trust_env=False)

    @property
    def output(self) -> str:
        return "".join(
            path.read_text(errors="replace") for path in sorted(self.workdir.glob("server-*.log"))
        )

    def start(self) -> None:
        assert self.proc is None, "already running"
        self.starts += 1
        env = {k: v for k, v in os.environ.items() if not k.startswith("CODERUNNER_")}
        env["PYTHONPATH"] = str(REPO)
        with open(self.workdir / f"server-{self.starts}.log", "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "logserver", "serve", "--config", str(self.config_path)],
                cwd=self.workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

        def ready() -> bool:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"log server exited early:\n{self.output}")
            try:
                self.http.get("/health")  # any answer: it is listening
                return True
            except httpx.TransportError:
                return False

        wait_until(ready, 20, "the log server to answer")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("the log server ignored SIGTERM") from None
        finally:
            self.proc = None

    def post(self, **event: Any) -> httpx.Response:
        return self.http.post("/log", json=event)

    def events(self, **params: Any) -> list[dict[str, Any]]:
        response = self.http.get("/log", params={"limit": 1000, **params})
        assert response.status_code == 200, response.text
        events: list[dict[str, Any]] = response.json()["events"]
        return events

    def event(self, event_id: str) -> dict[str, Any]:
        (found,) = [e for e in self.events() if e["id"] == event_id]
        return found
