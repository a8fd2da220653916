"""Settings: `config.toml` + `CODERUNNER_<SECTION>__<KEY>` environment overrides.

Nothing here is built at import time: `load_settings(path)` is called once by the
CLI (or by a test) and the result is handed to `create_app`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from plumbing import events
from plumbing.settings import (
    ENV_PREFIX,
    ConfigError,
    ExpandedPath,
    Hosts,
    Networks,
    Section,
    TomlEnvSettings,
    load,
)

__all__ = ["ConfigError", "Settings", "load_settings"]

REPO_ROOT = Path(__file__).resolve().parent.parent


class ServerSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    trusted_hosts: Networks = ["127.0.0.1", "::1"]
    # Shared secret expected as `Authorization: Bearer <token>`; empty = not required.
    token: str = ""
    # Addresses of reverse proxies whose X-Forwarded-For is believed.
    proxies: Networks = []
    # Base URL docker-handler.sh calls back; empty = http://127.0.0.1:<port>.
    callback_url: str = ""
    # Seconds the server waits for in-flight sessions on shutdown.
    shutdown_grace_s: float = Field(10.0, ge=0)
    # Who may read /health, /metrics, /languages, /openapi.json: "trusted" = the same
    # rule as /isolatedTest (trusted_hosts, plus the token when one is set); "any".
    ops_access: Literal["trusted", "any"] = "trusted"


class LimitsSettings(Section):
    max_body_bytes: int = Field(2_000_000, gt=0)
    max_code_bytes: int = Field(65_536, gt=0)
    max_code_lines: int = Field(2_000, gt=0)
    max_test_cases: int = Field(100, gt=0)
    max_input_bytes: int = Field(1_000_000, gt=0)
    max_output_bytes: int = Field(65_536, gt=0)
    time_limit_ms: int = Field(2_000, gt=0)
    max_time_limit_ms: int = Field(10_000, gt=0)
    memory_limit_mb: int = Field(256, ge=16)
    max_memory_limit_mb: int = Field(1_024, ge=16)
    # Wall clock allowed per test = cpu limit * factor + slack (sleeping programs).
    wall_factor: float = Field(2.0, ge=1.0)
    wall_slack_ms: int = Field(1_000, ge=0)
    compile_time_limit_ms: int = Field(20_000, gt=0)
    compile_memory_limit_mb: int = Field(512, ge=64)
    max_compile_log_bytes: int = Field(65_536, gt=0)
    # POST /trace (SPEC section 11): a request's maxSteps at most this; the trace
    # (the tracer's stdout) is capped at max_trace_bytes, the program's own prints
    # inside it at max_output_bytes.
    max_trace_steps: int = Field(10_000, gt=0)
    max_trace_bytes: int = Field(4 * 1024 * 1024, ge=65_536)
    # The longest one request may hold a container: compile limit + tests x wall limit.
    # A request that could hold it longer is refused at admission (400 session_too_long).
    max_session_s: int = Field(900, gt=0)
    # Function tests (SPEC §10): cases per request (each is one run of the harness).
    max_cases: int = Field(100, gt=0)
    # Unit tests (SPEC section 9): one run holds the whole suite, so its limit
    # bounds the whole run (CPU time), not one test.
    unit_time_limit_ms: int = Field(12_000, gt=0)
    max_unit_time_limit_ms: int = Field(30_000, gt=0)


class QueueSettings(Section):
    max_size: int = Field(64, ge=0)
    max_concurrent: int = Field(2, ge=1)
    # Retry-After (seconds) suggested with 503 queue_full.
    retry_after_s: int = Field(2, ge=1)
    # Containers one user may hold at once (0 = no cap); waiting users are served
    # round-robin whatever this is.
    max_per_user: int = Field(0, ge=0)


class SessionsSettings(Section):
    root: ExpandedPath = Path("~/.coderunner")
    keep: bool = False
    # /health answers 503 when the file system of the session root (or of the log
    # spool) has less free space than this; 0 = never.
    min_free_mb: int = Field(64, ge=0)
    # Retry-After (seconds) with 503 storage_full (ENOSPC while staging a session).
    retry_after_s: int = Field(30, ge=1)


class DockerSettings(Section):
    runtime: Literal["runc", "runsc"] = "runc"
    image_prefix: str = "coderunner/"
    images_dir: Path = REPO_ROOT / "images"
    handler: Path = REPO_ROOT / "docker-handler.sh"
    cpus: float = Field(1.0, gt=0)
    pids_limit: int = Field(64, ge=8)
    nofile: int = Field(64, ge=16)
    tmpfs_mb: int = Field(64, ge=8)
    # Extra seconds on top of the computed deadline before the watchdog acts.
    deadline_slack_s: float = Field(15.0, ge=1)
    # Run every language's self-test program through the real pipeline at start.
    selftest_at_start: bool = True
    # The untrusted program's uid:gid in every deployment, root server or not: never
    # the service's own uid, which is in the docker group (an escape must not land there).
    sandbox_uid: int = Field(10001, ge=1)


class PoolSettings(Section):
    """Single-use warm containers: created and started ahead of demand, each serving
    exactly one session. Idle ones do not hold a queue slot; a claimed one does."""

    enabled: bool = True
    # Languages kept warm from the start; others get warm containers once used.
    prewarm: list[str] = ["python", "c", "cpp"]
    min_idle: int = Field(1, ge=0)  # per prewarmed language
    max_idle_per_language: int = Field(4, ge=0)
    max_idle: int = Field(8, ge=0)  # all languages together
    # A language unused this long shrinks back to its minimum.
    idle_timeout_s: float = Field(300.0, gt=0)


class SanitizerSettings(Section):
    # 0 notice, 1 suspicious, 2 dangerous, 3 critical; 4 = never.
    broadcast_level: int = Field(3, ge=0, le=4)
    reject_level: int = Field(4, ge=0, le=4)


class RateLimitSettings(Section):
    requests_per_minute: int = Field(600, ge=1)
    per_user_requests_per_minute: int = Field(60, ge=1)


class LoggingSettings(Section):
    server_url: str = "http://127.0.0.1:8081"
    # Durable spool of events not yet delivered to the log server.
    log_file: ExpandedPath = Path("~/.coderunner-spool/events.jsonl")
    # The log server refuses a longer one (plumbing/events.py).
    source: str = Field("coderunner", min_length=1, max_length=events.SOURCE_CHARS)
    # Cap of the spool while the log server is unreachable: when full, the oldest
    # `info` events are dropped first, then `warning`; `error` and `breach` never
    # (counted in /metrics as coderunner_log_events_dropped_total).
    max_spool_bytes: int = Field(64 * 1024 * 1024, ge=65_536)


class TasksSettings(Section):
    """Asynchronous tasks (SPEC section 8): their store, live events and webhooks."""

    # SQLite file (WAL mode, one writer thread); created with its directory.
    database: ExpandedPath = Path("~/.coderunner-tasks/tasks.db")
    # Finished tasks, their events and idempotency keys are kept this long, then removed.
    retention_s: int = Field(3600, ge=1)
    # Key of the HMAC-SHA256 signature sent with every webhook.
    webhook_secret: str = ""
    # Hosts a callbackUrl may name: IP addresses, CIDR ranges or host names.
    webhook_hosts: Hosts = []
    # Delivery attempts per webhook (the first one included).
    webhook_attempts: int = Field(5, ge=1, le=50)
    # Seconds one attempt may take in all (connect, send, answer headers).
    webhook_timeout_s: float = Field(10.0, gt=0)
    # Backoff before retry n: webhook_backoff_s * 2**(n-1), at most webhook_backoff_max_s.
    webhook_backoff_s: float = Field(2.0, gt=0)
    webhook_backoff_max_s: float = Field(300.0, gt=0)
    # Webhooks being delivered at once (a hanging receiver holds one of them).
    webhook_concurrency: int = Field(16, ge=1)
    # Seconds between ": ping" comments on an idle event stream (proxies close silent ones).
    sse_ping_s: float = Field(15.0, gt=0, le=15.0)
    # Live events buffered per stream subscriber; a slower client re-reads from the store.
    sse_buffer: int = Field(64, ge=1)


class DispatchSettings(Section):
    """Where tasks run (SPEC section 13): in this process, or on workers through Redis."""

    # "local": this server runs every task (one machine); "redis": workers take them.
    backend: Literal["local", "redis"] = "local"
    # The Redis server (6.2 or newer) shared by the server and its workers.
    url: str = "redis://127.0.0.1:6379/0"
    # With backend "redis": whether `coderunner serve` also runs tasks as a worker.
    local_worker: bool = False
    # A worker renews its lease on a task every lease_s / 3; a task whose lease has not
    # been renewed for lease_s is taken from its worker and run again elsewhere.
    lease_s: float = Field(60.0, ge=1)
    # Attempts per task; after the last lost one the task fails with "worker_lost".
    max_attempts: int = Field(3, ge=1, le=100)
    # Seconds between two looks of the reaper for expired leases (on the server).
    reap_interval_s: float = Field(5.0, gt=0)
    # Seconds between a worker's heartbeats; it counts as gone after 3 missed ones.
    heartbeat_s: float = Field(5.0, gt=0)
    # The worker's name in the registry and its consumer name; "" = host name + a hash
    # of sessions.root (stable across restarts, so a restarted worker finds its own).
    worker_id: str = Field("", pattern=r"^[A-Za-z0-9._-]{0,64}$")
    # Languages a worker takes ([] = every language whose image is built here).
    languages: list[str] = []
    # Prefix of every Redis key, so that several deployments can share one Redis.
    prefix: str = Field("coderunner", pattern=r"^[A-Za-z0-9._-]{1,32}$")
    # Retry-After (seconds) sent with 503 broker_unavailable.
    retry_after_s: int = Field(5, ge=1)

    @property
    def runs_locally(self) -> bool:
        """Whether `coderunner serve` runs containers itself (needs Docker)."""
        return self.backend == "local" or self.local_worker


class ProblemsSettings(Section):
    """Stored problems (SPEC §10): SQLite, the test inputs as blobs beside it."""

    database: ExpandedPath = Path("~/.coderunner-problems/problems.db")
    # A stored test set may be far larger than a submission (100 tests x 1 MB).
    max_body_bytes: int = Field(256_000_000, gt=0)
    max_problems: int = Field(10_000, gt=0)


class Settings(TomlEnvSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid"
    )

    server: ServerSettings = ServerSettings()
    limits: LimitsSettings = LimitsSettings()
    queue: QueueSettings = QueueSettings()
    sessions: SessionsSettings = SessionsSettings()
    docker: DockerSettings = DockerSettings()
    pool: PoolSettings = PoolSettings()
    sanitizer: SanitizerSettings = SanitizerSettings()
    ratelimit: RateLimitSettings = RateLimitSettings()
    logging: LoggingSettings = LoggingSettings()
    tasks: TasksSettings = TasksSettings()
    dispatch: DispatchSettings = DispatchSettings()
    problems: ProblemsSettings = ProblemsSettings()
    # Sections owned by the log server (logserver/config.py validates them); they
    # share the one config.toml, so coderunner accepts them without reading them.
    logserver: dict[str, Any] = {}
    smtp: dict[str, Any] = {}
    alarms: dict[str, Any] = {}


def load_settings(path: Path | str | None = None, **overrides: Any) -> Settings:
    """Read `path` (TOML) if given, apply environment overrides, validate.

    Raises ConfigError naming the offending key(s).
    """
    return load(Settings, path, overrides)
