#!/bin/sh
# Compile recipe of the Go unit-test harness: the tests (solution_test.go) and
# our runner join the package of the user's code, whatever package clause the
# tests carry; `go test -c` builds one test binary, offline, in GOPATH mode.
set -e
pkg=$(sed -n 's/^[[:space:]]*package[[:space:]]\{1,\}\([A-Za-z_][A-Za-z0-9_]*\).*/\1/p' source.go | head -n 1)
[ -n "$pkg" ] || { echo "source.go: no package clause (package main or package solution)" >&2; exit 1; }
# An empty preloaded.go (none was sent) is no Go file at all.
if [ -f preloaded.go ] && ! grep -q '[^[:space:]]' preloaded.go; then rm -f preloaded.go; fi
for f in solution_test.go preloaded.go; do
    [ -f "$f" ] || continue
    if grep -q '^[[:space:]]*package[[:space:]]' "$f"; then
        sed -i "0,/^[[:space:]]*package[[:space:]].*/s//package $pkg/" "$f"
    else
        { echo "package $pkg"; cat "$f"; } > "$f.tmp" && mv "$f.tmp" "$f"
    fi
done
sed "s/^package PACKAGE$/package $pkg/" /opt/coderunner/harness/go/harness_test.go > zz_coderunner_harness_test.go
CGO_ENABLED=0 GO111MODULE=off GOFLAGS="" GOCACHE=/tmp/.gocache GOPATH=/tmp/.gopath exec go test -c -o main.test .
