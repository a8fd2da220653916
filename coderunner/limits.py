"""The resource plan: every number a session's container gets, computed once.

`plan()` is the only place that does this arithmetic (time factor, wall clock,
memory with the tmpfs overhead, the gVisor factor and pid formula): endpoints, the
self-test and the warm pool all get their limits from it, the session config carries
its final values and docker-handler.sh only maps them to docker flags (docs/DESIGN.md
§1, §3), so no two places can compute a limit differently. Pure functions, one test
each (tests/unit/test_limits.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import Settings

# /dev/shm of every container: small, a test's leftovers are wiped by crrun.
SHM_MB = 8
SHM_INODES = 256
# Inodes per MB of the /tmp tmpfs.
TMPFS_INODES_PER_MB = 64
# A tmpfs inode with its dentry costs about 1 KiB of kernel memory: counted twice.
INODE_KB = 2
# The supervisor (crrun) and the shell around the program.
SUPERVISOR_MB = 16
# gVisor's sentry and gofer are charged to the container, and the sentry copies a read
# or write through a buffer as large as the program's (a compiler reading /dev/urandom
# took the sandbox down with a fixed 96 MiB): as much again plus a base.
GVISOR_HEADROOM_MB = 64
# Host pids of a gVisor sandbox: ~42 of its own plus ~5 per sandboxed process (ptrace
# platform), more while a fork bomb churns: room until crrun stops it.
GVISOR_PIDS_BASE = 64
GVISOR_PIDS_EACH = 16
# Per test the watchdog allows this much beyond the wall clock limit (crrun's start,
# the reset of /tmp/work).
PER_TEST_SLACK_S = 0.5
# Bytes of one testCaseLog/result line, generously.
RESULT_LINE_BYTES = 512


@dataclass(frozen=True)
class Plan:
    """Every limit of one session; the session config carries these final values."""

    tests: int
    time_limit_ms: int  # per-test CPU (the language's time_factor applied)
    wall_limit_ms: int  # per-test wall clock
    memory_limit_mb: int  # the program's limit (MLE above it)
    max_output_bytes: int  # per test and stream (OLE above it)
    compile_time_limit_ms: int
    max_compile_log_bytes: int
    cpus: float
    nofile: int
    fsize_bytes: int  # --ulimit fsize: one file in /tmp or output/
    tmpfs_mb: int
    tmpfs_inodes: int
    shm_mb: int
    shm_inodes: int
    output_mb: int  # output/ as a tmpfs (when the handler runs as root)
    output_inodes: int
    container_memory_mb: int  # what the container may use inside (crrun --mem-kb under gVisor)
    docker_memory_mb: int  # --memory / --memory-swap
    pids_limit: int  # --pids-limit
    nproc: int  # --ulimit nproc under gVisor, 0 = not set
    deadline_s: float  # watchdog: seconds after launch without a callback
    session_s: float  # the longest the container can be held (limits.max_session_s)

    def container_key(self) -> tuple[int, int, int]:
        """What a warm container was started with and a job must match to use it."""
        return (self.docker_memory_mb, self.container_memory_mb, self.pids_limit)


def time_limit_ms(
    settings: Settings, requested: int | None, *, time_factor: float, maximum: int | None = None
) -> int:
    """The requested CPU limit (default `limits.time_limit_ms`), capped at the maximum
    (not refused), times the language's factor (slow runtimes get more)."""
    lim = settings.limits
    capped = min(requested or lim.time_limit_ms, maximum or lim.max_time_limit_ms)
    return max(1, int(capped * time_factor))


def wall_limit_ms(settings: Settings, time_ms: int) -> int:
    """Wall clock per test: stops sleeping programs."""
    lim = settings.limits
    return int(time_ms * lim.wall_factor) + lim.wall_slack_ms


def memory_limit_mb(settings: Settings, requested: int | None) -> int:
    lim = settings.limits
    return min(requested or lim.memory_limit_mb, lim.max_memory_limit_mb)


def output_tmpfs(settings: Settings) -> tuple[int, int]:
    """Size (MB) and inodes of output/ as a tmpfs: room for every test's capped stdout
    and stderr, the compile log and the result lines whatever the number of tests (a
    warm container does not know it yet), or a trace's one run."""
    lim = settings.limits
    tests = lim.max_test_cases
    # A trace is one run whose stdout and stderr may each reach max_trace_bytes.
    runs = max(2 * tests * lim.max_output_bytes, 2 * lim.max_trace_bytes)
    data = runs + lim.max_compile_log_bytes + RESULT_LINE_BYTES * tests
    return data // (1 << 20) + 2, 2 * tests + 16


def base_memory_mb(
    settings: Settings, memory_mb: int, *, compiles: bool, memory_extra_mb: int
) -> int:
    """The program's (or the compiler's) memory, the runtime's fixed extra, the supervisor."""
    compile_mb = settings.limits.compile_memory_limit_mb if compiles else 0
    return max(memory_mb, compile_mb) + memory_extra_mb + SUPERVISOR_MB


def container_memory_mb(base_mb: int, *, tmpfs_mb: int, output_mb: int, output_inodes: int) -> int:
    """Plus everything a dead test can leave in memory: the /tmp, /dev/shm and output/
    tmpfs contents and their inodes; so after any test at least `base_mb` is free again
    for PID 1, crrun and the next test."""
    inodes = tmpfs_mb * TMPFS_INODES_PER_MB + SHM_INODES + output_inodes
    return base_mb + tmpfs_mb + SHM_MB + output_mb + inodes * INODE_KB // 1024 + 1


def docker_memory_mb(container_mb: int, runtime: str) -> int:
    """runsc: no memory cgroup inside; the sentry's own memory is charged to the
    container, so the host limit keeps headroom (crrun stops tests at container_mb)."""
    return 2 * container_mb + GVISOR_HEADROOM_MB if runtime == "runsc" else container_mb


def pids_limits(pids: int, runtime: str) -> tuple[int, int]:
    """(--pids-limit, --ulimit nproc): under runsc the host's pids cgroup counts the
    sandbox's own threads, so the programs are bounded inside by RLIMIT_NPROC and the
    host limit is out of their reach."""
    if runtime == "runsc":
        return GVISOR_PIDS_BASE + GVISOR_PIDS_EACH * pids, pids
    return pids, 0


def deadline_s(settings: Settings, tests: int, wall_ms: int) -> float:
    """Seconds after launch when the watchdog gives up on a session."""
    compile_s = 2 * settings.limits.compile_time_limit_ms / 1000
    per_test = wall_ms / 1000 + PER_TEST_SLACK_S
    return compile_s + tests * per_test + settings.docker.deadline_slack_s


def session_s(settings: Settings, tests: int, wall_ms: int) -> float:
    """How long one request could hold a container: compile + tests x wall limit."""
    return (settings.limits.compile_time_limit_ms + tests * wall_ms) / 1000


def plan(
    settings: Settings,
    *,
    tests: int,
    compiles: bool,
    time_factor: float = 1.0,
    memory_extra_mb: int = 0,
    time_ms: int | None = None,
    max_time_ms: int | None = None,
    memory_mb: int | None = None,
    output_bytes: int | None = None,
) -> Plan:
    lim, dock = settings.limits, settings.docker
    output = output_bytes or lim.max_output_bytes
    cpu = time_limit_ms(settings, time_ms, time_factor=time_factor, maximum=max_time_ms)
    wall = wall_limit_ms(settings, cpu)
    memory = memory_limit_mb(settings, memory_mb)
    out_mb, out_inodes = output_tmpfs(settings)
    inside = container_memory_mb(
        base_memory_mb(settings, memory, compiles=compiles, memory_extra_mb=memory_extra_mb),
        tmpfs_mb=dock.tmpfs_mb,
        output_mb=out_mb,
        output_inodes=out_inodes,
    )
    pids, nproc = pids_limits(dock.pids_limit, dock.runtime)
    return Plan(
        tests=tests,
        time_limit_ms=cpu,
        wall_limit_ms=wall,
        memory_limit_mb=memory,
        max_output_bytes=output,
        compile_time_limit_ms=lim.compile_time_limit_ms,
        max_compile_log_bytes=lim.max_compile_log_bytes,
        cpus=dock.cpus,
        nofile=dock.nofile,
        fsize_bytes=max(4 * output, dock.tmpfs_mb << 20),
        tmpfs_mb=dock.tmpfs_mb,
        tmpfs_inodes=dock.tmpfs_mb * TMPFS_INODES_PER_MB,
        shm_mb=SHM_MB,
        shm_inodes=SHM_INODES,
        output_mb=out_mb,
        output_inodes=out_inodes,
        container_memory_mb=inside,
        docker_memory_mb=docker_memory_mb(inside, dock.runtime),
        pids_limit=pids,
        nproc=nproc,
        deadline_s=deadline_s(settings, tests, wall),
        session_s=session_s(settings, tests, wall),
    )
