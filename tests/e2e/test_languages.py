"""Language conformance: every folder of images/ with a language.toml, through the real
server, real docker-handler.sh and real containers (issue 6).

Per language: (1) its selftest.<ext> echoes multi-line stdin byte for byte, (2) a
program sums the integers on stdin (AC with expectedOutputs), (3) compiled
languages: a compile error is CE for every test with the compiler's message in
compilerErrors, (4) an uncaught runtime error is RE, (5) an endless loop is TLE.

A new language folder without programs in the tables below fails
test_every_language_has_programs: adding a language means adding its row here.
"""

from __future__ import annotations

import concurrent.futures
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import RunningServer, unavailable

pytestmark = pytest.mark.docker

IMAGES = Path(__file__).resolve().parents[2] / "images"
LANGUAGES = sorted(p.parent.name for p in IMAGES.glob("*/language.toml"))

ECHO_TESTS = [
    "line one\nline two\n\n  indented line  \n",
    "",
    "h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c\u8a9e\ntab\there\nlast\n",
]
SUM_TESTS = ["1 2 3\n", "10\n20\n30\n40\n", "-5 5\n  100000000000  \n"]
SUM_EXPECTED = ["6\n", "100\n", "100000000000\n"]
TLE_LIMIT_MS = 1000

# (2) Print the sum of the whitespace-separated integers on stdin (64-bit values).
SUM: dict[str, str] = {
    "python": "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\n",
    "c": (
        "#include <stdio.h>\n"
        "int main(void) {\n"
        "    long long x, s = 0;\n"
        '    while (scanf("%lld", &x) == 1) s += x;\n'
        '    printf("%lld\\n", s);\n'
        "    return 0;\n"
        "}\n"
    ),
    "cpp": (
        "#include <iostream>\n"
        "int main() {\n"
        "    long long x, s = 0;\n"
        "    while (std::cin >> x) s += x;\n"
        "    std::cout << s << '\\n';\n"
        "}\n"
    ),
    "java": (
        "import java.io.*;\n"
        "import java.util.*;\n\n"
        "public class Main {\n"
        "    public static void main(String[] args) throws IOException {\n"
        "        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));\n"
        "        long s = 0;\n"
        "        String line;\n"
        "        while ((line = in.readLine()) != null) {\n"
        "            StringTokenizer st = new StringTokenizer(line);\n"
        "            while (st.hasMoreTokens()) s += Long.parseLong(st.nextToken());\n"
        "        }\n"
        "        System.out.println(s);\n"
        "    }\n"
        "}\n"
    ),
    "javascript": (
        'const data = require("fs").readFileSync(0, "utf8");\n'
        "let s = 0;\n"
        "for (const w of data.split(/\\s+/)) if (w) s += Number(w);\n"
        "console.log(String(s));\n"
    ),
    "typescript": (
        'import * as fs from "fs";\n\n'
        'const words: string[] = fs.readFileSync(0, "utf8").split(/\\s+/);\n'
        "const total: number = words.filter((w) => w.length > 0).map(Number)\n"
        "    .reduce((a, b) => a + b, 0);\n"
        "console.log(total);\n"
    ),
    "csharp": (
        "using System;\n\n"
        "class Program\n"
        "{\n"
        "    static void Main()\n"
        "    {\n"
        "        long s = 0;\n"
        "        foreach (string w in Console.In.ReadToEnd().Split((char[])null,\n"
        "                 StringSplitOptions.RemoveEmptyEntries))\n"
        "            s += long.Parse(w);\n"
        "        Console.WriteLine(s);\n"
        "    }\n"
        "}\n"
    ),
    "go": (
        "package main\n\n"
        'import (\n\t"bufio"\n\t"fmt"\n\t"os"\n\t"strconv"\n)\n\n'
        "func main() {\n"
        "\tsc := bufio.NewScanner(os.Stdin)\n"
        "\tsc.Split(bufio.ScanWords)\n"
        "\tvar s int64\n"
        "\tfor sc.Scan() {\n"
        "\t\tx, err := strconv.ParseInt(sc.Text(), 10, 64)\n"
        "\t\tif err != nil {\n\t\t\tpanic(err)\n\t\t}\n"
        "\t\ts += x\n"
        "\t}\n"
        "\tfmt.Println(s)\n"
        "}\n"
    ),
    "rust": (
        "use std::io::Read;\n\n"
        "fn main() {\n"
        "    let mut input = String::new();\n"
        "    std::io::stdin().read_to_string(&mut input).unwrap();\n"
        "    let s: i64 = input.split_whitespace().map(|w| w.parse::<i64>().unwrap()).sum();\n"
        '    println!("{}", s);\n'
        "}\n"
    ),
    "ruby": "puts $stdin.read.split.map(&:to_i).sum\n",
    "php": (
        "<?php\n"
        "$s = 0;\n"
        "$words = preg_split('/\\s+/', stream_get_contents(STDIN), -1, PREG_SPLIT_NO_EMPTY);\n"
        "foreach ($words as $w) {\n"
        "    $s += intval($w);\n"
        "}\n"
        'echo $s, "\\n";\n'
    ),
    "bash": (
        "s=0\n"
        "while read -r -a words; do\n"
        '    for w in "${words[@]}"; do s=$((s + w)); done\n'
        "done\n"
        'echo "$s"\n'
    ),
    "perl": (
        "use strict;\nuse warnings;\n\n"
        "my $s = 0;\n"
        "while (my $line = <STDIN>) {\n"
        "    $s += $_ for split ' ', $line;\n"
        "}\n"
        'print "$s\\n";\n'
    ),
    "lua": (
        "local s = 0\n"
        'for w in io.read("a"):gmatch("%S+") do s = s + math.tointeger(tonumber(w)) end\n'
        "print(s)\n"
    ),
    "haskell": (
        "main :: IO ()\n"
        'main = interact $ \\s -> show (sum (map read (words s) :: [Integer])) ++ "\\n"\n'
    ),
    "pascal": (
        "program sum;\n"
        "var\n"
        "  s, x: int64;\n"
        "begin\n"
        "  s := 0;\n"
        "  while not seekeof(input) do\n"
        "  begin\n"
        "    read(x);\n"
        "    s := s + x;\n"
        "  end;\n"
        "  writeln(s);\n"
        "end.\n"
    ),
    "fortran": (
        "program sum\n"
        "  implicit none\n"
        "  character(len=4096) :: line\n"
        "  integer :: ios, i, j, n\n"
        "  integer(kind=8) :: s, x\n"
        "  s = 0\n"
        "  do\n"
        "    read (*, '(A)', iostat=ios) line\n"
        "    if (ios /= 0) exit\n"
        "    n = len_trim(line)\n"
        "    i = 1\n"
        "    do while (i <= n)\n"
        "      if (line(i:i) == ' ') then\n"
        "        i = i + 1\n"
        "        cycle\n"
        "      end if\n"
        "      j = i\n"
        "      do while (j < n)\n"
        "        if (line(j+1:j+1) == ' ') exit\n"
        "        j = j + 1\n"
        "      end do\n"
        "      read (line(i:j), *) x\n"
        "      s = s + x\n"
        "      i = j + 1\n"
        "    end do\n"
        "  end do\n"
        "  print '(I0)', s\n"
        "end program sum\n"
    ),
    "kotlin": (
        "fun main() {\n"
        '    val words = System.`in`.bufferedReader().readText().split(Regex("\\\\s+"))\n'
        "    println(words.filter { it.isNotEmpty() }.map { it.toLong() }.sum())\n"
        "}\n"
    ),
    "r": (
        'x <- scan(file("stdin"), what = numeric(), quiet = TRUE)\n'
        'cat(format(sum(x), scientific = FALSE), "\\n", sep = "")\n'
    ),
    "ocaml": (
        "let () =\n"
        "  let s = ref 0 in\n"
        '  (try while true do Scanf.scanf " %d" (fun x -> s := !s + x) done\n'
        "   with End_of_file -> ());\n"
        '  Printf.printf "%d\\n" !s\n'
    ),
}

# (3) Compiled languages: refers to an undefined name, which the message must quote.
COMPILE_ERROR: dict[str, str] = {
    "c": "int main(void) { return undefined_thing; }\n",
    "cpp": "int main() { return undefined_thing; }\n",
    "java": (
        "public class Main {\n"
        "    public static void main(String[] args) { System.out.println(undefined_thing); }\n"
        "}\n"
    ),
    "typescript": "console.log(undefined_thing);\n",
    "csharp": (
        "class Program\n{\n"
        "    static void Main() { System.Console.WriteLine(undefined_thing); }\n"
        "}\n"
    ),
    "go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println(undefined_thing)\n}\n',
    "rust": 'fn main() {\n    println!("{}", undefined_thing);\n}\n',
    "haskell": "main :: IO ()\nmain = print undefined_thing\n",
    "pascal": "program ce;\nbegin\n  writeln(undefined_thing);\nend.\n",
    "fortran": "program ce\n  implicit none\n  print *, undefined_thing\nend program ce\n",
    "kotlin": "fun main() {\n    println(undefined_thing)\n}\n",
    "ocaml": "let () = print_int undefined_thing\n",
}

# (4) An uncaught error (exception, panic, failed division, error stop) at run time.
RUNTIME_ERROR: dict[str, str] = {
    "python": "raise ValueError('boom')\n",
    "c": "int main(void) { volatile int zero = 0; return 7 / zero; }\n",
    "cpp": '#include <stdexcept>\nint main() { throw std::runtime_error("boom"); }\n',
    "java": (
        "public class Main {\n"
        '    public static void main(String[] args) { throw new RuntimeException("boom"); }\n'
        "}\n"
    ),
    "javascript": 'throw new Error("boom");\n',
    "typescript": (
        'const fail = (why: string): never => {\n    throw new Error(why);\n};\nfail("boom");\n'
    ),
    "csharp": (
        "class Program\n{\n"
        '    static void Main() { throw new System.InvalidOperationException("boom"); }\n'
        "}\n"
    ),
    "go": 'package main\n\nfunc main() {\n\tpanic("boom")\n}\n',
    "rust": 'fn main() {\n    panic!("boom");\n}\n',
    "ruby": 'raise "boom"\n',
    "php": '<?php\nthrow new Exception("boom");\n',
    "bash": "echo boom >&2\nexit 3\n",
    "perl": 'die "boom\\n";\n',
    "lua": 'error("boom")\n',
    "haskell": 'main :: IO ()\nmain = error "boom"\n',
    "pascal": (
        "program re;\nvar\n  a, b: integer;\nbegin\n"
        "  a := 1;\n  b := 0;\n  writeln(a div b);\nend.\n"
    ),
    "fortran": "program re\n  implicit none\n  error stop 3\nend program re\n",
    "kotlin": 'fun main() {\n    throw IllegalStateException("boom")\n}\n',
    "r": 'stop("boom")\n',
    "ocaml": 'let () = failwith "boom"\n',
}

# (5) Never ends; must be stopped at the CPU time limit.
ENDLESS: dict[str, str] = {
    "python": "while True:\n    pass\n",
    "c": "int main(void) { for (;;) {} }\n",
    "cpp": "int main() { volatile unsigned long n = 0; for (;;) ++n; }\n",
    "java": (
        "public class Main {\n    public static void main(String[] args) { while (true) {} }\n}\n"
    ),
    "javascript": "for (;;) {}\n",
    "typescript": "let n: number = 0;\nfor (;;) { n++; }\n",
    "csharp": "class Program\n{\n    static void Main() { while (true) {} }\n}\n",
    "go": "package main\n\nfunc main() {\n\tfor {\n\t}\n}\n",
    "rust": "fn main() {\n    loop {}\n}\n",
    "ruby": "loop {}\n",
    "php": "<?php\nwhile (true) {}\n",
    "bash": "while :; do :; done\n",
    "perl": "1 while 1;\n",
    "lua": "while true do end\n",
    "haskell": (
        "main :: IO ()\nmain = print (go 0)\n  where\n    go :: Int -> Int\n    go n = go (n + 1)\n"
    ),
    "pascal": "program endless;\nbegin\n  while true do ;\nend.\n",
    "fortran": (
        "program endless\n  implicit none\n  integer, volatile :: n\n"
        "  n = 0\n  do\n    n = n + 1\n  end do\nend program endless\n"
    ),
    "kotlin": "fun main() {\n    while (true) {}\n}\n",
    "r": "repeat {}\n",
    "ocaml": "let rec loop () = loop ()\nlet () = loop ()\n",
}


@cache
def toml(lang: str) -> dict[str, Any]:
    return tomllib.loads((IMAGES / lang / "language.toml").read_text(encoding="utf-8"))


def selftest(lang: str) -> str:
    path = IMAGES / lang / f"selftest.{toml(lang)['extension']}"
    return path.read_text(encoding="utf-8")


def requests_for(lang: str) -> dict[str, dict[str, Any]]:
    """The conformance requests of one language, by case."""
    cases: dict[str, dict[str, Any]] = {
        "echo": {"code": selftest(lang), "testCases": ECHO_TESTS},
        "sum": {"code": SUM[lang], "testCases": SUM_TESTS, "expectedOutputs": SUM_EXPECTED},
        "runtime_error": {"code": RUNTIME_ERROR[lang], "testCases": [""]},
        "endless": {"code": ENDLESS[lang], "testCases": [""], "timeLimitMs": TLE_LIMIT_MS},
    }
    if lang in COMPILE_ERROR:
        cases["compile_error"] = {"code": COMPILE_ERROR[lang], "testCases": ["1\n", "2\n"]}
    for body in cases.values():
        body["language"] = lang
    return cases


@pytest.fixture(scope="module")
def available(server: RunningServer) -> dict[str, dict[str, Any]]:
    """The languages the server offers: those whose image is built."""
    with server.client() as client:
        resp = client.get("/languages")
    assert resp.status_code == 200, resp.text
    return {lang["id"]: lang for lang in resp.json()}


class Outcomes:
    """Answers per language and case.  A language's requests are sent together on
    first use, so the server's two container slots are both busy; each test then
    checks its own answer."""

    def __init__(self, server: RunningServer, available: dict[str, dict[str, Any]]) -> None:
        self.server = server
        self.available = available
        self.answers: dict[str, dict[str, httpx.Response]] = {}

    def _post(self, body: dict[str, Any]) -> httpx.Response:
        with self.server.client() as client:
            return client.post("/isolatedTest", json=body)

    def get(self, lang: str, case: str) -> Any:
        if lang not in self.available:
            problem = f"image coderunner/{lang} is not built (images/build.sh {lang})"
            unavailable(problem)
        if lang not in self.answers:
            cases = requests_for(lang)
            with concurrent.futures.ThreadPoolExecutor(len(cases)) as pool:
                futures = {name: pool.submit(self._post, body) for name, body in cases.items()}
                self.answers[lang] = {name: f.result() for name, f in futures.items()}
        resp = self.answers[lang][case]
        assert resp.status_code == 200, resp.text
        body = resp.json()
        n = len(requests_for(lang)[case]["testCases"])
        for key in ("stdout", "stderr", "timestamps", "results"):
            assert len(body[key]) == n, key
        return body


@pytest.fixture(scope="module")
def outcomes(server: RunningServer, available: dict[str, dict[str, Any]]) -> Outcomes:
    return Outcomes(server, available)


def statuses(body: Any) -> list[str]:
    return [r["status"] for r in body["results"]]


def explain(body: Any) -> str:
    """What to print when an assertion fails: enough to see what the toolchain said."""
    return (
        f"statuses={statuses(body)} compilerErrors={body['compilerErrors'][-2000:]!r} "
        f"stdout={[s[-300:] for s in body['stdout']]!r} "
        f"stderr={[s[-1000:] for s in body['stderr']]!r}"
    )


def test_every_language_has_programs() -> None:
    assert {"python", "c", "cpp"} <= set(LANGUAGES)
    for table in (SUM, RUNTIME_ERROR, ENDLESS):
        assert set(table) == set(LANGUAGES), set(LANGUAGES) ^ set(table)
    compiled = {lang for lang in LANGUAGES if toml(lang).get("compile")}
    assert set(COMPILE_ERROR) == compiled, set(COMPILE_ERROR) ^ compiled
    for lang in LANGUAGES:
        assert toml(lang)["id"] == lang
        assert (IMAGES / lang / f"selftest.{toml(lang)['extension']}").is_file(), lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_listed_with_version(available: dict[str, dict[str, Any]], lang: str) -> None:
    if lang not in available:
        problem = f"image coderunner/{lang} is not built (images/build.sh {lang})"
        unavailable(problem)
    entry = available[lang]
    assert entry["extension"] == toml(lang)["extension"]
    assert entry["compiled"] is bool(toml(lang).get("compile"))
    assert any(ch.isdigit() for ch in entry["version"]), entry


@pytest.mark.parametrize("lang", LANGUAGES)
def test_selftest_echoes_stdin(outcomes: Outcomes, lang: str) -> None:
    body = outcomes.get(lang, "echo")
    assert statuses(body) == ["OK"] * len(ECHO_TESTS), explain(body)
    assert body["stdout"] == ECHO_TESTS, explain(body)
    assert body["compilerErrors"] == ""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sum_of_numbers(outcomes: Outcomes, lang: str) -> None:
    body = outcomes.get(lang, "sum")
    assert statuses(body) == ["AC"] * len(SUM_TESTS), explain(body)
    assert body["stdout"] == SUM_EXPECTED, explain(body)


@pytest.mark.parametrize("lang", sorted(COMPILE_ERROR))
def test_compile_error_is_ce(outcomes: Outcomes, lang: str) -> None:
    body = outcomes.get(lang, "compile_error")
    assert statuses(body) == ["CE", "CE"], explain(body)
    assert "undefined_thing" in body["compilerErrors"], explain(body)
    assert body["stdout"] == ["", ""]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_runtime_error_is_re(outcomes: Outcomes, lang: str) -> None:
    body = outcomes.get(lang, "runtime_error")
    assert statuses(body) == ["RE"], explain(body)
    result = body["results"][0]
    assert result["exitCode"] != 0 or result["signal"] is not None, result


@pytest.mark.parametrize("lang", LANGUAGES)
def test_endless_loop_is_tle(outcomes: Outcomes, lang: str) -> None:
    body = outcomes.get(lang, "endless")
    assert statuses(body) == ["TLE"], explain(body)
    assert body["results"][0]["timeMs"] >= 0.8 * TLE_LIMIT_MS, body["results"][0]
