"""Baselines measured in the same run as coderunner: (a) a bare `docker run --rm`,
(b) a docker create/cp/start/wait/logs/rm sequence per request (the naive design). Same image, same
program, same hardening and limits as docker-handler.sh uses."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

HARDENING = [
    "--network=none",
    "--user=10001:10001",
    "--cap-drop=ALL",
    "--security-opt=no-new-privileges",
    "--read-only",
    "--tmpfs=/tmp:rw,exec,nosuid,nodev,size=64m,mode=1777",
    "--shm-size=8m",
    "--memory=272m",
    "--memory-swap=272m",
    "--cpus=1",
    "--pids-limit=64",
    "--ulimit=nofile=64:64",
    "--ulimit=core=0:0",
    "--log-driver=none",
]

# The same images as the server under test (CODERUNNER_DOCKER__IMAGE_PREFIX).
PREFIX = os.environ.get("CODERUNNER_DOCKER__IMAGE_PREFIX", "coderunner/")

PROGRAMS = {
    "python": (f"{PREFIX}python", "hello.py", "print('hello')\n", ["python3", "-B", "-I"]),
    "c": (f"{PREFIX}c", "hello.c", '#include <stdio.h>\nint main(void){puts("hello");}\n', None),
}


def _bare_cmd(language: str, src_dir: Path) -> list[str]:
    image, name, _, interp = PROGRAMS[language]
    if interp:
        run = [*interp, f"/src/{name}"]
    else:
        # Compile and run, as coderunner does (a C program has to be compiled).
        run = ["sh", "-c", f"cd /tmp && gcc -O2 -o m /src/{name} && ./m"]
    return [
        "docker",
        "run",
        "--rm",
        *HARDENING,
        "-v",
        f"{src_dir}:/src:ro",
        "--entrypoint",
        run[0],
        image,
        *run[1:],
    ]


def write_source(language: str) -> Path:
    _, name, code, _ = PROGRAMS[language]
    src = Path(tempfile.mkdtemp(prefix="crbench-"))
    (src / name).write_text(code)
    os.chmod(src, 0o755)
    return src


def bare_docker_run(language: str, src: Path) -> float:
    """Seconds for one `docker run --rm` of the program."""
    started = time.perf_counter()
    out = subprocess.run(_bare_cmd(language, src), capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if out.stdout != "hello\n":
        raise RuntimeError(f"baseline run failed: {out.stderr[:300]}")
    return elapsed


def seed_sequence(language: str, src: Path) -> float:
    """Seconds for docker create, cp, start, wait, logs, rm: the naive design.

    `docker cp` cannot write into a read-only or tmpfs /tmp of a created container,
    so this one alone keeps a writable container layer; `docker logs` needs a log
    driver. Every other flag is the same."""
    image, name, _, interp = PROGRAMS[language]
    skip = ("--log-driver", "--read-only", "--tmpfs")
    hardening = [h for h in HARDENING if not h.startswith(skip)]
    if interp:
        run = [*interp, f"/tmp/{name}"]
    else:
        run = ["sh", "-c", f"cd /tmp && gcc -O2 -o m /tmp/{name} && ./m"]
    started = time.perf_counter()
    cid = subprocess.run(
        ["docker", "create", *hardening, "--entrypoint", run[0], image, *run[1:]],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    try:
        subprocess.run(
            ["docker", "cp", f"{src}/{name}", f"{cid}:/tmp/{name}"], capture_output=True, check=True
        )
        subprocess.run(["docker", "start", cid], capture_output=True, check=True)
        subprocess.run(["docker", "wait", cid], capture_output=True, check=True)
        logs = subprocess.run(["docker", "logs", cid], capture_output=True, text=True, check=True)
    finally:
        subprocess.run(["docker", "rm", "-f", cid], capture_output=True, check=True)
    if logs.stdout != "hello\n":
        raise RuntimeError(f"seed sequence failed: {logs.stderr[:300]}")
    return time.perf_counter() - started
