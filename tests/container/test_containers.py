"""The container side against a real Docker engine: docker-handler.sh, the
images' entry/compiler/tester scripts and crrun (docs/DESIGN.md §1-3, §5).

Each test stages a session directory by hand, runs docker-handler.sh with a
callback server on 127.0.0.1 and reads output/ the way the analyzer would.
Needs the images from images/build.sh.
"""

from __future__ import annotations

import http.server
import json
import os
import secrets
import shutil
import subprocess
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytest import TempPathFactory

from coderunner import limits
from tests.helpers import REPO, unavailable

pytestmark = pytest.mark.docker

HANDLER = REPO / "docker-handler.sh"
IMAGES = REPO / "images"
LANGS = ("python", "c", "cpp")


def language(lang: str) -> dict[str, Any]:
    with open(IMAGES / lang / "language.toml", "rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="module", autouse=True)
def docker_ready() -> None:
    if shutil.which("docker") is None:
        unavailable("docker CLI not installed")
    if subprocess.run(["docker", "info"], capture_output=True).returncode != 0:
        unavailable("Docker engine not reachable")
    for lang in LANGS:
        probe = ["docker", "image", "inspect", f"coderunner/{lang}"]
        if subprocess.run(probe, capture_output=True).returncode != 0:
            unavailable(f"image coderunner/{lang} missing: run images/build.sh")


class CallbackServer(http.server.ThreadingHTTPServer):
    calls: list[tuple[str, str | None]]


class _CallbackHandler(http.server.BaseHTTPRequestHandler):
    server: CallbackServer

    def do_GET(self) -> None:
        self.server.calls.append((self.path, self.headers.get("X-Session-Token")))
        body = b'{"data": null}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def callback_server() -> Iterator[CallbackServer]:
    server = CallbackServer(("127.0.0.1", 0), _CallbackHandler)
    server.calls = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def write_testcases(path: Path, tests: list[bytes]) -> None:
    """input/testcases, DESIGN.md §2."""
    header = b"CRTC1 %d\n" % len(tests) + b"".join(b"%d\n" % len(t) for t in tests)
    path.write_bytes(header + b"".join(tests))


def parse_result(line: str) -> dict[str, Any]:
    fields: dict[str, Any] = dict(kv.split("=", 1) for kv in line.split())
    for key in (
        "exit",
        "signal",
        "maxrss_kb",
        "stdout_bytes",
        "stderr_bytes",
        "stdout_truncated",
        "stderr_truncated",
        "oom",
        "ole",
    ):
        fields[key] = int(fields[key])
    for key in ("cpu_ms", "wall_ms"):
        fields[key] = float(fields[key])
    return fields


@dataclass
class Session:
    sid: str
    dir: Path
    proc: subprocess.CompletedProcess[str]
    seconds: float
    token: str
    calls: list[tuple[str, str | None]] = field(default_factory=list)

    def out(self, name: str) -> bytes:
        return (self.dir / "output" / name).read_bytes()

    def status(self) -> dict[str, str]:
        text = (self.dir / "handler.status").read_text()
        return dict(line.split("=", 1) for line in text.splitlines())

    def results(self) -> list[dict[str, Any]]:
        lines = (self.dir / "output" / "testCaseLog").read_text().splitlines()
        indexed = [line.split(" ", 1) for line in lines]
        assert [int(i) for i, _ in indexed] == list(range(len(lines)))
        return [parse_result(rest) for _, rest in indexed]


SANDBOX_UID = 10001


def job_text(values: dict[str, object]) -> str:
    return "".join(f"{k}={v}\n" for k, v in values.items())


def stage_input(sdir: Path, lang: str, code: str | bytes, tests: list[bytes]) -> str:
    source = sdir / "input" / f"source.{language(lang)['extension']}"
    source.write_bytes(code.encode() if isinstance(code, str) else code)
    write_testcases(sdir / "input" / "testcases", tests)
    return source.name


def go_when_ready(sdir: Path, lang: str, code: str | bytes, tests: list[bytes], **job: str) -> None:
    """The pool's side of a warm container: wait for its entry to read input/go,
    move the input in, write input/job, then say go."""
    deadline = time.monotonic() + 30
    while True:
        try:
            fd = os.open(sdir / "input" / "go", os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError:
            assert time.monotonic() < deadline, "the warm container never read input/go"
            time.sleep(0.05)
    name = stage_input(sdir, lang, code, tests)
    (sdir / "input" / "job").write_text(
        job_text(
            {
                "CR_SOURCE": name,
                "CR_TESTS": len(tests),
                "CR_TIME_LIMIT_MS": 2000,
                "CR_WALL_LIMIT_MS": 5000,
                "CR_MEMORY_LIMIT_MB": 256,
                "CR_MAX_OUTPUT_BYTES": 65536,
                "CR_COMPILE_TIME_LIMIT_MS": 20000,
                "CR_MAX_COMPILE_LOG_BYTES": 65536,
                **job,
            }
        )
    )
    os.write(fd, b"go\n")
    os.close(fd)


def final_limits(config: dict[str, str]) -> dict[str, str]:
    """The handler takes final values (coderunner/limits.py computes them): here
    CONTAINER_MEMORY_MB is given as the base (program + supervisor), as the server's
    plan starts from, and the tmpfs overheads and runtime factors come from the same
    functions the server uses."""
    tmpfs_mb = int(config["TMPFS_MB"])
    out_mb, out_inodes = int(config.get("OUTPUT_MB", 0)), int(config.get("OUTPUT_INODES", 0))
    inside = limits.container_memory_mb(
        int(config["CONTAINER_MEMORY_MB"]),
        tmpfs_mb=tmpfs_mb,
        output_mb=out_mb,
        output_inodes=out_inodes,
    )
    pids, nproc = limits.pids_limits(int(config["PIDS_LIMIT"]), config["RUNTIME"])
    return {
        "CONTAINER_MEMORY_MB": str(inside),
        "DOCKER_MEMORY_MB": str(limits.docker_memory_mb(inside, config["RUNTIME"])),
        "PIDS_LIMIT": str(pids),
        "NPROC": str(nproc),
        "TMPFS_INODES": str(tmpfs_mb * limits.TMPFS_INODES_PER_MB),
        "SHM_MB": str(limits.SHM_MB),
        "SHM_INODES": str(limits.SHM_INODES),
    }


def run_session(
    root: Path,
    server: CallbackServer,
    lang: str,
    code: str | bytes | None,
    tests: list[bytes],
    timeout: float = 120,
    before_wait: Callable[[str], None] | None = None,
    warm: bool = False,
    extra: dict[str, str] | None = None,
    handler_env: dict[str, str] | None = None,
    before_start: Callable[[Path], None] | None = None,
    **overrides: str,
) -> Session:
    """Stage a session directory as coderunner/runner/sessions.py does, run the handler.
    warm: stage no input, only the FIFO input/go (a pool container); before_wait
    then plays the pool's part."""
    spec = language(lang)
    sid = secrets.token_hex(16)
    token = secrets.token_urlsafe(32)
    sdir = root / sid
    (sdir / "input").mkdir(parents=True)
    (sdir / "output").mkdir()
    root.chmod(0o711)
    sdir.chmod(0o711)
    (sdir / "input").chmod(0o755)
    (sdir / "output").chmod(0o777)  # written by the container's uid
    done = sdir / "input" / "done"  # PID 1 says "done" here once results are final
    os.mkfifo(done, 0o600)
    if os.geteuid() == 0:
        os.chown(done, SANDBOX_UID, SANDBOX_UID)
    if warm:
        os.mkfifo(sdir / "input" / "go", 0o644)
        source_name = f"source.{spec['extension']}"
    else:
        assert code is not None, "a cold session stages its code"
        source_name = stage_input(sdir, lang, code, tests)
    for name, text in (extra or {}).items():
        (sdir / "input" / name).write_text(text)
    config = {
        "SESSION_ID": sid,
        "IMAGE": f"coderunner/{lang}",
        "RUNTIME": "runc",
        "SOURCE": source_name,
        "COMPILE": spec.get("compile", ""),
        "RUN": spec["run"],
        "TESTS": str(1 if warm else len(tests)),
        "TIME_LIMIT_MS": "2000",
        "WALL_LIMIT_MS": "5000",
        "MEMORY_LIMIT_MB": "256",
        "CONTAINER_MEMORY_MB": "288",
        "MAX_OUTPUT_BYTES": "65536",
        "COMPILE_TIME_LIMIT_MS": "20000",
        "MAX_COMPILE_LOG_BYTES": "65536",
        "CPUS": "1.0",
        "PIDS_LIMIT": "64",
        "NOFILE": "64",
        "FSIZE_BYTES": "67108864",
        "TMPFS_MB": "64",
        "USER": "10001:10001",
        "ROOT_LABEL": "coderunner-tests",
        "CALLBACK_URL": f"http://127.0.0.1:{server.server_port}/analyseTest/{sid}",
        "TOKEN": token,
    }
    config.update(overrides)
    config.update(final_limits(config))
    cfg = sdir / "config"
    cfg.write_text("".join(f"{k}={v}\n" for k, v in config.items()))
    cfg.chmod(0o600)
    env = {**os.environ, "CODERUNNER_SESSIONS_ROOT": str(root), **(handler_env or {})}
    if before_start:
        before_start(sdir)
    start = time.monotonic()
    proc = subprocess.Popen(
        [str(HANDLER), sid], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        if before_wait:
            before_wait(sid)
        stdout, stderr = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            subprocess.run(["docker", "rm", "-f", f"cr-{sid}"], capture_output=True)
    finished = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    seconds = time.monotonic() - start
    calls = [c for c in server.calls if c[0] == f"/analyseTest/{sid}"]
    return Session(sid, sdir, finished, seconds, token, calls)


def assert_clean_finish(s: Session) -> None:
    assert s.calls == [(f"/analyseTest/{s.sid}", s.token)]
    ps = subprocess.run(
        ["docker", "ps", "-aq", "--filter", f"label=coderunner.session={s.sid}"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert ps.stdout.strip() == ""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "sessions"


ECHO_INPUTS = [
    b"3 4\nhello world\n\nlast line\n",
    b"",
    b"no trailing newline",
    b"\x00\xff\xfe binary\x00\r\n\x80 with NUL\x00",
    b"\n\n\n",
]


@pytest.mark.parametrize("lang", LANGS)
def test_selftest_echo_is_byte_exact(
    root: Path, callback_server: CallbackServer, lang: str
) -> None:
    code = (IMAGES / lang / f"selftest.{language(lang)['extension']}").read_bytes()
    s = run_session(root, callback_server, lang, code, ECHO_INPUTS)
    assert s.proc.returncode == 0, s.proc.stderr
    assert s.status() == {"container_exit": "0", "completed": "1"}
    assert_clean_finish(s)
    results = s.results()
    assert len(results) == len(ECHO_INPUTS)
    for i, data in enumerate(ECHO_INPUTS):
        assert s.out(f"{i}.out") == data
        assert s.out(f"{i}.err") == b""
        r = results[i]
        assert (r["exit"], r["signal"], r["timeout"], r["ole"], r["oom"], r["error"]) == (
            0,
            0,
            "none",
            0,
            0,
            "-",
        )
        assert r["stdout_bytes"] == len(data)
        assert 0 < r["maxrss_kb"] < 64 * 1024
    if language(lang).get("compile"):
        assert parse_result((s.dir / "output/compile.result").read_text())["exit"] == 0
    else:
        assert not (s.dir / "output/compile.result").exists()
    print(f"{lang}: {len(ECHO_INPUTS)} tests through docker-handler.sh in {s.seconds:.2f} s")


# One C program, many behaviours: each test's stdin names what to do, so the
# suite also shows that every limit leaves the following tests intact.
C_KITCHEN_SINK = r"""
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <unistd.h>

static void *burn(void *arg) {
    volatile unsigned long n = 0;
    for (;;) n++;
    return arg;
}

static void flood(int fd) {
    static char buf[1 << 16];
    memset(buf, 'x', sizeof buf);
    for (;;) if (write(fd, buf, sizeof buf) < 0) return;
}

int main(void) {
    char cmd[64] = "";
    if (scanf("%63s", cmd) != 1) return 2;
    if (!strcmp(cmd, "echo")) { puts("fine"); return 0; }
    if (!strcmp(cmd, "exit3")) { fputs("bye\n", stderr); return 3; }
    if (!strcmp(cmd, "segv")) { volatile int *p = 0; *p = 1; return 0; }
    if (!strcmp(cmd, "loop")) { volatile unsigned long n = 0; for (;;) n++; }
    if (!strcmp(cmd, "sleep")) { sleep(100); return 0; }
    if (!strcmp(cmd, "flood_out")) flood(1);
    if (!strcmp(cmd, "flood_err")) flood(2);
    if (!strcmp(cmd, "hog")) {
        /* volatile: gcc drops a malloc+memset whose memory is never read */
        size_t n = (size_t)1 << 30;
        char *volatile p = malloc(n);
        if (!p) return 4;
        memset(p, 1, n);
        printf("%d\n", p[n - 1]);
        return 0;
    }
    if (!strcmp(cmd, "closeout")) {
        close(1);   /* the test goes on after its stdout is gone */
        usleep(200000);
        fputs("after\n", stderr);
        return 0;
    }
    if (!strcmp(cmd, "threads")) {
        pthread_t t;
        pthread_create(&t, NULL, burn, NULL);
        burn(NULL);
    }
    if (!strcmp(cmd, "forkbomb")) {
        for (;;) fork();   /* the pids limit stops it; the CPU limit ends it */
    }
    if (!strcmp(cmd, "daemon")) {
        if (fork() == 0) {
            setsid();
            if (fork() == 0) {
                usleep(300000);
                int fd = open("/session/output/daemon.txt", O_WRONLY | O_CREAT, 0644);
                write(fd, "still here\n", 11);
                puts("late output");
                for (;;) pause();
            }
            _exit(0);
        }
        puts("parent done");
        return 0;
    }
    if (!strcmp(cmd, "tamper")) {
        /* What a hostile test can do to the files of the tests after it. */
        unlink("/session/output/testCaseLog");
        mkfifo("/session/output/testCaseLog", 0666);
        symlink("/session/input/source.c", "/session/output/12.out");
        mkdir("/session/output/12.err", 0755);
        symlink("/dev/zero", "/tmp/.cr/in");
        unlink("/tmp/work/main");
        puts("tampered");
        return 0;
    }
    if (!strcmp(cmd, "attack")) {
        /* Same uid as PID 1 and crrun: try to stop, trace or outlive them. */
        pid_t sup = getppid();
        printf("trace_pid1=%s\n", ptrace(PTRACE_ATTACH, 1, 0, 0) ? strerror(errno) : "ok");
        printf("trace_crrun=%s\n", ptrace(PTRACE_ATTACH, sup, 0, 0) ? strerror(errno) : "ok");
        printf("environ_pid1=%s\n", open("/proc/1/environ", O_RDONLY) < 0 ? strerror(errno) : "ok");
        int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGALRM, SIGSTOP};
        for (int k = 0; k < 7; k++) kill(1, sigs[k]);
        fflush(stdout);
        if (fork() == 0) {
            setsid();
            for (int k = 0; k < 300; k++) {   /* forge the log for 3 s */
                unlink("/session/output/testCaseLog");
                int fd = open("/session/output/testCaseLog", O_WRONLY | O_CREAT, 0644);
                dprintf(fd, "15 exit=0 signal=0 forged\n");
                close(fd);
                fd = open("/session/input/done", O_WRONLY | O_NONBLOCK);   /* "results final" */
                if (fd >= 0) { write(fd, "done\n", 5); close(fd); }
                usleep(10000);
            }
            _exit(0);
        }
        usleep(100000);
        kill(sup, SIGKILL);
        for (;;) pause();
    }
    if (!strcmp(cmd, "ps")) {
        usleep(800000);   /* the daemon above would have written by now */
        DIR *d = opendir("/proc");
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
            char path[300], comm[64] = "";
            snprintf(path, sizeof path, "/proc/%s/comm", e->d_name);
            FILE *f = fopen(path, "r");
            if (f && fgets(comm, sizeof comm, f)) printf("%s %s", e->d_name, comm);
            if (f) fclose(f);
        }
        return 0;
    }
    return 5;
}
"""

# The kitchen-sink session, and its per-test results.
Sink = tuple["Session", list[dict[str, Any]]]

SINK_TESTS = [
    "echo",
    "segv",
    "loop",
    "echo",
    "sleep",
    "flood_out",
    "flood_err",
    "hog",
    "daemon",
    "ps",
    "exit3",
    "tamper",
    "echo",
    "forkbomb",
    "ps",
    "attack",
    "ps",
    "closeout",
    "threads",
    "echo",
]


@pytest.fixture(scope="module")
def sink(tmp_path_factory: TempPathFactory, callback_server: CallbackServer) -> Sink:
    root = tmp_path_factory.mktemp("sink") / "sessions"
    s = run_session(
        root,
        callback_server,
        "c",
        C_KITCHEN_SINK,
        [t.encode() + b"\n" for t in SINK_TESTS],
        TIME_LIMIT_MS="500",
        WALL_LIMIT_MS="3000",
        MAX_OUTPUT_BYTES="10000",
        MEMORY_LIMIT_MB="48",
        CONTAINER_MEMORY_MB="64",
    )
    assert s.proc.returncode == 0, s.proc.stderr
    return s, s.results()


def sink_result(sink: Sink, name: str, nth: int = 0) -> tuple[int, dict[str, Any]]:
    _, results = sink
    i = [k for k, t in enumerate(SINK_TESTS) if t == name][nth]
    return i, results[i]


def test_sink_every_test_has_a_result_and_the_session_ends_clean(sink: Sink) -> None:
    s, results = sink
    assert len(results) == len(SINK_TESTS)
    assert s.status() == {"container_exit": "0", "completed": "1"}
    assert_clean_finish(s)


def test_segfault_is_signal_11(sink: Sink) -> None:
    _, r = sink_result(sink, "segv")
    assert (r["exit"], r["signal"], r["timeout"], r["error"]) == (-1, 11, "none", "-")


def test_exit_code_and_stderr(sink: Sink) -> None:
    i, r = sink_result(sink, "exit3")
    assert (r["exit"], r["signal"], r["stderr_bytes"]) == (3, 0, 4)
    assert sink[0].out(f"{i}.err") == b"bye\n"


def test_infinite_loop_is_cpu_timeout_and_the_next_test_runs(sink: Sink) -> None:
    i, r = sink_result(sink, "loop")
    assert r["signal"] == 9
    if r["timeout"] == "wall":
        # A loaded machine gave the loop less than 500 ms of CPU in the 3 s wall
        # limit: the wall limit ended it first (a missing CPU limit shows as 3 s of CPU).
        assert r["cpu_ms"] < 1500 and r["wall_ms"] >= 3000, r
    else:
        # Polled every 10 ms; a missing CPU limit would run into the wall limit.
        assert r["timeout"] == "cpu" and 450 <= r["cpu_ms"] < 1500
    after = sink[1][i + 1]
    assert (after["exit"], after["timeout"]) == (0, "none")
    assert sink[0].out(f"{i + 1}.out") == b"fine\n"


def test_sleep_is_wall_timeout(sink: Sink) -> None:
    _, r = sink_result(sink, "sleep")
    assert r["timeout"] == "wall" and r["signal"] == 9
    # The program sleeps 100 s: anything near the 3 s limit is the limit at work
    # (a loaded machine may take seconds more to kill and reap it).
    assert 3000 <= r["wall_ms"] < 10_000
    assert r["cpu_ms"] < 100


@pytest.mark.parametrize("name,stream", [("flood_out", "out"), ("flood_err", "err")])
def test_output_flood_is_ole_capped_and_prompt(sink: Sink, name: str, stream: str) -> None:
    i, r = sink_result(sink, name)
    assert r["ole"] == 1 and r["signal"] == 9 and r["timeout"] == "none"
    assert r[f"std{stream}_truncated"] == 1
    assert r[f"std{stream}_bytes"] > 10000
    assert len(sink[0].out(f"{i}.{stream}")) == 10000
    # Stopped by the output cap, not by the 3 s wall limit.
    assert r["wall_ms"] < 2500


def test_memory_hog_is_oom(sink: Sink) -> None:
    _, r = sink_result(sink, "hog")
    assert r["oom"] == 1 and r["signal"] == 9


def test_setsid_daemon_dies_with_its_test(sink: Sink) -> None:
    s, _ = sink
    i, r = sink_result(sink, "daemon")
    assert r["exit"] == 0
    assert s.out(f"{i}.out") == b"parent done\n"
    assert not (s.dir / "output" / "daemon.txt").exists()
    i, r = sink_result(sink, "ps")
    procs = sorted(line.split()[1] for line in s.out(f"{i}.out").decode().splitlines())
    assert procs == ["crrun", "entry.sh", "main"]


def test_tampering_does_not_reach_later_tests(sink: Sink) -> None:
    s, results = sink
    i, _ = sink_result(sink, "tamper")
    last = i + 1
    assert last == 12  # the test file names that "tamper" attacks
    log = s.dir / "output" / "testCaseLog"
    assert log.is_file() and not log.is_symlink()
    assert (results[last]["exit"], results[last]["error"]) == (0, "-")
    assert s.out(f"{last}.out") == b"fine\n"


def test_fork_bomb_is_contained(sink: Sink) -> None:
    i, r = sink_result(sink, "forkbomb")
    # cpu as a rule; wall on a busy machine, oom when the bomb's page tables fill 64 MB
    assert r["signal"] == 9 and (r["timeout"] in ("cpu", "wall") or r["oom"] == 1)
    assert r["wall_ms"] < 10_000  # contained, not left to the session's deadline
    _, after = sink_result(sink, "ps", 1)
    procs = sorted(line.split()[1] for line in sink[0].out(f"{i + 1}.out").decode().splitlines())
    assert after["exit"] == 0 and procs == ["crrun", "entry.sh", "main"]


def test_a_program_cannot_trace_stop_outlive_or_forge(sink: Sink) -> None:
    s, _ = sink
    i, r = sink_result(sink, "attack")
    assert r["error"] == "crrun_failed"  # it killed its supervisor: IE, never OK
    probes = dict(line.split("=", 1) for line in s.out(f"{i}.out").decode().splitlines())
    assert probes == {
        "trace_pid1": "Operation not permitted",
        "trace_crrun": "Operation not permitted",
        "environ_pid1": "Permission denied",
    }
    _, after = sink_result(sink, "ps", 2)
    procs = sorted(line.split()[1] for line in s.out(f"{i + 1}.out").decode().splitlines())
    assert after["error"] == "-" and procs == ["crrun", "entry.sh", "main"]
    assert b"forged" not in s.out("testCaseLog")


def test_closed_stdout_and_threads(sink: Sink) -> None:
    s, _ = sink
    i, r = sink_result(sink, "closeout")
    assert (r["exit"], r["wall_ms"] >= 200, s.out(f"{i}.err")) == (0, True, b"after\n")
    _, r = sink_result(sink, "threads")  # two threads count twice: the cgroup sees both
    assert r["timeout"] == "cpu" and 450 <= r["cpu_ms"] < 1500


PY_ERRORS = """import sys
cmd = sys.stdin.readline().strip()
if cmd == "flood":
    while True:
        print("x" * 1000)
if cmd == "raise":
    raise ValueError("boom")
import json, collections, decimal, fractions, re, itertools, heapq, bisect
print(json.dumps(sorted(collections.Counter("hello").items())), fractions.Fraction(1, 3))
"""


def test_python_flood_traceback_and_stdlib(root: Path, callback_server: CallbackServer) -> None:
    s = run_session(root, callback_server, "python", PY_ERRORS, [b"flood", b"raise", b"std"])
    assert s.proc.returncode == 0, s.proc.stderr
    flood, exc, std = s.results()
    assert flood["ole"] == 1 and flood["stdout_truncated"] == 1 and flood["wall_ms"] < 4000
    assert len(s.out("0.out")) == 65536
    assert exc["exit"] == 1 and b"ValueError: boom" in s.out("1.err")
    assert (std["exit"], s.out("2.out")) == (0, b'[["e", 1], ["h", 1], ["l", 2], ["o", 1]] 1/3\n')


def test_missing_program_is_a_plain_nonzero_exit(
    root: Path, callback_server: CallbackServer
) -> None:
    s = run_session(
        root, callback_server, "c", "int main(void) { return 0; }\n", [b""], RUN="./not-there"
    )
    r = s.results()[0]
    assert (r["exit"], r["error"]) == (127, "-")
    assert b"not found" in s.out("0.err")


# What a test can leave behind for crrun's --wipe/--reset (crrun.c): trees it
# cannot read, deeper than any fd budget, symlinks out of /tmp, a work dir
# without its program and without write permission.
C_LITTER = r"""
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void list(const char *dir) {
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d) { printf("%s unreadable\n", dir); return; }
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) printf("%s/%s\n", dir, e->d_name);
    closedir(d);
}

int main(void) {
    char cmd[16] = "";
    if (scanf("%15s", cmd) != 1) return 2;
    if (!strcmp(cmd, "litter")) {
        mkdir("/tmp/locked", 0700);
        mkdir("/tmp/locked/in", 0700);
        close(open("/tmp/locked/in/f", O_CREAT | O_WRONLY, 0600));
        chmod("/tmp/locked/in", 0);
        chmod("/tmp/locked", 0);
        symlink("/session/output", "/tmp/out");  /* a wipe following it eats results */
        mkfifo("/tmp/fifo", 0600);
        symlink("/session/output", "/dev/shm/out");
        mkdir("/dev/shm/x", 0700);
        chmod("/dev/shm/x", 0);
        unlink("/tmp/work/main");
        symlink("/session/output", "/tmp/work/main");
        mkdir("/tmp/work/junk", 0);
        chmod("/tmp/work", 0555);
        if (chdir("/tmp") == 0)
            for (int i = 0; i < 1500; i++)
                if (mkdir("d", 0700) || chdir("d")) break;
        puts("littered");
        return 0;
    }
    list("/tmp");
    list("/tmp/.cr");
    list("/dev/shm");
    list("/tmp/work");
    return 0;
}
"""


def test_litter_of_a_test_is_gone_for_the_next(root: Path, callback_server: CallbackServer) -> None:
    s = run_session(root, callback_server, "c", C_LITTER, [b"litter", b"look", b"look"])
    assert s.proc.returncode == 0, s.proc.stderr
    assert [(r["exit"], r["error"]) for r in s.results()] == [(0, "-")] * 3
    assert s.out("0.out") == b"littered\n"
    for i in (1, 2):
        seen = sorted(s.out(f"{i}.out").decode().splitlines())
        assert seen == [
            "/tmp/.cr",
            "/tmp/.cr/build",
            "/tmp/work",
            "/tmp/work/main",
            "/tmp/work/source.c",
        ], seen


def test_compile_warning_flood_is_truncated_but_not_fatal(
    root: Path, callback_server: CallbackServer
) -> None:
    code = (
        "int main(void) {\n"
        + "".join(f"    int unused{k};\n" for k in range(500))
        + "    return 0;\n}\n"
    )
    s = run_session(root, callback_server, "c", code, [b""], MAX_COMPILE_LOG_BYTES="4096")
    assert s.proc.returncode == 0
    assert len(s.out("logCompile")) == 4096
    compiled = parse_result(s.out("compile.result").decode())
    assert (compiled["exit"], compiled["stdout_truncated"], compiled["ole"]) == (0, 1, 0)
    assert s.results()[0]["exit"] == 0


@pytest.mark.parametrize("lang", ["python", "c"])
def test_warm_container_waits_for_go_then_runs_its_one_job(
    root: Path, callback_server: CallbackServer, lang: str
) -> None:
    code = (IMAGES / lang / f"selftest.{language(lang)['extension']}").read_bytes()
    s = run_session(
        root,
        callback_server,
        lang,
        None,
        [],
        warm=True,
        before_wait=lambda sid: go_when_ready(root / sid, lang, code, ECHO_INPUTS),
    )
    assert s.proc.returncode == 0, s.proc.stderr
    assert s.status() == {"container_exit": "0", "completed": "1"}
    assert_clean_finish(s)
    assert len(s.results()) == len(ECHO_INPUTS)
    for i, data in enumerate(ECHO_INPUTS):
        assert s.out(f"{i}.out") == data


def test_warm_container_refuses_a_bad_job(root: Path, callback_server: CallbackServer) -> None:
    s = run_session(
        root,
        callback_server,
        "python",
        None,
        [],
        warm=True,
        before_wait=lambda sid: go_when_ready(
            root / sid, "python", "print(1)\n", [b""], CR_TESTS="1;rm"
        ),
    )
    assert s.status()["container_exit"] == "3"
    assert_clean_finish(s)
    assert not (s.dir / "output" / "testCaseLog").exists()


def test_compile_error_gives_log_and_no_tests(root: Path, callback_server: CallbackServer) -> None:
    s = run_session(
        root, callback_server, "c", "int main(void) { return undefined_thing; }\n", [b"1\n", b"2\n"]
    )
    assert s.proc.returncode == 0
    assert_clean_finish(s)
    log = s.out("logCompile").decode()
    assert "undefined_thing" in log and "error" in log
    assert parse_result(s.out("compile.result").decode())["exit"] != 0
    assert not (s.dir / "output" / "testCaseLog").exists()
    assert not (s.dir / "output" / "0.out").exists()


SANDBOX_PROBE = r"""
import json, os, sys
def read(p):
    with open(p) as f:
        return f.read()
status = dict(l.split(":", 1) for l in read("/proc/self/status").splitlines())
limits = {l[:26].strip(): l[26:].split()[:2] for l in read("/proc/self/limits").splitlines()[1:]}
try:
    open("/opt/coderunner/x", "w")
    rootfs = "writable"
except OSError as e:
    rootfs = e.strerror
ifaces = [l.split(":")[0].strip() for l in read("/proc/net/dev").splitlines()[2:]]
print(json.dumps({
    "uid": os.getuid(), "gid": os.getgid(), "euid": os.geteuid(),
    "cap_eff": status["CapEff"].strip(), "cap_bnd": status["CapBnd"].strip(),
    "no_new_privs": status["NoNewPrivs"].strip(), "seccomp": status["Seccomp"].strip(),
    "ifaces": sorted(os.listdir("/sys/class/net")), "proc_net_dev": ifaces,
    "rootfs": rootfs, "nofile": limits["Max open files"], "fsize": limits["Max file size"],
    "cwd": os.getcwd(), "home": os.environ.get("HOME"),
    "cr_env": sorted(k for k in os.environ if k.startswith("CR_")),
    "stdin": sys.stdin.read(),
}))
"""


def test_sandbox_properties(root: Path, callback_server: CallbackServer) -> None:
    s = run_session(root, callback_server, "python", SANDBOX_PROBE, [b"probe"])
    assert s.proc.returncode == 0, s.proc.stderr
    assert s.results()[0]["exit"] == 0, s.out("0.err")
    p = json.loads(s.out("0.out"))
    assert (p["uid"], p["gid"], p["euid"]) == (10001, 10001, 10001)
    assert int(p["cap_eff"], 16) == 0 and int(p["cap_bnd"], 16) == 0
    assert p["no_new_privs"] == "1"
    assert p["seccomp"] == "2"
    assert p["ifaces"] == ["lo"] and p["proc_net_dev"] == ["lo"]
    assert p["rootfs"] == "Read-only file system"
    assert p["nofile"] == ["64", "64"]
    assert p["fsize"] == ["67108864", "67108864"]
    assert (p["cwd"], p["home"]) == ("/tmp/work", "/tmp/work")
    assert p["cr_env"] == []
    assert p["stdin"] == "probe"


def test_bad_config_value_is_refused_and_still_called_back(
    root: Path, callback_server: CallbackServer
) -> None:
    s = run_session(root, callback_server, "python", "print(1)\n", [b""], IMAGE="foo;rm")
    assert s.proc.returncode != 0
    status = s.status()
    assert status["container_exit"] == "-1"
    assert "IMAGE" in status["error"]
    assert_clean_finish(s)
    assert list((s.dir / "output").iterdir()) == []


def test_missing_image_is_reported_not_pulled(root: Path, callback_server: CallbackServer) -> None:
    s = run_session(
        root, callback_server, "python", "print(1)\n", [b""], IMAGE="coderunner/no-such-language"
    )
    status = s.status()
    assert status["container_exit"] == "125"
    assert "no-such-language" in status["error"]
    assert s.seconds < 10
    assert_clean_finish(s)


def test_notice_on_stdout_replaces_the_curl_callback(
    root: Path, callback_server: CallbackServer
) -> None:
    """As the server runs it (CODERUNNER_NOTIFY=stdout): one line on the pipe only the
    server reads, no HTTP call back, the same status and results."""
    s = run_session(
        root,
        callback_server,
        "python",
        "print(input())\n",
        [b"hi\n"],
        handler_env={"CODERUNNER_NOTIFY": "stdout"},
    )
    assert s.proc.returncode == 0, s.proc.stderr
    assert s.proc.stdout == "coderunner-handler: done\n"
    assert s.calls == []
    assert s.status()["container_exit"] == "0"
    assert s.out("0.out") == b"hi\n"


def test_oversized_config_is_refused_without_reading_it_all(
    root: Path, callback_server: CallbackServer
) -> None:
    s = run_session(
        root, callback_server, "python", "print(1)\n", [b""], FILES="a" * 4000 + (" b" * 40_000)
    )
    assert s.proc.returncode != 0
    assert "config too large" in s.status()["error"]
    assert_clean_finish(s)


def test_a_planted_status_symlink_is_not_followed(
    root: Path, callback_server: CallbackServer, tmp_path: Path
) -> None:
    """The handler writes its files with noclobber: a symlink in their place makes it
    fail rather than write through it."""
    target = tmp_path / "victim"
    target.write_text("untouched\n")
    s = run_session(
        root,
        callback_server,
        "python",
        "print(1)\n",
        [b""],
        before_start=lambda d: (d / "handler.status").symlink_to(target),
    )
    assert s.proc.returncode != 0
    assert target.read_text() == "untouched\n"


@pytest.mark.parametrize(
    "key,value",
    [
        ("RUN", "python3\tsource.py"),
        ("USER", "0:0"),
        ("CALLBACK_URL_EXTRA", "1"),
        ("CPUS", "0"),
        ("TESTS", "-1"),
    ],
)
def test_other_bad_configs_are_refused(
    root: Path, callback_server: CallbackServer, key: str, value: str
) -> None:
    bad: dict[str, Any] = {key: value}
    s = run_session(root, callback_server, "python", "print(1)\n", [b""], **bad)
    assert s.proc.returncode != 0
    assert s.status()["container_exit"] == "-1"
    assert key in s.status()["error"]
    assert_clean_finish(s)


def test_handler_survives_a_container_killed_from_outside(
    root: Path, callback_server: CallbackServer
) -> None:
    def kill_soon(sid: str) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ps = subprocess.run(
                ["docker", "ps", "-q", "--filter", f"name=^cr-{sid}$"],
                capture_output=True,
                text=True,
            )
            if ps.stdout.strip():
                time.sleep(0.5)
                subprocess.run(["docker", "kill", f"cr-{sid}"], capture_output=True)
                return
            time.sleep(0.1)

    s = run_session(
        root,
        callback_server,
        "python",
        "import time\ntime.sleep(60)\n",
        [b""],
        WALL_LIMIT_MS="60000",
        before_wait=kill_soon,
    )
    assert s.seconds < 20
    assert s.status()["container_exit"] == "137"
    assert s.proc.returncode != 0
    assert_clean_finish(s)


def test_refuses_a_symlinked_session_dir(root: Path, tmp_path: Path) -> None:
    sid = secrets.token_hex(16)
    (tmp_path / "elsewhere").mkdir()
    root.mkdir()
    (root / sid).symlink_to(tmp_path / "elsewhere")
    env = {**os.environ, "CODERUNNER_SESSIONS_ROOT": str(root)}
    proc = subprocess.run([str(HANDLER), sid], env=env, capture_output=True, text=True)
    assert proc.returncode == 2 and "symlink" in proc.stderr
    escape = subprocess.run([str(HANDLER), "../" + sid[3:]], env=env, capture_output=True)
    assert escape.returncode == 2


# A task kind (unit test, function test, trace) brings more input files and its
# own recipes: FILES in the config (a cold container), CR_FILES/CR_RUN in the job
# (a warm one). entry.sh copies them beside the source and runs that recipe.
KIND_MAIN = "import helper\nprint(helper.greet(input()))\n"
KIND_HELPER = "def greet(name):\n    return 'hello ' + name\n"


def test_kind_files_are_copied_beside_the_source(
    root: Path, callback_server: CallbackServer
) -> None:
    s = run_session(
        root,
        callback_server,
        "python",
        KIND_MAIN,
        [b"ann\n", b"bob\n"],
        extra={"helper.py": KIND_HELPER},
        FILES="helper.py",
        RUN="python3 -B source.py",
    )
    assert s.proc.returncode == 0, s.proc.stderr
    assert_clean_finish(s)
    assert [s.out("0.out"), s.out("1.out")] == [b"hello ann\n", b"hello bob\n"]


def test_a_missing_kind_file_stops_the_container(
    root: Path, callback_server: CallbackServer
) -> None:
    s = run_session(
        root,
        callback_server,
        "python",
        KIND_MAIN,
        [b"ann\n"],
        FILES="helper.py",
        RUN="python3 -B source.py",
    )
    assert s.status()["container_exit"] == "3"
    assert_clean_finish(s)


def test_kind_recipe_and_files_in_a_warm_container(
    root: Path, callback_server: CallbackServer
) -> None:
    def go(sid: str) -> None:
        (root / sid / "input" / "helper.py").write_text(KIND_HELPER)
        go_when_ready(
            root / sid,
            "python",
            KIND_MAIN,
            [b"cy\n"],
            CR_FILES="helper.py",
            CR_RUN="python3 -B source.py",
        )

    s = run_session(root, callback_server, "python", None, [], warm=True, before_wait=go)
    assert s.proc.returncode == 0, s.proc.stderr
    assert_clean_finish(s)
    assert s.out("0.out") == b"hello cy\n"


def test_a_job_cannot_smuggle_a_file_name(root: Path, callback_server: CallbackServer) -> None:
    s = run_session(
        root,
        callback_server,
        "python",
        None,
        [],
        warm=True,
        before_wait=lambda sid: go_when_ready(
            root / sid, "python", "print(1)\n", [b""], CR_FILES="../config"
        ),
    )
    assert s.status()["container_exit"] == "3"
    assert_clean_finish(s)
