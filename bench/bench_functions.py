"""Function tests: what a case costs beyond the function's own run.

    .venv/bin/python bench/bench_functions.py [--langs python,cpp,...] [--cases 20]

Two figures per language:
- server: admission checks + harness generation + record parsing + comparison +
  answer, per case (pure Python, 100 cases, best of 5);
- container: the CPU time of one case's run (the harness process, user+sys as crrun
  measures it) minus the CPU time of a plain stdin program doing the same work
  (reads two numbers, prints their sum) in the same container pipeline, minus the
  function's own time as the harness measured it: the harness's own cost per case.
  CPU time, and the minimum over the runs, because wall times on a shared, loaded
  machine measure the neighbours; the medians of the wall times are printed too.
Only loopback is used (the container pipeline's callback).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coderunner import analyzer  # noqa: E402
from coderunner.functions import answer, codegen, record  # noqa: E402
from coderunner.languages import load_languages  # noqa: E402
from coderunner.runner.sessions import encode_testcases  # noqa: E402
from tests.support.functions_driver import IMAGE_PREFIX, CallbackServer, job, run  # noqa: E402

LANGS = load_languages(REPO / "images", IMAGE_PREFIX)
ADD = {
    "name": "add",
    "params": [{"name": "a", "type": "long"}, {"name": "b", "type": "long"}],
    "returns": "long",
}
FUNCTIONS = {
    "python": "def add(a, b):\n    return a + b\n",
    "javascript": "function add(a, b) { return a + b; }\n",
    "typescript": "function add(a: number, b: number): number { return a + b; }\n",
    "java": "class Solution { long add(long a, long b) { return a + b; } }\n",
    "cpp": "class Solution { public: long long add(long long a, long long b) { return a + b; } };\n",
    "csharp": "public class Solution { public long add(long a, long b) { return a + b; } }\n",
    "go": "package main\n\nfunc add(a, b int64) int64 { return a + b }\n",
    "rust": "impl Solution { pub fn add(a: i64, b: i64) -> i64 { a + b } }\n",
    "ruby": "def add(a, b)\n  a + b\nend\n",
    "kotlin": "class Solution { fun add(a: Long, b: Long): Long = a + b }\n",
}
PLAIN = {
    "python": "a, b = map(int, input().split())\nprint(a + b)\n",
    "javascript": "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(' ').map(Number);\nconsole.log(a + b);\n",
    "typescript": "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(' ').map(Number);\nconsole.log(a + b);\n",
    "java": "import java.util.*;\npublic class Main { public static void main(String[] x) { Scanner s = new Scanner(System.in); System.out.println(s.nextLong() + s.nextLong()); } }\n",
    "cpp": '#include <cstdio>\nint main() { long long a, b; if (scanf("%lld %lld", &a, &b) != 2) return 1; printf("%lld\\n", a + b); }\n',
    "csharp": "using System;\nclass P { static void Main() { var p = Console.ReadLine().Split(' '); Console.WriteLine(long.Parse(p[0]) + long.Parse(p[1])); } }\n",
    "go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tvar a, b int64\n\tfmt.Scan(&a, &b)\n\tfmt.Println(a + b)\n}\n',
    "rust": 'use std::io::Read;\nfn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap(); let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect(); println!("{}", v[0] + v[1]); }\n',
    "ruby": "a, b = gets.split.map(&:to_i)\nputs a + b\n",
    "kotlin": "fun main() { val (a, b) = readLine()!!.trim().split(' ').map { it.toLong() }; println(a + b) }\n",
}


def server_cost(lang: str, cases: int = 100) -> float:
    """Microseconds per case spent in the server for a function test."""
    spec = [{"args": [i, i + 1], "expected": 2 * i + 1} for i in range(cases)]
    stdout = {
        i: b"%d\x02CRFN1 ok %d 0 0 3\n" % (2 * i + 1, len(b"%d" % (2 * i + 1)))
        for i in range(cases)
    }
    runs = {i: analyzer.RunRecord(wall_ms=5.0, cpu_ms=4.0, maxrss_kb=1000) for i in range(cases)}
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        j = job(ADD, spec)
        h = codegen.harness(LANGS[lang], FUNCTIONS[lang], j, max_prints=65536)
        encode_testcases([b"%d\n" % i for i in range(cases)])
        out = analyzer.SessionOutput(runs=runs, stdout=stdout)
        result = answer.build_answer(
            "s", out, j, compiled=bool(h.compile), time_limit_ms=2000, memory_limit_mb=256
        )
        best = min(best, time.perf_counter() - start)
        assert all(c["status"] == "AC" for c in result["cases"]), result["cases"][:2]
    assert record.parse(stdout[0]) is not None
    return best / cases * 1e6


def container_cost(lang: str, root: Path, callback: CallbackServer, n: int) -> dict[str, float]:
    spec = [{"args": [i, 1000 + i], "expected": 1000 + 2 * i} for i in range(n)]
    j = job(ADD, spec)
    h = codegen.harness(LANGS[lang], FUNCTIONS[lang], j, max_prints=65536)
    out = run(root, callback, lang, h, n)
    result = answer.build_answer(
        "s", out, j, compiled=bool(h.compile), time_limit_ms=2000, memory_limit_mb=256
    )
    assert all(c["status"] == "AC" for c in result["cases"]), result["cases"][:2]
    fn_cpu = min(r["cpuMs"] for r in result["results"])
    fn_wall = statistics.median(r["timeMs"] for r in result["results"])
    own = min(c["timeMs"] for c in result["cases"])
    plain_cpu, plain_wall = plain_run(lang, root, callback, n)
    return {
        "fn_cpu": fn_cpu,
        "fn_wall": fn_wall,
        "own": own,
        "plain_cpu": plain_cpu,
        "plain_wall": plain_wall,
        "overhead": fn_cpu - plain_cpu - own,
    }


def plain_run(lang: str, root: Path, callback: CallbackServer, n: int) -> tuple[float, float]:
    import tomllib

    spec = tomllib.loads((REPO / "images" / lang / "language.toml").read_text())
    source = f"source.{spec['extension']}"
    h = codegen.Harness(source, {source: PLAIN[lang].encode()}, spec["compile"], spec["run"])
    inputs = [b"%d %d\n" % (i, 1000 + i) for i in range(n)]
    out = run(root, callback, lang, h, n, stdin=inputs)
    for i in range(n):
        assert out.stdout.get(i, b"").strip() == b"%d" % (1000 + 2 * i), (lang, out.stdout.get(i))
    return (
        min(out.runs[i].cpu_ms for i in range(n)),
        statistics.median(out.runs[i].wall_ms for i in range(n)),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--langs", default=",".join(FUNCTIONS))
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--no-containers", action="store_true")
    args = parser.parse_args()
    langs = args.langs.split(",")
    callback = CallbackServer()
    print(
        f"{'language':<11} {'server/case':>12} {'case cpu':>9} {'fn own':>7} {'plain cpu':>10} "
        f"{'harness/case':>13} {'case wall':>10} {'plain wall':>11}"
    )
    try:
        with tempfile.TemporaryDirectory(prefix="crbench-") as tmp:
            for lang in langs:
                server = server_cost(lang)
                if args.no_containers:
                    print(f"{lang:<11} {server:>9.1f} µs")
                    continue
                c = container_cost(lang, Path(tmp) / "sessions", callback, args.cases)
                print(
                    f"{lang:<11} {server:>9.1f} µs {c['fn_cpu']:>6.1f} ms {c['own']:>4.2f} ms "
                    f"{c['plain_cpu']:>7.1f} ms {c['overhead']:>10.1f} ms "
                    f"{c['fn_wall']:>7.1f} ms {c['plain_wall']:>8.1f} ms",
                    flush=True,
                )
    finally:
        callback.close()


if __name__ == "__main__":
    main()
