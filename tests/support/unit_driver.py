"""Run a unit-test submission in a real container, the way the pipeline does:
the kind's parse -> plan_request() (prepare + the resource plan) -> a staged
session directory (config, input files, testcases) -> docker-handler.sh ->
analyzer.read_output() -> the kind's answer().  No server, no pool.

Used by tests/test_unit_containers.py and bench/unit_bench.py.  The staging and
the run are tests/session_driver.py's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from coderunner.analyzer import RunRecord
from coderunner.config import Settings
from coderunner.kinds import KINDS
from coderunner.languages import load_languages
from coderunner.tasks.service import plan_request
from tests.support.session_driver import REPO, Callback, image_prefix, run_session

__all__ = ["Callback", "image_prefix", "run_unit"]


def run_unit(
    root: Path,
    callback: Callback,
    request: dict[str, Any],
    settings: Settings | None = None,
    records: list[RunRecord] | None = None,
) -> tuple[dict[str, Any], float]:
    """The SPEC section 9 answer for `request`, and the seconds the container took;
    crrun's record of the run is appended to `records` when given."""
    settings = settings or Settings()
    langs = load_languages(REPO / "images", image_prefix())
    kind = KINDS["unitTest"]
    body = kind.parse(json.dumps(request).encode())
    planned = plan_request(settings, kind, body, langs)
    prepared, plan = planned.prepared, planned.plan
    sid, out, seconds = run_session(
        root,
        callback,
        prepared.language,
        plan,
        source=prepared.source_name,
        compile=prepared.compile,
        run=prepared.run,
        files=prepared.files,
        tests=prepared.tests,
    )
    if records is not None and 0 in out.runs:
        records.append(out.runs[0])
    answer = kind.answer(
        sid,
        out,
        prepared,
        body,
        time_limit_ms=plan.time_limit_ms,
        memory_limit_mb=plan.memory_limit_mb,
    )
    return answer, seconds
