# ruff: noqa: E501  (generated test code reads best on one line)
"""Cost of the unit-test harness per test, beyond the test's own run (SPEC section 9).

    CODERUNNER_DOCKER__IMAGE_PREFIX=... .venv/bin/python bench/bench_unit.py [--tests 200] [LANG ...]

For each language, the same trivial suite (each test: one assertion on add(i, 1))
runs with 1 test and with N tests (5 times each, the fastest), each in a real container through
the pipeline's pieces (tests/support/unit_driver.py).  Printed per language:
  run1 / runN     the run's wall time (crrun's record), ms
  wall/test       (runN - run1) / (N - 1) in wall time: what one more test costs the run
  cpu/test        the same in CPU time (user+sys of the run: less disturbed by other load)
  own             mean of the tests' own times as the harness measured them
  harness         cpu/test - own: protocol lines, output capture, framework bookkeeping
Each figure is the fastest of --reps runs (the machine is shared; noise only adds).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from coderunner.analyzer import RunRecord  # noqa: E402
from tests.container.test_unit_containers import SUITES  # noqa: E402
from tests.support.unit_driver import Callback, run_unit  # noqa: E402


def suite(lang: str, n: int) -> str:
    """n trivial tests in the language's framework."""
    r = range(n)
    if lang == "python":
        return "".join(
            f"@test.it('t{i}')\ndef _():\n    test.assert_equals(add({i}, 1), {i + 1})\n" for i in r
        )
    if lang in ("javascript", "typescript"):
        return "".join(f'it("t{i}", () => assert.strictEqual(add({i}, 1), {i + 1}));\n' for i in r)
    if lang == "ruby":
        body = "".join(f'  it("t{i}") {{ expect(add({i}, 1)).to eq({i + 1}) }}\n' for i in r)
        return f'describe "add" do\n{body}end\n'
    if lang == "cpp":
        return "".join(f'TEST_CASE("t{i}") {{ CHECK(add({i}, 1) == {i + 1}); }}\n' for i in r)
    if lang == "java":
        body = "".join(
            f"  @Test void t{i:05d}() {{ assertEquals({i + 1}, Solution.add({i}, 1)); }}\n"
            for i in r
        )
        return (
            "import org.junit.jupiter.api.Test;\n"
            "import static org.junit.jupiter.api.Assertions.assertEquals;\n"
            f"public class SolutionTest {{\n{body}}}\n"
        )
    if lang == "csharp":
        body = "".join(
            f"  [Test] public void T{i}() {{ Assert.AreEqual({i + 1}, Solution.Add({i}, 1)); }}\n"
            for i in r
        )
        return f"using NUnit.Framework;\n[TestFixture] public class SolutionTest {{\n{body}}}\n"
    if lang == "go":
        body = "".join(
            f"func TestT{i}(t *testing.T) {{ if Add({i}, 1) != {i + 1} {{ t.Fail() }} }}\n"
            for i in r
        )
        return f'package solution\nimport "testing"\n{body}'
    raise ValueError(lang)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tests", type=int, default=300)
    parser.add_argument("--reps", type=int, default=5, help="runs of each suite (fastest)")
    parser.add_argument("langs", nargs="*", default=list(SUITES))
    args = parser.parse_args()
    n = args.tests
    root = Path(tempfile.mkdtemp(prefix="cr-unit-bench-"))
    callback = Callback()
    print(
        f"{'language':<11} {'run1 ms':>8} {f'run{n} ms':>9} {'wall/test':>9} {'cpu/test':>8} "
        f"{'own':>7} {'harness':>8}"
    )
    try:
        for lang in args.langs:
            runs: dict[int, tuple[float, float, float]] = {}
            for count in (1, n):
                walls: list[float] = []
                cpus: list[float] = []
                owns: list[float] = []
                for rep in range(args.reps):
                    records: list[RunRecord] = []
                    answer, _ = run_unit(
                        root / f"{lang}-{count}-{rep}",
                        callback,
                        {
                            "language": lang,
                            "code": SUITES[lang]["code"],
                            "testCode": suite(lang, count),
                        },
                        records=records,
                    )
                    assert answer["status"] == "pass", answer
                    assert answer["summary"]["passed"] == count, answer["summary"]
                    walls.append(answer["timeMs"])
                    cpus.append(records[0].cpu_ms)
                    owns.append(sum(t["timeMs"] for t in answer["tests"]) / count)
                # The fastest of the runs: the machine is shared, and noise only adds.
                runs[count] = (min(walls), min(cpus), statistics.median(owns))
            wall = (runs[n][0] - runs[1][0]) / (n - 1)
            cpu = (runs[n][1] - runs[1][1]) / (n - 1)
            own = runs[n][2]
            print(
                f"{lang:<11} {runs[1][0]:>8.1f} {runs[n][0]:>9.1f} {wall:>9.3f} "
                f"{cpu:>8.3f} {own:>7.3f} {cpu - own:>8.3f}",
                flush=True,
            )
    finally:
        callback.close()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
