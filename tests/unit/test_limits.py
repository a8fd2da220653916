"""The resource plan (coderunner/limits.py): one test per formula, and the plan a
session's config carries (what docker-handler.sh maps to flags)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coderunner import limits
from coderunner.config import Settings, load_settings
from coderunner.kinds import Prepared
from coderunner.languages import Language
from coderunner.runner.sessions import SessionStore


def settings(**sections: dict[str, Any]) -> Settings:
    return load_settings(None, **sections)


PY = Language(
    "python",
    "Python",
    "py",
    compile="",
    run="python3 source.py",
    image="img/python",
    time_factor=1.0,
)
JAVA = Language(
    "java",
    "Java",
    "java",
    compile="javac Main.java",
    run="java Main",
    image="img/java",
    memory_extra_mb=128,
    time_factor=1.5,
)


def test_time_limit_default_cap_and_language_factor() -> None:
    s = settings()
    assert limits.time_limit_ms(s, None, time_factor=1.0) == 2000
    assert limits.time_limit_ms(s, 500, time_factor=1.0) == 500
    assert limits.time_limit_ms(s, 99_999, time_factor=1.0) == 10_000  # capped, not refused
    assert limits.time_limit_ms(s, 1000, time_factor=1.5) == 1500
    assert limits.time_limit_ms(s, 99_999, time_factor=2.0) == 20_000  # cap, then factor
    assert limits.time_limit_ms(s, 15_000, time_factor=1.0, maximum=12_000) == 12_000


def test_wall_limit_is_factor_times_cpu_plus_slack() -> None:
    s = settings(limits={"wall_factor": 3.0, "wall_slack_ms": 250})
    assert limits.wall_limit_ms(s, 1000) == 3250


def test_memory_limit_default_and_cap() -> None:
    s = settings()
    assert limits.memory_limit_mb(s, None) == 256
    assert limits.memory_limit_mb(s, 64) == 64
    assert limits.memory_limit_mb(s, 10_000) == 1024


def test_output_tmpfs_has_room_for_every_test_of_the_largest_request() -> None:
    s = settings(
        limits={"max_test_cases": 10, "max_output_bytes": 1 << 20, "max_compile_log_bytes": 1 << 20}
    )
    size_mb, inodes = limits.output_tmpfs(s)
    # 10 tests x 2 streams x 1 MiB + 1 MiB log + result lines, rounded up with room.
    assert size_mb == 21 + 2 and inodes == 2 * 10 + 16


def test_base_memory_takes_the_compiler_into_account() -> None:
    s = settings()
    assert limits.base_memory_mb(s, 256, compiles=False, memory_extra_mb=0) == 256 + 16
    assert limits.base_memory_mb(s, 256, compiles=True, memory_extra_mb=0) == 512 + 16
    assert limits.base_memory_mb(s, 1024, compiles=True, memory_extra_mb=128) == 1024 + 128 + 16


def test_container_memory_adds_every_tmpfs_and_its_inodes() -> None:
    # 64 MB /tmp (4096 inodes) + 8 MB shm (256) + 14 MB output (216): inodes at 2 KiB.
    inodes_mb = (64 * 64 + 256 + 216) * 2 // 1024
    assert limits.container_memory_mb(272, tmpfs_mb=64, output_mb=14, output_inodes=216) == (
        272 + 64 + 8 + 14 + inodes_mb + 1
    )


def test_docker_memory_gets_gvisor_headroom_only_under_runsc() -> None:
    assert limits.docker_memory_mb(400, "runc") == 400
    assert limits.docker_memory_mb(400, "runsc") == 2 * 400 + 64


def test_pids_under_runsc_are_bounded_inside_and_roomy_outside() -> None:
    assert limits.pids_limits(64, "runc") == (64, 0)
    assert limits.pids_limits(64, "runsc") == (64 + 16 * 64, 64)


def test_deadline_covers_compile_every_test_and_the_slack() -> None:
    s = settings(limits={"compile_time_limit_ms": 10_000}, docker={"deadline_slack_s": 15})
    assert limits.deadline_s(s, 3, 5000) == pytest.approx(2 * 10 + 3 * (5 + 0.5) + 15)


def test_session_time_is_compile_plus_tests_times_wall() -> None:
    s = settings(limits={"compile_time_limit_ms": 20_000})
    assert limits.session_s(s, 100, 5000) == 520


def test_fsize_is_the_larger_of_four_outputs_and_the_tmpfs() -> None:
    s = settings(limits={"max_output_bytes": 100 << 20}, docker={"tmpfs_mb": 64})
    assert limits.plan(s, tests=1, compiles=False).fsize_bytes == 400 << 20
    s = settings(docker={"tmpfs_mb": 64})
    assert limits.plan(s, tests=1, compiles=False).fsize_bytes == 64 << 20


def test_plan_puts_it_together_and_the_self_test_gets_the_time_factor() -> None:
    s = settings(docker={"runtime": "runsc"})
    plan = limits.plan(
        s,
        tests=2,
        compiles=True,
        time_factor=JAVA.time_factor,
        memory_extra_mb=JAVA.memory_extra_mb,
    )
    assert plan.time_limit_ms == 3000 and plan.wall_limit_ms == 7000
    out_mb, out_inodes = limits.output_tmpfs(s)
    inside = limits.container_memory_mb(
        512 + 128 + 16, tmpfs_mb=64, output_mb=out_mb, output_inodes=out_inodes
    )
    assert plan.container_memory_mb == inside
    assert plan.docker_memory_mb == 2 * inside + 64
    assert (plan.pids_limit, plan.nproc) == (64 + 16 * 64, 64)
    assert plan.container_key() == (plan.docker_memory_mb, inside, plan.pids_limit)


def test_the_session_config_carries_the_final_values(tmp_path: Path) -> None:
    s = settings(sessions={"root": str(tmp_path)}, docker={"runtime": "runsc"})
    store = SessionStore(s)
    store.prepare_root()
    plan = limits.plan(s, tests=1, compiles=False)
    prepared = Prepared(
        language=PY,
        source_name="main.py",
        files={"main.py": b"print(1)", "helper.py": b"x = 1"},
        compile="",
        run="python3 main.py",
        tests=[b""],
    )
    sandbox = store.new_sandbox(PY, plan)
    store.stage(sandbox, prepared, callback_base="http://127.0.0.1:8080")
    config = dict(line.split("=", 1) for line in (sandbox.dir / "config").read_text().splitlines())
    assert config["DOCKER_MEMORY_MB"] == str(plan.docker_memory_mb)
    assert config["CONTAINER_MEMORY_MB"] == str(plan.container_memory_mb)
    assert config["PIDS_LIMIT"] == str(plan.pids_limit) and config["NPROC"] == "64"
    assert config["SOURCE"] == "main.py" and config["FILES"] == "helper.py"
    assert config["RUN"] == "python3 main.py"
    assert (sandbox.dir / "input" / "helper.py").read_bytes() == b"x = 1"
