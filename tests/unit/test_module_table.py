"""The README's module table against the tree, so that the table cannot drift.

Every Python module of `coderunner/`, `logserver/` and `plumbing/` has exactly one row
(a package's row, `pkg/`, stands for its `__init__.py`), every row names a path that
exists, and a subpackage's modules come after the subpackage's own row. Bold rows are
the layer headings; any other row must name exactly one path in backticks.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import REPO

PACKAGES = ("coderunner", "logserver", "plumbing")
HEADER = "| module | what it holds |"
_PATH = re.compile(r"`([^`\s]+)`")


def table_rows(readme: str) -> list[tuple[str, str]]:
    """(first cell, second cell) of each body row of the module table."""
    lines = readme.splitlines()
    try:
        start = lines.index(HEADER)
    except ValueError:
        raise AssertionError(f"README.md has no table headed {HEADER!r}") from None
    rows = []
    for line in lines[start + 2 :]:  # past the header and its |---|---| line
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 2, f"module table row without two cells: {line}"
        rows.append((cells[0], cells[1]))
    return rows


def listed_paths(rows: list[tuple[str, str]]) -> list[str]:
    """The path of each row, in order; a layer heading (bold) names none."""
    paths = []
    for first, what in rows:
        if first.startswith("**") and first.endswith("**"):
            continue
        match = _PATH.fullmatch(first)
        assert match, f"a module row names exactly one path in backticks: {first!r}"
        assert what, f"{first} says nothing about what it holds"
        paths.append(match.group(1))
    return paths


def tree_entries(root: Path) -> set[str]:
    """Each Python module of the packages, as the table names it."""
    found = set()
    for package in PACKAGES:
        for path in (root / package).rglob("*.py"):
            if "__pycache__" in path.parts:
                continue
            relative = path.relative_to(root)
            if path.name == "__init__.py":
                found.add(f"{relative.parent.as_posix()}/")
            else:
                found.add(relative.as_posix())
    return found


def drift(paths: list[str], root: Path) -> list[str]:
    """Everything wrong between the listed paths and the tree under `root`."""
    problems = []
    seen: set[str] = set()
    for path in paths:
        if path in seen:
            problems.append(f"listed twice: {path}")
        seen.add(path)
    modules = tree_entries(root)
    for path in sorted(modules - seen):
        problems.append(f"in the tree, missing from the table: {path}")
    for path in paths:
        in_packages = path.split("/", 1)[0] in PACKAGES
        if in_packages and path not in modules:
            problems.append(f"in the table, not a module of the tree: {path}")
        elif not in_packages and not (root / path).exists():
            problems.append(f"in the table, does not exist: {path}")
    # A subpackage's modules follow its own row (top-level packages hold the layers).
    position = {path: index for index, path in enumerate(paths)}
    for path in paths:
        parent = path.rstrip("/").rsplit("/", 1)[0] + "/"
        if parent.count("/") > 1 and parent in position and position[parent] > position[path]:
            problems.append(f"{path} comes before its package's row {parent}")
    return problems


def test_the_readme_module_table_matches_the_tree() -> None:
    rows = table_rows((REPO / "README.md").read_text())
    problems = drift(listed_paths(rows), REPO)
    assert not problems, "README.md's module table:\n" + "\n".join(problems)


def _tree(root: Path, *files: str) -> None:
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("")


def test_drift_names_a_missing_row_a_stale_row_and_a_duplicate(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        "coderunner/__init__.py",
        "coderunner/app.py",
        "coderunner/new.py",
        "coderunner/runner/__init__.py",
        "coderunner/runner/core.py",
        "logserver/__init__.py",
        "plumbing/__init__.py",
        "docker-handler.sh",
    )
    listed = [
        "coderunner/",
        "coderunner/app.py",
        "coderunner/runner/core.py",  # before its package's row
        "coderunner/runner/",
        "coderunner/runner.py",  # moved into the package
        "logserver/",
        "plumbing/",
        "plumbing/",
        "docker-handler.sh",
        "images/",  # not in this tree
    ]
    assert drift(listed, tmp_path) == [
        "listed twice: plumbing/",
        "in the tree, missing from the table: coderunner/new.py",
        "in the table, not a module of the tree: coderunner/runner.py",
        "in the table, does not exist: images/",
        "coderunner/runner/core.py comes before its package's row coderunner/runner/",
    ]
    fixed = [p for p in listed if p not in ("coderunner/runner.py", "images/")]
    fixed = [*dict.fromkeys(fixed)]
    fixed.remove("coderunner/runner/core.py")
    assert drift([*fixed, "coderunner/runner/core.py", "coderunner/new.py"], tmp_path) == []


def test_the_table_parser_refuses_rows_it_cannot_check() -> None:
    readme = f"intro\n\n{HEADER}\n|---|---|\n| **edge** | |\n| `a.py` | holds a |\n\nafter\n"
    assert listed_paths(table_rows(readme)) == ["a.py"]
    with pytest.raises(AssertionError, match="exactly one path"):
        listed_paths(table_rows(readme.replace("| `a.py` |", "| `a.py`, `b.py` |")))
    with pytest.raises(AssertionError, match="says nothing"):
        listed_paths(table_rows(readme.replace("holds a", "")))
    with pytest.raises(AssertionError, match="no table headed"):
        table_rows("no table here\n")
