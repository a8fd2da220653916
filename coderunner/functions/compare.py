"""The server's comparison of a returned value with the expected one (pure).

Both values have been checked against the declared return type and normalized
(doubles are floats), so Python's `==` is type-exact here: a bool never meets an
int, and `2` as a double is `2.0`.
"""

from __future__ import annotations

import json
import math
from typing import Any


def equal(actual: Any, expected: Any, *, mode: str = "exact", tolerance: float = 1e-6) -> bool:
    if mode == "unordered" and isinstance(actual, list) and isinstance(expected, list):
        # Multisets at the top level: order inside the elements still counts.
        return len(actual) == len(expected) and sorted(map(_key, actual)) == sorted(
            map(_key, expected)
        )
    if mode == "float":
        return _close(actual, expected, tolerance)
    return _exact(actual, expected)


def _exact(actual: Any, expected: Any) -> bool:
    if isinstance(actual, float) and isinstance(expected, float):
        # NaN is never expected (JSON has none) but may be returned: never equal.
        return actual == expected
    if isinstance(actual, list) and isinstance(expected, list):
        return len(actual) == len(expected) and all(map(_exact, actual, expected))
    return type(actual) is type(expected) and actual == expected


def _close(actual: Any, expected: Any, tolerance: float) -> bool:
    if isinstance(actual, list) and isinstance(expected, list):
        return len(actual) == len(expected) and all(
            _close(a, e, tolerance) for a, e in zip(actual, expected, strict=True)
        )
    if isinstance(actual, float) and isinstance(expected, float):
        if not math.isfinite(actual):
            return actual == expected
        diff = abs(actual - expected)
        # Absolute or relative: 1e-6 accepts 1e-7 vs 0 and 1000000.5 vs 1000000.
        return diff <= tolerance or diff <= tolerance * abs(expected)
    return _exact(actual, expected)


def _key(value: Any) -> str:
    # A total order for any JSON value: its canonical text (floats keep their repr,
    # so 1.0 and 1 as doubles are both 1.0 after normalization).
    return json.dumps(value, sort_keys=True, allow_nan=True)
