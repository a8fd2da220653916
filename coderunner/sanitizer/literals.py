"""Literal text a regular expression needs, found by parsing it: the sanitizer's
prefilter. A rule whose literals are absent from the code is not run at all, and a
pattern that starts with `\\b` or a lookbehind (which `re` cannot search for fast) is
tried only where its first word occurs.

Uses the stdlib's own regex parser (`re._parser`, private): any change there only
costs speed — the functions then answer None and the rule simply always runs.
"""

from __future__ import annotations

import re
from typing import Any


def required_literals(regex: re.Pattern[str]) -> tuple[tuple[str, ...], ...] | None:
    """Sets of literal strings: every match contains a member of each set. None if
    unknown. The few most selective sets are kept (each is a cheap substring test)."""
    try:
        # The stdlib's own regex parser (private, untyped in typeshed; guarded).
        from re import _parser  # type: ignore[attr-defined]

        factors = _factors(list(_parser.parse(regex.pattern, regex.flags)))
    except Exception:  # any change in the private parser only costs speed
        return None
    factors.sort(key=_selectivity, reverse=True)
    return tuple(tuple(sorted(f)) for f in factors[:3]) or None


def leading_literals(regex: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literals one of which starts every match, when the pattern does not simply begin
    with a literal (re already searches those fast). None when unknown or too short."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        items = list(_parser.parse(regex.pattern, regex.flags))
        starts = _starts(items) if items and str(items[0][0]) != "LITERAL" else None
    except Exception:
        return None
    if not starts or min(map(len, starts)) < 2:
        return None
    return tuple(sorted(starts))


def _starts(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    prefixes = frozenset([""])
    for op, arg in items:
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT") and prefixes == {""}:
            continue  # zero-width at the start: the match starts at the next item
        if name == "LITERAL":
            prefixes = frozenset(p + chr(arg) for p in prefixes)
            continue
        inner: list[frozenset[str] | None] = []
        if name == "SUBPATTERN":
            inner = [_starts(list(arg[-1]))]
        elif name == "BRANCH":
            inner = [_starts(list(alt)) for alt in arg[1]]
        groups = [group for group in inner if group]
        if inner and len(groups) == len(inner):
            # What follows the group is not known to be literal: stop after it.
            return frozenset(p + s for p in prefixes for group in groups for s in group)
        break
    return prefixes if "" not in prefixes else None


def _factors(items: list[tuple[Any, Any]]) -> list[frozenset[str]]:
    """For a parsed sequence: sets of literals; each set has a member in every match."""
    out: list[frozenset[str]] = []
    run = ""
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            run += chr(arg)
            continue
        if name == "BRANCH" and run:
            # The parser moves a common prefix out of `(?:dlopen|dlsym)`: join it back.
            leads = [_lead(list(alt)) for alt in arg[1]]
            if all(leads):
                out.append(frozenset(run + lead for lead in leads))
        if run:
            out.append(frozenset([run]))
            run = ""
        if name == "SUBPATTERN":
            out.extend(_factors(list(arg[-1])))
        elif name == "ATOMIC_GROUP":
            out.extend(_factors(list(arg)))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and arg[0] >= 1:
            out.extend(_factors(list(arg[2])))
        elif name == "BRANCH":
            alternatives = [_best(_factors(list(alt))) for alt in arg[1]]
            found = [alternative for alternative in alternatives if alternative]
            if len(found) == len(alternatives):
                out.append(frozenset[str]().union(*found))
    if run:
        out.append(frozenset([run]))
    return out


def _lead(items: list[tuple[Any, Any]]) -> str:
    lead = ""
    for op, arg in items:
        if str(op) != "LITERAL":
            break
        lead += chr(arg)
    return lead


def _selectivity(factor: frozenset[str]) -> tuple[int, int]:
    # The set whose shortest literal is longest (then the smallest set) rules out most.
    return min(map(len, factor)), -len(factor)


def _best(factors: list[frozenset[str]]) -> frozenset[str] | None:
    return max(factors, key=_selectivity, default=None)
