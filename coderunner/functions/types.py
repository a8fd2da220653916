"""The type language of function tests (SPEC §10) and the JSON values that belong to it.

A type is a scalar (`int` 32-bit, `long` 64-bit, `double`, `bool`, `string`) with
0, 1 or 2 array dimensions (`int[]`, `string[][]`). Values are JSON values; `check`
says in words why one does not fit, so that admission can name the case and the
parameter, and the server can check what a harness reported just the same way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

SCALARS = ("int", "long", "double", "bool", "string")
_TYPE = re.compile(r"^(int|long|double|bool|string)((?:\[\]){0,2})$")
INT_RANGE = (-(2**31), 2**31 - 1)
LONG_RANGE = (-(2**63), 2**63 - 1)
# What a double the harness could not put into JSON looks like in an answer
# (JSON has no NaN or infinities); harnesses write NaN/Infinity/-Infinity, which
# the record parser reads, and the answer carries these strings.
NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


@dataclass(frozen=True)
class Type:
    scalar: str  # one of SCALARS
    dims: int  # 0, 1 or 2

    @property
    def element(self) -> Type:
        return Type(self.scalar, self.dims - 1)

    def __str__(self) -> str:
        return self.scalar + "[]" * self.dims


def parse_type(text: str) -> Type:
    """`int[][]` -> Type("int", 2); ValueError naming the valid forms otherwise."""
    match = _TYPE.match(text)
    if not match:
        raise ValueError(
            f"unknown type {text!r}; valid: int, long, double, bool, string, "
            "each optionally followed by [] or [][]"
        )
    return Type(match.group(1), len(match.group(2)) // 2)


def describe(value: Any) -> str:
    """A JSON value, named for an error message (short)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return f"the integer {value}" if abs(value) < 10**30 else "a huge integer"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def check(value: Any, typ: Type, *, reported: bool = False) -> str | None:
    """None when `value` (parsed JSON) is a `typ`, else why not. `reported`: the
    value comes from a harness, where a double may also be NaN or an infinity."""
    if typ.dims:
        if not isinstance(value, list):
            return f"expected {typ}, got {describe(value)}"
        for i, item in enumerate(value):
            problem = check(item, typ.element, reported=reported)
            if problem is not None:
                return f"[{i}]: {problem}"
        return None
    scalar = typ.scalar
    if scalar in ("int", "long"):
        low, high = INT_RANGE if scalar == "int" else LONG_RANGE
        if isinstance(value, bool) or not isinstance(value, int):
            return f"expected {scalar}, got {describe(value)}"
        if not low <= value <= high:
            return f"{value} is out of the range of {scalar} ({low}..{high})"
        return None
    if scalar == "double":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"expected double, got {describe(value)}"
        if isinstance(value, int):
            try:
                float(value)
            except OverflowError:
                return "the integer is too large for a double"
        elif not math.isfinite(value) and not reported:
            return "a double must be finite"
        return None
    if scalar == "bool":
        return None if isinstance(value, bool) else f"expected bool, got {describe(value)}"
    if not isinstance(value, str):
        return f"expected string, got {describe(value)}"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "the string is not valid Unicode (a lone surrogate)"
    return None


def normalize(value: Any, typ: Type) -> Any:
    """A checked value in its canonical Python form: doubles as floats (so that
    `2` and `2.0` compare equal as doubles), the rest unchanged."""
    if typ.dims:
        return [normalize(item, typ.element) for item in value]
    if typ.scalar == "double":
        return float(value)
    return value


def to_json(value: Any) -> Any:
    """A value for a JSON answer: non-finite doubles become "NaN"/"Infinity"/"-Infinity"."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, list):
        return [to_json(item) for item in value]
    return value


def flatten(value: Any, typ: Type) -> tuple[list[Any], list[int]]:
    """A 1-D or 2-D array as its scalars in order and (2-D) each row's length: how
    the generators write large arrays as static data instead of nested literals."""
    if typ.dims == 1:
        return list(value), []
    return [x for row in value for x in row], [len(row) for row in value]


def weight(value: Any, typ: Type) -> int:
    """Rough size of a value as source text, in scalars (long strings count more)."""
    if not typ.dims:
        return 1 + (len(value) // 16 if typ.scalar == "string" else 0)
    return 1 + sum(weight(v, typ.element) for v in value)
