"""Comments and docstrings say what the code does and why, not when it was added:
no issue numbers, no "seed 002", no waves. (Issue numbers belong in commit messages.)"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
TREES = ("coderunner", "logserver", "plumbing", "images", "tests", "bench", "docs")
SUFFIXES = {
    ".py",
    ".sh",
    ".c",
    ".toml",
    ".md",
    ".js",
    ".java",
    ".rb",
    ".go",
    ".rs",
    ".cs",
    ".kt",
    ".ts",
    ".hs",
    ".ml",
    ".scala",
    ".groovy",
}
HISTORY = re.compile(
    r"\bissue ?#?\d+|\bissue #|\bseed (?:\d{3}|design)|\bseed's\b|\bstop 1x\b|"
    r"\b(?:first|second|third|this|next) wave\b",
    re.IGNORECASE,
)


def test_no_history_words_in_the_tree() -> None:
    me = Path(__file__).resolve()
    found = []
    for tree in TREES:
        for path in sorted((REPO / tree).rglob("*")):
            if path.suffix not in SUFFIXES or path == me or "sanitizer_corpus" in path.parts:
                continue
            if not path.is_file():
                continue
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                if HISTORY.search(line):
                    found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()[:100]}")
    assert not found, "\n".join(found)
