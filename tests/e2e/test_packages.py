"""The curated libraries (SPEC section 12): each used by a program inside the sandbox
with the default limits (time, memory, pids 64, no network), through a real server;
GET /languages lists them with their versions (from the image's label)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.helpers import RunningServer

pytestmark = pytest.mark.docker

EXPECTED = {
    "python": {"numpy", "scipy", "sympy", "sortedcontainers"},
    "javascript": {"lodash"},
    "typescript": {"lodash"},
    "csharp": {"Newtonsoft.Json"},
    "c": {"boost"},
    "cpp": {"boost"},
}


def run(server: RunningServer, language: str, code: str, expected: str) -> Any:
    with server.client() as client:
        resp = client.post(
            "/isolatedTest",
            json={
                "language": language,
                "code": code,
                "testCases": [""],
                "expectedOutputs": [expected],
            },
        )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["compilerErrors"] == "", body["compilerErrors"]
    result = body["results"][0]
    assert result["status"] == "AC", (result, body["stdout"][0], body["stderr"][0][-2000:])
    return body


def test_languages_list_packages_with_versions(server: RunningServer) -> None:
    with server.client() as client:
        table = {lang["id"]: lang for lang in client.get("/languages").json()}
    for lang_id, names in EXPECTED.items():
        assert lang_id in table, f"image of {lang_id} not built"
        packages = table[lang_id]["packages"]
        assert {p["name"] for p in packages} == names
        assert all(re.fullmatch(r"\d+(\.\d+)+", p["version"]) for p in packages), packages
    assert table["python"]["trace"] is True and table["c"]["trace"] is False


# A program per library, run inside the sandbox with the default limits:
# name -> (language, code, the expected stdout).
PROGRAMS: dict[str, tuple[str, str, str]] = {
    "numpy_blas_runs_single_threaded_under_the_pids_limit": (
        "python",
        (
            "import numpy as np\n"
            "a = np.arange(1, 250001, dtype=float).reshape(500, 500) % 7\n"
            "b = a @ a.T\n"  # OpenBLAS dgemm
            "x = np.linalg.solve(b + 500 * np.eye(500), np.ones(500))\n"
            "print(b.shape, bool(np.isfinite(x).all()))\n"
            "print([l for l in open('/proc/self/status')\n"
            "       if l.startswith('Threads')][0].split()[1])\n"
        ),
        "(500, 500) True\n1\n",
    ),
    "scipy": (
        "python",
        (
            "from scipy import optimize, sparse\n"
            "from scipy.sparse.linalg import spsolve\n"
            "r = optimize.minimize_scalar(lambda x: (x - 3) ** 2)\n"
            "m = sparse.diags([2.0] * 5).tocsc()\n"
            "print(round(r.x, 4), spsolve(m, [2.0] * 5).tolist())\n"
        ),
        "3.0 [1.0, 1.0, 1.0, 1.0, 1.0]\n",
    ),
    "sympy": (
        "python",
        (
            "import sympy as sp\n"
            "x = sp.symbols('x')\n"
            "print(sp.factor(x**2 - 5*x + 6), sorted(sp.solve(x**2 - 4, x)))\n"
            "print(sp.integrate(sp.sin(x), (x, 0, sp.pi)))\n"
        ),
        "(x - 3)*(x - 2) [-2, 2]\n2\n",
    ),
    "sortedcontainers": (
        "python",
        (
            "from sortedcontainers import SortedList, SortedDict\n"
            "s = SortedList([5, 1, 3]); s.add(2)\n"
            "print(list(s), s.bisect_left(3), list(SortedDict({'b': 1, 'a': 2})))\n"
        ),
        "[1, 2, 3, 5] 2 ['a', 'b']\n",
    ),
    "lodash_javascript": (
        "javascript",
        "const _ = require('lodash');\nconsole.log(JSON.stringify(_.chunk([1, 2, 3], 2)));\n",
        "[[1,2],[3]]\n",
    ),
    "newtonsoft_json_csharp": (
        "csharp",
        (
            "using System;\nusing System.Collections.Generic;\nusing Newtonsoft.Json;\n"
            "class Program {\n  static void Main() {\n"
            '    var d = new Dictionary<string, int> { { "a", 1 } };\n'
            "    Console.WriteLine(JsonConvert.SerializeObject(d));\n"
            "    var back = JsonConvert.DeserializeObject<Dictionary<string, int>>(\n"
            '        "{\\"b\\": 2}");\n'
            '    Console.WriteLine(back["b"]);\n  }\n}\n'
        ),
        '{"a":1}\n2\n',
    ),
    "boost_cpp": (
        "cpp",
        (
            "#include <boost/algorithm/string.hpp>\n"
            "#include <boost/multiprecision/cpp_int.hpp>\n"
            "#include <iostream>\n#include <string>\n"
            "int main() {\n"
            '  std::string s = "hello"; boost::to_upper(s);\n'
            "  boost::multiprecision::cpp_int f = 1;\n"
            "  for (int i = 1; i <= 30; ++i) f *= i;\n"
            "  std::cout << s << ' ' << f << '\\n';\n}\n"
        ),
        "HELLO 265252859812191058636308480000000\n",
    ),
    "boost_preprocessor_c": (
        "c",
        (
            "#include <stdio.h>\n#include <boost/preprocessor/arithmetic/add.hpp>\n"
            "#include <boost/preprocessor/stringize.hpp>\n"
            'int main(void) { printf("%d %s\\n", BOOST_PP_ADD(2, 3), BOOST_PP_STRINGIZE(x)); '
            "return 0; }\n"
        ),
        "5 x\n",
    ),
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_library(server: RunningServer, name: str) -> None:
    language, code, expected = PROGRAMS[name]
    run(server, language, code, expected)


def test_lodash_typescript_with_its_types(server: RunningServer) -> None:
    code = (
        "import * as _ from 'lodash';\n"
        "const total: number = _.sum([1, 2, 3]);\n"
        "console.log(total, _.uniq([1, 1, 2]).length);\n"
    )
    run(server, "typescript", code, "6 2\n")
    # the types are real: a wrong type is a compile error
    with server.client() as client:
        body = client.post(
            "/isolatedTest",
            json={
                "language": "typescript",
                "testCases": [""],
                "code": "import * as _ from 'lodash';\nconst s: string = _.sum([1]);\n",
            },
        ).json()
    assert "TS2322" in body["compilerErrors"] and body["results"][0]["status"] == "CE"
