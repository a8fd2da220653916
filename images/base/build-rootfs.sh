#!/bin/bash
# Make the local image every CodeRunner image starts from, unless it exists:
# debian:bookworm-slim when a registry answers, else a minbase debootstrap
# imported with `docker import` (hosts without registry access).
# Usage: build-rootfs.sh   (env CODERUNNER_ROOTFS_TAG overrides the tag)
set -euo pipefail

TAG=${CODERUNNER_ROOTFS_TAG:-coderunner/rootfs:bookworm}
SUITE=bookworm
PULL_TIMEOUT=20
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if docker image inspect "$TAG" >/dev/null 2>&1; then
    echo "rootfs: $TAG exists"
    exit 0
fi

if timeout "$PULL_TIMEOUT" docker pull -q "debian:$SUITE-slim" >/dev/null 2>&1; then
    docker tag "debian:$SUITE-slim" "$TAG"
    echo "rootfs: $TAG = debian:$SUITE-slim"
    exit 0
fi
echo "rootfs: no registry reachable, building $TAG with debootstrap"

[[ $(id -u) == 0 ]] || { echo "rootfs: debootstrap needs root" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "rootfs: debootstrap is not installed" >&2; exit 1; }

# "<uri> <suite>" for every enabled binary source of the host, from both the
# one-line and the deb822 formats.
host_sources() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f $f ]] || continue
        awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) while (i <= NF && $i !~ /\]$/) i++;
                           if ($2 ~ /^\[/) i++; if (i + 1 <= NF) print $i, $(i + 1) }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] || continue
        awk 'function flush() { if (types ~ /(^| )deb( |$)/ && enabled != "no")
                                    for (u in uris) for (s in suites) print uris[u], suites[s]
                                types = ""; enabled = ""; split("", uris); split("", suites) }
             /^[ \t]*$/ { flush(); next }
             /^#/ { next }
             { key = tolower($1); sub(/:$/, "", key); $1 = "" ; sub(/^ /, "") }
             key == "types" { types = $0 }
             key == "enabled" { enabled = tolower($0) }
             key == "uris" { split($0, uris, " ") }
             key == "suites" { split($0, suites, " ") }
             END { flush() }' "$f"
    done
}

uri_for() { host_sources | awk -v s="$1" '$2 == s { print $1; exit }'; }
mirror=$(uri_for "$SUITE")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
# An empty mirror argument means debootstrap's own default.
debootstrap --variant=minbase "$SUITE" "$root" ${mirror:+"$mirror"}

if [[ -n $mirror ]]; then
    {
        echo "deb $mirror $SUITE main"
        for s in "$SUITE-updates" "$SUITE-security"; do
            u=$(uri_for "$s")
            [[ -z $u ]] || echo "deb $u $s main"
        done
    } >"$root/etc/apt/sources.list"
fi

# Slim it like Debian's -slim images: later apt installs skip docs too.
install -m 0644 "$here/dpkg-slim.cfg" "$root/etc/dpkg/dpkg.cfg.d/coderunner-slim"
find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
rm -rf "$root"/usr/share/{man,info,locale,lintian,groff}/* \
       "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/log/*.log

tar -C "$root" --numeric-owner -c . | docker import - "$TAG" >/dev/null
echo "rootfs: imported $TAG ($(docker image inspect -f '{{.Size}}' "$TAG") bytes)"
