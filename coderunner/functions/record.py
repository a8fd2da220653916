"""The harness's result record on the run's stdout, and its parser (pure).

Every harness ends its run by writing, on the real stdout (fd 1):

    <value or error text><the function's prints>\\x02CRFN1 <kind> <vlen> <olen> <trunc> <us>\\n

`kind` is `ok` (the value, as JSON) or `err` (the exception text, UTF-8); `vlen` and
`olen` are the byte lengths of the two parts before the trailer, `trunc` is 1 when
the harness cut the captured prints, `us` the function call's own duration in
microseconds. The prints travel as raw bytes, counted, never escaped: nothing a
function prints can end or fake the parts of the record that precede it.

A program shares its process with its harness and can write a forged record of its
own (after the harness's, say from an exit handler): the parser takes the last one.
That forges nothing the function could not have returned, because the expected
values never enter the container; and the server checks every reported value
against the declared return type itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MARKER = b"\x02CRFN1 "


@dataclass(frozen=True)
class Record:
    ok: bool
    value: Any  # the parsed JSON value when ok
    error: str  # the exception text when not ok; why the value is unreadable otherwise
    prints: bytes  # what the function printed (the harness's capture)
    prints_truncated: bool
    elapsed_us: int
    before: bytes  # stdout outside the capture, before the record (and after it)
    after: bytes


def parse(stdout: bytes) -> Record | None:
    """The last record in a run's stdout, or None when there is none (the process
    died, exited or was killed before the harness wrote it)."""
    at = stdout.rfind(MARKER)
    if at < 0:
        return None
    end = stdout.find(b"\n", at)
    if end < 0:
        return None
    fields = stdout[at + len(MARKER) : end].split(b" ")
    if len(fields) != 5 or fields[0] not in (b"ok", b"err"):
        return None
    try:
        vlen, olen, trunc, elapsed = (int(f) for f in fields[1:])
    except ValueError:
        return None
    start = at - olen - vlen
    if vlen < 0 or olen < 0 or start < 0:
        return None
    payload = stdout[start : start + vlen]
    prints = stdout[start + vlen : at]
    ok = fields[0] == b"ok"
    value: Any = None
    error = ""
    if ok:
        try:
            # json accepts NaN/Infinity/-Infinity, which harnesses write for
            # non-finite doubles (JSON has no spelling for them).
            value = json.loads(payload.decode("utf-8", errors="replace"))
        except ValueError:
            ok, error = False, "the harness could not encode the returned value"
    else:
        error = payload.decode("utf-8", errors="replace")
    return Record(
        ok, value, error, prints, trunc == 1, max(elapsed, 0), stdout[:start], stdout[end + 1 :]
    )
