"""The unit-test line protocol (SPEC section 9): harness stdout text -> tests.

Codewars' framework protocol, as the harnesses in images/common/harness write it:

    <DESCRIBE::>name     opens a group           <IT::>name         opens a test
    <PASSED::>message    an assertion passed     <FAILED::>message  an assertion failed
    <ERROR::>message     an exception            <COMPLETEDIN::>ms  closes the innermost block
    <OUTPUT::>text          what the program printed (ours: Codewars mixes prints into stdout)
    <END::>                 the harness reached the end of the suite (ours)

One line each, newlines inside escaped as `<:LF:>`; lines are split on "\\n" only.
The harness writes its lines to the run's real stdout and the program's prints
travel only inside <OUTPUT::>, so a print can never start a protocol line.  The
parser is total: any text gives an answer, never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_LINE = re.compile(r"^<([A-Z]+):[A-Z]*:[^>]*>(.*)$", re.DOTALL)
MAX_TESTS = 10_000
MAX_MESSAGE_CHARS = 16_384
MAX_OUTPUT_CHARS = 16_384


def unescape(text: str) -> str:
    return text.replace("<:LF:>", "\n")


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "\n[truncated]"


@dataclass
class Assertion:
    passed: bool
    message: str

    def public(self) -> dict[str, Any]:
        return {"passed": self.passed, "message": self.message}


@dataclass
class UnitTest:
    path: list[str]
    name: str
    assertions: list[Assertion] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    output: str = ""
    time_ms: float | None = None  # None: never completed
    implicit: bool = False  # assertions outside any it(): a test of their own

    @property
    def completed(self) -> bool:
        return self.time_ms is not None

    @property
    def status(self) -> str:
        if self.errors or not self.completed:
            return "error"
        if any(not a.passed for a in self.assertions):
            return "fail"
        return "pass"

    def public(self) -> dict[str, Any]:
        assertions = [a.public() for a in self.assertions]
        # An exception is reported among the assertions too, as the message the
        # client shows next to the test.
        assertions += [{"passed": False, "message": e} for e in self.errors]
        return {
            "path": list(self.path),
            "name": self.name,
            "status": self.status,
            "timeMs": round(self.time_ms, 2) if self.time_ms is not None else None,
            "assertions": assertions,
            "output": self.output,
        }


@dataclass
class Parsed:
    tests: list[UnitTest] = field(default_factory=list)
    stdout: str = ""  # printed outside any test
    ended: bool = False  # the harness wrote <END::>
    unknown_lines: int = 0


def parse(text: str) -> Parsed:
    """The tests of a (possibly cut-off) protocol text, in order."""
    out = Parsed()
    groups: list[str] = []  # open DESCRIBEs
    current: UnitTest | None = None  # the open IT (or implicit test)
    stdout: list[str] = []

    def close_implicit() -> None:
        nonlocal current
        if current is not None and current.implicit:
            current.time_ms = current.time_ms or 0.0
            current = None

    def target() -> UnitTest | None:
        # Assertions and errors outside any it() form a test of their own (old
        # Codewars style: test.assert_equals at the top level).
        nonlocal current
        if current is None:
            if len(out.tests) >= MAX_TESTS:
                return None
            current = UnitTest(path=list(groups), name="(outside a test)", implicit=True)
            out.tests.append(current)
        return current

    for raw in text.split("\n"):
        if not raw:
            continue
        m = _LINE.match(raw)
        if m is None:
            out.unknown_lines += 1
            continue
        tag, value = m.group(1), unescape(m.group(2))
        if out.ended:  # nothing after the end counts
            out.unknown_lines += 1
            continue
        if tag == "DESCRIBE":
            close_implicit()
            if current is not None:  # a group inside an open test: the test never completed
                current = None
            groups.append(value)
        elif tag == "IT":
            close_implicit()
            current = None  # an open test left for another never completed
            if len(out.tests) < MAX_TESTS:
                current = UnitTest(path=list(groups), name=value)
                out.tests.append(current)
        elif tag in ("PASSED", "FAILED"):
            test = target()
            if test is not None and len(test.assertions) < 1000:
                test.assertions.append(Assertion(tag == "PASSED", _cap(value, MAX_MESSAGE_CHARS)))
        elif tag == "ERROR":
            test = target()
            if test is not None and len(test.errors) < 100:
                test.errors.append(_cap(value, MAX_MESSAGE_CHARS))
        elif tag == "OUTPUT":
            if current is not None and not current.implicit:
                current.output = _cap(current.output + value, MAX_OUTPUT_CHARS)
            else:
                stdout.append(value)
        elif tag == "COMPLETEDIN":
            try:
                ms = max(0.0, float(value))
            except ValueError:
                ms = 0.0
            if ms != ms or ms == float("inf"):  # NaN, inf
                ms = 0.0
            if current is not None and not current.implicit:
                current.time_ms = ms
                current = None
            else:
                close_implicit()
                if groups:
                    groups.pop()
        elif tag == "END":
            close_implicit()
            out.ended = True
        else:
            out.unknown_lines += 1
    out.stdout = _cap("".join(stdout), MAX_OUTPUT_CHARS)
    return out


def completed_tests(text: str) -> list[UnitTest]:
    """The tests that finished in a protocol text read so far (live events):
    only a test whose <COMPLETEDIN::> arrived is final."""
    return [t for t in parse(text).tests if t.completed and not t.implicit]
