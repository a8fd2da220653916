"""The sanitizer's pass registry: a rules file selects a registered pass by kind;
registering, selecting, refusing unknown kinds and bad tables, inheritance, and the
rescan budget. Real rules files in a temporary images/ folder; real scans."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from coderunner.sanitizer import (
    PASSES,
    PassFn,
    RulesError,
    Sanitizer,
    Source,
    Violation,
    build_pass,
    register_pass,
)
from tests.helpers import REPO

runs: list[str] = []  # the texts the `shout` pass ran on, outer first


def write_rules(root: Path, lang: str, text: str) -> Path:
    (root / lang).mkdir(parents=True, exist_ok=True)
    path = root / lang / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def shout_pass() -> Iterator[list[dict[str, Any]]]:
    """A pass `shout`: reports every line written in capitals (level from its table),
    and rescans the text between `<<` and `>>` as code."""
    tables: list[dict[str, Any]] = []
    runs.clear()

    @register_pass("shout")
    def shout(entry: dict[str, Any], where: str) -> PassFn:
        if set(entry) - {"kind", "level"}:
            raise RulesError(f"{where}: unknown key(s) {sorted(set(entry) - {'kind', 'level'})}")
        tables.append(entry)
        level = int(entry.get("level", 1))

        def run(src: Source, rescan: Callable[[str], list[Violation]]) -> list[Violation]:
            runs.append(src.text)
            found = []
            for number, line in enumerate(src.text.split("\n"), 1):
                if line.strip() and line.isupper():
                    found.append(Violation(number, level, src.line_text(number), "shouts"))
                if "<<" in line and ">>" in line:
                    found.extend(rescan(line[line.index("<<") + 2 : line.rindex(">>")]))
            return found

        return run

    try:
        yield tables
    finally:
        del PASSES["shout"]


def test_the_shipped_registry_holds_python_ast() -> None:
    assert "python-ast" in PASSES
    found = Sanitizer.from_images(REPO / "images").scan("__import__('o'+'s')", "python")
    assert any("imports 'os' by name" in v.comment for v in found)


def test_a_registered_pass_is_selected_by_a_rules_file(
    tmp_path: Path, shout_pass: list[dict[str, Any]]
) -> None:
    write_rules(tmp_path, "toy", '[[pass]]\nkind = "shout"\nlevel = 2\n')
    sanitizer = Sanitizer.from_images(tmp_path)
    assert shout_pass == [{"kind": "shout", "level": 2}]  # built once, at load
    found = sanitizer.scan("quiet\nLOUD LINE\n", "toy")
    assert found == [Violation(2, 2, "LOUD LINE", "shouts")]
    assert sanitizer.scan("all quiet\n", "toy") == []
    assert sanitizer.scan("LOUD\n", "other-language") == []


def test_registering_a_kind_twice_is_refused(shout_pass: list[dict[str, Any]]) -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_pass("shout")(lambda entry, where: lambda src, rescan: [])


def test_an_unknown_kind_names_the_file_and_the_known_kinds(tmp_path: Path) -> None:
    path = write_rules(tmp_path, "toy", '[[pass]]\nkind = "nope"\n')
    with pytest.raises(RulesError) as info:
        Sanitizer.from_images(tmp_path)
    assert str(path) in str(info.value) and "pass #1" in str(info.value)
    assert "'nope'" in str(info.value) and "python-ast" in str(info.value)
    for entry in ({}, {"kind": 3}, "python-ast"):
        with pytest.raises(RulesError, match="unknown kind"):
            build_pass(entry, "where")


def test_a_factory_refuses_its_bad_table_naming_the_file(
    tmp_path: Path, shout_pass: list[dict[str, Any]]
) -> None:
    path = write_rules(tmp_path, "toy", '[[pass]]\nkind = "shout"\nloud = true\n')
    with pytest.raises(RulesError, match="unknown key") as info:
        Sanitizer.from_images(tmp_path)
    assert str(path) in str(info.value)
    path = write_rules(tmp_path, "toy", '[[pass]]\nkind = "python-ast"\nnames = []\n')
    with pytest.raises(RulesError, match="'names' must be") as info:
        Sanitizer.from_images(tmp_path)
    assert str(path) in str(info.value)


def test_passes_are_inherited_through_extends(
    tmp_path: Path, shout_pass: list[dict[str, Any]]
) -> None:
    write_rules(tmp_path, "base", '[[pass]]\nkind = "shout"\n')
    write_rules(tmp_path, "child", 'extends = ["base"]\n')
    assert Sanitizer.from_images(tmp_path).scan("HEY\n", "child")[0].comment == "shouts"


def test_rescans_of_hidden_code_are_bounded(
    tmp_path: Path, shout_pass: list[dict[str, Any]]
) -> None:
    write_rules(tmp_path, "toy", '[[pass]]\nkind = "shout"\n')
    sanitizer = Sanitizer.from_images(tmp_path)
    # Hidden code is scanned: line 1 of the inner text shouts.
    assert sanitizer.scan("x = <<LOUD>>\n", "toy") == [Violation(1, 1, "LOUD", "shouts")]
    assert runs == ["x = <<LOUD>>\n", "LOUD"]
    # Nesting deeper than the budget: the outer scan plus MAX_RESCANS, then it stops.
    runs.clear()
    depth = Sanitizer.MAX_RESCANS + 10
    sanitizer.scan("x = " + "<<" * depth + "deep" + ">>" * depth + "\n", "toy")
    assert len(runs) == 1 + Sanitizer.MAX_RESCANS
    # The budget is per submission: the next one gets a whole budget again.
    runs.clear()
    sanitizer.scan("x = <<<<deep>>>>\n", "toy")
    assert len(runs) == 3


def test_modules_import_alone_and_python_ast_only_when_selected(tmp_path: Path) -> None:
    """No import cycle (each module imports first, alone), and a language without the
    pass does not pay for the parser's import."""
    modules = ("pyscan", "pyfold", "literals", "rules", "passes", "scanner", "policy")
    # One interpreter per module, all at once (each is a fresh import).
    procs = {
        module: subprocess.Popen(
            [sys.executable, "-c", f"import coderunner.sanitizer.{module}"], cwd=REPO
        )
        for module in modules
    }
    assert {module: proc.wait(60) for module, proc in procs.items()} == dict.fromkeys(modules, 0)
    write_rules(tmp_path, "toy", '[[rule]]\nid = "x"\nlevel = 1\npattern = "x"\ncomment = "x"\n')
    code = (
        "import sys; from coderunner.sanitizer import Sanitizer; "
        f"Sanitizer.from_images({str(tmp_path)!r}); "
        "print('coderunner.sanitizer.pyscan' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=REPO
    )
    assert out.stdout.strip() == "False"
