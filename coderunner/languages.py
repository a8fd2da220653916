"""The language table: read from `images/<id>/language.toml`, never hard-coded.

A language exists for clients only once its image is built; the image carries the
toolchain's real version in its `coderunner.version` label and its curated libraries
with their versions in `coderunner.packages` (both set by images/build.sh).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

_ID = re.compile(r"^[a-z][a-z0-9_+-]{0,31}$")
_EXTENSION = re.compile(r"^[A-Za-z0-9]{1,8}$")
# Recipes end up in the session config (one line each) and in `sh -c`.
_RECIPE = re.compile(r"^[\x20-\x7e]*$")
_VERSION = re.compile(r"\d+(?:\.\d+)+")
# Tables of language.toml that hold a task kind's recipes (docs: INTERFACES §2).
_KIND_TABLES = ("unit", "function", "trace")


class LanguageError(Exception):
    """A language folder whose metadata cannot be used; names the file and key."""


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


def _str(data: dict[str, object], key: str, where: Path, pattern: re.Pattern[str]) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or not pattern.match(value):
        raise LanguageError(f"{where}: key {key!r} is missing or invalid")
    return value


def load_language(folder: Path, image_prefix: str) -> Language:
    where = folder / "language.toml"
    try:
        data = tomllib.loads(where.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LanguageError(f"{where}: {exc}") from exc
    lang_id = _str(data, "id", where, _ID)
    if lang_id != folder.name:
        raise LanguageError(f"{where}: id {lang_id!r} must equal the folder name")
    # `compiled` is derived from the compile recipe; an old file may still say it,
    # but never the opposite of its recipe.
    if "compiled" in data and data["compiled"] is not bool(data.get("compile")):
        raise LanguageError(f"{where}: key 'compiled' contradicts 'compile' (drop 'compiled')")
    limits = data.get("limits", {})
    if not isinstance(limits, dict):
        raise LanguageError(f"{where}: [limits] must be a table")
    run = _str(data, "run", where, _RECIPE)
    if not run:
        raise LanguageError(f"{where}: key 'run' must not be empty")
    recipes: dict[str, dict[str, str]] = {}
    for kind in _KIND_TABLES:
        table = data.get(kind)
        if table is None:
            continue
        if not isinstance(table, dict):
            raise LanguageError(f"{where}: [{kind}] must be a table")
        recipes[kind] = {key: _str(table, key, where, _RECIPE) for key in table}
    return Language(
        id=lang_id,
        name=_str(data, "name", where, _RECIPE) or lang_id,
        extension=_str(data, "extension", where, _EXTENSION),
        compile=_str(data, "compile", where, _RECIPE),
        run=run,
        image=f"{image_prefix}{lang_id}",
        memory_extra_mb=int(limits.get("memory_extra_mb", 0)),
        time_factor=float(limits.get("time_factor", 1.0)),
        recipes=recipes,
    )


def load_languages(images_dir: Path, image_prefix: str) -> dict[str, Language]:
    """Every folder of `images_dir` with a language.toml, by id."""
    table: dict[str, Language] = {}
    for folder in sorted(p for p in images_dir.iterdir() if p.is_dir()):
        if (folder / "language.toml").is_file():
            lang = load_language(folder, image_prefix)
            table[lang.id] = lang
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
