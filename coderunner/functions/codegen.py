"""One harness per language, generated from the signature (SPEC §10).

Each case's arguments are written into the harness as typed literals of the
language (never parsed at run time); the run's stdin is only the case index. The
recipes (the harness's file name, compile, run) are data: the `[function]` table of
`images/<id>/language.toml` (Language.recipes["function"]). The generators are
per-language modules with one function, `files(code, job, max_prints) -> {name: text}`;
what they share (quoting, scalar literals, the cases and their dispatch, the array
writers) is in family.py, each language giving its spelling as data.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import UnsupportedLanguage
from ..languages import Language
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
class Harness:
    source_name: str
    files: dict[str, bytes]  # the source included
    compile: str
    run: str


HarnessWriter = Callable[[str, FunctionJob, int], dict[str, str]]


def generator(language_id: str) -> HarnessWriter:
    module = importlib.import_module(f"{__package__}.lang_{GENERATORS[language_id]}")
    # Imported by name, so untyped to mypy: every lang_* module defines `files` (and
    # lang_javascript `typescript_files`) with exactly this signature.
    files: HarnessWriter = module.typescript_files if language_id == "typescript" else module.files
    return files


def harness(language: Language, code: str, job: FunctionJob, *, max_prints: int) -> Harness:
    recipe = language.recipes.get("function")
    if recipe is None or language.id not in GENERATORS or "source" not in recipe:
        raise UnsupportedLanguage(
            f"function tests are not available for {language.id!r}; the languages with a "
            'harness say "functionTest": true in GET /languages',
            details={"languages": sorted(GENERATORS)},
        )
    texts = generator(language.id)(code, job, max_prints)
    source = recipe["source"]
    assert source in texts, f"{language.id}: the generator wrote no {source}"
    return Harness(
        source,
        {name: text.encode("utf-8") for name, text in texts.items()},
        recipe.get("compile", ""),
        recipe["run"],
    )
