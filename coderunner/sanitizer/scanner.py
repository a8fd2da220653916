"""The scan: every rule of the language, then its passes, findings merged per line.
Findings never stop anything by themselves: policy.py decides what they mean."""

from __future__ import annotations

from pathlib import Path

from .model import Source, Violation
from .rules import RuleSet, load_rules


class Sanitizer:
    # Code hidden in strings (exec('…')) is scanned in turn: at most this many times
    # per submission, whatever the nesting, so folded strings cannot multiply the work.
    MAX_RESCANS = 64

    def __init__(self, rulesets: dict[str, RuleSet]) -> None:
        self._rulesets = rulesets

    @classmethod
    def from_images(cls, images_dir: Path) -> Sanitizer:
        """Every `images/<lang>/rules.toml` (rules.py: load_rules)."""
        return cls(load_rules(images_dir))

    def languages(self) -> set[str]:
        return set(self._rulesets)

    def scan(self, code: str, language: str) -> list[Violation]:
        """Findings sorted by line (worst first within a line); [] without rules."""
        ruleset = self._rulesets.get(language)
        return [] if ruleset is None else self._scan(code, ruleset, [self.MAX_RESCANS])

    def _scan(self, code: str, ruleset: RuleSet, budget: list[int]) -> list[Violation]:
        src = Source(code)
        found: dict[tuple[int, str], Violation] = {}
        for rule in ruleset.rules:
            for offset in rule.offsets(src):
                line = src.line_of(offset)
                if (line, rule.comment) not in found:
                    found[line, rule.comment] = Violation(
                        line, rule.level, src.line_text(line), rule.comment
                    )

        def rescan(inner: str) -> list[Violation]:
            budget[0] -= 1  # shared by every level of nesting
            return self._scan(inner, ruleset, budget) if budget[0] >= 0 else []

        for run_pass in ruleset.passes:
            for v in run_pass(src, rescan):
                key = (v.line, v.comment)
                if key not in found or found[key].dangerLevel < v.dangerLevel:
                    found[key] = v
        return sorted(found.values(), key=lambda v: (v.line, -v.dangerLevel, v.comment))
