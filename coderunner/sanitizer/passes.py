"""The registry of generic passes a rules file may select (`[[pass]] kind = "…"`).

A pass sees what regular expressions cannot (code assembled from strings at run
time). It is built once per rules file from its `[[pass]]` table by a factory
registered here under its kind; the factory checks the table and raises RulesError
naming the file (`where`). A pass gets the prepared source and a `rescan` for code
hidden in strings (exec('…')), and returns its findings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .model import RulesError, Source, Violation

PassFn = Callable[[Source, Callable[[str], list[Violation]]], list[Violation]]
PassFactory = Callable[[dict[str, Any], str], PassFn]

PASSES: dict[str, PassFactory] = {}


def register_pass(kind: str) -> Callable[[PassFactory], PassFactory]:
    """Register a factory under `kind` (a decorator); a kind is registered once."""

    def register(factory: PassFactory) -> PassFactory:
        if kind in PASSES:
            raise ValueError(f"sanitizer pass {kind!r} is already registered")
        PASSES[kind] = factory
        return factory

    return register


def build_pass(entry: object, where: str) -> PassFn:
    """The pass a `[[pass]]` table selects; RulesError for an unknown kind."""
    kind = entry.get("kind") if isinstance(entry, dict) else None
    factory = PASSES.get(kind) if isinstance(kind, str) else None
    if factory is None or not isinstance(entry, dict):
        raise RulesError(f"{where}: unknown kind {kind!r} (known: {sorted(PASSES)})")
    return factory(entry, where)


@register_pass("python-ast")
def _python_ast(entry: dict[str, Any], where: str) -> PassFn:
    from . import pyscan  # only languages that ask for it pay for the import (ast, base64)

    return pyscan.make_pass(entry, where, RulesError)
