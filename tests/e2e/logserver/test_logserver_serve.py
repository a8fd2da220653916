"""`python -m logserver serve` as a real process: the port comes from the environment
over the file, and SIGTERM is a clean stop. (Settings without a server:
tests/unit/logserver/test_logserver_config.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.helpers import REPO, free_port, wait_until


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODERUNNER_")}
    return {**env, "PYTHONPATH": str(REPO), **extra}


def test_cli_serves_on_the_port_from_the_environment(tmp_path: Path) -> None:
    port = free_port()
    path = _write(
        tmp_path,
        f'[logserver]\nport = 1\ndatabase = "{tmp_path / "events.db"}"\n'
        f'[smtp]\noutbox = "{tmp_path / "outbox"}"\n',
    )
    log = tmp_path / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "logserver", "serve", "--config", str(path)],
            env=_env(CODERUNNER_LOGSERVER__PORT=str(port)),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", trust_env=False) as http:

            def health() -> int:
                assert proc.poll() is None, "the server exited"
                try:
                    return http.get("/health").status_code
                except httpx.TransportError:
                    return 0

            assert wait_until(health, 20, "the server") == 200
    finally:
        proc.terminate()
        # uvicorn re-raises the signal once shut down; systemd counts that as clean.
        assert proc.wait(timeout=15) in (0, -15)
    assert "Application shutdown complete" in log.read_text()
