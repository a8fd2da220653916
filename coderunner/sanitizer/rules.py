"""Rules are data: `images/<lang>/rules.toml` beside each language, plus shared sets
in `images/common/rules/_<name>.toml` that a language extends. A rule is a regular
expression with a danger level and a comment; a `[[pass]]` selects a generic pass
from the registry (passes.py).

Speed: each rule gets, at load, the literal strings one of which every match must
contain (literals.py); a rule whose literals are absent from the code is not run at
all, so clean code costs a few substring searches per rule.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .literals import leading_literals, required_literals
from .model import LEVELS, RulesError, Source
from .passes import PassFn, build_pass

_RULE_KEYS = {"id", "level", "pattern", "comment", "ignore_case"}
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class Rule:
    id: str
    level: int
    comment: str
    regex: re.Pattern[str]
    # Every match contains a member of each tuple; None: nothing known, always run.
    needles: tuple[tuple[str, ...], ...] | None
    ignore_case: bool
    # Every match starts with one of these (after \\b, ^ or lookbehind): then the regex
    # is tried only where they occur, since re cannot search fast for such a start.
    starts: tuple[str, ...] | None = None

    def offsets(self, src: Source) -> list[int]:
        if self.needles is not None:
            haystack = src.lower if self.ignore_case else src.text
            # Case folding beyond ASCII is not a substring test: then run the regex.
            if haystack is not None and not all(
                any(n in haystack for n in needles) for needles in self.needles
            ):
                return []
        found = []
        for match in self._matches(src):
            start = match.start()
            while start < match.end() - 1 and src.text[start].isspace():
                start += 1  # report where the code starts, not the whitespace before it
            found.append(start)
        return found

    def _matches(self, src: Source) -> Iterator[re.Match[str]]:
        haystack = src.lower if self.ignore_case else src.text
        if self.starts is None or haystack is None:
            yield from self.regex.finditer(src.text)
            return
        positions: set[int] = set()
        for literal in self.starts:
            at = haystack.find(literal)
            while at >= 0:
                positions.add(at)
                at = haystack.find(literal, at + 1)
        for at in sorted(positions):
            # match(text, pos) still sees the text before pos (\\b, lookbehind, ^).
            match = self.regex.match(src.text, at)
            if match is not None:
                yield match


@dataclass(frozen=True)
class RuleSet:
    language: str
    rules: tuple[Rule, ...]
    passes: tuple[PassFn, ...]


def load_rules(images_dir: Path) -> dict[str, RuleSet]:
    """Every `images/<lang>/rules.toml`, plus the shared sets in `images/common/rules/`
    (`_base.toml`, `_c_family.toml`, …): those only exist to be extended (`extends =
    ["_base"]`) and are no language of their own."""
    images = Path(images_dir)
    files = {p.parent.name: p for p in sorted(images.glob("*/rules.toml"))}
    for path in sorted(images.glob("common/rules/*.toml")):
        if not path.stem.startswith("_"):
            raise RulesError(f"{path}: a shared rules file is named _<name>.toml")
        files[path.stem] = path
    tables = {lang: _read(path) for lang, path in files.items()}
    return {lang: _build(lang, tables, files, ()) for lang in tables if not lang.startswith("_")}


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RulesError(f"{path}: cannot read rules: {exc}") from exc


def _build(
    lang: str, tables: dict[str, dict[str, Any]], files: dict[str, Path], seen: tuple[str, ...]
) -> RuleSet:
    path, table = files[lang], tables[lang]
    unknown = set(table) - {"extends", "rule", "pass"}
    if unknown:
        raise RulesError(f"{path}: unknown top-level key(s) {sorted(unknown)}")
    extends = table.get("extends", [])
    if not isinstance(extends, list) or not all(isinstance(p, str) for p in extends):
        raise RulesError(f"{path}: key 'extends' must be a list of rule set names")
    for key in ("rule", "pass"):
        if not isinstance(table.get(key, []), list):
            raise RulesError(f"{path}: key {key!r} must be an array of tables ([[{key}]])")
    rules: dict[str, Rule] = {}
    passes: list[PassFn] = []
    # `extends = ["_base", "c"]`: the other sets' rules first, in that order; a rule with
    # the same id later (or here) replaces the inherited one.
    for parent in extends:
        if parent not in tables:
            raise RulesError(f"{path}: extends {parent!r}, which has no rules.toml")
        if parent in seen or parent == lang:
            raise RulesError(f"{path}: extends {parent!r} in a cycle")
        inherited = _build(parent, tables, files, (*seen, lang))
        rules.update((r.id, r) for r in inherited.rules)
        passes.extend(inherited.passes)
    own: set[str] = set()
    for index, entry in enumerate(table.get("rule", [])):
        rule = _rule(entry, f"{path}: rule #{index + 1}")
        if rule.id in own:
            raise RulesError(f"{path}: rule {rule.id!r} is defined twice")
        own.add(rule.id)
        rules[rule.id] = rule
    for index, entry in enumerate(table.get("pass", [])):
        where = f"{path}: pass #{index + 1}"
        passes.append(build_pass(entry, where))
    return RuleSet(lang, tuple(rules.values()), tuple(passes))


def _rule(entry: Any, where: str) -> Rule:
    if not isinstance(entry, dict):
        raise RulesError(f"{where}: must be a table")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise RulesError(f"{where}: 'id' must be a short lower-case name, got {rule_id!r}")
    where = f"{where.rsplit(': ', 1)[0]}: rule {rule_id!r}"
    if set(entry) - _RULE_KEYS:
        raise RulesError(f"{where}: unknown key(s) {sorted(set(entry) - _RULE_KEYS)}")
    level, comment, pattern = entry.get("level"), entry.get("comment"), entry.get("pattern")
    if type(level) is not int or level not in LEVELS:
        raise RulesError(f"{where}: 'level' must be one of {sorted(LEVELS)}, got {level!r}")
    if not isinstance(comment, str) or not comment.strip():
        raise RulesError(f"{where}: 'comment' must be a non-empty string")
    if not isinstance(pattern, str) or not pattern:
        raise RulesError(f"{where}: 'pattern' must be a non-empty string")
    ignore_case = entry.get("ignore_case", False)
    if not isinstance(ignore_case, bool):
        raise RulesError(f"{where}: 'ignore_case' must be true or false")
    try:
        regex = re.compile(pattern, re.MULTILINE | (re.IGNORECASE if ignore_case else 0))
    except re.error as exc:
        raise RulesError(f"{where}: invalid pattern: {exc}") from exc
    if regex.match(""):
        raise RulesError(f"{where}: pattern matches the empty string")
    # Local `(?i)` flags count as case-insensitive too (conservative for the prefilter).
    ignore_case = ignore_case or re.search(r"\(\?[a-zA-Z-]*i", pattern) is not None
    needles, starts = required_literals(regex), leading_literals(regex)
    if ignore_case:
        needles = needles and tuple(tuple(n.lower() for n in group) for group in needles)
        starts = starts and tuple(n.lower() for n in starts)
    return Rule(rule_id, level, comment.strip(), regex, needles, ignore_case, starts)
