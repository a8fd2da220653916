"""What the harness generators share (SPEC §10): the writers, with each language's
spelling as data.

As DMOJ's executors put what a family of languages has in common in one base and
leave each language its names, a generator (lang_<id>.py) says how its language
spells a string, a scalar, a declaration and a case, and these writers do the rest:
the literal of every scalar type, one declaration per argument, one case (or one
method and a dispatch line) per test case, the value writers of the array types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .request import FunctionJob
from .types import SCALARS, Type

INT_MIN = -(2**31)
LONG_MIN = -(2**63)


def quote(codes: Iterable[int], specials: str, escape: Callable[[int], str]) -> str:
    """The inside of a double-quoted literal: the characters (or bytes) in `specials`
    behind a backslash, printable ASCII as itself, anything else as `escape` says."""
    out = []
    for code in codes:
        ch = chr(code)
        if ch in specials:
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        else:
            out.append(escape(code))
    return "".join(out)


def utf16(code: int) -> str:
    """`\\uXXXX` per UTF-16 unit (C#, Java, Kotlin: their strings are UTF-16)."""
    units = chr(code).encode("utf-16-be")
    return "".join(
        f"\\u{int.from_bytes(units[k : k + 2], 'big'):04x}" for k in range(0, len(units), 2)
    )


def braced(code: int) -> str:
    """`\\u{hex}`, one escape per code point (Rust, Ruby)."""
    return f"\\u{{{code:x}}}"


@dataclass(frozen=True)
class Scalars:
    """How a language writes a literal of each scalar type."""

    string: Callable[[str], str]
    # The smallest int and long where "-2147483648" is not a literal of the type
    # (a minus applied to a number one too large).
    int_min: str | None = None
    long_min: str | None = None
    int_suffix: str = ""
    long_suffix: str = ""
    double: str = "{}"  # around repr(float)

    def literal(self, value: Any, scalar: str) -> str:
        if scalar == "int":
            if self.int_min and value == INT_MIN:
                return self.int_min
            return f"{value}{self.int_suffix}"
        if scalar == "long":
            if self.long_min and value == LONG_MIN:
                return self.long_min
            return f"{value}{self.long_suffix}"
        if scalar == "double":
            return self.double.format(repr(float(value)))
        if scalar == "bool":
            return "true" if value else "false"
        return self.string(value)


@dataclass(frozen=True)
class Cases:
    """How a language writes the cases of one harness and the function that picks
    one by its index: templates for str.format.

    `let` declares one argument (k, type, value); `case` is one case's code (i, lets,
    call, name, returns, and what `write` is given besides). Where each case is a
    method of its own (the JVM's 64 KB per method), `dispatch` is the line that
    calls it (i). The picking function is `head`, the dispatch lines (or the cases
    themselves), `tail`."""

    let: str
    case: str
    head: str
    tail: str
    type_name: Callable[[Type], str]
    literal: Callable[[Any, Type], str]
    dispatch: str = ""

    def write(self, job: FunctionJob, **extra: str) -> tuple[str, str]:
        """(the cases' methods, "" where they stand inside it; the picking function)."""
        sig = job.signature
        call = ", ".join(f"a{k}" for k in range(len(sig.params)))
        returns = self.type_name(sig.returns)
        cases, dispatch = [], []
        for i, case in enumerate(job.cases):
            lets = "".join(
                self.let.format(k=k, type=self.type_name(t), value=self.literal(v, t))
                for k, (v, (_, t)) in enumerate(zip(case.args, sig.params, strict=True))
            )
            cases.append(
                self.case.format(i=i, lets=lets, call=call, name=sig.name, returns=returns, **extra)
            )
            dispatch.append(self.dispatch.format(i=i))
        if not self.dispatch:
            return "", self.head + "".join(cases) + self.tail
        return "".join(cases), self.head + "".join(dispatch) + self.tail


def array_writers(template: str, type_name: Callable[[Type], str]) -> str:
    """`template` (str.format with t, the type's name) for every array type of one
    and two dimensions: the harness's value writers, one overload a type."""
    return "".join(
        template.format(t=type_name(Type(scalar, dims))) for scalar in SCALARS for dims in (1, 2)
    )
