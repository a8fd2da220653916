"""Runs a generated function-test harness through the real container pipeline
(docker-handler.sh, the language's image, entry.sh, crrun) the way the server
stages a session, and gives back the analyzer's SessionOutput."""

from __future__ import annotations

import http.server
import os
import secrets
import subprocess
import threading
from pathlib import Path

from coderunner import analyzer
from coderunner.config import load_settings
from coderunner.functions import codegen
from coderunner.functions.request import Case, Compare, FunctionJob, FunctionSpec, function_job
from coderunner.languages import load_languages
from coderunner.limits import plan
from coderunner.runner.sessions import _plan_values, encode_testcases, unmount_output

REPO = Path(__file__).resolve().parents[1]
SANDBOX_UID = 10001
# Another engineer's or a rebuilt set of images: CODERUNNER_DOCKER__IMAGE_PREFIX.
IMAGE_PREFIX = os.environ.get("CODERUNNER_DOCKER__IMAGE_PREFIX", "coderunner/")


class _Callback(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"data": null}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class CallbackServer:
    def __init__(self) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Callback)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server.server_port

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def job(function: dict, cases: list[dict], compare: dict | None = None) -> FunctionJob:
    return function_job(
        FunctionSpec.model_validate(function),
        [Case.model_validate(c) for c in cases],
        Compare.model_validate(compare) if compare else None,
        max_cases=100,
    )


def run(
    root: Path,
    callback: CallbackServer,
    language: str,
    harness: codegen.Harness,
    tests: int,
    *,
    time_limit_ms: int = 2000,
    image_prefix: str | None = None,
    stdin: list[bytes] | None = None,
    max_output_bytes: int | None = None,
) -> analyzer.SessionOutput:
    """Stage `harness` as the server does (config from the real resource plan) and run
    docker-handler.sh. `stdin`: the tests' inputs (default: the case indices)."""
    image_prefix = image_prefix or IMAGE_PREFIX
    limits = {"max_output_bytes": max_output_bytes} if max_output_bytes else {}
    settings = load_settings(docker={"image_prefix": image_prefix}, limits=limits)
    lang = load_languages(REPO / "images", image_prefix)[language]
    the_plan = plan(settings, tests=tests, compiles=bool(harness.compile),
                    time_factor=lang.time_factor, memory_extra_mb=lang.memory_extra_mb,
                    time_ms=time_limit_ms)
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
    for name, data in harness.files.items():
        (sdir / "input" / name).write_bytes(data)
    (sdir / "input" / "testcases").write_bytes(
        encode_testcases(stdin if stdin is not None else [b"%d\n" % i for i in range(tests)])
    )
    config = {
        "SESSION_ID": sid, "IMAGE": lang.image, "RUNTIME": "runc",
        "SOURCE": harness.source_name, "COMPILE": harness.compile, "RUN": harness.run,
        **_plan_values(the_plan),
        "USER": "10001:10001", "ROOT_LABEL": "coderunner-tests",
        "CALLBACK_URL": f"http://127.0.0.1:{callback.port}/analyseTest/{sid}",
        "TOKEN": secrets.token_urlsafe(32),
    }
    extra = " ".join(sorted(n for n in harness.files if n != harness.source_name))
    if extra:
        config["FILES"] = extra
    cfg = sdir / "config"
    cfg.write_text("".join(f"{k}={v}\n" for k, v in config.items()))
    cfg.chmod(0o600)
    env = {**os.environ, "CODERUNNER_SESSIONS_ROOT": str(root)}
    try:
        proc = subprocess.run([str(REPO / "docker-handler.sh"), sid], env=env,
                              capture_output=True, text=True, timeout=the_plan.deadline_s + 60)
    finally:
        subprocess.run(["docker", "rm", "-f", f"cr-{sid}"], capture_output=True)
    try:
        assert proc.returncode == 0, proc.stderr
        return analyzer.read_output(sdir, tests=tests, max_output=the_plan.max_output_bytes,
                                    max_log=the_plan.max_compile_log_bytes)
    finally:
        unmount_output(sdir)  # the handler mounts output/ as a tmpfs when run as root
