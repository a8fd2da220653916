from __future__ import annotations

import pytest

from coderunner.config import ConfigError, load_settings
from tests.helpers import REPO


def test_shipped_config_has_every_dispatch_key_with_the_spec_defaults() -> None:
    settings = load_settings(REPO / "config.toml")
    d = settings.dispatch
    assert (d.backend, d.local_worker, d.lease_s, d.max_attempts) == ("local", False, 60, 3)
    assert d.url.startswith("redis://")
    shipped = (REPO / "config.toml").read_text()
    for key in type(d).model_fields:
        assert f"\n{key} = " in shipped.split("[dispatch]")[1].split("\n[")[0], key


def test_environment_overrides_dispatch_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODERUNNER_DISPATCH__BACKEND", "redis")
    monkeypatch.setenv("CODERUNNER_DISPATCH__URL", "redis://127.0.0.1:7000/2")
    monkeypatch.setenv("CODERUNNER_DISPATCH__MAX_ATTEMPTS", "5")
    d = load_settings(REPO / "config.toml").dispatch
    assert (d.backend, d.url, d.max_attempts) == ("redis", "redis://127.0.0.1:7000/2", 5)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("backend", "kafka"),
        ("max_attempts", 0),
        ("lease_s", 0),
        ("worker_id", "a b"),
        ("prefix", "x:y"),
    ],
)
def test_bad_dispatch_values_are_refused_naming_the_key(key: str, value: object) -> None:
    with pytest.raises(ConfigError, match=f"dispatch.{key}"):
        load_settings(dispatch={key: value})
