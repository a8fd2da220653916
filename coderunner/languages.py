"""The language table: read from `images/<id>/language.toml`, never hard-coded.

A language exists for clients only once its image is built; the image carries the
toolchain's real version in its `coderunner.version` label and its curated libraries
with their versions in `coderunner.packages` (both set by images/build.sh).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

_ID = re.compile(r"^[a-z][a-z0-9_+-]{0,31}$")
_EXTENSION = re.compile(r"^[A-Za-z0-9]{1,8}$")
# Recipes end up in the session config (one line each) and in `sh -c`.
_RECIPE = re.compile(r"^[\x20-\x7e]*$")
_VERSION = re.compile(r"\d+(?:\.\d+)+")
# Debian package names, and the names GET /languages shows for curated libraries.
_DEB = re.compile(r"^[a-z0-9][a-z0-9.+-]+$")
_PACKAGE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")
_PACKAGE_KEYS = ("name", "debian", "stub")
# Tables of language.toml that hold a task kind's recipes: (required keys, optional keys).
_KIND_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "unit": (("tests", "preloaded", "run"), ("compile",)),
    "function": (("source", "run"), ("compile", "version_command")),
    "trace": (("run",), ("compile",)),
}
_TOP_KEYS = (
    "id",
    "name",
    "extension",
    "compile",
    "compiled",
    "run",
    "version_command",
    "limits",
    "packages",
    *_KIND_TABLES,
)


class LanguageError(ValueError):
    """A language folder whose metadata cannot be used: one line per problem, each
    naming the file and the key. (A ValueError, not config.ConfigError: this module
    stays standard-library only, for images/packages.py on the build host.)"""


@dataclass(frozen=True)
class Language:
    id: str
    name: str
    extension: str
    compile: str
    run: str
    image: str
    version: str = ""
    # Runtimes with a large fixed footprint (the JVM) get this much on top of the
    # client's memory limit for the container, so the limit stays about the program.
    memory_extra_mb: int = 0
    time_factor: float = 1.0
    # Recipes of the task kinds a language supports, from its language.toml
    # tables ([unit], [function], [trace]): name -> {key: recipe text}.
    recipes: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, hash=False)
    # Curated libraries in the image (SPEC section 12): (name, version), from its label.
    packages: tuple[tuple[str, str], ...] = ()

    @property
    def compiled(self) -> bool:
        """A language is compiled when it has a compile recipe (no separate flag to drift)."""
        return bool(self.compile)

    @property
    def source_name(self) -> str:
        return f"source.{self.extension}"

    def public(self) -> dict[str, object]:
        # "Python" + "Python 3.11.2" -> "Python 3.11.2"; the full string stays in version.
        short = _VERSION.search(self.version)
        name = f"{self.name} {short.group(0)}" if short else self.name
        return {
            "id": self.id,
            "name": name,
            "version": self.version,
            "compiled": self.compiled,
            "extension": self.extension,
            "unitTest": "unit" in self.recipes,
            "trace": "trace" in self.recipes,
            "functionTest": "function" in self.recipes,
            "packages": [{"name": n, "version": v} for n, v in self.packages],
        }


class _Reader:
    """Reads one language.toml, collecting every problem (one line each, naming the
    file and the key) instead of stopping at the first."""

    def __init__(self, where: Path) -> None:
        self.where = where
        self.problems: list[str] = []

    def fail(self, key: str, problem: str) -> None:
        self.problems.append(f"{self.where}: key {key!r}: {problem}")

    def unknown(self, table: dict[str, Any], known: Iterable[str], prefix: str = "") -> None:
        for key in sorted(set(table) - set(known)):
            self.fail(prefix + key, f"unknown key (known: {', '.join(sorted(known))})")

    def text(
        self,
        table: dict[str, Any],
        key: str,
        pattern: re.Pattern[str],
        *,
        required: bool = False,
        prefix: str = "",
    ) -> str:
        value: object = table.get(key, "")
        if not isinstance(value, str):
            self.fail(prefix + key, f"must be a string, got {type(value).__name__}")
            return ""
        if required and not value:
            self.fail(prefix + key, "is missing or empty")
        elif not pattern.match(value):
            self.fail(prefix + key, f"invalid value {value[:60]!r}")
        return value

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, f"must be a table ([{key}]), got {type(value).__name__}")
            return {}
        return value

    def number(
        self,
        table: dict[str, Any],
        key: str,
        *,
        integer: bool,
        low: float,
        default: float,
        prefix: str,
    ) -> float:
        value = table.get(key, default)
        # bool is an int to Python, never a number here.
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            self.fail(prefix + key, "must be an integer" if integer else "must be a number")
            return default
        if value < low:
            self.fail(prefix + key, f"must be at least {low}, got {value}")
            return default
        return float(value)


def package_entries(data: dict[str, Any], where: Path) -> list[dict[str, Any]]:
    """The `[[packages]]` of a parsed language.toml (SPEC section 12), each with a `name`
    (shown by GET /languages), a Debian package `debian` and optional `stub` names.
    Raises LanguageError naming the file and key. Also used by images/packages.py at
    image build, so that build and `coderunner check` agree on what is valid."""
    reader = _Reader(where)
    entries = _packages(reader, data)
    if reader.problems:
        raise LanguageError("\n".join(reader.problems))
    return entries


def _packages(reader: _Reader, data: dict[str, Any]) -> list[dict[str, Any]]:
    found = data.get("packages", [])
    if not isinstance(found, list):
        reader.fail("packages", "must be an array of tables ([[packages]])")
        return []
    for index, entry in enumerate(found):
        prefix = f"packages[{index}]."
        if not isinstance(entry, dict):
            reader.fail(f"packages[{index}]", "must be a table ([[packages]])")
            continue
        reader.unknown(entry, _PACKAGE_KEYS, prefix)
        reader.text(entry, "name", _PACKAGE, required=True, prefix=prefix)
        reader.text(entry, "debian", _DEB, required=True, prefix=prefix)
        stub = entry.get("stub", [])
        if not (isinstance(stub, list) and all(isinstance(s, str) and _DEB.match(s) for s in stub)):
            reader.fail(prefix + "stub", "must be a list of Debian package names")
    return found


def load_language(folder: Path, image_prefix: str) -> Language:
    """The language of `folder`; LanguageError listing every problem of its language.toml
    (one line each, naming the file and the key)."""
    where = folder / "language.toml"
    try:
        data = tomllib.loads(where.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LanguageError(f"{where}: not readable as TOML: {exc}") from exc
    reader = _Reader(where)
    reader.unknown(data, _TOP_KEYS)
    lang_id = reader.text(data, "id", _ID, required=True)
    if lang_id and lang_id != folder.name:
        reader.fail("id", f"{lang_id!r} must equal the folder name {folder.name!r}")
    # `compiled` is derived from the compile recipe (no flag to drift from it); a
    # file may state it, but never the opposite of its recipe.
    if "compiled" in data and data["compiled"] is not bool(data.get("compile")):
        reader.fail("compiled", "contradicts 'compile' (drop 'compiled')")
    name = reader.text(data, "name", _RECIPE)
    extension = reader.text(data, "extension", _EXTENSION, required=True)
    compile_ = reader.text(data, "compile", _RECIPE)
    run = reader.text(data, "run", _RECIPE, required=True)
    # Read by images/build.sh for the image's version label.
    reader.text(data, "version_command", _RECIPE, required=True)
    limits = reader.table(data, "limits")
    reader.unknown(limits, ("memory_extra_mb", "time_factor"), "limits.")
    memory_extra = reader.number(
        limits, "memory_extra_mb", integer=True, low=0, default=0, prefix="limits."
    )
    time_factor = reader.number(
        limits, "time_factor", integer=False, low=0.1, default=1.0, prefix="limits."
    )
    recipes: dict[str, dict[str, str]] = {}
    for kind, (required, optional) in _KIND_TABLES.items():
        if kind not in data:
            continue
        table = reader.table(data, kind)
        reader.unknown(table, (*required, *optional), f"{kind}.")
        recipes[kind] = {
            key: reader.text(table, key, _RECIPE, required=key in required, prefix=f"{kind}.")
            for key in (*required, *optional)
            if key in table or key in required
        }
    _packages(reader, data)
    if reader.problems:
        raise LanguageError("\n".join(reader.problems))
    return Language(
        id=lang_id,
        name=name or lang_id,
        extension=extension,
        compile=compile_,
        run=run,
        image=f"{image_prefix}{lang_id}",
        memory_extra_mb=int(memory_extra),
        time_factor=float(time_factor),
        recipes=recipes,
    )


def load_languages(images_dir: Path, image_prefix: str) -> dict[str, Language]:
    """Every folder of `images_dir` with a language.toml, by id. LanguageError lists
    the problems of every broken one (one line each), not only the first."""
    table: dict[str, Language] = {}
    problems: list[str] = []
    try:
        folders = sorted(p for p in Path(images_dir).iterdir() if p.is_dir())
    except OSError as exc:
        raise LanguageError(f"{images_dir}: cannot list the language folders: {exc}") from exc
    for folder in folders:
        if (folder / "language.toml").is_file():
            try:
                lang = load_language(folder, image_prefix)
            except LanguageError as exc:
                problems.append(str(exc))
                continue
            table[lang.id] = lang
    if problems:
        raise LanguageError("\n".join(problems))
    return table


def with_versions(table: dict[str, Language], versions: dict[str, str]) -> dict[str, Language]:
    """The languages whose image exists (id -> version label), versions filled in."""
    return {
        lang_id: replace(lang, version=versions[lang.image])
        for lang_id, lang in table.items()
        if lang.image in versions
    }


def parse_packages(label: str) -> tuple[tuple[str, str], ...]:
    """The coderunner.packages label ([{"name", "version"}] as JSON); anything
    malformed reads as no packages (an image built before the label existed)."""
    try:
        data = json.loads(label) if label else []
    except ValueError:
        return ()
    if not isinstance(data, list):
        return ()
    return tuple(
        (str(item["name"])[:64], str(item.get("version", ""))[:64])
        for item in data
        if isinstance(item, dict) and isinstance(item.get("name"), str)
    )


def with_labels(
    table: dict[str, Language], labels: dict[str, dict[str, str]]
) -> dict[str, Language]:
    """The languages whose image exists (image -> its labels), with the version and
    the curated libraries from the labels."""
    return {
        lang_id: replace(
            lang,
            version=labels[lang.image].get("coderunner.version", ""),
            packages=parse_packages(labels[lang.image].get("coderunner.packages", "")),
        )
        for lang_id, lang in table.items()
        if lang.image in labels
    }
