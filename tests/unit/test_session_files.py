"""Session files as coderunner/runner/sessions.py stages them: modes that hold
whatever the service's umask (the units set 0077), the dedicated sandbox uid in
every deployment, and names that give no live session id away."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from coderunner import limits
from coderunner.config import Settings
from coderunner.kinds import IsolatedTest
from coderunner.languages import load_language
from coderunner.runner.sessions import Sandbox, SessionStore
from coderunner.schemas import Submission
from tests.helpers import REPO, settings_for


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path)


@pytest.fixture
def strict_umask() -> Iterator[None]:
    old = os.umask(0o077)
    yield
    os.umask(old)


def staged(settings: Settings, *, warm: bool = False) -> tuple[SessionStore, Sandbox]:
    store = SessionStore(settings)
    store.prepare_root()
    language = load_language(REPO / "images" / "python", "coderunner/")
    plan = limits.plan(settings, tests=1, compiles=False)
    prepared = IsolatedTest().prepare(
        Submission(code="print(1)", language="python", testCases=["x"]), language, settings
    )
    sandbox = store.new_sandbox(language, plan)
    store.stage(sandbox, None if warm else prepared, callback_base="http://127.0.0.1:1")
    if warm:
        store.load(sandbox, prepared, plan)
    return store, sandbox


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_modes_hold_under_the_units_umask(settings: Settings, strict_umask: None) -> None:
    _, s = staged(settings)
    # Other local users get nowhere below the session directory...
    assert mode(s.dir) == 0o700
    # ...while the container's uid (10001, bind mounts) reads input/ and writes output/.
    assert mode(s.dir / "input") == 0o755
    assert mode(s.dir / "input" / "source.py") == 0o644
    assert mode(s.dir / "input" / "testcases") == 0o644
    assert mode(s.dir / "output") == 0o777
    done = (s.dir / "input" / "done").lstat()
    assert stat.S_ISFIFO(done.st_mode)
    if os.geteuid() == 0:
        assert (done.st_uid, mode(s.dir / "input" / "done")) == (10001, 0o600)
    else:
        # Open to the sandbox uid, behind the 0700 directory.
        assert mode(s.dir / "input" / "done") == 0o622
    assert mode(s.dir / "config") == 0o600


def test_a_warm_directory_too(settings: Settings, strict_umask: None) -> None:
    _, s = staged(settings, warm=True)
    assert mode(s.dir) == 0o700 and mode(s.dir / "input") == 0o755
    assert mode(s.dir / "input" / "go") == 0o644
    # The job loaded into it later, too.
    assert mode(s.dir / "input" / "job") == 0o644
    assert mode(s.dir / "input" / "source.py") == 0o644


def test_the_sandbox_uid_is_the_dedicated_one_whoever_runs_the_server(
    settings: Settings,
) -> None:
    _, s = staged(settings)
    config = dict(line.split("=", 1) for line in (s.dir / "config").read_text().splitlines())
    uid = settings.docker.sandbox_uid
    assert config["USER"] == f"{uid}:{uid}"
    assert uid not in (os.geteuid(), 0)


def test_names_give_no_session_id_away(settings: Settings) -> None:
    _, s = staged(settings)
    # The directory's path and the container's name show up in process
    # arguments and in the mount table: neither is derived from the id.
    assert s.id not in str(s.dir) and s.id not in s.container
    assert s.container == f"cr-{s.dir.name}"


def test_removal_of_what_the_program_locked(settings: Settings) -> None:
    store, s = staged(settings)
    locked = s.dir / "output" / "locked" / "deeper"
    locked.mkdir(parents=True)
    (locked / "f").write_text("x")
    locked.chmod(0)
    locked.parent.chmod(0)
    store.remove(s)
    assert not s.dir.exists()
