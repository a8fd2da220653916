"""logserver/config.py and the command line: the shared config.toml, environment
overrides, errors that name the key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coderunner.config import load_settings as load_coderunner_settings
from logserver.config import ConfigError, load_settings
from tests.helpers import REPO

SHARED = """
[server]
port = 8080
trusted_hosts = ["127.0.0.1"]

[limits]
max_code_lines = 500

[logging]
server_url = "http://127.0.0.1:8081"

[logserver]
port = 9001
database = "state/events.db"
trusted_hosts = ["127.0.0.1", "10.0.0.0/8"]

[smtp]
host = "smtp.example.org"
port = 465
tls = true
username = "alarms"
password = "from-the-file"
sender = "coderunner@example.org"

[alarms]
recipients = ["admin@example.org"]
coalesce_window_s = 120
"""


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in os.environ:
        if key.startswith("CODERUNNER_"):
            monkeypatch.delenv(key)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_safe() -> None:
    settings = load_settings()
    assert settings.logserver.host == "127.0.0.1"
    assert settings.logserver.port == 8081
    assert settings.logserver.trusted_hosts == ["127.0.0.1", "::1"]
    assert settings.smtp.host == ""  # outbox mode until an SMTP server is configured
    assert settings.alarms.recipients == []


def test_the_shared_file_is_read_and_other_sections_ignored(tmp_path: Path) -> None:
    path = _write(tmp_path, SHARED)
    settings = load_settings(path)
    assert settings.logserver.port == 9001
    assert settings.logserver.database == Path("state/events.db")
    assert settings.smtp.host == "smtp.example.org"
    assert settings.smtp.tls is True
    assert settings.smtp.password.get_secret_value() == "from-the-file"
    assert "from-the-file" not in repr(settings)
    assert settings.alarms.recipients == ["admin@example.org"]
    assert settings.alarms.coalesce_window_s == 120
    # ...and coderunner accepts the very same file.
    assert load_coderunner_settings(path).limits.max_code_lines == 500


def test_the_shipped_config_file_is_valid() -> None:
    settings = load_settings(REPO / "config.toml")
    assert settings.logserver.port == 8081
    assert settings.logserver.host == "127.0.0.1"


def test_environment_overrides_win_over_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CODERUNNER_LOGSERVER__PORT", "9100")
    monkeypatch.setenv("CODERUNNER_SMTP__HOST", "relay.example.org")
    monkeypatch.setenv("CODERUNNER_SMTP__PASSWORD", "from-the-environment")
    monkeypatch.setenv("CODERUNNER_ALARMS__RECIPIENTS", '["a@example.org", "b@example.org"]')
    monkeypatch.setenv("CODERUNNER_SERVER__PORT", "1234")  # coderunner's, not ours
    settings = load_settings(_write(tmp_path, SHARED))
    assert settings.logserver.port == 9100
    assert settings.logserver.trusted_hosts == ["127.0.0.1", "10.0.0.0/8"]  # file, same section
    assert settings.smtp.host == "relay.example.org"
    assert settings.smtp.port == 465
    assert settings.smtp.password.get_secret_value() == "from-the-environment"
    assert settings.alarms.recipients == ["a@example.org", "b@example.org"]


@pytest.mark.parametrize(
    ("snippet", "key"),
    [
        ('[smtp]\nport = "twenty-five"', "smtp.port"),
        ("[smtp]\nport = 70000", "smtp.port"),
        ("[smtp]\nhots = 'typo'", "smtp.hots"),
        ('[smtp]\nsender = "alarms@example.org\\r\\nBcc: x@example.org"', "smtp.sender"),
        ('[alarms]\nrecipients = ["root"]', "alarms.recipients"),
        ('[alarms]\nrecipients = "admin@example.org"', "alarms.recipients"),
        ("[alarms]\ncoalesce_window_s = -1", "alarms.coalesce_window_s"),
        ('[alarms]\nsubject_prefix = "a\\nb"', "alarms.subject_prefix"),
        ('[logserver]\ntrusted_hosts = ["localhost"]', "logserver.trusted_hosts"),
        ("[logserver]\nmax_message_chars = 0", "logserver.max_message_chars"),
    ],
)
def test_a_bad_value_names_the_key(tmp_path: Path, snippet: str, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(_write(tmp_path, snippet))
    assert f"{key}:" in str(info.value)


def test_a_bad_environment_value_names_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODERUNNER_SMTP__PORT", "abc")
    with pytest.raises(ConfigError, match=r"smtp\.port:"):
        load_settings()


def test_unreadable_or_broken_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(_write(tmp_path, "[smtp\nport = 1"))


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODERUNNER_")}
    return {**env, "PYTHONPATH": str(REPO), **extra}


def test_cli_refuses_a_bad_config_naming_the_key(tmp_path: Path) -> None:
    path = _write(tmp_path, "[smtp]\nport = 0\n")
    result = subprocess.run(
        [sys.executable, "-m", "logserver", "serve", "--config", str(path)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "smtp.port:" in result.stderr
