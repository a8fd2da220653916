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

Only the standard library: it runs on the build host before any venv exists.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

_DEB = re.compile(r"^[a-z0-9][a-z0-9.+-]+$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")
# Debian version: [epoch:]upstream[-revision]; the upstream part's leading
# dotted number is what a user knows ("4.17.21+dfsg+~cs8..." -> "4.17.21").
_UPSTREAM = re.compile(r"^(?:\d+:)?(\d+(?:\.\d+)*)")


def packages(lang_id: str) -> list[dict[str, str]]:
    where = Path(__file__).resolve().parent / lang_id / "language.toml"
    data = tomllib.loads(where.read_text(encoding="utf-8"))
    found = data.get("packages", [])
    if not isinstance(found, list):
        raise SystemExit(f"packages.py: {where}: [[packages]] must be an array of tables")
    for entry in found:
        if not (isinstance(entry, dict) and _NAME.match(str(entry.get("name", "")))
                and _DEB.match(str(entry.get("debian", "")))):
            raise SystemExit(f"packages.py: {where}: each [[packages]] needs name and debian")
        stub = entry.get("stub", [])
        if not (isinstance(stub, list) and all(_DEB.match(str(s)) for s in stub)):
            raise SystemExit(f"packages.py: {where}: stub must be a list of Debian package names")
    return found


def upstream(version: str) -> str:
    match = _UPSTREAM.match(version.strip())
    return match.group(1) if match else version.strip()[:40]


def label(lang_id: str, dpkg_lines: str) -> str:
    versions = {}
    for line in dpkg_lines.splitlines():
        deb, _, version = line.partition("\t")
        if version:
            versions[deb.strip()] = upstream(version)
    out = []
    for entry in packages(lang_id):
        version = versions.get(entry["debian"])
        if not version:   # asked for but not installed: the build is wrong
            raise SystemExit(f"packages.py: {entry['debian']} is not installed in the image")
        out.append({"name": entry["name"], "version": version})
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
