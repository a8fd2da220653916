"""Run a unit-test submission in a real container, the way the pipeline does:
unit.prepare() -> a staged session directory (config, input files, testcases)
-> docker-handler.sh -> analyzer.read_output() -> unit.answer().

Used by tests/test_unit_containers.py and bench/unit_bench.py.  The images are
`<prefix><id>` (CODERUNNER_DOCKER__IMAGE_PREFIX, default "coderunner/").
"""

from __future__ import annotations

import http.server
import os
import secrets
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from coderunner.analyzer import read_output
from coderunner.config import Settings
from coderunner.harness import unit
from coderunner.languages import load_languages

REPO = Path(__file__).resolve().parents[1]
HANDLER = REPO / "docker-handler.sh"
SANDBOX_UID = 10001


def image_prefix() -> str:
    return os.environ.get("CODERUNNER_DOCKER__IMAGE_PREFIX", "coderunner/")


class _Callback(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"data": null}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class Callback:
    """The handler calls the server back when results are final; this answers."""

    def __init__(self) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Callback)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server.server_port

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def encode_testcases(tests: list[bytes]) -> bytes:
    return b"CRTC1 %d\n" % len(tests) + b"".join(b"%d\n" % len(t) for t in tests) + b"".join(tests)


def run_unit(root: Path, callback: Callback, request: dict[str, Any],
             settings: Settings | None = None) -> tuple[dict[str, Any], float]:
    """The SPEC section 9 answer for `request`, and the seconds the container took."""
    settings = settings or Settings()
    langs = load_languages(REPO / "images", image_prefix())
    body = unit.UnitTestRequest.model_validate(request)
    prepared = unit.prepare(body, langs[body.language], settings)
    lim = settings.limits
    time_limit = prepared.time_limit_ms or lim.unit_time_limit_ms
    wall = int(time_limit * lim.wall_factor + lim.wall_slack_ms)
    sid = secrets.token_hex(16)
    sdir = root / sid
    (sdir / "input").mkdir(parents=True)
    (sdir / "output").mkdir()
    root.chmod(0o711)
    sdir.chmod(0o711)
    (sdir / "input").chmod(0o755)
    (sdir / "output").chmod(0o777)
    done = sdir / "input" / "done"
    os.mkfifo(done, 0o600)
    if os.geteuid() == 0:
        os.chown(done, SANDBOX_UID, SANDBOX_UID)
    for name, data in prepared.files.items():
        (sdir / "input" / name).write_bytes(data)
    (sdir / "input" / "testcases").write_bytes(encode_testcases(prepared.tests))
    memory = prepared.memory_limit_mb or lim.memory_limit_mb
    lang = prepared.language
    config = {
        "SESSION_ID": sid, "IMAGE": lang.image, "RUNTIME": "runc",
        "SOURCE": prepared.source_name, "COMPILE": prepared.compile, "RUN": prepared.run,
        "FILES": " ".join(n for n in prepared.files if n != prepared.source_name),
        "TESTS": str(len(prepared.tests)), "TIME_LIMIT_MS": str(time_limit),
        "WALL_LIMIT_MS": str(wall), "MEMORY_LIMIT_MB": str(memory),
        "CONTAINER_MEMORY_MB": str(max(memory, lim.compile_memory_limit_mb) + lang.memory_extra_mb),
        "MAX_OUTPUT_BYTES": str(lim.max_output_bytes),
        "COMPILE_TIME_LIMIT_MS": str(lim.compile_time_limit_ms),
        "MAX_COMPILE_LOG_BYTES": str(lim.max_compile_log_bytes), "CPUS": "1.0",
        "PIDS_LIMIT": "64", "NOFILE": "64", "FSIZE_BYTES": "67108864", "TMPFS_MB": "64",
        "USER": "10001:10001", "ROOT_LABEL": "coderunner-tests",
        "CALLBACK_URL": f"http://127.0.0.1:{callback.port}/analyseTest/{sid}",
        "TOKEN": secrets.token_urlsafe(32),
    }
    cfg = sdir / "config"
    cfg.write_text("".join(f"{k}={v}\n" for k, v in config.items()))
    cfg.chmod(0o600)
    env = {**os.environ, "CODERUNNER_SESSIONS_ROOT": str(root)}
    start = time.monotonic()
    timeout = 2 * lim.compile_time_limit_ms / 1000 + wall / 1000 + 60
    try:
        proc = subprocess.run([str(HANDLER), sid], env=env, capture_output=True, text=True,
                              timeout=timeout)
    finally:
        subprocess.run(["docker", "rm", "-f", f"cr-{sid}"], capture_output=True)
    seconds = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr
    out = read_output(sdir, tests=len(prepared.tests), max_output=lim.max_output_bytes,
                      max_log=lim.max_compile_log_bytes)
    return unit.answer(sid, out, prepared, body), seconds
