"""The attack corpus: hostile programs against a real server.

Every attack goes through POST /isolatedTest of a real uvicorn server, real
docker-handler.sh and real containers, once per runtime (runc and gVisor's
runsc: the module's fixture is parametrized), with the warm pool as configured
by default.  Each one asserts its own containment and then, for all of them
alike (`attack`):

* no container of the session is left (label coderunner.session=<id>);
* no process of those containers is left on the host, and every host process
  of the sandbox uid belongs to a live container of another session (warm
  pool containers, other test runs);
* no session directory is left, and the disk use of the sessions root is back
  where it was;
* the very next request is served normally.

Small limits keep each attack to seconds.  The machine is shared and has two
cores: timing assertions leave wide margins, and a CPU-bound attack may end on
the wall clock instead of the CPU limit (both are TLE).

Network probes only ever aim at this machine: the container's own loopback,
the test server's port and the Docker bridge gateway (an address of this
host).  Name resolution is only tried once the probe has shown that there is
no interface but `lo` and no route, so that no query can leave.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ipaddress
import json
import os
import re
import secrets
import stat
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docker
import pytest

from coderunner.limits import output_tmpfs
from tests.e2e.installed.deployed import InstalledServer
from tests.helpers import RunningServer, settings_for, start_server, unavailable

pytestmark = pytest.mark.docker

SANDBOX_UID = 10001
RUNTIMES = ("runc", "runsc")
SECRET_VARS = ("CRTEST_HOST_SECRET", "DOCKER_CRTEST_SECRET")
TIME_LIMIT_MS = 1000
MEMORY_LIMIT_MB = 64
MAX_OUTPUT = 16384
# javac takes about 2.4 s of CPU under gVisor on an idle machine, and went past 5 s in a
# loaded CI run (the Java memory bomb then ended CE); the compile attacks stay bounded.
COMPILE_LIMIT_MS = 10000
MAX_LOG = 16384
LIMITS = {
    "time_limit_ms": TIME_LIMIT_MS,
    "memory_limit_mb": MEMORY_LIMIT_MB,
    "wall_factor": 1.5,
    "wall_slack_ms": 500,
    "max_output_bytes": MAX_OUTPUT,
    "compile_time_limit_ms": COMPILE_LIMIT_MS,
    "compile_memory_limit_mb": 256,
    "max_compile_log_bytes": MAX_LOG,
}
WALL_MS = TIME_LIMIT_MS * 1.5 + 500
# Generous: gVisor's ptrace platform charges its system call work to the
# program, and Python's start-up is made of system calls.
NORMAL_TIME_LIMIT_MS = 5000
CLEANUP_TIMEOUT_S = 30


# ---- the machinery: server, container watcher, host inspection ---------------------


class ContainerWatcher:
    """Records every container of one server (label coderunner.root) while it runs:
    full id -> session label, so that the processes of a session's containers can be
    looked for on the host after the containers are gone."""

    def __init__(self, root_label: str) -> None:
        self.root_label = root_label
        self.seen: dict[str, str] = {}
        self._stop = threading.Event()
        self._client = docker.from_env(timeout=30)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        flt = {"label": f"coderunner.root={self.root_label}"}
        while not self._stop.is_set():
            with contextlib.suppress(Exception):
                for c in self._client.api.containers(all=True, filters=flt):
                    self.seen[c["Id"]] = c["Labels"].get("coderunner.session", "")
            self._stop.wait(0.05)

    def ids_of(self, session_id: str) -> set[str]:
        return {cid for cid, sid in self.seen.items() if sid == session_id}

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._client.close()


@dataclass
class Env:
    server: RunningServer | InstalledServer
    runtime: str
    host_dir: Path
    secret: str
    watcher: ContainerWatcher
    client: docker.DockerClient
    gateway: str
    pool: bool = True
    # The cap on what one test can leave in output/ (MB, inodes): the tmpfs
    # docker-handler.sh mounts per session (root server), the capped session
    # root (installed service) or none (unprivileged server from a checkout).
    output_cap: tuple[int, int] | None = None
    # The real `coderunner serve` as install.sh deploys it (tests/e2e/installed/deployed.py):
    # no in-process state to look at.
    installed: bool = False

    @property
    def root(self) -> Path:
        return self.server.settings.sessions.root


def _runtime_problem(runtime: str) -> str | None:
    if runtime == "runc":
        return None
    info = docker.from_env(timeout=30).info()
    if runtime not in info.get("Runtimes", {}):
        return f"the Docker engine has no runtime {runtime!r} (install.sh registers it)"
    return None


def bridge_gateway(client: docker.DockerClient) -> str:
    """The default bridge's gateway: an address of this very host."""
    config = client.networks.get("bridge").attrs["IPAM"]["Config"][0]
    if config.get("Gateway"):
        return str(config["Gateway"])
    return str(next(ipaddress.ip_network(config["Subnet"]).hosts()))


@contextlib.contextmanager
def running_env(tmp: Path, runtime: str, **sections: dict[str, Any]) -> Iterator[Env]:
    problem = _runtime_problem(runtime)
    if problem:
        unavailable(problem)
    secret = "crtest-secret-" + secrets.token_hex(12)
    patch = pytest.MonkeyPatch()
    # In the server's own environment, the one the sandbox must never see: the
    # DOCKER_ one even reaches docker-handler.sh and the docker CLI.
    for var in SECRET_VARS:
        patch.setenv(var, secret)
    settings = settings_for(
        tmp,
        docker={"runtime": runtime},
        limits=LIMITS,
        queue={"max_concurrent": 2, "max_size": 64},
        ratelimit={"requests_per_minute": 100_000, "per_user_requests_per_minute": 100_000},
        **sections,
    )
    server = start_server(settings)
    client = docker.from_env(timeout=60)
    watcher = ContainerWatcher(server.state.runner.store.root_label)
    host_dir = tmp / "host"
    host_dir.mkdir()
    env = Env(
        server,
        runtime,
        host_dir,
        secret,
        watcher,
        client,
        bridge_gateway(client),
        pool=server.state.runner.pool.enabled,
        output_cap=output_tmpfs(settings) if os.geteuid() == 0 else None,
    )
    try:
        yield env
    finally:
        server.stop()
        watcher.close()
        client.close()
        patch.undo()


@pytest.fixture(scope="module", params=RUNTIMES)
def env(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, docker_ready: None
) -> Iterator[Env]:
    """One server per runtime for the whole corpus, warm pool as by default."""
    with running_env(tmp_path_factory.mktemp(f"attacks-{request.param}"), request.param) as e:
        yield e


@pytest.fixture(scope="module")
def env_no_pool(tmp_path_factory: pytest.TempPathFactory, docker_ready: None) -> Iterator[Env]:
    """runc without warm containers: every session starts its own container."""
    with running_env(
        tmp_path_factory.mktemp("attacks-nopool"), "runc", pool={"enabled": False}
    ) as e:
        yield e


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


CONTAINER_ID = re.compile(r"[0-9a-f]{64}")


def host_processes() -> list[dict[str, Any]]:
    """Every process of the host: pid, real uid, container id (from its cgroup), cmdline."""
    procs = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        status = _read(f"/proc/{entry.name}/status")
        uid_line = next((line for line in status.splitlines() if line.startswith("Uid:")), "")
        if not uid_line:
            continue  # gone meanwhile
        cgroup = _read(f"/proc/{entry.name}/cgroup")
        match = CONTAINER_ID.search(cgroup)
        procs.append(
            {
                "pid": int(entry.name),
                "uid": int(uid_line.split()[1]),
                "container": match.group(0) if match else None,
                "cmdline": _read(f"/proc/{entry.name}/cmdline").replace("\0", " "),
            }
        )
    return procs


def live_containers(client: docker.DockerClient) -> set[str]:
    return {c["Id"] for c in client.api.containers()}


def disk_use(path: Path) -> int:
    """Bytes allocated under path (files, directories, symlinks), never following links."""
    total = 0
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(dirpath, name)).st_blocks * 512
    return total


def live_dirs(env: Env) -> set[str]:
    """Names of the session directories in use (named apart from the session ids)."""
    if env.installed:
        # From outside: a directory is live while its container (cr-<name>) is.
        names = {n.lstrip("/") for c in env.client.api.containers(all=True) for n in c["Names"]}
        return {p.name for p in env.root.iterdir() if f"cr-{p.name}" in names}
    runner = env.server.state.runner
    dirs = {s.dir.name for s in list(runner.live.values())}
    dirs |= {w.sandbox.dir.name for ws in list(runner.pool._idle.values()) for w in ws}
    return dirs


@dataclass
class Snapshot:
    disk: int
    entries: int

    @classmethod
    def take(cls, env: Env) -> Snapshot:
        return cls(disk_use(env.root), len(list(env.root.iterdir())))


# A warm container's directory: config, FIFOs, a few empty directories.
WARM_DIR_BYTES = 64 * 1024


def leftovers(env: Env, session_id: str, before: Snapshot) -> list[str]:
    problems = []
    left = env.client.api.containers(
        all=True, filters={"label": f"coderunner.session={session_id}"}
    )
    if left:
        problems.append(f"containers left: {[c['Names'] for c in left]}")
    ids = env.watcher.ids_of(session_id)
    live_ids = live_containers(env.client)
    for proc in host_processes():
        if proc["container"] in ids or any(cid in proc["cmdline"] for cid in ids):
            problems.append(f"process of the session left: {proc}")
        elif proc["uid"] == SANDBOX_UID and proc["container"] not in live_ids:
            # The sandbox uid on the host outside any live container: escaped.
            problems.append(f"sandbox-uid process outside a live container: {proc}")
    live = live_dirs(env)
    stray = [p.name for p in env.root.iterdir() if p.name not in live]
    if stray:
        problems.append(f"stray entries in the sessions root: {stray}")
    grown = max(0, len(list(env.root.iterdir())) - before.entries)
    if disk_use(env.root) > before.disk + WARM_DIR_BYTES * grown:
        problems.append(f"sessions root uses {disk_use(env.root)} bytes, was {before.disk}")
    return problems


def assert_left_nothing(env: Env, session_id: str, before: Snapshot) -> None:
    # The handler removes the container right after its callback, so the
    # answer may come a moment before the container is gone.
    # Else the search for the session's processes below would prove nothing.
    assert env.watcher.ids_of(session_id), "the session's container was never seen"
    deadline = time.monotonic() + CLEANUP_TIMEOUT_S
    while problems := leftovers(env, session_id, before):
        if time.monotonic() > deadline:
            pytest.fail("; ".join(problems))
        time.sleep(0.2)


def submit(env: Env, code: str, language: str, tests: list[str], **extra: Any) -> dict[str, Any]:
    body = {"code": code, "language": language, "testCases": tests, **extra}
    with env.server.client() as client:
        resp = client.post("/isolatedTest", json=body)
    assert resp.status_code == 200, resp.text
    answer: dict[str, Any] = resp.json()
    for key in ("stdout", "stderr", "timestamps", "results"):
        assert len(answer[key]) == len(tests), key
    return answer


def assert_served_normally(env: Env) -> None:
    body = submit(
        env,
        "print(int(input()) * 2)",
        "python",
        ["21\n"],
        timeLimitMs=NORMAL_TIME_LIMIT_MS,
        expectedOutputs=["42"],
    )
    assert statuses(body) == ["AC"], body["results"]
    assert body["stdout"] == ["42\n"]


def statuses(body: dict[str, Any]) -> list[str]:
    return [r["status"] for r in body["results"]]


def attack(env: Env, code: str, language: str, tests: list[str], **extra: Any) -> dict[str, Any]:
    """Run one hostile request; assert it left nothing and that the server still serves."""
    extra.setdefault("timeLimitMs", TIME_LIMIT_MS)
    extra.setdefault("memoryLimitMb", MEMORY_LIMIT_MB)
    before = Snapshot.take(env)
    body = submit(env, code, language, tests, **extra)
    assert_left_nothing(env, body["sessionId"], before)
    assert_served_normally(env)
    return body


# ---- the table: one program, one or more tests, what each test must report --------------

C_BOMBS = r"""
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    char cmd[32] = "";
    if (scanf("%31s", cmd) != 1) return 2;
    if (!strcmp(cmd, "forkbomb")) for (;;) fork();
    if (!strcmp(cmd, "membomb")) {
        size_t n = (size_t)1 << 30;   /* volatile: gcc drops an unread malloc+memset */
        char *volatile p = malloc(n);
        if (!p) return 4;
        memset(p, 1, n);
        printf("%d\n", p[n - 1]);
        return 0;
    }
    if (!strcmp(cmd, "loop")) { volatile unsigned long n = 0; for (;;) n++; }
    if (!strcmp(cmd, "selfkill")) raise(SIGKILL);
    if (!strcmp(cmd, "segv")) { volatile int *p = 0; *p = 1; }
    if (!strcmp(cmd, "exit3")) return 3;
    puts("fine");
    return 0;
}
"""

CPP_MEMBOMB = r"""
#include <cstdio>
#include <vector>
int main() {
    std::vector<std::vector<char>> keep;
    for (;;) keep.emplace_back(1 << 24, 'x');   // 16 MiB at a time, every page written
}
"""

PY_FORKBOMB = """import os
while True:
    try:
        os.fork()
    except OSError:
        pass
"""

PY_MEMBOMB = """keep = []
while True:
    keep.append(b"x" * (1 << 24))
"""

PY_SLEEP = "import time\ntime.sleep(60)\n"

PY_FLOOD = """import sys
stream = sys.stdout if input() == "out" else sys.stderr
while True:
    stream.write("x" * 65536)
"""

PY_SIGTERM = """import os, signal, time
for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1):
    signal.signal(sig, signal.SIG_IGN)
if os.fork() == 0:
    os.setsid()
    while True:
        time.sleep(1)
while True:
    time.sleep(1)
"""

JAVA_MEMBOMB = """import java.util.*;
public class Main {
    public static void main(String[] args) {
        if (new Scanner(System.in).next().equals("huge")) {   // more than any heap cap
            byte[] b = new byte[Integer.MAX_VALUE - 8];
            System.out.println(b.length);
            return;
        }
        List<byte[]> keep = new ArrayList<>();
        for (;;) { byte[] b = new byte[1 << 24]; Arrays.fill(b, (byte) 1); keep.add(b); }
    }
}
"""

# What is left where a test of the same session could see it: a listing of
# every writable place (the work dir holds the program only).
PY_FILL = r"""import os, sys
where = input().strip()
if where == "check":
    seen = {d: sorted(os.listdir(d)) for d in ("/tmp", "/dev/shm", ".", os.environ["HOME"])}
    seen["/tmp"] = [n for n in seen["/tmp"] if n not in (".cr", "work")]
    print(seen)
    sys.exit(0)
target = {"tmp": "/tmp", "shm": "/dev/shm", "cwd": ".", "home": os.environ["HOME"]}[where]
written, n = 0, 0
chunk = b"x" * (1 << 20)
try:
    while True:
        with open(os.path.join(target, f"fill{n}"), "wb") as f:
            for _ in range(16):
                f.write(chunk)
                written += len(chunk)
        n += 1
except OSError as e:
    print(where, written >> 20, "MiB then", e.strerror)
"""

PY_MANY_FILES = r"""import os
where = input().strip()
if where == "check":
    print(sorted(n for n in os.listdir("/tmp") if n not in (".cr", "work")))
    raise SystemExit
os.makedirs(where, exist_ok=True)
n = 0
try:
    while n < 1_000_000:
        open(os.path.join(where, str(n)), "w").close()
        n += 1
except OSError as e:
    print(n, e.strerror)
"""

C_DAEMON_ZOMBIES_PS = r"""
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    char cmd[32] = "";
    if (scanf("%31s", cmd) != 1) return 2;
    if (!strcmp(cmd, "daemon")) {
        if (fork() == 0) {
            setsid();
            signal(SIGTERM, SIG_IGN);
            if (fork() == 0) {   /* the daemon: outlive the test, write into output/ */
                for (int k = 0; k < 100; k++) {
                    usleep(100000);
                    int fd = open("/session/output/late.txt", O_WRONLY | O_CREAT | O_APPEND, 0644);
                    if (fd >= 0) { write(fd, "still here\n", 11); close(fd); }
                    fd = open("/session/output/0.out", O_WRONLY | O_APPEND);
                    if (fd >= 0) { write(fd, "late\n", 5); close(fd); }
                }
                _exit(0);
            }
            _exit(0);
        }
        puts("parent done");
        return 0;
    }
    if (!strcmp(cmd, "zombies")) {   /* children that exit and are never reaped */
        int n = 0;
        while (n < 500) {
            pid_t p = fork();
            if (p == 0) _exit(0);
            if (p < 0) break;
            n++;
        }
        usleep(300000);
        printf("zombies %d\n", n > 10);
        return 0;
    }
    if (!strcmp(cmd, "killppid")) { kill(getppid(), SIGKILL); sleep(30); return 0; }
    if (!strcmp(cmd, "signals")) {   /* every signal to PID 1, SIGSTOP last */
        int sent = 0;
        for (int sig = 1; sig < 65; sig++)
            if (sig != SIGSTOP && kill(1, sig) == 0) sent++;
        kill(1, SIGSTOP);
        usleep(200000);
        printf("sent %d\n", sent > 60);
        return 0;
    }
    if (!strcmp(cmd, "stopcrrun")) { kill(getppid(), SIGSTOP); pause(); }
    if (!strcmp(cmd, "killall")) { kill(-1, SIGKILL); sleep(30); return 0; }
    if (!strcmp(cmd, "ps")) {   /* every process this test can see, and its state */
        usleep(500000);   /* the daemon would have written by now */
        DIR *d = opendir("/proc");
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
            char path[300], buf[512] = "";
            snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
            FILE *f = fopen(path, "r");
            if (f && fgets(buf, sizeof buf, f)) {
                char *open_paren = strchr(buf, '('), *close_paren = strrchr(buf, ')');
                if (open_paren && close_paren)
                    printf("%.*s %c\n", (int)(close_paren - open_paren - 1), open_paren + 1,
                           close_paren[2]);
            }
            if (f) fclose(f);
        }
        return 0;
    }
    puts("fine");
    return 0;
}
"""


@dataclass(frozen=True)
class Attack:
    language: str
    code: str
    tests: list[str]
    # One entry per test: the statuses it may end with.
    expect: list[set[str]]
    extra: dict[str, Any] = field(default_factory=dict)
    check: Callable[[dict[str, Any], Env], None] | None = None


def _fill_check(body: dict[str, Any], env: Env) -> None:
    for i, test in enumerate(body["stdout"]):
        if test.startswith("{"):  # a "check" test: nothing of the fill before it
            assert (
                test == "{'/tmp': [], '/dev/shm': [], '.': ['source.py'], "
                "'/tmp/work': ['source.py']}\n"
            ), (i, test)


def _many_files_check(body: dict[str, Any], env: Env) -> None:
    assert body["stdout"][1] == "[]\n"


def _daemon_check(body: dict[str, Any], env: Env) -> None:
    assert body["stdout"][0] == "parent done\n"  # nothing the daemon wrote after the test
    procs = body["stdout"][1].split("\n")[:-1]
    # PID 1 (entry.sh; bash under runsc), crrun, and the "ps" test itself.
    names = sorted(line.split()[0] for line in procs)
    assert names in (["crrun", "entry.sh", "main"], ["bash", "crrun", "main"]), procs


def _zombie_check(body: dict[str, Any], env: Env) -> None:
    assert body["stdout"][0] == "zombies 1\n"
    procs = body["stdout"][1].split("\n")[:-1]
    assert len(procs) == 3 and not any(line.endswith(" Z") for line in procs), procs


def _killer_check(body: dict[str, Any], env: Env) -> None:
    # A program that killed its supervisor gets IE (never OK); the next test runs.
    for i in (0, 2):
        assert "crrun_failed" in body["results"][i]["error"], body["results"][i]
    assert body["stdout"][1] == body["stdout"][3] == "fine\n"


def _signals_check(body: dict[str, Any], env: Env) -> None:
    assert body["stdout"][:2] == ["sent 1\n", "fine\n"] and body["stdout"][3] == "fine\n"
    assert "crrun_failed" in body["results"][2]["error"]


def _flood_check(body: dict[str, Any], env: Env) -> None:
    out, err = body["results"]
    assert out["stdoutTruncated"] and not out["stderrTruncated"]
    assert err["stderrTruncated"] and not err["stdoutTruncated"]
    assert len(body["stdout"][0]) == MAX_OUTPUT and len(body["stderr"][1]) == MAX_OUTPUT


def _cpu_check(body: dict[str, Any], env: Env) -> None:
    r = body["results"][0]
    # Stopped at the CPU limit, or on a starved machine at the wall limit.
    assert r["cpuMs"] >= TIME_LIMIT_MS * 0.9 or r["timeMs"] >= WALL_MS, r
    assert r["timeMs"] < WALL_MS + 1500, r
    assert body["stdout"][1] == "fine\n"


def _sleep_check(body: dict[str, Any], env: Env) -> None:
    r = body["results"][0]
    assert WALL_MS <= r["timeMs"] < WALL_MS + 1500 and r["cpuMs"] < TIME_LIMIT_MS, r


def _mle_check(body: dict[str, Any], env: Env) -> None:
    r = body["results"][0]
    assert r["signal"] is not None or r["memoryKb"] > MEMORY_LIMIT_MB * 1024, r
    if len(body["results"]) > 1:
        assert body["stdout"][1] == "fine\n"


ATTACKS: dict[str, Attack] = {
    "fork_bomb_c": Attack("c", C_BOMBS, ["forkbomb", "echo"], [{"TLE", "MLE"}, {"OK"}]),
    "fork_bomb_python": Attack("python", PY_FORKBOMB, [""], [{"TLE", "MLE"}]),
    "memory_bomb_c": Attack("c", C_BOMBS, ["membomb", "echo"], [{"MLE"}, {"OK"}], check=_mle_check),
    "memory_bomb_cpp": Attack("cpp", CPP_MEMBOMB, [""], [{"MLE"}], check=_mle_check),
    "memory_bomb_python": Attack("python", PY_MEMBOMB, [""], [{"MLE"}], check=_mle_check),
    "cpu_loop": Attack("c", C_BOMBS, ["loop", "echo"], [{"TLE"}, {"OK"}], check=_cpu_check),
    "self_sigkill_is_not_mle": Attack(
        "c", C_BOMBS, ["selfkill", "segv", "exit3"], [{"RE"}, {"RE"}, {"RE"}]
    ),
    "sleep_past_wall_limit": Attack("python", PY_SLEEP, [""], [{"TLE"}], check=_sleep_check),
    "sigterm_trap_and_setsid_child": Attack("python", PY_SIGTERM, [""], [{"TLE"}]),
    "output_flood_stdout_and_stderr": Attack(
        "python", PY_FLOOD, ["out", "err"], [{"OLE"}, {"OLE"}], check=_flood_check
    ),
    "disk_fill_tmp_shm_cwd_home": Attack(
        "python",
        PY_FILL,
        ["tmp", "check", "shm", "check", "cwd", "check", "home", "check"],
        [{"OK", "MLE", "RE"}, {"OK"}] * 4,
        extra={"timeLimitMs": NORMAL_TIME_LIMIT_MS},
        check=_fill_check,
    ),
    "million_small_files_tmp": Attack(
        "python",
        PY_MANY_FILES,
        ["/tmp/many", "check"],
        [{"OK", "TLE", "MLE", "RE"}, {"OK"}],
        check=_many_files_check,
    ),
    "setsid_daemon_outliving_its_test": Attack(
        "c", C_DAEMON_ZOMBIES_PS, ["daemon", "ps"], [{"OK"}, {"OK"}], check=_daemon_check
    ),
    # A generous time limit: a fork costs ~20 ms of CPU under gVisor's ptrace platform.
    "zombie_heap": Attack(
        "c",
        C_DAEMON_ZOMBIES_PS,
        ["zombies", "ps"],
        [{"OK"}, {"OK"}],
        extra={"timeLimitMs": NORMAL_TIME_LIMIT_MS},
        check=_zombie_check,
    ),
    # A stopped crrun cannot end its test: PID 1 gives up on it after the wall limit
    # and 10 s (IE), then runs the next test.
    "signals_to_pid1_and_a_stopped_crrun": Attack(
        "c",
        C_DAEMON_ZOMBIES_PS,
        ["signals", "echo", "stopcrrun", "echo"],
        [{"OK"}, {"OK"}, {"IE"}, {"OK"}],
        check=_signals_check,
    ),
    "kill_parent_and_kill_minus_one": Attack(
        "c",
        C_DAEMON_ZOMBIES_PS,
        ["killppid", "echo", "killall", "echo"],
        [{"IE"}, {"OK"}, {"IE"}, {"OK"}],
        check=_killer_check,
    ),
}


# Under gVisor (runsc 20221219, ptrace platform) these end the whole sandbox:
# every fork that fails leaks a host process, and a fork bomb runs the sandbox
# out of its host pids cgroup within a second; and a namespace's PID 1 gets no
# protection from signals (32 and 33, which bash cannot ignore, kill it).
# Contained all the same (the host limits hold, nothing is left), but the
# session's tests end as IE (docs/SECURITY.md).
RUNSC_SANDBOX_KILLERS = {"fork_bomb_c", "fork_bomb_python", "signals_to_pid1_and_a_stopped_crrun"}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attack(env: Env, name: str) -> None:
    a = ATTACKS[name]
    body = attack(env, a.code, a.language, a.tests, **a.extra)
    expect = a.expect
    if env.runtime == "runsc" and name in RUNSC_SANDBOX_KILLERS and statuses(body)[0] == "IE":
        assert all(s == "IE" for s in statuses(body))
        assert "container failed" in body["results"][0]["error"]
        return
    for i, (got, allowed) in enumerate(zip(statuses(body), expect, strict=True)):
        assert got in allowed, (i, got, body["results"][i], body["stderr"][i][-300:])
    if a.check:
        a.check(body, env)


def test_memory_bomb_java(env: Env) -> None:
    if not env.client.images.list(name="coderunner/java"):
        unavailable("image coderunner/java not built")
    # An OutOfMemoryError (exit 1) would be RE: the heap cap is above the container's
    # memory, so the container's OOM killer (or crrun's, under gVisor) ends both.
    body = attack(env, JAVA_MEMBOMB, "java", ["grow", "huge"])
    assert statuses(body) == ["MLE", "MLE"], (
        body["results"],
        body["stderr"][1][-500:],
        body["compilerErrors"][-500:],
    )


PY_OUTPUT_FILL = r"""import os
if input() == "echo":
    print("fine")
    raise SystemExit
chunk, written, n, err = b"x" * (1 << 20), 0, 0, "no error"
try:
    while written < 256 << 20:   # bounded, should output/ be the host's disk
        with open(f"/session/output/fill{n}", "wb") as f:
            for _ in range(32):
                f.write(chunk)
                written += len(chunk)
        n += 1
except OSError as e:
    err = e.strerror
for k in range(n + 1):   # room for our own stdout
    try:
        os.unlink(f"/session/output/fill{k}")
    except OSError:
        pass
print(written >> 20, err)
"""


def test_disk_fill_of_output_dir(env: Env) -> None:
    """output/ is the one host directory the program can write: a capped tmpfs, and
    what a test leaves there is dropped before the next test."""
    body = attack(env, PY_OUTPUT_FILL, "python", ["fill", "echo"])
    assert statuses(body)[1] == "OK" and body["stdout"][1] == "fine\n"
    if env.output_cap is None:
        unavailable("not root: output/ is a plain directory of the host disk")
    cap = env.output_cap[0]
    if env.installed and body["stdout"][0] == "":
        # The whole session root is the capped tmpfs: here what the program
        # could not write once it was full was its own stdout file. Contained
        # all the same (attack() saw the disk use come back).
        return
    written, _, err = body["stdout"][0].partition(" ")
    assert int(written) <= cap and err == "No space left on device\n", body["stdout"][0]


def test_million_small_files_in_output_dir(env: Env) -> None:
    """Files in output/ cost host inodes: capped in number, and gone with the test."""
    body = attack(env, PY_MANY_FILES, "python", ["/session/output/many", "check"])
    assert statuses(body) == ["OK", "OK"]
    if env.output_cap is not None:
        count, _, err = body["stdout"][0].partition(" ")
        limit = env.output_cap[1]
        assert int(count) < limit and err == "No space left on device\n"


# ---- results, verdicts and per-process limits ---------------------------------------------

PY_LIMITS = """import json, os, resource
r = {name: resource.getrlimit(getattr(resource, name))
     for name in ("RLIMIT_NOFILE", "RLIMIT_FSIZE", "RLIMIT_CORE", "RLIMIT_CPU")}
fds = []
try:
    while True:
        fds.append(os.open("/dev/null", os.O_RDONLY))
except OSError as e:
    r["opened"] = len(fds)
for fd in fds:
    os.close(fd)
try:
    with open("/tmp/big", "wb") as f:
        f.truncate(1 << 40)
except OSError as e:
    r["truncate"] = e.strerror
print(json.dumps(r))
"""


def test_limits_and_honest_results(env: Env) -> None:
    body = attack(env, PY_LIMITS, "python", [""], timeLimitMs=NORMAL_TIME_LIMIT_MS)
    assert statuses(body) == ["OK"], body["stderr"]
    r = json.loads(body["stdout"][0])
    settings = env.server.settings
    nofile = settings.docker.nofile
    assert r["RLIMIT_NOFILE"] == [nofile, nofile] and 50 < r["opened"] < nofile
    fsize = max(4 * MAX_OUTPUT, settings.docker.tmpfs_mb * 1024 * 1024)
    assert r["RLIMIT_FSIZE"] == [fsize, fsize] and r["truncate"] == "File too large"
    assert r["RLIMIT_CORE"] == [0, 0]
    cpu_s = NORMAL_TIME_LIMIT_MS // 1000 + 1
    assert r["RLIMIT_CPU"] == [cpu_s, cpu_s]
    result = body["results"][0]
    assert result["exitCode"] == 0 and result["signal"] is None
    assert result["timeMs"] > 0 and result["cpuMs"] > 0 and result["memoryKb"] > 1000
    assert result["timeMs"] == body["timestamps"][0]


def test_verdicts_end_to_end(env: Env) -> None:
    body = attack(
        env,
        C_BOMBS,
        "c",
        ["echo", "echo", "echo", "segv", "exit3"],
        expectedOutputs=["fine  \n\n\n", "fine", "fine\nmore", "", ""],
    )
    assert statuses(body) == ["AC", "AC", "WA", "RE", "RE"]
    segv, exit3 = body["results"][3:]
    assert (segv["signal"], segv["exitCode"]) == (11, None)
    assert (exit3["signal"], exit3["exitCode"]) == (None, 3)


# ---- what the program can see: environment, network, host files, other sessions -----------

PY_ENVIRON = """import json, os
def read(p):
    try:
        with open(p, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError as e:
        return "ERROR " + e.strerror
every = {p: read(f"/proc/{p}/environ") for p in os.listdir("/proc") if p.isdigit()}
print(json.dumps({"own": dict(os.environ), "pid1": read("/proc/1/environ"), "every": every}))
"""


def test_no_host_secret_in_any_environment(env: Env) -> None:
    body = attack(env, PY_ENVIRON, "python", [""], timeLimitMs=NORMAL_TIME_LIMIT_MS)
    assert statuses(body) == ["OK"], body["stderr"]
    assert env.secret not in body["stdout"][0] + body["stderr"][0]
    probe = json.loads(body["stdout"][0])
    assert not [k for k in probe["own"] if k.startswith(("CR_", "CRTEST", "DOCKER"))]
    # Nowhere the done nonce the handler hands PID 1 (it is in no
    # environment, see entry.sh).
    assert "NONCE" not in body["stdout"][0]
    if env.runtime == "runc":
        # PID 1 runs an execute-only bash: not dumpable, its environ is closed.
        assert probe["pid1"] == "ERROR Permission denied"
    # Under runsc gVisor shows it (docs/SECURITY.md): checked above to hold no secret.


PY_NETWORK = """import json, os, socket, sys
host_port, gateway = json.loads(sys.stdin.read())
r = {"ifaces": sorted(os.listdir("/sys/class/net"))}
with open("/proc/net/dev") as f:
    r["proc_net_dev"] = sorted(l.split(":")[0].strip() for l in f.read().splitlines()[2:])
with open("/proc/net/route") as f:
    r["routes"] = f.read().splitlines()[1:]
def tcp(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        s.connect((addr, port))
        return "connected"
    except OSError as e:
        return type(e).__name__ + " " + str(e.errno)
    finally:
        s.close()
r["server_port_on_loopback"] = tcp("127.0.0.1", host_port)
r["gateway_server_port"] = tcp(gateway, host_port)
r["gateway_ssh"] = tcp(gateway, 22)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    u.sendto(b"x", (gateway, host_port))
    r["gateway_udp"] = "sent"
except OSError as e:
    r["gateway_udp"] = str(e.errno)
# Only with nothing but lo and no route can a lookup not leave the container.
if r["ifaces"] == ["lo"] and not r["routes"]:
    try:
        r["dns"] = socket.getaddrinfo("coderunner-probe.example.com", 80)
    except socket.gaierror as e:
        r["dns"] = "failed"
print(json.dumps(r))
"""


def test_network_only_loopback_and_nothing_reachable(env: Env) -> None:
    port = env.server.settings.server.port
    body = attack(
        env,
        PY_NETWORK,
        "python",
        [json.dumps([port, env.gateway])],
        timeLimitMs=NORMAL_TIME_LIMIT_MS,
    )
    assert statuses(body) == ["OK"], body["stderr"]
    r = json.loads(body["stdout"][0])
    assert r["ifaces"] == ["lo"] and r["proc_net_dev"] == ["lo"] and r["routes"] == []
    # The container's loopback is its own: the server's port is closed there.
    assert r["server_port_on_loopback"].startswith("ConnectionRefusedError")
    # This host's address on the Docker bridge: no route to it (ENETUNREACH;
    # gVisor's netstack says EHOSTUNREACH).
    assert r["gateway_server_port"] == r["gateway_ssh"] in ("OSError 101", "OSError 113"), r
    assert r["gateway_udp"] in ("101", "113"), r
    assert r["dns"] == "failed"


PY_HOST_FILES = """import json, os, sys
paths = json.loads(sys.stdin.read())
def read(p):
    try:
        with open(p, "rb") as f:
            return "READ " + f.read(200).decode("utf-8", "replace")
    except OSError as e:
        return "ERROR " + e.strerror
r = {p: read(p) for p in paths}
for p in paths:
    r["/proc/1/root" + p] = read("/proc/1/root" + p)
    r["/proc/self/root" + p] = read("/proc/self/root" + p)
r["/etc/shadow"] = read("/etc/shadow")
r["docker.sock"] = read("/var/run/docker.sock")
r["parent of output"] = sorted(os.listdir("/session/output/.."))
r["parent of input"] = sorted(os.listdir("/session/input/.."))
print(json.dumps(r))
"""


def test_host_files_cannot_be_read(env: Env, tmp_path: Path) -> None:
    marker = env.host_dir / "host-marker.txt"
    content = "HOST-MARKER-" + secrets.token_hex(8)
    marker.write_text(content)
    marker.chmod(0o644)  # world-readable: only the sandbox can keep it away
    config = env.host_dir / "config.toml"
    config.write_text(f'[server]\ntoken = "{content}"\n')
    config.chmod(0o644)
    session_root = str(env.root)
    paths = [str(marker), str(config), session_root, str(Path(__file__).resolve())]
    body = attack(
        env, PY_HOST_FILES, "python", [json.dumps(paths)], timeLimitMs=NORMAL_TIME_LIMIT_MS
    )
    assert statuses(body) == ["OK"], body["stderr"]
    assert content not in body["stdout"][0]
    r = json.loads(body["stdout"][0])
    for key, value in r.items():
        if key.startswith(("/", "docker")) and key != "/etc/shadow":
            assert value.startswith("ERROR"), (key, value)
    assert r["/etc/shadow"] == "ERROR Permission denied"  # the image's own, anyway
    assert r["parent of output"] == ["input", "output"] == r["parent of input"]


PY_SNOOP = r"""import json, os, sys
victim_sid, victim_path, secret_len = json.loads(sys.stdin.read())
needle = ("VIC" + "TIM-").encode()   # never in one piece in this very source
found, tried = [], 0
def scan(path, depth=0):
    global tried
    if depth > 6 or tried > 20000:
        return
    try:
        entries = list(os.scandir(path))
    except OSError:
        return
    for e in entries:
        tried += 1
        try:
            if e.is_dir(follow_symlinks=False):
                if e.path not in ("/proc", "/sys", "/dev", "/usr", "/lib", "/lib64", "/bin",
                                  "/sbin", "/var", "/etc"):
                    scan(e.path, depth + 1)
            elif e.is_file(follow_symlinks=False) and e.stat().st_size < 1 << 20:
                with open(e.path, "rb") as f:
                    if needle in f.read():
                        found.append(e.path)
        except OSError:
            pass
scan("/")
guesses = ["/session/../" + victim_sid, "/session/input/../../" + victim_sid,
           "/session/output/../../" + victim_sid + "/input/testcases", victim_path,
           "/proc/1/root" + victim_path]
for p in os.listdir("/proc"):
    if p.isdigit():
        guesses += [f"/proc/{p}/root{victim_path}", f"/proc/{p}/cwd/../../{victim_sid}"]
opened = []
for g in guesses:
    try:
        with open(g, "rb") as f:
            if needle in f.read():
                opened.append(g)
    except OSError:
        pass
print(json.dumps({"found": found, "opened": opened, "files_seen": tried}))
"""


def test_other_sessions_are_invisible(env: Env) -> None:
    """Two sessions at once: one waits holding a secret input, the other hunts for it
    knowing its session id and host path (the worst case)."""
    victim_secret = "VICTIM-" + secrets.token_hex(8)
    runner = env.server.state.runner
    before = Snapshot.take(env)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        victim = pool.submit(
            submit,
            env,
            "import time\ns = input()\ntime.sleep(4)\nprint(len(s))",
            "python",
            [victim_secret + "\n"],
            timeLimitMs=NORMAL_TIME_LIMIT_MS,
        )
        deadline = time.monotonic() + 30
        victim_dir = None
        while victim_dir is None:
            assert time.monotonic() < deadline, "the victim session never started"
            for session in list(runner.live.values()):
                with contextlib.suppress(OSError):
                    if victim_secret.encode() in (session.dir / "input/testcases").read_bytes():
                        victim_dir = session.dir
            time.sleep(0.05)
        victim_sid = victim_dir.name
        victim_path = str(victim_dir / "input" / "testcases")
        snoop = submit(
            env,
            PY_SNOOP,
            "python",
            [json.dumps([victim_sid, victim_path, 0])],
            timeLimitMs=NORMAL_TIME_LIMIT_MS,
        )
        victim_body = victim.result(60)
    assert statuses(snoop) == ["OK"], snoop["stderr"]
    r = json.loads(snoop["stdout"][0])
    assert r["found"] == [] and r["opened"] == [] and r["files_seen"] > 20, r
    assert victim_body["stdout"] == [f"{len(victim_secret)}\n"]
    for body in (snoop, victim_body):
        assert_left_nothing(env, body["sessionId"], before)
    assert_served_normally(env)


# ---- symlinks, FIFOs and directories planted over the session's output files -------------

PY_PLANT = r"""import json, os, sys
paths = json.loads(sys.stdin.read())
mode = paths.pop("mode")
out = "/session/output"
def attempt(what, f, *args):
    try:
        f(*args)
    except OSError as e:
        print(what, args[0], e.strerror)
def plant(name, target):
    p = os.path.join(out, name)
    if os.path.isdir(p) and not os.path.islink(p):
        attempt("rmdir", os.rmdir, p)
    elif os.path.lexists(p):
        attempt("unlink", os.unlink, p)
    attempt("symlink", os.symlink, target, p)
if mode == "ahead":   # the files of the tests to come, and the logs
    for i in (1, 2):
        plant(f"{i}.out", paths["read"])
        plant(f"{i}.err", paths["write"])
    plant("testCaseLog", paths["delete"])
    plant("compile.result", "../config")
    plant("logCompile", paths["dir"])
    print("planted ahead")
elif mode == "last":   # what the analyzer on the host reads after the container
    plant("0.out", "../config")      # the session's config, with its token
    plant("1.err", paths["write"])
    plant("2.out", paths["read"])    # our own stdout, while crrun still writes to it
    plant("testCaseLog", paths["delete"])
    plant("logCompile", paths["read"])
    plant("compile.result", paths["write"])
    plant("hostdir", paths["dir"])
    plant("loop", "loop")
    attempt("unlink", os.unlink, os.path.join(out, "0.err"))
    attempt("mkfifo", os.mkfifo, os.path.join(out, "0.err"))
    attempt("makedirs", os.makedirs, os.path.join(out, "locked", "deeper"))
    attempt("chmod", os.chmod, os.path.join(out, "locked"), 0)
else:
    print("fine")
"""


def _host_marker(path: Path, content: str, mode: int) -> None:
    path.write_text(content)
    path.chmod(mode)
    os.utime(path, (1_000_000_000, 1_000_000_000))


def _fingerprint(path: Path) -> tuple[Any, ...]:
    st = path.lstat()
    return (
        path.read_bytes(),
        stat.S_IMODE(st.st_mode),
        st.st_uid,
        st.st_gid,
        st.st_mtime_ns,
        st.st_ino,
    )


def plant_symlinks(env: Env) -> None:
    tag = secrets.token_hex(6)
    markers = {
        "read": env.host_dir / f"read-{tag}",
        "write": env.host_dir / f"write-{tag}",
        "delete": env.host_dir / f"delete-{tag}",
    }
    for name, path in markers.items():
        _host_marker(path, f"MARKER-{name}-{tag}\n", 0o666 if name == "write" else 0o644)
    hostdir = env.host_dir / f"dir-{tag}"
    hostdir.mkdir()
    _host_marker(hostdir / "inside", f"MARKER-inside-{tag}\n", 0o666)
    watched = [*markers.values(), hostdir / "inside"]
    before = {p: _fingerprint(p) for p in watched}
    dir_before = (sorted(os.listdir(hostdir)), hostdir.stat().st_mode, hostdir.stat().st_uid)
    paths = {k: str(v) for k, v in markers.items()} | {"dir": str(hostdir)}
    tests = [json.dumps({**paths, "mode": mode}) for mode in ("ahead", "echo", "last")]
    body = attack(env, PY_PLANT, "python", tests, timeLimitMs=NORMAL_TIME_LIMIT_MS)
    assert statuses(body) == ["OK", "OK", "OK"], (body["results"], body["stderr"])
    assert body["stdout"][1] == "fine\n"  # crrun replaced what was planted ahead
    answer = json.dumps(body)
    assert "MARKER-" not in answer and "TOKEN" not in answer and "SESSION_ID" not in answer
    assert body["compilerErrors"] == ""
    for p in watched:
        assert _fingerprint(p) == before[p], p  # not read into the answer, written, chmod'ed,
        # chown'ed, touched or replaced
    assert (
        sorted(os.listdir(hostdir)),
        hostdir.stat().st_mode,
        hostdir.stat().st_uid,
    ) == dir_before


def test_symlinks_over_output_files(env: Env) -> None:
    plant_symlinks(env)


def test_symlinks_over_output_files_without_pool(env_no_pool: Env) -> None:
    plant_symlinks(env_no_pool)


def test_fork_bomb_without_pool(env_no_pool: Env) -> None:
    a = ATTACKS["fork_bomb_c"]
    body = attack(env_no_pool, a.code, a.language, a.tests)
    assert statuses(body)[0] in {"TLE", "MLE"} and statuses(body)[1] == "OK"


# ---- compile-time attacks and oversized sources -----------------------------------------

COMPILE_ATTACKS = {
    # The preprocessor reads an endless header.
    "include_dev_urandom": ("c", '#include "/dev/urandom"\nint main(void) { return 0; }\n'),
    # A type of 4^N nested tuples, printed in full in the error message.
    "template_explosion": (
        "cpp",
        """#include <tuple>
template <int N> struct X {
    using t1 = typename X<N - 1>::t;
    using t = std::tuple<t1, t1, t1, t1>;
};
template <> struct X<0> { using t = int; };
int main() { X<24>::t x = 1; return 0; }
""",
    ),
    # Each expansion of E is an error, with notes: a million of them.
    "error_flood": (
        "c",
        "#define E int 1;\n#define E1 E E E E E E E E E E\n"
        "#define E2 E1 E1 E1 E1 E1 E1 E1 E1 E1 E1\n"
        "#define E3 E2 E2 E2 E2 E2 E2 E2 E2 E2 E2\n"
        "#define E4 E3 E3 E3 E3 E3 E3 E3 E3 E3 E3\n"
        "#define E5 E4 E4 E4 E4 E4 E4 E4 E4 E4 E4\n"
        "E5 E5 E5 E5 E5 E5 E5 E5 E5 E5\nint main(void) { return 0; }\n",
    ),
}


@pytest.mark.parametrize("name", list(COMPILE_ATTACKS))
def test_compile_time_attack_is_ce_with_a_clear_message(env: Env, name: str) -> None:
    language, code = COMPILE_ATTACKS[name]
    started = time.monotonic()
    body = attack(env, code, language, ["", ""])
    seconds = time.monotonic() - started
    assert statuses(body) == ["CE", "CE"], body["results"]
    message = body["compilerErrors"]
    # Ours when a compile limit stops it; the compiler driver's own when the memory cap
    # kills its cc1plus first (the template explosion, with the 10 s CPU limit).
    clear = ("[coderunner] compil", "Killed signal terminated program")
    assert any(line in message for line in clear), message[-500:]
    assert len(message.encode()) <= MAX_LOG + 200
    # Bounded: the compile's wall limit (twice its CPU limit), then generous room for
    # a loaded 2-core machine (a run beside a soak took longer than 25 s more). An
    # unbounded compile would run for minutes.
    assert seconds < 2 * COMPILE_LIMIT_MS / 1000 + 60, seconds


def test_oversized_source_is_refused(env: Env) -> None:
    limit = env.server.settings.limits.max_code_bytes
    before = Snapshot.take(env)
    with env.server.client() as client:
        resp = client.post(
            "/isolatedTest",
            json={"code": "#" * (limit + 1), "language": "python", "testCases": [""]},
        )
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "code_too_long"
    assert Snapshot.take(env).entries <= before.entries + 2
    assert_served_normally(env)
