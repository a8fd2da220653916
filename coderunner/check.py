"""`coderunner check`: everything `serve` loads, validated without starting anything.

Each problem is one line naming the file and the key, so that an operator (or CI)
sees all of them at once; `serve` and `worker` run the same language checks before
they start, so a broken language file never surfaces as a traceback.

Checked: the settings (pydantic, done by `load_settings` before this module runs),
every `images/<id>/language.toml` (keys, types, recipes, `[[packages]]`), the files a
language needs beside it (its sanitizer rules and its self-test program), and every
`rules.toml` with the shared sets in `images/common/rules/` it extends (the sanitizer
is built exactly as `serve` builds it).
The log server's sections of the shared file are its own: `logserver check`.
"""

from __future__ import annotations

from pathlib import Path

from .config import ConfigError, Settings
from .languages import LanguageError, load_language


def language_problems(settings: Settings) -> list[str]:
    """Problems of the language folders under `docker.images_dir` (cheap: no regex
    is compiled), one line each."""
    images = Path(settings.docker.images_dir)
    if not images.is_dir():
        return [f"docker.images_dir: {images} is not a directory"]
    from .functions.codegen import GENERATORS

    found: list[str] = []
    for folder in sorted(p for p in images.iterdir() if p.is_dir()):
        spec, rules = folder / "language.toml", folder / "rules.toml"
        if not spec.is_file():
            if rules.is_file():
                found.append(f"{rules}: no language.toml beside it (a language's folder has both)")
            continue
        try:
            language = load_language(folder, settings.docker.image_prefix)
        except LanguageError as exc:
            found.extend(str(exc).splitlines())
            continue
        if not rules.is_file():
            # Without one the sanitizer would pass every program of this language silently.
            found.append(
                f'{rules}: missing (the language\'s sanitizer rules; at least extends = ["_base"])'
            )
        selftest = folder / f"selftest.{language.extension}"
        if not selftest.is_file():
            found.append(f"{selftest}: missing (the program the self-test runs at start)")
        if "function" in language.recipes and language.id not in GENERATORS:
            found.append(
                f"{spec}: key 'function': no harness generator for {language.id!r} "
                "in coderunner/functions (drop the table or add a generator)"
            )
    return found


def rules_problems(settings: Settings) -> list[str]:
    """The first problem of the sanitizer's rules (they are loaded as a whole, since
    a language's set extends shared ones), or none."""
    from .sanitizer import Sanitizer

    try:
        Sanitizer.from_images(settings.docker.images_dir)
    except ConfigError as exc:  # RulesError
        return [str(exc)]
    return []


def problems(settings: Settings) -> list[str]:
    """Everything `check` reports beyond the settings themselves, one line each."""
    return language_problems(settings) + rules_problems(settings)
