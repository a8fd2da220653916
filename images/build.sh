#!/bin/bash
# Build the sandbox images: rootfs (only if missing) -> coderunner/base ->
# coderunner/<id> for each language folder (one holding language.toml), then
# label each with coderunner.language and coderunner.version.
# Usage: images/build.sh [id ...]     (default: every language folder)
# IMAGE_PREFIX (default "coderunner/") names the images: another prefix builds a
# separate set beside the installed one (docker.image_prefix in the config).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

langs=("$@")
if ((${#langs[@]} == 0)); then
    for f in */language.toml; do
        [[ -e $f ]] && langs+=("${f%/language.toml}")
    done
fi
for id in "${langs[@]}"; do
    [[ $id =~ ^[a-z0-9][a-z0-9_+-]*$ && -f $id/language.toml && -f $id/Dockerfile ]] ||
        { echo "build.sh: '$id' is no language folder of images/" >&2; exit 2; }
done

prefix=${IMAGE_PREFIX:-coderunner/}
[[ $prefix =~ ^[a-z0-9][a-z0-9._/-]*/$ ]] || { echo "build.sh: bad IMAGE_PREFIX '$prefix'" >&2; exit 2; }
report=()
now() { date +%s.%N; }
size_mb() { docker image inspect -f '{{.Size}}' "$1" | awk '{ printf "%.0f MB", $1 / 1e6 }'; }

build() {   # build <image> <dockerfile> [docker build argument ...]
    local t0 t1 img=$1 file=$2
    shift 2
    t0=$(now)
    echo "=== $img"
    docker build --build-arg "BASE=${prefix}base" "$@" -t "$img" -f "$file" . ||
        { echo "build.sh: building $img failed" >&2; exit 1; }
    t1=$(now)
    report+=("$(awk -v a="$t0" -v b="$t1" -v n="$img" -v s="$(size_mb "$img")" \
        'BEGIN { printf "%-22s %6.1f s  %s", n, b - a, s }')")
}

"$here/base/build-rootfs.sh"
# Build stages that fetch from a package registry over TLS (the npm registry:
# chai for the JS/TS unit-test harness) trust what this host trusts: a network
# that inspects TLS has its CA in the host's bundle only.  The bundle is used
# in the build stage only; no image keeps it.
mkdir -p "$here/.build"
if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
    cp /etc/ssl/certs/ca-certificates.crt "$here/.build/host-ca.crt"
else
    : >"$here/.build/host-ca.crt"
fi
build "${prefix}base" base/Dockerfile
for id in "${langs[@]}"; do
    img=$prefix$id
    # The curated libraries ([[packages]] in language.toml, images/packages.py):
    # Debian packages the Dockerfile installs (ARG PACKAGES), and their versions
    # read back from the built image into the coderunner.packages label.
    debs=$(python3 packages.py debs "$id")
    if [[ -n $debs ]]; then
        build "$img" "$id/Dockerfile" --build-arg "PACKAGES=$debs" \
            --build-arg "STUBS=$(python3 packages.py stubs "$id")"
        # shellcheck disable=SC2086  # one word per package name (checked by packages.py)
        packages=$(docker run --rm --network none --entrypoint dpkg-query "$img" \
            -W -f '${Package}\t${Version}\n' $debs | python3 packages.py label "$id")
    else
        build "$img" "$id/Dockerfile"
        packages='[]'
    fi
    version=$(docker run --rm --network none --entrypoint cat "$img" /opt/coderunner/version |
        head -n 1 | tr -cd '[:print:]')
    [[ -n $version ]] || { echo "build.sh: $img has no /opt/coderunner/version" >&2; exit 1; }
    # A one-line rebuild only adds labels (no layer), so it is cached next time.
    printf 'FROM %s\n' "$img" | docker build -q \
        --label "coderunner.language=$id" --label "coderunner.version=$version" \
        --label "coderunner.packages=$packages" \
        -t "$img" - >/dev/null
    echo "$img: $version; packages: $packages"
done

echo
echo "image                  build time  size"
printf '%s\n' "${report[@]}"
