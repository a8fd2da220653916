"""The [tasks] config section: shipped file, defaults, environment overrides, bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from coderunner.config import ConfigError, load_settings
from tests.helpers import REPO


def test_shipped_config_has_every_tasks_key_with_the_defaults() -> None:
    shipped = load_settings(REPO / "config.toml").tasks
    defaults = load_settings().tasks
    assert shipped == defaults
    assert shipped.database == Path("~/.coderunner-tasks/tasks.db").expanduser()
    assert (shipped.retention_s, shipped.webhook_attempts, shipped.sse_ping_s) == (3600, 5, 15)
    assert shipped.webhook_hosts == [] and shipped.webhook_secret == ""
    text = (REPO / "config.toml").read_text()
    section = text.split("[tasks]")[1].split("\n[")[0]
    for key in type(shipped).model_fields:
        assert f"\n{key} = " in section, f"tasks.{key} missing from config.toml"


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODERUNNER_TASKS__WEBHOOK_HOSTS", '["10.0.0.0/8", "hooks.example.com"]')
    monkeypatch.setenv("CODERUNNER_TASKS__RETENTION_S", "60")
    tasks = load_settings(REPO / "config.toml").tasks
    assert tasks.webhook_hosts == ["10.0.0.0/8", "hooks.example.com"] and tasks.retention_s == 60


@pytest.mark.parametrize(
    "key, value",
    [
        ("webhook_hosts", ["http://x/"]),
        ("sse_ping_s", 60),
        ("webhook_attempts", 0),
        ("retention_s", 0),
        ("typo_key", 1),
    ],
)
def test_bad_values_name_the_key(key: str, value: object) -> None:
    with pytest.raises(ConfigError, match=f"tasks.{key}"):
        load_settings(tasks={key: value})
