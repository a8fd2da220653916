#!/bin/bash
# Build the sandbox images: rootfs (only if missing) -> coderunner/base ->
# coderunner/<id> for each language folder (one holding language.toml), then
# label each with coderunner.language and coderunner.version.
#
# Usage: images/build.sh [-j N] [id ...]   (default: every language folder)
#
# The language images depend only on the base, so they are built N at a time
# (-j N, or BUILD_JOBS; default 3): most of a build is waiting for package
# downloads and dpkg, which overlap well even on two cores.  Each build writes
# to its own log; a failure is reported with the image's name and the log's
# tail, the others go on, and the script exits non-zero at the end.
#
# Environment:
#   IMAGE_PREFIX (default "coderunner/") names the images: another prefix builds a
#       separate set beside the installed one (docker.image_prefix in the config).
#   BUILD_JOBS   concurrent language builds (default 3).
#   BUILD_NO_CACHE=1  build without docker's layer cache (to measure a fresh install
#       without deleting anyone's cache: use it with a separate IMAGE_PREFIX).
#   BUILD_LOG_DIR  where the per-image logs go (default: a temporary directory,
#       removed when every build worked).
#
# The version label is the first line printed by the language's `version_command`
# (language.toml), run in the built image: one place reads toolchain versions.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

jobs=${BUILD_JOBS:-3}
langs=()
while (($#)); do
    case $1 in
        -j) jobs=${2:-}; shift 2 ;;
        -j*) jobs=${1#-j}; shift ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        *) langs+=("$1"); shift ;;
    esac
done
[[ $jobs =~ ^[1-9][0-9]?$ ]] || { echo "build.sh: -j / BUILD_JOBS must be 1..99, got '$jobs'" >&2; exit 2; }
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
cache=()
[[ ${BUILD_NO_CACHE:-0} == 1 ]] && cache=(--no-cache)
logs=${BUILD_LOG_DIR:-}
if [[ -z $logs ]]; then
    logs=$(mktemp -d "${TMPDIR:-/tmp}/coderunner-build.XXXXXX")
    own_logs=1
else
    mkdir -p "$logs"
    own_logs=0
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
size_mb() { docker image inspect -f '{{.Size}}' "$1" | awk '{ printf "%.0f MB", $1 / 1e6 }'; }

# The first line `version_command` prints in the image (stdout or stderr).
version_of() {   # version_of <id> <image>
    local cmd out
    cmd=$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb")).get("version_command", ""))' \
        "$1/language.toml") || return 1
    [[ -n $cmd ]] || { echo "build.sh: $1/language.toml has no version_command" >&2; return 1; }
    # Whole output first: a pipe closed early would fail the command with SIGPIPE.
    out=$(docker run --rm --network none --entrypoint /bin/sh "$2" -c "$cmd" 2>&1) ||
        { printf 'build.sh: version_command of %s failed:\n%s\n' "$1" "$out" >&2; return 1; }
    printf '%s\n' "$out" | sed -n '/[^[:space:]]/{p;q}' | tr -cd '[:print:]'
}

# build_one <id>: build, version, label; all output to $logs/<id>.log; the last
# line of $logs/<id>.result is "<seconds> <size> <version>" when it worked.
build_one() {
    local id=$1 img=$prefix$1 t0 t1 version debs packages='[]'
    t0=$(now)
    # The curated libraries ([[packages]] in language.toml, images/packages.py):
    # Debian packages the Dockerfile installs (ARG PACKAGES), and their versions
    # read back from the built image into the coderunner.packages label.
    debs=$(python3 packages.py debs "$id") || return 1
    if [[ -n $debs ]]; then
        docker build "${cache[@]}" --build-arg "BASE=${prefix}base" \
            --build-arg "PACKAGES=$debs" --build-arg "STUBS=$(python3 packages.py stubs "$id")" \
            -t "$img" -f "$id/Dockerfile" . || return 1
        # shellcheck disable=SC2086  # one word per package name (checked by packages.py)
        packages=$(docker run --rm --network none --entrypoint dpkg-query "$img" \
            -W -f '${Package}\t${Version}\n' $debs | python3 packages.py label "$id") || return 1
    else
        docker build "${cache[@]}" --build-arg "BASE=${prefix}base" -t "$img" -f "$id/Dockerfile" . || return 1
    fi
    version=$(version_of "$id" "$img") || return 1
    [[ -n $version ]] || { echo "build.sh: version_command of $id printed nothing" >&2; return 1; }
    # A one-line rebuild only adds labels (no layer), so it is cached next time.
    printf 'FROM %s\n' "$img" | docker build -q \
        --label "coderunner.language=$id" --label "coderunner.version=$version" \
        --label "coderunner.packages=$packages" \
        -t "$img" - >/dev/null
    t1=$(now)
    printf '%s\t%s\t%s\n' "$(elapsed "$t0" "$t1")" "$(size_mb "$img")" "$version" >"$logs/$id.result"
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
t0=$(now)
echo "=== ${prefix}base"
docker build "${cache[@]}" -t "${prefix}base" -f base/Dockerfile . ||
    { echo "build.sh: building ${prefix}base failed" >&2; exit 1; }
base_time=$(elapsed "$t0" "$(now)")
echo "${prefix}base: $base_time s"

echo "=== ${#langs[@]} language images, $jobs at a time (logs: $logs)"
t_all=$(now)
declare -A running=()   # pid -> id
failed=()
reap() {   # wait for one build to end and report it
    local pid id
    wait -n -p pid "${!running[@]}" && rc=0 || rc=$?
    id=${running[$pid]}
    unset "running[$pid]"
    if ((rc == 0)) && [[ -s $logs/$id.result ]]; then
        IFS=$'\t' read -r secs size version <"$logs/$id.result"
        printf 'ok     %-22s %6s s  %8s  %s\n' "$prefix$id" "$secs" "$size" "$version"
    else
        failed+=("$id")
        printf 'FAILED %s (exit %s); last lines of %s:\n' "$prefix$id" "$rc" "$logs/$id.log" >&2
        tail -n 25 "$logs/$id.log" | sed 's/^/    | /' >&2
    fi
}
for id in "${langs[@]}"; do
    while ((${#running[@]} >= jobs)); do reap; done
    rm -f "$logs/$id.result"
    build_one "$id" >"$logs/$id.log" 2>&1 &
    running[$!]=$id
    echo "start  $prefix$id"
done
while ((${#running[@]} > 0)); do reap; done
total=$(elapsed "$t_all" "$(now)")

echo
echo "image                  build time      size  version"
printf '%-22s %6s s\n' "${prefix}base" "$base_time"
for id in "${langs[@]}"; do
    if [[ -s $logs/$id.result ]]; then
        IFS=$'\t' read -r secs size version <"$logs/$id.result"
        printf '%-22s %6s s  %8s  %s\n' "$prefix$id" "$secs" "$size" "$version"
    fi
done
echo "languages: ${#langs[@]} built $jobs at a time in $total s (base: $base_time s)"
if ((${#failed[@]})); then
    echo "build.sh: failed: ${failed[*]} (logs in $logs)" >&2
    exit 1
fi
((own_logs)) && rm -rf "$logs"
exit 0
