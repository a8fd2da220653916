"""config.toml against the settings models: one set of defaults, every key documented.

The models (coderunner/config.py, logserver/config.py) are the source of the
defaults; config.toml must carry every key they define, with the same value and a
comment, so that an operator reading the file sees everything there is to set.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, SecretStr

from coderunner.config import Settings
from logserver.config import LogServerSettings

REPO = Path(__file__).resolve().parent.parent.parent
CONFIG = REPO / "config.toml"
# Defaults that depend on where the code is installed: in the file as a commented-out
# example line (`# key = ...`) in their section, not as a setting.
INSTALL_DEPENDENT = {("docker", "images_dir"), ("docker", "handler")}


def sections() -> Iterator[tuple[str, type[BaseModel]]]:
    for settings in (Settings, LogServerSettings):
        for name, field in settings.model_fields.items():
            model = field.annotation
            if isinstance(model, type) and issubclass(model, BaseModel):
                yield name, model


def plain(value: Any) -> Any:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def section_lines() -> dict[str, list[str]]:
    """The lines of config.toml by section header."""
    found: dict[str, list[str]] = {}
    current = ""
    for line in CONFIG.read_text(encoding="utf-8").splitlines():
        header = re.match(r"^\[([a-z_]+)\]\s*$", line)
        if header:
            current = header.group(1)
        found.setdefault(current, []).append(line)
    return found


KEYS = [(name, key) for name, model in sections() for key in model.model_fields]


def test_the_models_define_keys_at_all() -> None:
    assert len(KEYS) > 100
    assert ("pool", "prewarm") in KEYS and ("smtp", "starttls") in KEYS


@pytest.mark.parametrize(("section", "key"), KEYS, ids=[f"{s}.{k}" for s, k in KEYS])
def test_config_toml_carries_the_key_with_the_models_default(section: str, key: str) -> None:
    data = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    model = dict(sections())[section]
    if (section, key) in INSTALL_DEPENDENT:
        assert any(re.match(rf"^# {key} = ", line) for line in section_lines()[section]), (
            f"config.toml [{section}] shows no example line '# {key} = ...'"
        )
        return
    assert key in data.get(section, {}), f"config.toml [{section}] lacks {key!r}"
    # Both through the model: "~" expanded, 10 == 10.0, secrets compared as text.
    from_file = getattr(model.model_validate({key: data[section][key]}), key)
    default = getattr(model(), key)
    assert plain(from_file) == plain(default), (
        f"config.toml [{section}] {key} = {data[section][key]!r}, the model says {default!r}"
    )


def test_config_toml_has_no_key_the_models_do_not_define() -> None:
    data = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    models = dict(sections())
    assert set(data) <= set(models), set(data) - set(models)
    for section, values in data.items():
        assert set(values) <= set(models[section].model_fields), (section, values)


def test_every_key_in_config_toml_has_a_comment() -> None:
    """A comment on the key's line, or a comment line directly above it."""
    lines = CONFIG.read_text(encoding="utf-8").splitlines()
    bare = []
    for number, line in enumerate(lines):
        key = re.match(r"^([a-z_]+)\s*=", line)
        if key is None:
            continue
        above = lines[number - 1].lstrip() if number else ""
        if "#" not in line.split("=", 1)[1] and not above.startswith("#"):
            bare.append(f"line {number + 1}: {key.group(1)}")
    assert not bare, bare
