"""Run a unit-test submission in a real container, the way the pipeline does:
the kind's parse -> plan_request() (prepare + the resource plan) -> a staged
session directory (config, input files, testcases) -> docker-handler.sh ->
analyzer.read_output() -> the kind's answer().  No server, no pool.

Used by tests/test_unit_containers.py and bench/unit_bench.py.  The images are
`<prefix><id>` (CODERUNNER_DOCKER__IMAGE_PREFIX, default "coderunner/").
"""

from __future__ import annotations

import http.server
import json
import os
import secrets
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from coderunner.analyzer import RunRecord, read_output
from coderunner.config import Settings
from coderunner.kinds import KINDS
from coderunner.languages import load_languages
from coderunner.runner.sessions import _plan_values, unmount_output
from coderunner.tasks.service import plan_request

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
             settings: Settings | None = None,
             records: list[RunRecord] | None = None) -> tuple[dict[str, Any], float]:
    """The SPEC section 9 answer for `request`, and the seconds the container took;
    crrun's record of the run is appended to `records` when given."""
    settings = settings or Settings()
    langs = load_languages(REPO / "images", image_prefix())
    kind = KINDS["unitTest"]
    body = kind.parse(json.dumps(request).encode())
    planned = plan_request(settings, kind, body, langs)
    prepared, plan = planned.prepared, planned.plan
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
    config = {
        "SESSION_ID": sid, "IMAGE": prepared.language.image, "RUNTIME": "runc",
        "SOURCE": prepared.source_name, "COMPILE": prepared.compile, "RUN": prepared.run,
        "FILES": " ".join(prepared.extra_files),
        **_plan_values(plan),
        "USER": "10001:10001", "ROOT_LABEL": "coderunner-tests",
        "CALLBACK_URL": f"http://127.0.0.1:{callback.port}/analyseTest/{sid}",
        "TOKEN": secrets.token_urlsafe(32),
    }
    cfg = sdir / "config"
    cfg.write_text("".join(f"{k}={v}\n" for k, v in config.items()))
    cfg.chmod(0o600)
    env = {**os.environ, "CODERUNNER_SESSIONS_ROOT": str(root)}
    start = time.monotonic()
    try:
        proc = subprocess.run([str(HANDLER), sid], env=env, capture_output=True, text=True,
                              timeout=plan.deadline_s + 60)
    finally:
        subprocess.run(["docker", "rm", "-f", f"cr-{sid}"], capture_output=True)
    seconds = time.monotonic() - start
    try:
        assert proc.returncode == 0, proc.stderr
        out = read_output(sdir, tests=plan.tests, max_output=plan.max_output_bytes,
                          max_log=plan.max_compile_log_bytes)
    finally:
        unmount_output(sdir)   # the handler mounts output/ as a tmpfs when run as root
    if records is not None and 0 in out.runs:
        records.append(out.runs[0])
    answer = kind.answer(sid, out, prepared, body, time_limit_ms=plan.time_limit_ms,
                         memory_limit_mb=plan.memory_limit_mb)
    return answer, seconds
