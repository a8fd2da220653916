"""One harness per language, generated from the signature (SPEC §10).

Each case's arguments are written into the harness as typed literals of the
language (never parsed at run time); the run's stdin is only the case index. The
recipes (file names, compile, run) are data: the `[function]` table of
`images/<id>/language.toml`. The generators are per-language modules with one
function, `files(code, job, max_prints) -> {name: text}`.
"""

from __future__ import annotations

import functools
import importlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import UnsupportedLanguage
from .request import FunctionJob

# Language id -> generator module (coderunner/functions/lang_<module>.py).
GENERATORS = {
    "python": "python",
    "javascript": "javascript",
    "typescript": "javascript",
    "java": "java",
    "kotlin": "kotlin",
    "cpp": "cpp",
    "csharp": "csharp",
    "go": "go",
    "rust": "rust",
    "ruby": "ruby",
}
TRAILER = "\\x02CRFN1 "  # record.MARKER, as an escape in the harnesses' string literals


@dataclass(frozen=True)
class Recipe:
    source: str  # the harness's main file (CR_SOURCE)
    compile: str
    run: str


@dataclass(frozen=True)
class Harness:
    source_name: str
    files: dict[str, bytes]  # the source included
    compile: str
    run: str


def load_recipe(images_dir: Path, language_id: str) -> Recipe | None:
    """The `[function]` table of a language, or None when it has no harness."""
    if language_id not in GENERATORS:
        return None
    try:
        data = tomllib.loads((images_dir / language_id / "language.toml").read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    table = data.get("function")
    if not isinstance(table, dict):
        return None
    try:
        return Recipe(str(table["source"]), str(table.get("compile", "")), str(table["run"]))
    except KeyError:
        return None


@functools.cache
def function_test_languages(images_dir: Path) -> frozenset[str]:
    """The languages with a function-test harness (GET /languages says which)."""
    return frozenset(i for i in GENERATORS if load_recipe(images_dir, i) is not None)


def generator(language_id: str) -> Callable[[str, FunctionJob, int], dict[str, str]]:
    module = importlib.import_module(f"{__package__}.lang_{GENERATORS[language_id]}")
    if language_id == "typescript":
        return module.typescript_files  # type: ignore[no-any-return]
    return module.files  # type: ignore[no-any-return]


def harness(
    images_dir: Path, language_id: str, code: str, job: FunctionJob, *, max_prints: int
) -> Harness:
    recipe = load_recipe(images_dir, language_id)
    if recipe is None:
        supported = sorted(i for i in GENERATORS if load_recipe(images_dir, i))
        raise UnsupportedLanguage(
            f"function tests are not available for {language_id!r}; "
            f"available: {', '.join(supported)}",
            details={"languages": supported},
        )
    texts = generator(language_id)(code, job, max_prints)
    assert recipe.source in texts, f"{language_id}: the generator wrote no {recipe.source}"
    return Harness(
        recipe.source,
        {name: text.encode("utf-8") for name, text in texts.items()},
        recipe.compile,
        recipe.run,
    )
