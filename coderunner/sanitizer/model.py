"""The sanitizer's records: a finding (`Violation`), the code as scanned (`Source`),
and the error of a rules file that cannot be used."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import asdict, dataclass
from typing import Any

from ..config import ConfigError

LEVELS = {0: "notice", 1: "suspicious", 2: "dangerous", 3: "critical"}
TEXT_CAP = 200


@dataclass(frozen=True)
class Violation:
    line: int  # 1-based, as the user's editor counts (CRLF, CR and LF end a line)
    dangerLevel: int  # higher is worse: 0 notice .. 3 critical
    text: str  # the offending line, stripped, capped
    comment: str  # what was found

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class RulesError(ConfigError):
    """A rules file that cannot be used; names the file and the rule."""


class Source:
    """Code prepared for scanning: line breaks normalised, lines found lazily."""

    def __init__(self, code: str) -> None:
        if "\r" in code:
            code = code.replace("\r\n", "\n").replace("\r", "\n")
        self.shown = code  # what the user wrote, for the reported line text
        # Identifiers may be written in compatibility characters (Python reads fullwidth
        # `eval` as `eval`): scan the folded text. NFKC never adds or removes a line break.
        self.text = code if code.isascii() else unicodedata.normalize("NFKC", code)
        self.lower = self.text.lower() if self.text.isascii() else None
        self._starts: list[int] | None = None
        self._lines: list[str] | None = None

    def line_of(self, offset: int) -> int:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        return bisect_right(self._starts, offset)

    def line_text(self, line: int) -> str:
        if self._lines is None:
            self._lines = self.shown.split("\n")
        text = self._lines[line - 1].strip() if 0 < line <= len(self._lines) else ""
        return text if len(text) <= TEXT_CAP else text[: TEXT_CAP - 1] + "…"
