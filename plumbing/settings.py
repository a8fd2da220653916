"""Settings loading for both servers: one TOML file, every key overridable from the
environment as `<PREFIX><SECTION>__<KEY>`, validated by pydantic; errors name the key.

Each server declares its sections (subclasses of `Section`) in its own config module
and loads them with `read_toml` + `validate`; the validators both need (addresses,
networks, host names, paths) live here.
"""

from __future__ import annotations

import ipaddress
import tomllib
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from .errors import describe

# Both servers read the one config.toml; this prefix is theirs in the environment.
ENV_PREFIX = "CODERUNNER_"


class ConfigError(Exception):
    """A config file or environment override that cannot be used; names the key."""


# A path from the config with `~` expanded (the service user's home when installed).
ExpandedPath = Annotated[Path, AfterValidator(lambda value: value.expanduser())]


def check_networks(value: list[str]) -> list[str]:
    """Each item an IP address or CIDR range (IPv4 or IPv6), else a ValueError naming it."""
    for item in value:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError as exc:
            raise ValueError(f"{item!r} is not an IP address or CIDR range") from exc
    return value


def check_hosts(value: list[str]) -> list[str]:
    """Each item an IP address, a CIDR range or a host name (letters, digits, '-', '.')."""
    for item in value:
        try:
            ipaddress.ip_network(item, strict=False)
            continue
        except ValueError:
            pass
        name = item.rstrip(".").lower()
        labels = name.split(".")
        if (
            not name
            or len(name) > 253
            or not all(
                label and len(label) <= 63 and label.replace("-", "").isalnum() and label.isascii()
                for label in labels
            )
        ):
            raise ValueError(f"{item!r} is not an IP address, CIDR range or host name")
    return value


Networks = Annotated[list[str], AfterValidator(check_networks)]
Hosts = Annotated[list[str], AfterValidator(check_hosts)]


class Section(BaseModel):
    # A typo in a key must fail at start, not be silently ignored.
    model_config = ConfigDict(extra="forbid", validate_default=True)


class TomlEnvSettings(BaseSettings):
    """Settings read from a TOML file's content (passed as init kwargs) with every
    key overridable by the environment (subclasses set the prefix)."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment wins over the file (init kwargs carry the file's content).
        return (env_settings, init_settings)


_S = TypeVar("_S", bound=TomlEnvSettings)


def read_toml(path: Path | str | None) -> dict[str, Any]:
    """The config file's content ({} without a file); ConfigError if unreadable."""
    if path is None:
        return {}
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc


def validate(cls: type[_S], data: dict[str, Any]) -> _S:
    """`cls(**data)` with the environment applied; ConfigError naming each bad key."""
    try:
        return cls(**data)
    except ValidationError as exc:
        raise ConfigError(f"invalid configuration: {describe(exc, top='')}") from exc


def load(
    cls: type[_S],
    path: Path | str | None,
    overrides: dict[str, dict[str, Any]],
    *,
    sections: set[str] | None = None,
) -> _S:
    """Read `path`, keep `sections` (all when None), merge per-section `overrides`
    (tests use them) and validate with the environment applied."""
    data = read_toml(path)
    if sections is not None:
        data = {key: value for key, value in data.items() if key in sections}
    for section, values in overrides.items():
        data.setdefault(section, {}).update(values)
    return validate(cls, data)
