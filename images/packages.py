#!/usr/bin/env python3
"""The curated libraries of a language image (SPEC section 12), for images/build.sh.

A language lists them as data in images/<id>/language.toml:

    [[packages]]
    name = "numpy"            # what GET /languages shows
    debian = "python3-numpy"  # the Debian package installed at image build
    stub = ["..."]            # optional: Debian dependencies never used at run time,
                              # satisfied by empty stub packages instead

    debs <id>     prints the Debian package names, space-separated (the Dockerfile's
                  PACKAGES build argument; empty when the language has none)
    stubs <id>    prints the names to stub (the Dockerfile's STUBS build argument)
    label <id>    reads `dpkg-query -W -f '${Package}\\t${Version}\\n'` output (run in
                  the built image) on stdin and prints the coderunner.packages label:
                  [{"name", "version"}] as compact JSON, the upstream part of each
                  Debian version ("1:1.24.2-1+deb12u1" -> "1.24.2")

Only the standard library: it runs on the build host before any venv exists
(coderunner/languages.py, whose checks of [[packages]] it shares with `coderunner
check`, is standard-library only for this reason).
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from coderunner.languages import package_entries

# Debian version: [epoch:]upstream[-revision]; the upstream part's leading
# dotted number is what a user knows ("4.17.21+dfsg+~cs8..." -> "4.17.21").
_UPSTREAM = re.compile(r"^(?:\d+:)?(\d+(?:\.\d+)*)")


def packages(lang_id: str) -> list[dict[str, Any]]:
    where = Path(__file__).resolve().parent / lang_id / "language.toml"
    try:
        return package_entries(tomllib.loads(where.read_text(encoding="utf-8")), where)
    except (OSError, ValueError) as exc:  # LanguageError and TOMLDecodeError included
        raise SystemExit(f"packages.py: {exc}") from exc


def upstream(version: str) -> str:
    match = _UPSTREAM.match(version.strip())
    return match.group(1) if match else version.strip()[:40]


def label(lang_id: str, dpkg_lines: str) -> str:
    versions: dict[str, str] = {}
    for line in dpkg_lines.splitlines():
        deb, _, version = line.partition("\t")
        if version:
            versions[deb.strip()] = upstream(version)
    out = []
    for entry in packages(lang_id):
        found = versions.get(entry["debian"])
        if not found:  # asked for but not installed: the build is wrong
            raise SystemExit(f"packages.py: {entry['debian']} is not installed in the image")
        out.append({"name": entry["name"], "version": found})
    return json.dumps(out, separators=(",", ":"))


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("debs", "stubs", "label"):
        print("usage: packages.py debs|stubs|label <language id>", file=sys.stderr)
        return 2
    if argv[1] == "debs":
        print(" ".join(entry["debian"] for entry in packages(argv[2])))
    elif argv[1] == "stubs":
        print(" ".join(sorted({s for entry in packages(argv[2]) for s in entry.get("stub", [])})))
    else:
        print(label(argv[2], sys.stdin.read()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
