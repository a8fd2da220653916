"""Runs a generated function-test harness through the real container pipeline
(tests/session_driver.py: docker-handler.sh, the language's image, entry.sh, crrun)
the way the server stages a session, and gives back the analyzer's SessionOutput."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coderunner import analyzer
from coderunner.config import load_settings
from coderunner.functions import codegen
from coderunner.functions.request import Case, Compare, FunctionJob, FunctionSpec, function_job
from coderunner.languages import load_languages
from coderunner.limits import plan
from tests.support.session_driver import REPO, image_prefix, run_session
from tests.support.session_driver import Callback as CallbackServer

__all__ = ["IMAGE_PREFIX", "REPO", "CallbackServer", "job", "run"]

IMAGE_PREFIX = image_prefix()


def job(
    function: dict[str, Any], cases: list[dict[str, Any]], compare: dict[str, Any] | None = None
) -> FunctionJob:
    return function_job(
        FunctionSpec.model_validate(function),
        [Case.model_validate(c) for c in cases],
        Compare.model_validate(compare) if compare else None,
        max_cases=100,
    )


def run(
    root: Path,
    callback: CallbackServer,
    language: str,
    harness: codegen.Harness,
    tests: int,
    *,
    time_limit_ms: int = 2000,
    image_prefix: str | None = None,
    stdin: list[bytes] | None = None,
    max_output_bytes: int | None = None,
) -> analyzer.SessionOutput:
    """Stage `harness` as the server does (config from the real resource plan) and run
    docker-handler.sh. `stdin`: the tests' inputs (default: the case indices)."""
    image_prefix = image_prefix or IMAGE_PREFIX
    limits = {"max_output_bytes": max_output_bytes} if max_output_bytes else {}
    settings = load_settings(docker={"image_prefix": image_prefix}, limits=limits)
    lang = load_languages(REPO / "images", image_prefix)[language]
    the_plan = plan(
        settings,
        tests=tests,
        compiles=bool(harness.compile),
        time_factor=lang.time_factor,
        memory_extra_mb=lang.memory_extra_mb,
        time_ms=time_limit_ms,
    )
    _, out, _ = run_session(
        root,
        callback,
        lang,
        the_plan,
        source=harness.source_name,
        compile=harness.compile,
        run=harness.run,
        files=harness.files,
        tests=stdin if stdin is not None else [b"%d\n" % i for i in range(tests)],
    )
    return out
