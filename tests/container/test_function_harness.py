"""Function-test harnesses (SPEC §10) through the real containers, for every
language: every type as parameter and as return value (identity functions over
edge values: 32/64-bit limits, NUL, quotes, backslashes, line breaks, non-BMP
characters), then one submission per language that prints, mutates, throws,
loops, exits and returns a wrong answer, compared exactly and as multisets, and
a float comparison with a tolerance."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coderunner.config import load_settings
from coderunner.functions import codegen
from coderunner.functions.lang_cpp import cpp_type
from coderunner.functions.lang_csharp import cs_type
from coderunner.functions.lang_go import go_type
from coderunner.functions.lang_java import java_type
from coderunner.functions.lang_kotlin import kotlin_type
from coderunner.functions.lang_rust import rust_type
from coderunner.functions.types import Type, parse_type
from coderunner.kinds import KINDS
from coderunner.languages import load_languages
from tests.helpers import unavailable
from tests.support.functions_driver import IMAGE_PREFIX, REPO, CallbackServer, run

pytestmark = pytest.mark.docker

LANGS = (
    "python",
    "javascript",
    "typescript",
    "java",
    "cpp",
    "csharp",
    "go",
    "rust",
    "ruby",
    "kotlin",
)
TS = {"int": "number", "long": "number", "double": "number", "bool": "boolean", "string": "string"}


@pytest.fixture(scope="module")
def callback() -> Iterator[CallbackServer]:
    if shutil.which("docker") is None:
        unavailable("docker CLI not installed")
    server = CallbackServer()
    yield server
    server.close()


def image_ready(lang: str) -> None:
    probe = ["docker", "image", "inspect", f"{IMAGE_PREFIX}{lang}"]
    if subprocess.run(probe, capture_output=True).returncode != 0:
        unavailable(f"image {IMAGE_PREFIX}{lang} missing: run images/build.sh {lang}")


def execute(
    tmp_path: Path,
    callback: CallbackServer,
    lang: str,
    code: str,
    function: dict[str, Any],
    cases: list[dict[str, Any]],
    compare: dict[str, Any] | None = None,
    time_limit_ms: int = 2000,
    max_output_bytes: int = 65536,
) -> dict[str, Any]:
    """The functionTest kind's way: parse, prepare (the generated harness), one run
    per case in the real container, the kind's answer."""
    image_ready(lang)
    kind = KINDS["functionTest"]
    request = {
        "language": lang,
        "code": code,
        "function": function,
        "cases": cases,
        "timeLimitMs": time_limit_ms,
        **({"compare": compare} if compare else {}),
    }
    body = kind.parse(json.dumps(request).encode())
    settings = load_settings(limits={"max_output_bytes": max_output_bytes})
    language = load_languages(REPO / "images", IMAGE_PREFIX)[lang]
    prepared = kind.prepare(body, language, settings)
    h = codegen.Harness(prepared.source_name, prepared.files, prepared.compile, prepared.run)
    out = run(
        tmp_path / "sessions",
        callback,
        lang,
        h,
        len(cases),
        time_limit_ms=time_limit_ms,
        max_output_bytes=max_output_bytes,
    )
    limit = int(time_limit_ms * language.time_factor)
    return kind.answer(
        "s",
        out,
        prepared,
        body,
        time_limit_ms=limit,
        memory_limit_mb=settings.limits.memory_limit_mb,
    )


def identity(lang: str, typ: Type) -> str:
    if lang == "python":
        return "def ident(x):\n    return x\n"
    if lang == "ruby":
        return "def ident(x)\n  x\nend\n"
    if lang == "kotlin":
        t = kotlin_type(typ)
        return f"class Solution {{ fun ident(x: {t}): {t} = x }}\n"
    if lang == "javascript":
        return "function ident(x) { return x; }\n"
    if lang == "typescript":
        t = TS[typ.scalar] + "[]" * typ.dims
        return f"function ident(x: {t}): {t} {{ return x; }}\n"
    if lang == "java":
        t = java_type(typ)
        return f"class Solution {{ public {t} ident({t} x) {{ return x; }} }}\n"
    if lang == "cpp":
        t = cpp_type(typ)
        return f"class Solution {{ public: {t} ident({t} x) {{ return x; }} }};\n"
    if lang == "csharp":
        t = cs_type(typ)
        return f"public class Solution {{ public {t} ident({t} x) {{ return x; }} }}\n"
    if lang == "go":
        return f"package main\n\nfunc ident(x {go_type(typ)}) {go_type(typ)} {{ return x }}\n"
    if lang == "rust":
        t = rust_type(typ)
        return f"impl Solution {{ pub fn ident(x: {t}) -> {t} {{ x }} }}\n"
    raise AssertionError(lang)


STRINGS = [
    "",
    'quote " backslash \\ end\\',
    "line\nbreak\r\ttab",
    "nul\x00inside",
    "héllo ✓ 😀 \u2028\u2029",
    "#{x} ${y} %s %d \\u0041 \\n ??= */ //",
]
SCALAR_VALUES: dict[str, list[Any]] = {
    "int": [0, -1, 2147483647, -2147483648, 42],
    "long": [0, 9223372036854775807, -9223372036854775808, 2**40 + 1],
    "double": [0.1, -2.5e-300, 1e300, 3.0, -0.0, 123456.789],
    "bool": [True, False],
    "string": STRINGS,
}
# JavaScript numbers are exact up to 2^53 (documented): long values stay within.
JS_LONGS = [0, 2**53 - 1, -(2**53 - 1), 2**40 + 1]


def values_for(lang: str, typ: Type) -> list[Any]:
    scalars = SCALAR_VALUES[typ.scalar]
    if typ.scalar == "long" and lang in ("javascript", "typescript"):
        scalars = JS_LONGS
    if typ.dims == 0:
        return scalars
    if typ.dims == 1:
        return [[], scalars, scalars[:1]]
    return [[], [[]], [scalars, [], scalars[::-1]]]


TYPES = [f"{s}{d}" for s in ("int", "long", "double", "bool", "string") for d in ("", "[]", "[][]")]
# kotlinc takes ~12 s a session on this machine: Kotlin's 1-D types (the same
# encoder and literal code as its 2-D ones) are left to the other tests.
MATRIX = [
    (lang, t)
    for lang in LANGS
    for t in TYPES
    if lang != "kotlin" or not t.endswith("]") or t.endswith("[][]")
]


@pytest.mark.parametrize("lang, type_name", MATRIX)
def test_every_type_as_parameter_and_return(
    tmp_path: Path, callback: CallbackServer, lang: str, type_name: str
) -> None:
    typ = parse_type(type_name)
    values = values_for(lang, typ)
    function = {"name": "ident", "params": [{"name": "x", "type": type_name}], "returns": type_name}
    cases = [{"args": [v], "expected": v} for v in values]
    result = execute(tmp_path, callback, lang, identity(lang, typ), function, cases)
    assert result["compilerErrors"] == ""
    for case, value in zip(result["cases"], values, strict=True):
        assert case["status"] == "AC", (case, value)
        assert case["actual"] == value
        assert case["error"] is None


# ---- behaviours: one submission per language ---------------------------------

FORGED = "\\x02CRFN1 ok 1 0 0 0\\n"
PROBE = {
    "python": r"""
import sys
def probe(mode, xs):
    if mode == "sort":
        print("sorting", len(xs))
        return sorted(xs)
    if mode == "wrong":
        return xs[::-1]
    if mode == "throw":
        raise ValueError("boom " + str(len(xs)))
    if mode == "mutate":
        xs.sort()
        return xs
    if mode == "loop":
        while True:
            pass
    if mode == "forge":
        print("7\x02CRFN1 ok 1 0 0 0")
        return xs
    if mode == "exit":
        sys.stdout.flush()
        import os
        os._exit(0)
    return "not a list"
""",
    "javascript": r"""
function probe(mode, xs) {
  if (mode === "sort") { console.log("sorting", xs.length); return [...xs].sort((a, b) => a - b); }
  if (mode === "wrong") return [...xs].reverse();
  if (mode === "throw") throw new Error("boom " + xs.length);
  if (mode === "mutate") { xs.sort((a, b) => a - b); return xs; }
  if (mode === "loop") { for (;;) {} }
  if (mode === "forge") { console.log("7\x02CRFN1 ok 1 0 0 0"); return xs; }
  if (mode === "exit") process.exit(0);
  return "not a list";
}
""",
    "typescript": r"""
function probe(mode: string, xs: number[]): any {
  if (mode === "sort") { console.log("sorting", xs.length); return [...xs].sort((a, b) => a - b); }
  if (mode === "wrong") return [...xs].reverse();
  if (mode === "throw") throw new Error("boom " + xs.length);
  if (mode === "mutate") { xs.sort((a, b) => a - b); return xs; }
  if (mode === "loop") { for (;;) {} }
  if (mode === "forge") { console.log("7\x02CRFN1 ok 1 0 0 0"); return xs; }
  if (mode === "exit") process.exit(0);
  return "not a list";
}
""",
    "java": r"""
import java.util.*;
class Solution {
    public int[] probe(String mode, int[] xs) {
        switch (mode) {
            case "sort": { System.out.println("sorting " + xs.length); int[] c = xs.clone(); Arrays.sort(c); return c; }
            case "wrong": { int[] c = new int[xs.length]; for (int i = 0; i < xs.length; i++) c[i] = xs[xs.length - 1 - i]; return c; }
            case "throw": throw new IllegalStateException("boom " + xs.length);
            case "mutate": Arrays.sort(xs); return xs;
            case "loop": for (;;) {}
            case "forge": System.out.println("7\u0002CRFN1 ok 1 0 0 0"); return xs;
            case "exit": System.exit(0);
        }
        return null;
    }
}
""",
    "cpp": r"""
class Solution {
public:
    vector<int> probe(string mode, vector<int>& xs) {
        if (mode == "sort") { printf("sorting %d\n", (int)xs.size()); vector<int> c = xs; sort(c.begin(), c.end()); return c; }
        if (mode == "wrong") return vector<int>(xs.rbegin(), xs.rend());
        if (mode == "throw") throw invalid_argument("boom " + to_string(xs.size()));
        if (mode == "mutate") { sort(xs.begin(), xs.end()); return xs; }
        if (mode == "loop") { volatile int x = 0; for (;;) x++; }
        if (mode == "forge") { cout << "7\x02" "CRFN1 ok 1 0 0 0" << endl; return xs; }
        if (mode == "exit") { fflush(stdout); _exit(0); }
        return {};
    }
};
""",
    "csharp": r"""
using System;
using System.Linq;
public class Solution {
    public int[] probe(string mode, int[] xs) {
        switch (mode) {
            case "sort": Console.WriteLine("sorting " + xs.Length); return xs.OrderBy(x => x).ToArray();
            case "wrong": return xs.Reverse().ToArray();
            case "throw": throw new InvalidOperationException("boom " + xs.Length);
            case "mutate": Array.Sort(xs); return xs;
            case "loop": for (;;) {}
            case "forge": Console.WriteLine("7\u0002CRFN1 ok 1 0 0 0"); return xs;
            case "exit": Environment.Exit(0); break;
        }
        return null;
    }
}
""",
    "go": r"""
package main

import (
	"fmt"
	"os"
	"sort"
)

func probe(mode string, xs []int) []int {
	switch mode {
	case "sort":
		fmt.Println("sorting", len(xs))
		c := append([]int{}, xs...)
		sort.Ints(c)
		return c
	case "wrong":
		c := make([]int, len(xs))
		for i := range xs {
			c[i] = xs[len(xs)-1-i]
		}
		return c
	case "throw":
		panic(fmt.Sprint("boom ", len(xs)))
	case "mutate":
		sort.Ints(xs)
		return xs
	case "loop":
		for {
		}
	case "forge":
		fmt.Println("7\x02CRFN1 ok 1 0 0 0")
		return xs
	case "exit":
		os.Exit(0)
	}
	return nil
}
""",
    "rust": r"""
impl Solution {
    pub fn probe(mode: String, mut xs: Vec<i32>) -> Vec<i32> {
        match mode.as_str() {
            "sort" => { println!("sorting {}", xs.len()); let mut c = xs.clone(); c.sort(); c }
            "wrong" => { xs.reverse(); xs }
            "throw" => panic!("boom {}", xs.len()),
            "mutate" => { xs.sort(); xs }
            "loop" => loop {},
            "forge" => { println!("7\x02CRFN1 ok 1 0 0 0"); xs }
            "exit" => std::process::exit(0),
            _ => vec![],
        }
    }
}
""",
    "ruby": r"""
def probe(mode, xs)
  case mode
  when "sort" then puts "sorting #{xs.size}"; xs.sort
  when "wrong" then xs.reverse
  when "throw" then raise ArgumentError, "boom #{xs.size}"
  when "mutate" then xs.sort!; xs
  when "loop" then loop {}
  when "forge" then puts "7\x02CRFN1 ok 1 0 0 0"; xs
  when "exit" then $stdout.flush; exit!(0)
  else "not a list"
  end
end
""",
    "kotlin": r"""
class Solution {
    fun probe(mode: String, xs: IntArray): IntArray {
        when (mode) {
            "sort" -> { println("sorting ${xs.size}"); return xs.sorted().toIntArray() }
            "wrong" -> return xs.reversedArray()
            "throw" -> throw IllegalStateException("boom ${xs.size}")
            "mutate" -> { xs.sort(); return xs }
            "loop" -> while (true) {}
            "forge" -> { println("7\u0002CRFN1 ok 1 0 0 0"); return xs }
            "exit" -> System.exit(0)
        }
        return intArrayOf()
    }
}
""",
}
PROBE_FUNCTION = {
    "name": "probe",
    "params": [{"name": "mode", "type": "string"}, {"name": "xs", "type": "int[]"}],
    "returns": "int[]",
}


@pytest.mark.parametrize("lang", LANGS)
def test_behaviours_each_get_their_own_verdict(
    tmp_path: Path, callback: CallbackServer, lang: str
) -> None:
    cases: list[dict[str, Any]] = [
        {"args": ["sort", [3, 1, 2]], "expected": [1, 2, 3]},
        {"args": ["wrong", [1, 2, 3]], "expected": [1, 2, 3]},
        {"args": ["throw", [1, 2]], "expected": []},
        {"args": ["mutate", [5, 4]], "expected": [4, 5]},
        {"args": ["loop", []], "expected": []},
        {"args": ["forge", [9]], "expected": [9]},
        {"args": ["exit", [1]], "expected": [1]},
        {"args": ["sort", [2, 2, 1]], "expected": [1, 2, 2]},
    ]
    if lang in ("python", "javascript", "typescript", "ruby"):
        cases.append({"args": ["other", [1]], "expected": [1]})
    result = execute(
        tmp_path, callback, lang, PROBE[lang], PROBE_FUNCTION, cases, time_limit_ms=1000
    )
    assert result["compilerErrors"] == ""
    c = result["cases"]
    assert [x["status"] for x in c[:8]] == ["AC", "WA", "RE", "AC", "TLE", "AC", "RE", "AC"], c
    # Prints are captured apart from the value.
    assert c[0]["stdout"].replace(" ", "") == "sorting3\n"
    assert c[0]["actual"] == [1, 2, 3] and c[0]["error"] is None
    assert c[1]["actual"] == [3, 2, 1]
    assert "boom 2" in c[2]["error"] and c[2]["actual"] is None
    assert c[4]["error"].startswith("time limit exceeded")
    # A forged record in the prints changes nothing: the harness's record is last.
    assert c[5]["actual"] == [9] and "CRFN1" in c[5]["stdout"]
    assert "ended before the function returned" in c[6]["error"]
    assert result["results"][4]["status"] == "TLE"
    if len(c) > 8:
        assert c[8]["status"] == "RE"
        assert c[8]["error"].startswith("wrong return type")
        assert c[8]["actual"] == "not a list"


@pytest.mark.parametrize("lang", ["python", "cpp", "java", "go"])
def test_unordered_compares_multisets_at_the_top_level(
    tmp_path: Path, callback: CallbackServer, lang: str
) -> None:
    cases = [
        {"args": ["wrong", [1, 2, 3]], "expected": [1, 2, 3]},  # reversed: same multiset
        {"args": ["sort", [3, 1, 2]], "expected": [2, 3, 1]},
        {"args": ["sort", [2, 2, 1]], "expected": [1, 1, 2]},  # not the same multiset
    ]
    result = execute(
        tmp_path, callback, lang, PROBE[lang], PROBE_FUNCTION, cases, compare={"mode": "unordered"}
    )
    assert [x["status"] for x in result["cases"]] == ["AC", "AC", "WA"]


MEAN = {
    "python": "def mean(xs):\n    return sum(xs) / len(xs)\n",
    "javascript": "function mean(xs) { return xs.reduce((a, b) => a + b, 0) / xs.length; }\n",
    "typescript": "function mean(xs: number[]): number { return xs.reduce((a, b) => a + b, 0) / xs.length; }\n",
    "java": "class Solution { double mean(double[] xs) { double s = 0; for (double x : xs) s += x; return s / xs.length; } }\n",
    "cpp": "class Solution { public: double mean(vector<double>& xs) { double s = 0; for (double x : xs) s += x; return s / xs.size(); } };\n",
    "csharp": "public class Solution { public double mean(double[] xs) { double s = 0; foreach (var x in xs) s += x; return s / xs.Length; } }\n",
    "go": "package main\n\nfunc mean(xs []float64) float64 {\n\ts := 0.0\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s / float64(len(xs))\n}\n",
    "rust": "impl Solution { pub fn mean(xs: Vec<f64>) -> f64 { xs.iter().sum::<f64>() / xs.len() as f64 } }\n",
    "ruby": "def mean(xs)\n  xs.sum(0.0) / xs.size\nend\n",
    "kotlin": "class Solution { fun mean(xs: DoubleArray): Double = xs.sum() / xs.size }\n",
}


@pytest.mark.parametrize("lang", LANGS)
def test_float_comparison_with_a_tolerance(
    tmp_path: Path, callback: CallbackServer, lang: str
) -> None:
    function = {"name": "mean", "params": [{"name": "xs", "type": "double[]"}], "returns": "double"}
    cases = [
        {"args": [[0.1, 0.2]], "expected": 0.15},  # 0.15000000000000002
        {"args": [[1, 2]], "expected": 1.5},
        {"args": [[1e9, 1e9 + 1]], "expected": 1000000000.5004},  # relative 4e-13
        {"args": [[1.0, 2.0]], "expected": 1.6},  # off by 0.1: WA
        {"args": [[]], "expected": 0},  # 0/0: NaN, never equal
    ]
    result = execute(
        tmp_path,
        callback,
        lang,
        MEAN[lang],
        function,
        cases,
        compare={"mode": "float", "tolerance": 1e-9},
    )
    statuses = [c["status"] for c in result["cases"]]
    assert statuses[:4] == ["AC", "AC", "AC", "WA"], result["cases"]
    assert result["cases"][3]["actual"] == 1.5
    if lang != "python":  # Python raises ZeroDivisionError: RE
        assert result["cases"][4] == {**result["cases"][4], "status": "WA", "actual": "NaN"}
    else:
        assert "ZeroDivisionError" in result["cases"][4]["error"]


COMPILE_ERRORS = {
    "python": "def probe(mode, xs)\n    return xs\n",
    "java": "class Solution { int[] probe(String m, int[] xs) { return xs } }\n",
    "cpp": "class Solution { public: vector<int> probe(string m, vector<int> xs) { return xs } };\n",
    "rust": "impl Solution { pub fn probe(m: String, xs: Vec<i32>) -> Vec<i32> { xs; } }\n",
}


@pytest.mark.parametrize("lang", sorted(COMPILE_ERRORS))
def test_a_compile_error_is_ce_for_every_case(
    tmp_path: Path, callback: CallbackServer, lang: str
) -> None:
    cases: list[dict[str, Any]] = [
        {"args": ["sort", [1]], "expected": [1]},
        {"args": ["sort", []], "expected": []},
    ]
    result = execute(tmp_path, callback, lang, COMPILE_ERRORS[lang], PROBE_FUNCTION, cases)
    assert [c["status"] for c in result["cases"]] == ["CE", "CE"]
    assert result["compilerErrors"]
    marker = {
        "python": "solution.py",
        "java": "Solution.java",
        "cpp": "solution.cpp:1",
        "rust": "source.rs:1",
    }[lang]
    assert marker in result["compilerErrors"]


# Interview-size inputs: 20 000 64-bit values and 3 000 strings in one argument. As
# literals these overflow a JVM method (64 KB of bytecode) and its constant pool:
# Java writes them as its own string constants, decoded at start (lang_java.BIG).
BIG_LONGS = [(-1) ** i * (i * 7_919_999_999 + i) for i in range(20_000)]
BIG_STRINGS = [[f"{i}|{i}:x", "é😀\n\x00", ""] for i in range(1_000)]


@pytest.mark.parametrize("lang", [x for x in LANGS if x != "kotlin"])
@pytest.mark.parametrize("type_name, value", [("long[]", BIG_LONGS), ("string[][]", BIG_STRINGS)])
def test_large_arguments(
    tmp_path: Path, callback: CallbackServer, lang: str, type_name: str, value: Any
) -> None:
    typ = parse_type(type_name)
    if lang in ("javascript", "typescript") and typ.scalar == "long":
        value = [v % 2**53 for v in value]
    function = {"name": "ident", "params": [{"name": "x", "type": type_name}], "returns": type_name}
    # The returned value comes back through the run's stdout: room for it.
    result = execute(
        tmp_path,
        callback,
        lang,
        identity(lang, typ),
        function,
        [{"args": [value], "expected": value}],
        max_output_bytes=4_000_000,
    )
    assert result["compilerErrors"] == ""
    assert result["cases"][0]["status"] == "AC", result["cases"][0]["error"]
