# ruff: noqa: E501  (the submissions below read best as the programs they are)
"""Unit-test harnesses (SPEC section 9) in real containers, per language: a passing
suite, a failing assertion with its message, an exception, a timeout in the
middle of a suite (error, the finished tests kept), zero tests, a compile error.

Each case goes through unit.prepare(), docker-handler.sh, the analyzer's reader
and unit.answer() (tests/support/unit_driver.py).  Images: <prefix><id> with the
harnesses (CODERUNNER_DOCKER__IMAGE_PREFIX).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import unavailable
from tests.support.unit_driver import Callback, image_prefix, run_unit

pytestmark = pytest.mark.docker

# Per language: the user's code (add, and spin which never returns), then test
# code for each case.  "timeout" runs three tests: the second spins.
SUITES: dict[str, dict[str, Any]] = {
    "python": {
        "code": "def add(a, b):\n    return a + b\n\ndef spin():\n    while True:\n        pass\n",
        "pass": """import codewars_test as test
from solution import add

@test.describe("add")
def _():
    @test.it("adds small numbers")
    def _():
        print("adding")
        test.assert_equals(add(1, 2), 3)

    @test.it("adds negatives")
    def _():
        test.assert_equals(add(-1, 1), 0)
""",
        "fail": """@test.describe("add")
def _():
    @test.it("wrong")
    def _():
        test.assert_equals(add(1, 2), 4, "sum")
""",
        "fail_message": "sum: 3 should equal 4",
        "exception": """@test.it("boom")
def _():
    raise ValueError("bad value")
""",
        "exception_message": "ValueError: bad value",
        "timeout": """@test.it("first")
def _():
    test.assert_equals(add(1, 2), 3)

@test.it("second")
def _():
    spin()

@test.it("third")
def _():
    test.pass_()
""",
        "zero": "x = 1\n",
        "broken": "def add(a, b)\n    return a + b\n",
        "broken_message": "SyntaxError",
    },
    "javascript": {
        "code": "function add(a, b) { return a + b; }\nfunction spin() { for (;;) {} }\n",
        "pass": """const chai = require("chai");
describe("add", function () {
  it("adds small numbers", function () {
    console.log("adding");
    chai.assert.equal(add(1, 2), 3);
  });
  it("adds negatives", () => { assert.strictEqual(add(-1, 1), 0); chai.expect(add(2, 2)).to.equal(4); });
});
""",
        "fail": 'describe("add", () => { it("wrong", () => { assert.strictEqual(add(1, 2), 4); }); });\n',
        "fail_message": "3 !== 4",
        "exception": 'it("boom", () => { throw new RangeError("bad value"); });\n',
        "exception_message": "RangeError: bad value",
        "timeout": """it("first", () => assert.strictEqual(add(1, 2), 3));
it("second", () => spin());
it("third", () => {});
""",
        "zero": "const x = 1;\n",
        "broken": "function add(a, b { return a + b; }\n",
        "broken_message": "SyntaxError",
    },
    "typescript": {
        "code": "function add(a: number, b: number): number { return a + b; }\n"
        "function spin(): void { for (;;) {} }\n",
        "pass": """import { assert as chaiAssert, expect } from "chai";
describe("add", function () {
  it("adds small numbers", function () {
    console.log("adding");
    chaiAssert.equal(add(1, 2), 3);
  });
  it("adds negatives", () => { assert.strictEqual(add(-1, 1), 0); expect(add(2, 2)).to.equal(4); });
});
""",
        "fail": 'describe("add", () => { it("wrong", () => { assert.strictEqual(add(1, 2), 4); }); });\n',
        "fail_message": "3 !== 4",
        "exception": 'it("boom", () => { throw new RangeError("bad value"); });\n',
        "exception_message": "RangeError: bad value",
        "timeout": """it("first", () => assert.strictEqual(add(1, 2), 3));
it("second", () => spin());
it("third", () => {});
""",
        "zero": "const x: number = 1;\n",
        "broken": 'function add(a: number, b: number): number { return "no"; }\n',
        "compile_error": "not assignable",
    },
    "ruby": {
        "code": "def add(a, b)\n  a + b\nend\n\ndef spin\n  loop {}\nend\n",
        "pass": """describe "add" do
  it "adds small numbers" do
    puts "adding"
    expect(add(1, 2)).to eq(3)
  end
  it "adds negatives" do
    expect(add(-1, 1)).to eq(0)
  end
end
""",
        "fail": 'describe "add" do\n  it "wrong" do\n    expect(add(1, 2)).to eq(4)\n  end\nend\n',
        "fail_message": "expected: 4",
        "exception": 'describe "x" do\n  it "boom" do\n    raise ArgumentError, "bad value"\n  end\nend\n',
        "exception_message": "ArgumentError: bad value",
        "timeout": """describe "suite" do
  it("first") { expect(add(1, 2)).to eq(3) }
  it("second") { spin }
  it("third") { expect(1).to eq(1) }
end
""",
        "zero": "x = 1\n",
        "broken": "def add(a, b\n  a + b\nend\n",
        "broken_message": "SyntaxError",
    },
    "cpp": {
        "code": "#include <iostream>\nint add(int a, int b) { return a + b; }\n"
        "void spin() { volatile unsigned x = 0; for (;;) x++; }\n",
        "pass": """TEST_SUITE("add") {
TEST_CASE("adds small numbers") {
    std::cout << "adding" << std::endl;
    CHECK(add(1, 2) == 3);
}
TEST_CASE("adds negatives") { REQUIRE(add(-1, 1) == 0); }
}
""",
        "fail": 'TEST_CASE("wrong") { CHECK(add(1, 2) == 4); }\n',
        "fail_message": "3 == 4",
        "exception": '#include <stdexcept>\nTEST_CASE("boom") { throw std::runtime_error("bad value"); }\n',
        "exception_message": "bad value",
        "timeout": """TEST_CASE("first") { CHECK(add(1, 2) == 3); }
TEST_CASE("second") { spin(); }
TEST_CASE("third") { CHECK(true); }
""",
        "zero": "static int unused_x = 1;\n",
        "broken": "int add(int a, int b) { return a + ; }\n",
        "compile_error": "expected primary-expression",
    },
    "java": {
        "code": "public class Solution {\n  public static int add(int a, int b) { return a + b; }\n"
        "  public static void spin() { while (true) {} }\n}\n",
        "pass": """import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

public class SolutionTest {
  @Test void addsSmallNumbers() { System.out.println("adding"); assertEquals(3, Solution.add(1, 2)); }
  @Test void addsNegatives() { assertEquals(0, Solution.add(-1, 1)); }
}
""",
        "fail": """import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
public class SolutionTest {
  @Test void wrong() { assertEquals(4, Solution.add(1, 2), "sum"); }
}
""",
        "fail_message": "sum ==> expected: <4> but was: <3>",
        "exception": """import org.junit.jupiter.api.Test;
public class SolutionTest {
  @Test void boom() { throw new IllegalStateException("bad value"); }
}
""",
        "exception_message": "IllegalStateException: bad value",
        "timeout": """import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
public class SolutionTest {
  @Test void a_first() { assertEquals(3, Solution.add(1, 2)); }
  @Test void b_second() { Solution.spin(); }
  @Test void c_third() { }
}
""",
        "names": ["a_first()", "b_second()"],
        "zero": "public class SolutionTest { }\n",
        "broken": "public class Solution { public static int add(int a, int b) { return a + ; } }\n",
        "compile_error": "illegal start of expression",
    },
    "csharp": {
        "code": "public static class Solution {\n  public static int Add(int a, int b) { return a + b; }\n"
        "  public static void Spin() { while (true) {} }\n}\n",
        "pass": """using NUnit.Framework;
[TestFixture]
public class SolutionTest {
  [Test] public void AddsSmallNumbers() { System.Console.WriteLine("adding"); Assert.AreEqual(3, Solution.Add(1, 2)); }
  [Test] public void AddsNegatives() { Assert.AreEqual(0, Solution.Add(-1, 1)); }
}
""",
        "fail": """using NUnit.Framework;
[TestFixture] public class SolutionTest { [Test] public void Wrong() { Assert.AreEqual(4, Solution.Add(1, 2)); } }
""",
        "fail_message": "Expected: 4",
        "exception": """using NUnit.Framework;
[TestFixture] public class SolutionTest {
  [Test] public void Boom() { throw new System.InvalidOperationException("bad value"); }
}
""",
        "exception_message": "InvalidOperationException: bad value",
        "timeout": """using NUnit.Framework;
[TestFixture] public class SolutionTest {
  [Test] public void First() { Assert.AreEqual(3, Solution.Add(1, 2)); }
  [Test] public void Second() { Solution.Spin(); }
  [Test] public void Third() { }
}
""",
        "names": ["First", "Second"],
        "zero": "public class Nothing { }\n",
        "broken": "public static class Solution { public static int Add(int a, int b) { return a + ; } }\n",
        "compile_error": "error CS1525",
    },
    "go": {
        "code": "package solution\n\nfunc Add(a, b int) int { return a + b }\n\nfunc Spin() {\n\tfor {\n\t}\n}\n",
        "pass": """package solution

import (
\t"fmt"
\t"testing"
)

func TestAddsSmallNumbers(t *testing.T) {
\tfmt.Println("adding")
\tif got := Add(1, 2); got != 3 {
\t\tt.Errorf("Add(1, 2) = %d, want 3", got)
\t}
}

func TestAddsNegatives(t *testing.T) {
\tif Add(-1, 1) != 0 {
\t\tt.Fatal("Add(-1, 1) != 0")
\t}
}
""",
        "fail": """package solution
import "testing"
func TestWrong(t *testing.T) {
\tif got := Add(1, 2); got != 4 {
\t\tt.Errorf("Add(1, 2) = %d, want 4", got)
\t}
}
""",
        "fail_message": "Add(1, 2) = 3, want 4",
        "exception": """package solution
import "testing"
func TestBoom(t *testing.T) { panic("bad value") }
""",
        "exception_message": "panic: bad value",
        "timeout": """package solution
import "testing"
func TestFirst(t *testing.T) { if Add(1, 2) != 3 { t.Fail() } }
func TestSecond(t *testing.T) { Spin() }
func TestThird(t *testing.T) {}
""",
        "names": ["TestFirst", "TestSecond"],
        "zero": "package solution\n",
        "broken": "package solution\n\nfunc Add(a, b int) int { return a + }\n",
        "compile_error": "syntax error",
    },
}
LANGS = list(SUITES)
CASES = ["pass", "fail", "exception", "timeout", "zero", "broken"]


@pytest.fixture(scope="module")
def callback() -> Iterator[Callback]:
    if shutil.which("docker") is None:
        unavailable("docker CLI not installed")
    if subprocess.run(["docker", "info"], capture_output=True).returncode != 0:
        unavailable("Docker engine not reachable")
    cb = Callback()
    yield cb
    cb.close()


def run(tmp_path: Path, callback: Callback, lang: str, case: str, **extra: Any) -> dict[str, Any]:
    image = f"{image_prefix()}{lang}"
    if subprocess.run(["docker", "image", "inspect", image], capture_output=True).returncode:
        unavailable(f"image {image} missing: IMAGE_PREFIX=... images/build.sh {lang}")
    suite = SUITES[lang]
    code = suite["broken"] if case == "broken" else suite["code"]
    test_code = suite["pass"] if case == "broken" else suite[case]
    request = {"language": lang, "code": code, "testCode": test_code, **extra}
    answer, seconds = run_unit(tmp_path / "sessions", callback, request)
    print(f"{lang}/{case}: {answer['status']} in {seconds:.2f} s")
    return answer


@pytest.mark.parametrize("lang", LANGS)
def test_passing_suite(tmp_path: Path, callback: Callback, lang: str) -> None:
    a = run(tmp_path, callback, lang, "pass")
    assert a["status"] == "pass", a
    assert a["message"] is None
    assert a["summary"] == {"tests": 2, "passed": 2, "failed": 0, "errors": 0}
    assert [t["status"] for t in a["tests"]] == ["pass", "pass"]
    # Tests keep their order in the test code (JUnit: our method orderer).
    small, negatives = a["tests"]
    assert "small" in small["name"].lower() and "negatives" in negatives["name"].lower()
    assert small["assertions"] and all(x["passed"] for x in small["assertions"])
    # The program's print is the test's output, never a protocol line or stdout.
    assert small["output"] == "adding\n"
    assert negatives["output"] == ""
    assert "adding" not in a["stdout"]
    assert isinstance(small["timeMs"], float) and a["timeMs"] > 0


@pytest.mark.parametrize("lang", LANGS)
def test_failing_assertion_keeps_its_message(tmp_path: Path, callback: Callback, lang: str) -> None:
    a = run(tmp_path, callback, lang, "fail")
    assert a["status"] == "fail", a
    assert a["summary"] == {"tests": 1, "passed": 0, "failed": 1, "errors": 0}
    (test,) = a["tests"]
    assert test["status"] == "fail"
    messages = [x["message"] for x in test["assertions"] if not x["passed"]]
    assert any(SUITES[lang]["fail_message"] in m for m in messages), messages


@pytest.mark.parametrize("lang", LANGS)
def test_exception_is_a_test_error(tmp_path: Path, callback: Callback, lang: str) -> None:
    a = run(tmp_path, callback, lang, "exception")
    # The suite ran to its end: the run is a failure, the test an error.
    assert a["status"] == "fail", a
    assert a["summary"]["errors"] == 1
    (test,) = a["tests"]
    assert test["status"] == "error"
    text = "\n".join(x["message"] for x in test["assertions"])
    assert SUITES[lang]["exception_message"] in text, text


@pytest.mark.parametrize("lang", LANGS)
def test_timeout_mid_suite_is_error_and_keeps_finished_tests(
    tmp_path: Path, callback: Callback, lang: str
) -> None:
    a = run(tmp_path, callback, lang, "timeout", timeLimitMs=2000)
    assert a["status"] == "error", a
    assert "time limit" in a["message"]
    tests = a["tests"]
    assert len(tests) == 2, tests  # the third never started
    names = SUITES[lang].get("names", ["first", "second"])
    assert [t["name"] for t in tests] == names
    assert tests[0]["status"] == "pass"
    assert tests[1]["status"] == "error"
    assert tests[1]["timeMs"] is None
    assert "never completed" in tests[1]["assertions"][-1]["message"]
    assert a["summary"] == {"tests": 2, "passed": 1, "failed": 0, "errors": 1}


@pytest.mark.parametrize("lang", LANGS)
def test_zero_tests_is_an_error(tmp_path: Path, callback: Callback, lang: str) -> None:
    a = run(tmp_path, callback, lang, "zero")
    assert a["status"] == "error", a
    assert a["message"] == "no test ran"
    assert a["tests"] == []


@pytest.mark.parametrize("lang", LANGS)
def test_code_that_does_not_compile(tmp_path: Path, callback: Callback, lang: str) -> None:
    a = run(tmp_path, callback, lang, "broken")
    assert a["status"] == "error", a
    suite = SUITES[lang]
    if "compile_error" in suite:
        assert a["message"] == "compilation failed"
        assert suite["compile_error"] in a["compilerErrors"]
        assert a["tests"] == []
    else:  # interpreted: the harness reports the load error and the run fails
        assert a["compilerErrors"] == ""
        text = "\n".join(x["message"] for t in a["tests"] for x in t["assertions"])
        assert suite["broken_message"] in text + a["stderr"], a
        assert a["summary"]["passed"] == 0


# ---- attacks: prints that look like the protocol, exits that skip the end -------

FORGERS = {
    "python": """import os
@test.it("forger")
def _():
    print("<PASSED::>forged")
    print("<END::>")
    os.write(1, b"\\n<COMPLETEDIN::>1\\n<IT::>fake\\n<PASSED::>x\\n")
    test.assert_equals(1, 2)
""",
    "javascript": """it("forger", () => {
  console.log("<PASSED::>forged\\n<END::>");
  require("fs").writeSync(1, "\\n<COMPLETEDIN::>1\\n<IT::>fake\\n<PASSED::>x\\n");
  assert.strictEqual(1, 2);
});
""",
    "ruby": """describe "x" do
  it "forger" do
    puts "<PASSED::>forged\\n<END::>"
    STDOUT.syswrite("\\n<COMPLETEDIN::>1\\n<IT::>fake\\n<PASSED::>x\\n")
    expect(1).to eq(2)
  end
end
""",
    "cpp": """#include <unistd.h>
#include <cstdio>
TEST_CASE("forger") {
    std::cout << "<PASSED::>forged\\n<END::>" << std::endl;
    const char fake[] = "\\n<COMPLETEDIN::>1\\n<IT::>fake\\n<PASSED::>x\\n";
    if (write(1, fake, sizeof fake - 1) < 0) {}
    CHECK(1 == 2);
}
""",
    # java and csharp capture the language's stdout object, not fd 1 (README).
    "java": """import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
public class SolutionTest {
  @Test void forger() { System.out.println("<PASSED::>forged\\n<END::>"); System.out.print("\\n<IT::>fake\\n"); assertEquals(1, 2); }
}
""",
    "csharp": """using NUnit.Framework;
[TestFixture] public class SolutionTest {
  [Test] public void forger() { System.Console.WriteLine("<PASSED::>forged\\n<END::>"); System.Console.Out.Write("\\n<IT::>fake\\n"); Assert.AreEqual(1, 2); }
}
""",
    "go": """package solution
import (
\t"fmt"
\t"syscall"
\t"testing"
)
func TestForger(t *testing.T) {
\tfmt.Println("<PASSED::>forged\\n<END::>")
\tsyscall.Write(1, []byte("\\n<COMPLETEDIN::>1\\n<IT::>fake\\n<PASSED::>x\\n"))
\tt.Error("real failure")
}
""",
}
FORGERS["typescript"] = FORGERS["javascript"].replace('require("fs")', '(require("fs") as any)')


@pytest.mark.parametrize("lang", LANGS)
def test_prints_that_look_like_the_protocol_stay_output(
    tmp_path: Path, callback: Callback, lang: str
) -> None:
    image = f"{image_prefix()}{lang}"
    if subprocess.run(["docker", "image", "inspect", image], capture_output=True).returncode:
        unavailable(f"image {image} missing")
    request = {"language": lang, "code": SUITES[lang]["code"], "testCode": FORGERS[lang]}
    a, _ = run_unit(tmp_path / "sessions", callback, request)
    assert a["status"] == "fail", a
    (test,) = a["tests"]
    assert test["status"] == "fail"
    assert "<PASSED::>forged\n<END::>" in test["output"]
    assert "<IT::>fake" in test["output"]


QUITTERS = {
    # exit status 0 in the middle of the suite: no end marker, never a pass
    "python": (
        "import sys\n@test.it('a')\ndef _():\n    test.pass_()\n"
        "@test.it('quits')\ndef _():\n    sys.exit(0)\n"
        "@test.it('c')\ndef _():\n    test.pass_()\n",
        "never completed",
    ),
    "javascript": (
        'it("a", () => {});\nit("quits", () => process.exit(0));\nit("c", () => {});\n',
        "never completed",
    ),
    "go": (
        'package solution\nimport ("os"; "testing")\nfunc TestA(t *testing.T) {}\n'
        "func TestQuits(t *testing.T) { os.Exit(0) }\nfunc TestC(t *testing.T) {}\n",
        "never completed",
    ),
    # a crash
    "cpp": (
        'TEST_CASE("a") { CHECK(true); }\n'
        'TEST_CASE("quits") { volatile int* p = nullptr; *p = 1; }\n'
        'TEST_CASE("c") { CHECK(true); }\n',
        "signal",
    ),
}


@pytest.mark.parametrize("lang", list(QUITTERS))
def test_an_exit_or_crash_mid_suite_is_error(tmp_path: Path, callback: Callback, lang: str) -> None:
    image = f"{image_prefix()}{lang}"
    if subprocess.run(["docker", "image", "inspect", image], capture_output=True).returncode:
        unavailable(f"image {image} missing")
    code, words = QUITTERS[lang]
    a, _ = run_unit(
        tmp_path / "sessions",
        callback,
        {"language": lang, "code": SUITES[lang]["code"], "testCode": code},
    )
    assert a["status"] == "error", a
    assert words in a["message"]
    assert [t["status"] for t in a["tests"]][:2] == ["pass", "error"]
    assert len(a["tests"]) == 2
