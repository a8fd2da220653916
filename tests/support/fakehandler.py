#!/usr/bin/env python3
"""A fake docker-handler.sh for orchestration tests without Docker (`docker.handler`).

It plays both sides of docs/DESIGN.md §1-§5: reads the session config like the real
handler, waits on input/go for a warm container, then runs a fake "container" (a child
process of itself, its pid filed under <sessions root>/../fake-containers/cr-<dir> so that the fake
engine can kill it) that writes output/ as the images do: compile.result, per test
<i>.out (the stdin upper-cased), <i>.err and a testCaseLog line; then handler.status
and the callback with the session token.

What the "program" does comes from `#fake` lines in the source:
    #fake sleep=0.5       each test takes this long
    #fake hang            the container never ends (the watchdog must act)
    #fake no-callback     the handler exits without calling back
    #fake exit=3          every test exits with this code
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def read_kv(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key] = value
    return values


def decode_tests(data: bytes) -> list[bytes]:
    header, _, rest = data.partition(b"\n")
    count = int(header.split()[1])
    lengths = []
    for _ in range(count):
        line, _, rest = rest.partition(b"\n")
        lengths.append(int(line))
    tests, offset = [], 0
    for length in lengths:
        tests.append(rest[offset : offset + length])
        offset += length
    return tests


def directives(source: bytes) -> dict[str, str]:
    found = {}
    for line in source.decode("utf-8", "replace").splitlines():
        if line.startswith("#fake "):
            key, _, value = line[6:].strip().partition("=")
            found[key] = value
    return found


def container(session: Path, job: dict[str, str]) -> int:
    """The fake container's PID 1: compile, then each test."""
    out = session / "output"
    source = (session / "input" / job["SOURCE"]).read_bytes()
    fake = directives(source)
    if job.get("COMPILE"):
        (out / "logCompile").write_bytes(b"")
        (out / "compile.result").write_text(
            "exit=0 signal=0 cpu_ms=1 wall_ms=1 maxrss_kb=1000 stdout_bytes=0 stderr_bytes=0 "
            "stdout_truncated=0 stderr_truncated=0 timeout=none oom=0 ole=0 error=-\n"
        )
    if "hang" in fake:
        time.sleep(3600)
    tests = decode_tests((session / "input" / "testcases").read_bytes())
    code = int(fake.get("exit", "0"))
    for i, stdin in enumerate(tests):
        started = time.monotonic()
        time.sleep(float(fake.get("sleep", "0")))
        (out / f"{i}.out").write_bytes(stdin.upper())
        (out / f"{i}.err").write_bytes(b"")
        wall = (time.monotonic() - started) * 1000
        with open(out / "testCaseLog", "a") as log:
            log.write(
                f"{i} exit={code} signal=0 cpu_ms=1.0 wall_ms={wall:.1f} maxrss_kb=1000 "
                "stdout_bytes=1 stderr_bytes=0 stdout_truncated=0 stderr_truncated=0 "
                "timeout=none oom=0 ole=0 error=-\n"
            )
    return 0


def callback(config: dict[str, str]) -> None:
    request = urllib.request.Request(
        config["CALLBACK_URL"], headers={"X-Session-Token": config["TOKEN"]}
    )
    urllib.request.urlopen(request, timeout=10).read()


def wait_for_job(go: Path, entry: Path, slot: str) -> bool:
    """A warm container: claimable (a reader on input/go) before its registry entry
    appears, so a test can wait for the entry instead of sleeping. Filed under its
    name, as a running one is: removing it ends this handler at once (docker run exits
    when its container is removed)."""
    # Non-blocking open: the reader exists from here on. Linux reports no hang-up on
    # a FIFO that never had a writer, so poll waits for the pool's job line.
    fd = os.open(go, os.O_RDONLY | os.O_NONBLOCK)
    entry.write_text(f"{os.getpid()} cr-{slot}")
    if (entry.parent.parent / "fake-removed" / entry.name).exists():
        return False  # removed while this handler was starting
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    poller.poll()
    line = os.read(fd, 4096)
    os.close(fd)
    return bool(line)  # closed without a line: the entry dies, and so does the container


def main() -> int:
    # Like docker-handler.sh: the directory's name (not the session id) comes in the
    # environment; the fake container gets it as an argument.
    slot = sys.argv[2] if len(sys.argv) > 2 else os.environ["CODERUNNER_SESSION"]
    root = Path(os.environ["CODERUNNER_SESSIONS_ROOT"])
    session = root / slot
    config = read_kv(session / "config")
    if len(sys.argv) > 2:  # the fake container
        job = {"SOURCE": config["SOURCE"], "COMPILE": config["COMPILE"]}
        if (session / "input" / "job").exists():
            values = read_kv(session / "input" / "job")
            job["SOURCE"] = values["CR_SOURCE"]
            job["COMPILE"] = values.get("CR_COMPILE", job["COMPILE"])
        return container(session, job)
    registry = root.parent / "fake-containers"
    registry.mkdir(parents=True, exist_ok=True)
    go = session / "input" / "go"
    # A warm container waits for its job.
    if go.exists() and not wait_for_job(go, registry / f"cr-{slot}", slot):
        (registry / f"cr-{slot}").unlink(missing_ok=True)
        return 1
    with open(root.parent / "fake-sessions.log", "a") as log:  # session id -> directory
        log.write(f"{config['SESSION_ID']} {slot}\n")
    child = subprocess.Popen([sys.executable, __file__, "--container", slot])
    (registry / f"cr-{slot}").write_text(f"{child.pid} {config['SESSION_ID']}")
    signal.signal(signal.SIGTERM, lambda *_: child.kill())
    rc = child.wait()
    (registry / f"cr-{slot}").unlink(missing_ok=True)
    status = "container_exit=0\ncompleted=1\n"
    if rc != 0:
        status = f"container_exit={137 if rc < 0 else rc}\nerror=container killed\n"
    (session / "handler.status").write_text(status)
    source = (session / "input").glob("source.*")
    if any("no-callback" in directives(p.read_bytes()) for p in source):
        return 0
    try:
        callback(config)
    except OSError:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
