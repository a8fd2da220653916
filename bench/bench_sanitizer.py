"""Time the sanitizer on a 1,000-line file per language.

The file is the language's ok corpus (tests/sanitizer_corpus/<lang>/ok/, realistic
solutions) repeated up to 1,000 lines; the `bad` row does the same with the malicious
corpus, where most rules fire (the worst case). The baseline, measured in the same run over the
same text, is a plain `str.splitlines()` plus one precompiled regex pass — the least a
line-oriented scanner could cost — so the ratio says what the rules add.

    python bench/bench_sanitizer.py [--lines N] [--repeat R]
"""

from __future__ import annotations

import argparse
import functools
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from coderunner.sanitizer import Sanitizer

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "sanitizer_corpus"
BASELINE = re.compile(r"\bsystem\s*\(")


def sample(language: str, lines: int, kind: str = "ok") -> str:
    files = sorted((CORPUS / language / kind).iterdir())
    out: list[str] = []
    while len(out) < lines:
        for path in files:
            out.extend(path.read_text(encoding="utf-8").splitlines())
    return "\n".join(out[:lines]) + "\n"


def per_call(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds per call over `repeat` rounds (each round long enough to time)."""
    fn()  # warm-up: lazy imports, regex caches
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        if time.perf_counter() - start > 0.02:
            break
        number *= 2
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def baseline(text: str) -> int:
    return sum(1 for line in text.splitlines() if BASELINE.search(line))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    sanitizer = Sanitizer.from_images(ROOT / "images")
    print(
        f"{'language':<12} {'corpus':<6} {'lines':>6} {'scan ms':>9} {'baseline ms':>12} "
        f"{'ratio':>7} findings"
    )
    for language in sorted(sanitizer.languages()):
        for kind in ("ok", "bad"):
            if not (CORPUS / language / kind).is_dir():
                continue
            text = sample(language, args.lines, kind)
            scan = per_call(functools.partial(sanitizer.scan, text, language), args.repeat)
            base = per_call(functools.partial(baseline, text), args.repeat)
            found = len(sanitizer.scan(text, language))
            print(
                f"{language:<12} {kind:<6} {args.lines:>6} {scan * 1e3:>9.3f} "
                f"{base * 1e3:>12.3f} {scan / base:>7.1f} {found}"
            )


if __name__ == "__main__":
    main()
