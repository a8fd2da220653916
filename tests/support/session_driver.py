"""One session through the real container pipeline (docker-handler.sh, the
language's image, entry.sh, crrun), staged the way the server stages it, without
a server or a pool: what tests/functions_driver.py and tests/unit_driver.py share.

The images are `<prefix><id>` (CODERUNNER_DOCKER__IMAGE_PREFIX, default
"coderunner/": another engineer's or a rebuilt set of images).
"""

from __future__ import annotations

import http.server
import os
import secrets
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from coderunner.analyzer import SessionOutput, read_output
from coderunner.languages import Language
from coderunner.limits import Plan
from coderunner.runner.sessions import _plan_values, encode_testcases, unmount_output

REPO = Path(__file__).resolve().parents[2]
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

    def log_message(self, *args: object) -> None:
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


def run_session(
    root: Path,
    callback: Callback,
    language: Language,
    plan: Plan,
    *,
    source: str,
    compile: str,
    run: str,
    files: dict[str, bytes],
    tests: Sequence[bytes],
) -> tuple[str, SessionOutput, float]:
    """Stage the session (config from `plan`, the files, the tests' stdin), run
    docker-handler.sh; its id, the analyzer's output and the seconds it took."""
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o711)
    sid = secrets.token_hex(16)
    sdir = root / sid
    (sdir / "input").mkdir(parents=True)
    (sdir / "output").mkdir()
    sdir.chmod(0o711)
    (sdir / "input").chmod(0o755)
    (sdir / "output").chmod(0o777)
    done = sdir / "input" / "done"
    os.mkfifo(done, 0o600)
    if os.geteuid() == 0:
        os.chown(done, SANDBOX_UID, SANDBOX_UID)
    for name, data in files.items():
        (sdir / "input" / name).write_bytes(data)
    (sdir / "input" / "testcases").write_bytes(encode_testcases(tests))
    config = {
        "SESSION_ID": sid,
        "IMAGE": language.image,
        "RUNTIME": "runc",
        "SOURCE": source,
        "COMPILE": compile,
        "RUN": run,
        **_plan_values(plan),
        "USER": "10001:10001",
        "ROOT_LABEL": "coderunner-tests",
        "CALLBACK_URL": f"http://127.0.0.1:{callback.port}/analyseTest/{sid}",
        "TOKEN": secrets.token_urlsafe(32),
    }
    extra = " ".join(sorted(name for name in files if name != source))
    if extra:
        config["FILES"] = extra
    cfg = sdir / "config"
    cfg.write_text("".join(f"{k}={v}\n" for k, v in config.items()))
    cfg.chmod(0o600)
    env = {**os.environ, "CODERUNNER_SESSIONS_ROOT": str(root)}
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [str(HANDLER), sid],
            env=env,
            capture_output=True,
            text=True,
            timeout=plan.deadline_s + 60,
        )
    finally:
        subprocess.run(["docker", "rm", "-f", f"cr-{sid}"], capture_output=True)
    seconds = time.monotonic() - start
    try:
        assert proc.returncode == 0, proc.stderr
        out = read_output(
            sdir,
            tests=len(tests),
            max_output=plan.max_output_bytes,
            max_log=plan.max_compile_log_bytes,
        )
    finally:
        unmount_output(sdir)  # the handler mounts output/ as a tmpfs when run as root
    return sid, out, seconds
