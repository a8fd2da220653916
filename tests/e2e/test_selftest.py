"""At start every language runs its self-test program through the real pipeline; a
broken one is logged and reported by /health."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from coderunner.config import REPO_ROOT
from tests.helpers import RunningServer, wait_for_selftests

pytestmark = pytest.mark.docker


def test_every_built_language_passes_its_selftest_at_start(
    make_server: Callable[..., RunningServer],
) -> None:
    server = make_server(docker={"selftest_at_start": True})
    languages = server.state.lifecycle.languages
    assert {"python", "c", "cpp"} <= set(languages)
    health = wait_for_selftests(server, len(languages))
    assert health["brokenLanguages"] == [], health["selftests"]
    assert set(health["selftests"]) == set(languages)


def test_a_broken_language_is_reported_by_health(
    make_server: Callable[..., RunningServer],
    tmp_path: Path,
) -> None:
    images = tmp_path / "images"
    images.mkdir()
    for lang in ("python", "c"):
        shutil.copytree(REPO_ROOT / "images" / lang, images / lang)
    # The shared rule sets the languages' rules.toml extend.
    shutil.copytree(REPO_ROOT / "images" / "common" / "rules", images / "common" / "rules")
    # The c image is fine; its recipe here is not: the self-test program cannot run.
    recipe = images / "c" / "language.toml"
    recipe.write_text(recipe.read_text().replace('run = "./main"', 'run = "./no-such-binary"'))
    server = make_server(docker={"selftest_at_start": True, "images_dir": str(images)})
    health = wait_for_selftests(server, 2)
    assert health["brokenLanguages"] == ["c"]
    assert health["selftests"]["python"] == "ok"
    assert "RE" in health["selftests"]["c"]
