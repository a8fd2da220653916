"""Settings: file, environment overrides, and errors that name the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coderunner.config import ConfigError, load_settings
from tests.helpers import REPO


def test_shipped_config_is_valid_and_defaults_are_safe() -> None:
    settings = load_settings(REPO / "config.toml")
    assert settings.server.host == "127.0.0.1" and settings.server.port == 8080
    assert settings.server.trusted_hosts == ["127.0.0.1", "::1"]
    assert settings.server.token == ""
    assert "~" not in str(settings.sessions.root)


def test_environment_overrides_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CODERUNNER_SERVER__PORT", "9191")
    monkeypatch.setenv("CODERUNNER_SESSIONS__ROOT", str(tmp_path / "x"))
    monkeypatch.setenv("CODERUNNER_QUEUE__MAX_SIZE", "7")
    settings = load_settings(REPO / "config.toml")
    assert settings.server.port == 9191
    assert settings.sessions.root == tmp_path / "x"
    assert settings.queue.max_size == 7
    assert settings.queue.max_concurrent == 2  # untouched keys keep the file's value


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[limits]\nmax_code_lines = 'many'\n", "limits.max_code_lines"),
        ("[queue]\nmax_sise = 3\n", "queue.max_sise"),
        ("[server]\ntrusted_hosts = ['not-an-ip']\n", "server.trusted_hosts"),
        ("[docker]\nruntime = 'kata'\n", "docker.runtime"),
        ("[nonsense]\nx = 1\n", "nonsense"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_settings(path)


def test_cli_refuses_a_bad_config_at_start(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[server]\nport = 'eighty'\n")
    proc = subprocess.run(
        [sys.executable, "-m", "coderunner", "serve", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 2
    assert "server.port" in proc.stderr
