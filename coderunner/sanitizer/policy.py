"""Sanitizer policy: what to check for a submission and what its findings mean.

The scan only finds; the policy decides. Every kind is scanned the same way: the
code the kind names (`Kind.code`) under its language's rules. Findings at or above
`sanitizer.broadcast_level` are mailed to every admin; at or above
`sanitizer.reject_level` the request is refused (422 rejected_by_sanitizer) before
a container is spent on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..config import SanitizerSettings
from ..errors import RejectedBySanitizer
from .model import Violation
from .scanner import Sanitizer

MAX_LOGGED = 50  # findings carried by the warning event (the 422 carries them all)


@dataclass(frozen=True)
class Review:
    """The findings on one submission and what the policy does with them."""

    language: str
    violations: tuple[Violation, ...]
    broadcast: bool  # mail every admin
    reject: bool  # refuse the request

    @property
    def worst(self) -> int:
        return max(v.dangerLevel for v in self.violations)

    @property
    def message(self) -> str:
        return f"sanitizer: {len(self.violations)} finding(s), worst level {self.worst}"

    def details(self) -> dict[str, Any]:
        """The warning event's details (the address is the caller's to add)."""
        found = [v.to_dict() for v in self.violations[:MAX_LOGGED]]
        return {"language": self.language, "violations": found}

    def error(self) -> RejectedBySanitizer:
        return RejectedBySanitizer(
            f"the code was rejected: {len(self.violations)} finding(s) at danger level up "
            f"to {self.worst}",
            details={"violations": [v.to_dict() for v in self.violations]},
        )


@dataclass(frozen=True)
class SanitizerPolicy:
    scanner: Sanitizer
    broadcast_level: int = 3  # 0 notice .. 3 critical; 4 = never
    reject_level: int = 4

    @classmethod
    def from_settings(cls, scanner: Sanitizer, settings: SanitizerSettings) -> SanitizerPolicy:
        return cls(scanner, settings.broadcast_level, settings.reject_level)

    def review(self, code: str, language: str) -> Review | None:
        """None when nothing was found (or the language has no rules)."""
        violations = self.scanner.scan(code, language)
        if not violations:
            return None
        worst = max(v.dangerLevel for v in violations)
        return Review(
            language,
            tuple(violations),
            broadcast=worst >= self.broadcast_level,
            reject=worst >= self.reject_level,
        )
