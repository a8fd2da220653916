"""`coderunner check` and `coderunner serve` against broken language and rules files.

Each case copies images/ to a temporary directory, breaks one file in one way and
runs the command line: the message must name the file and the key, the exit status
must be non-zero, and no traceback may show. The many one-file cases call the command
line's entry point in this process (a traceback there fails the test); the shipped
tree, `serve`, `worker` and the log server's check run as separate processes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
# language folders the copies keep (enough for extends chains through _c_family).
KEEP = ("python", "c", "cpp", "java", "common")

Edit = Callable[[str], str]


@pytest.fixture
def images(tmp_path: Path) -> Path:
    target = tmp_path / "images"
    target.mkdir()
    for name in KEEP:
        shutil.copytree(REPO / "images" / name, target / name)
    return target


def config_for(tmp_path: Path, images: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[docker]\nimages_dir = "{images}"\n'
        f'[sessions]\nroot = "{tmp_path / "sessions"}"\n'
        f'[tasks]\ndatabase = "{tmp_path / "tasks.db"}"\n'
        f'[problems]\ndatabase = "{tmp_path / "problems.db"}"\n'
        f'[logging]\nlog_file = "{tmp_path / "spool.jsonl"}"\n'
        "[server]\nport = 0\n"
    )
    return path


def run(command: str, config: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODERUNNER_")}
    return subprocess.run(
        [sys.executable, "-m", "coderunner", command, "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def check_here(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """`coderunner check --config config` in this process: (exit status, stderr)."""
    from coderunner.__main__ import main

    capsys.readouterr()
    status = main(["check", "--config", str(config)])
    return status, capsys.readouterr().err


def edit(path: Path, change: Edit) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def test_check_passes_on_the_shipped_tree() -> None:
    proc = run("check", REPO / "config.toml")
    assert proc.returncode == 0, proc.stderr
    assert "ok" in proc.stdout and proc.stderr == ""


LANGUAGE_CASES: list[tuple[str, Edit, str]] = [
    # (what, how the python/language.toml text changes, the key the message names)
    ("bad TOML", lambda t: t.replace('id = "python"', 'id = "python'), "line 1"),
    ("missing key", lambda t: t.replace('extension = "py"\n', ""), "'extension'"),
    ("wrong type", lambda t: t.replace('run = "python3 -B -I source.py"', "run = 3"), "'run'"),
    (
        "unknown key",
        lambda t: t.replace('extension = "py"', 'extension = "py"\nextention = 1'),
        "'extention'",
    ),
    ("id of another folder", lambda t: t.replace('id = "python"', 'id = "pyth"'), "'id'"),
    ("limits not a table", lambda t: "limits = 3\n" + t, "'limits'"),
    (
        "limits value wrong type",
        lambda t: t + '\n[limits]\nmemory_extra_mb = "lots"\n',
        "'limits.memory_extra_mb'",
    ),
    ("recipe key missing", lambda t: t.replace('tests = "tests.py"\n', ""), "'unit.tests'"),
    (
        "recipe with a control character",
        lambda t: t.replace('preloaded = "preloaded.py"', 'preloaded = "a\\tb"'),
        "'unit.preloaded'",
    ),
    (
        "packages entry without debian",
        lambda t: t.replace('debian = "python3-sympy"\n', ""),
        "'packages[2].debian'",
    ),
    (
        "packages stub not a list",
        lambda t: t.replace('stub = ["python3-pythran"]', 'stub = "python3-pythran"'),
        "'packages[1].stub'",
    ),
    (
        "packages not an array of tables",
        lambda t: (
            'packages = "numpy"\n' + re.sub(r"(?m)^\[\[packages\]\]\n(?:[^\[\n].*\n)*", "", t)
        ),
        "'packages'",
    ),
]


@pytest.mark.parametrize(
    ("what", "change", "key"), LANGUAGE_CASES, ids=[case[0] for case in LANGUAGE_CASES]
)
def test_check_names_the_language_file_and_key(
    tmp_path: Path,
    images: Path,
    capsys: pytest.CaptureFixture[str],
    what: str,
    change: Edit,
    key: str,
) -> None:
    spec = images / "python" / "language.toml"
    edit(spec, change)
    status, err = check_here(config_for(tmp_path, images), capsys)
    assert status != 0
    lines = [line for line in err.splitlines() if str(spec) in line]
    assert lines, err
    assert any(key in line for line in lines), err


RULES_CASES: list[tuple[str, str, Edit, str]] = [
    # (what, which file, how it changes, what the message names)
    ("bad TOML", "python/rules.toml", lambda t: t + "\n[[rule]\n", "python/rules.toml"),
    (
        "unknown extends",
        "c/rules.toml",
        lambda t: re.sub(r"(?m)^extends = .*$", 'extends = ["_base", "_nope"]', t),
        "'_nope'",
    ),
    (
        "extends not a list",
        "c/rules.toml",
        lambda t: re.sub(r"(?m)^extends = .*$", 'extends = "_base"', t),
        "'extends'",
    ),
    (
        "bad regex",
        "common/rules/_base.toml",
        lambda t: t.replace("pattern = '''/proc/'''", "pattern = '''/proc/(['''"),
        "rule 'fs.proc': invalid pattern",
    ),
    (
        "missing key",
        "common/rules/_base.toml",
        lambda t: t.replace('comment = "reads /proc (process and kernel information)"\n', ""),
        "rule 'fs.proc': 'comment'",
    ),
    (
        "wrong type",
        "common/rules/_c_family.toml",
        lambda t: t.replace("level = 3", "level = 'high'", 1),
        "'level'",
    ),
    ("unknown top-level key", "cpp/rules.toml", lambda t: "extend = 1\n" + t, "extend"),
]


@pytest.mark.parametrize(
    ("what", "name", "change", "key"), RULES_CASES, ids=[case[0] for case in RULES_CASES]
)
def test_check_names_the_rules_file_and_key(
    tmp_path: Path,
    images: Path,
    capsys: pytest.CaptureFixture[str],
    what: str,
    name: str,
    change: Edit,
    key: str,
) -> None:
    path = images / name
    edit(path, change)
    status, err = check_here(config_for(tmp_path, images), capsys)
    assert status != 0
    line = next((x for x in err.splitlines() if str(path) in x), "")
    assert key in line, err


def test_check_lists_every_problem_not_only_the_first(tmp_path: Path, images: Path) -> None:
    edit(images / "python" / "language.toml", lambda t: t.replace('extension = "py"\n', ""))
    edit(images / "c" / "language.toml", lambda t: "bogus = 1\n" + t)
    (images / "java" / "selftest.java").unlink()
    (images / "cpp" / "rules.toml").unlink()
    proc = run("check", config_for(tmp_path, images))
    assert proc.returncode != 0
    err = proc.stderr
    assert "python/language.toml: key 'extension'" in err
    assert "c/language.toml: key 'bogus'" in err
    assert "java/selftest.java: missing" in err
    assert "cpp/rules.toml: missing" in err
    assert all(line.startswith("coderunner: ") for line in err.splitlines()), err


def test_logserver_check_validates_its_sections_of_the_shared_file(
    tmp_path: Path, images: Path
) -> None:
    config = config_for(tmp_path, images)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODERUNNER_")}
    command = [sys.executable, "-m", "logserver", "check", "--config", str(config)]
    fine = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert fine.returncode == 0 and "ok" in fine.stdout, fine.stderr
    config.write_text(config.read_text() + "[smtp]\nport = 'twenty-five'\n")
    broken = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert broken.returncode != 0
    assert "smtp.port" in broken.stderr and "Traceback" not in broken.stderr


def test_check_refuses_a_missing_images_dir(tmp_path: Path) -> None:
    proc = run("check", config_for(tmp_path, tmp_path / "nowhere"))
    assert proc.returncode != 0
    assert "docker.images_dir" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("name", "change", "key"),
    [
        ("python/language.toml", LANGUAGE_CASES[2][1], "key 'run'"),
        ("python/language.toml", LANGUAGE_CASES[0][1], "not readable as TOML"),
        ("common/rules/_base.toml", RULES_CASES[3][2], "rule 'fs.proc': invalid pattern"),
        ("c/rules.toml", RULES_CASES[1][2], "'_nope'"),
    ],
    ids=["language wrong type", "language bad TOML", "rules bad regex", "unknown extends"],
)
def test_serve_refuses_to_start_with_the_same_message(
    tmp_path: Path, images: Path, name: str, change: Edit, key: str
) -> None:
    path = images / name
    edit(path, change)
    config = config_for(tmp_path, images)
    checked = run("check", config)
    served = run("serve", config, timeout=120)
    assert served.returncode != 0
    assert "Traceback" not in served.stderr
    line = next((x for x in served.stderr.splitlines() if str(path) in x), "")
    assert key in line, served.stderr
    # The very line `check` printed.
    assert line in checked.stderr.splitlines()


def test_worker_refuses_to_start_on_a_broken_language_file(tmp_path: Path, images: Path) -> None:
    spec = images / "python" / "language.toml"
    edit(spec, LANGUAGE_CASES[7][1])  # [unit] without its `tests` key
    proc = run("worker", config_for(tmp_path, images), timeout=120)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert f"{spec}: key 'unit.tests': is missing or empty" in proc.stderr
