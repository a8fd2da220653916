"""The numbers the docs state against the code that has them.

- A documented default next to its key (`` `limits.max_code_lines` = 2000 ``, "(default
  3)", a table row `` | `limits.max_code_bytes` | `65536` | ``) equals the model's.
- The example session config of docs/DESIGN.md is what `limits.plan()` computes for a
  default three-test session of an interpreted language.
- The watchdog's deadline formula in docs/DESIGN.md computes what `limits.deadline_s` does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, SecretStr

from coderunner import limits
from coderunner.config import Settings
from coderunner.runner.sessions import _plan_values
from logserver.config import LogServerSettings

REPO = Path(__file__).resolve().parent.parent.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
TIMES = "\u00d7"  # the docs' multiplication sign

# A whole number (never a prefix of one), then maybe its unit; not an HTTP status
# (`(503 `queue_full`)`).
_NUMBER = r"(-?\d[\d_]*(?:\.\d+)?)(?![\d_.])"
_UNIT = r"(?:\s*(B|bytes|KiB|KB|MiB|MB|GiB|GB|ms|s)\b)?(?!\s*`)"
# What may follow a key before its documented value.
_AFTER_KEY = [
    rf"`\s*=\s*{_NUMBER}{_UNIT}",  # `key` = 12000
    rf"`\s*\((?:default\s+|=\s*|≤\s*)?{_NUMBER}{_UNIT}",  # `key` (3600 s), (default 3)
    rf"`,\s*default\s+{_NUMBER}{_UNIT}",  # `key`, default 10001
    rf"`\s*\|\s*`{_NUMBER}`",  # | `key` | `65536` |
]
_SCALE = {
    "B": 1,
    "bytes": 1,
    "KB": 1000,
    "KiB": 1024,
    "MB": 1_000_000,
    "MiB": 1 << 20,
    "GB": 1_000_000_000,
    "GiB": 1 << 30,
}


def defaults() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for settings in (Settings, LogServerSettings):
        for section, field in settings.model_fields.items():
            model = field.annotation
            if isinstance(model, type) and issubclass(model, BaseModel):
                instance = model()
                for key in type(instance).model_fields:
                    value = getattr(instance, key)
                    found[f"{section}.{key}"] = (
                        value.get_secret_value() if isinstance(value, SecretStr) else value
                    )
    return found


def in_key_units(key: str, number: float, unit: str | None) -> float:
    """A documented figure in the unit the key's name says (…_bytes, …_mb, …_ms, …_s)."""
    if unit is None:
        return number
    if key.endswith("_bytes"):
        return number * _SCALE[unit]
    if key.endswith("_mb") and unit in ("MB", "MiB"):
        return number
    if key.endswith("_ms"):
        return number * 1000 if unit == "s" else number
    if key.endswith("_s"):
        return number / 1000 if unit == "ms" else number
    return number


def documented() -> list[tuple[str, int, str, float, str]]:
    """(file, line, key, value in the key's units, the text) of every documented default."""
    known = defaults()
    found = []
    keys = "|".join(re.escape(k) for k in sorted(known, key=len, reverse=True))
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for pattern in _AFTER_KEY:
            for match in re.finditer(rf"`(\[?(?:{keys}))" + pattern, text):
                key = match.group(1)
                number = float(match.group(2).replace("_", ""))
                unit = match.group(3) if match.lastindex and match.lastindex >= 3 else None
                line = text.count("\n", 0, match.start()) + 1
                found.append(
                    (path.name, line, key, in_key_units(key, number, unit), match.group(0))
                )
    return found


DOCUMENTED = documented()


def test_the_docs_state_many_defaults_next_to_their_keys() -> None:
    # The extraction itself must keep working (a format change would make the test below
    # vacuous).
    assert len(DOCUMENTED) >= 20, DOCUMENTED
    assert {"limits.max_code_bytes", "tasks.retention_s", "limits.unit_time_limit_ms"} <= {
        key for _, _, key, _, _ in DOCUMENTED
    }


@pytest.mark.parametrize(
    ("doc", "line", "key", "value", "text"),
    DOCUMENTED,
    ids=[f"{d}:{n}:{k}" for d, n, k, _, _ in DOCUMENTED],
)
def test_a_documented_default_is_the_models(
    doc: str, line: int, key: str, value: float, text: str
) -> None:
    default = defaults()[key]
    assert value == pytest.approx(float(default), rel=1e-9), (
        f"{doc}:{line} says {text!r}, the model's default of {key} is {default!r}"
    )


def design_table() -> dict[str, str]:
    """The example column of the `config` keys table in docs/DESIGN.md."""
    text = (REPO / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    section = text.split("### `config` keys", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| ([A-Z_ /]+) \| `([^`]*)`(?: / `([^`]*)`)? \|", section, re.MULTILINE)
    table: dict[str, str] = {}
    for names, first, second in rows:
        parts = [n.strip() for n in names.split("/")]
        values = [first, second] if len(parts) == 2 else [first]
        for name, value in zip(parts, values, strict=True):
            table[name] = value
    return table


def test_design_example_session_config_is_what_plan_computes() -> None:
    settings = Settings()
    plan = limits.plan(settings, tests=3, compiles=False)
    table = design_table()
    # The values the handler receives (sessions.py), less the output tmpfs's (not in the
    # table), plus the user it runs the container as.
    handed = _plan_values(plan)
    expected: dict[str, object] = {
        name: value for name, value in handed.items() if not name.startswith("OUTPUT_")
    }
    expected["USER"] = f"{settings.docker.sandbox_uid}:{settings.docker.sandbox_uid}"
    shown = {name: table.get(name) for name in expected}
    assert shown == {name: str(value) for name, value in expected.items()}


def test_design_runsc_formulas_use_the_codes_constants() -> None:
    table = (REPO / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    assert f"runsc: 2 {TIMES} `<M>` + {limits.GVISOR_HEADROOM_MB}" in table
    assert (
        f"runsc: {limits.GVISOR_PIDS_BASE} + {limits.GVISOR_PIDS_EACH} {TIMES} `docker.pids_limit`"
    ) in table
    assert limits.docker_memory_mb(100, "runsc") == 2 * 100 + limits.GVISOR_HEADROOM_MB


def test_design_deadline_formula_computes_what_the_code_does() -> None:
    text = " ".join((REPO / "docs" / "DESIGN.md").read_text(encoding="utf-8").split())
    match = re.search(
        rf"deadline = (\d+) {TIMES} compile limit \+ tests {TIMES} \(wall limit \+ ([\d.]+) s\) "
        r"\+ docker\.deadline_slack_s",
        text,
    )
    assert match, "docs/DESIGN.md no longer states the watchdog's deadline formula"
    factor, per_test = int(match.group(1)), float(match.group(2))
    settings = Settings()
    for tests, wall_ms in ((1, 3000), (3, 5000), (100, 21000)):
        by_docs = (
            factor * settings.limits.compile_time_limit_ms / 1000
            + tests * (wall_ms / 1000 + per_test)
            + settings.docker.deadline_slack_s
        )
        assert limits.deadline_s(settings, tests, wall_ms) == pytest.approx(by_docs)


def test_design_memory_formula_and_security_table_use_the_codes_constants() -> None:
    design = " ".join((REPO / "docs" / "DESIGN.md").read_text(encoding="utf-8").split())
    security = (REPO / "docs" / "SECURITY.md").read_text(encoding="utf-8")
    assert f"+ {limits.SUPERVISOR_MB} MB for the supervisor" in design
    assert f"inodes at {limits.INODE_KB} KiB each" in design
    assert f"twice that plus {limits.GVISOR_HEADROOM_MB} MiB" in security
    assert (
        f"the host limit is {limits.GVISOR_PIDS_BASE} + {limits.GVISOR_PIDS_EACH} per "
        "allowed process"
    ) in security
