#!/opt/coderunner/bash
# PID 1 of every session container (docs/DESIGN.md §3).
#
# The tests run from this process on purpose: crrun --kill-all ends each test
# with kill(-1, SIGKILL), which spares only PID 1 and crrun itself, so the
# steps are sourced functions and never a child bash.
#
# The interpreter is a copy of bash that its uid may run but not read: the
# kernel then makes this process non-dumpable, so a test program (same uid)
# cannot ptrace PID 1 to stop it or rewrite what it reports.
#
# Exit status: 0 when the pipeline worked, whatever the verdicts; 3: bad
# environment, job or source; 4: malformed input/testcases.
set -uo pipefail
umask 022
# Signals the program may send us: all ignored but KILL, STOP (impossible) and
# CHLD (bash's own).  Linux drops a signal PID 1 has no handler for, but bash
# handles many (and then exits), and gVisor drops none (a SIGSTKFLT killed PID 1).
for ((cr_sig = 1; cr_sig <= 64; cr_sig++)); do
    case $cr_sig in 9 | 17 | 19) ;; *) trap '' "$cr_sig" 2>/dev/null ;; esac
done
LC_ALL=C   # byte lengths and [[ =~ ]] in the C locale; not exported to the program

# shellcheck disable=SC2034  # used by the sourced compiler.sh and tester.sh
{
    CR_HOME=/opt/coderunner
    CR_IN=/session/input
    CR_OUT=/session/output
    CR_WORK=/tmp/work
    CR_STATE=/tmp/.cr          # compiled snapshot and per-test scratch
    CRRUN=$CR_HOME/crrun
}

die() {
    printf 'entry.sh: %s\n' "$*" >&2
    exit 3
}

# shellcheck source=compiler.sh
. "$CR_HOME/compiler.sh" || die "cannot load compiler.sh"
# shellcheck source=tester.sh
. "$CR_HOME/tester.sh" || die "cannot load tester.sh"

# The done nonce (docs/DESIGN.md §5) comes in a file the handler wrote into
# output/, deleted here before any untrusted code runs.  Not through the
# environment: gVisor lets the program read /proc/1/environ even when PID 1 is
# not dumpable.
CR_DONE_NONCE=
if [[ -f $CR_OUT/.nonce && ! -L $CR_OUT/.nonce ]]; then
    IFS= read -r CR_DONE_NONCE <"$CR_OUT/.nonce" || CR_DONE_NONCE=
fi
rm -f -- "$CR_OUT/.nonce"
[[ ! -e $CR_OUT/.nonce ]] || die "cannot remove the nonce file"

# Before a warm container's wait: one process less between "go" and the program.
mkdir -p "$CR_WORK" "$CR_STATE" || die "cannot create $CR_WORK"

# A warm container is started before its session exists: it waits on
# the FIFO input/go until the server has staged the code, then takes the
# per-request values from input/job (KEY=VALUE, whitelisted, never sourced).
if [[ -p $CR_IN/go ]]; then
    IFS= read -r _ <"$CR_IN/go" || die "the go signal was closed"
    [[ -f $CR_IN/job && ! -L $CR_IN/job ]] || die "no job file"
    while IFS='=' read -r key val; do
        case "$key" in
            CR_SOURCE|CR_TESTS|CR_TIME_LIMIT_MS|CR_WALL_LIMIT_MS|CR_MEMORY_LIMIT_MB|\
            CR_MAX_OUTPUT_BYTES|CR_COMPILE_TIME_LIMIT_MS|CR_MAX_COMPILE_LOG_BYTES)
                [[ $val =~ ^[A-Za-z0-9._-]*$ ]] || die "bad job value for $key"
                printf -v "$key" '%s' "$val" ;;
            # A task kind (unit test, function test, trace) brings its own
            # recipes and files; they are data for crrun and cp, never eval'ed.
            CR_COMPILE|CR_RUN)
                [[ $val =~ ^[[:print:]]*$ ]] || die "bad job value for $key"
                printf -v "$key" '%s' "$val" ;;
            CR_FILES)
                [[ $val =~ ^[A-Za-z0-9._\ -]*$ ]] || die "bad job value for $key"
                printf -v "$key" '%s' "$val" ;;
            *) die "unknown job key $key" ;;
        esac
    done <"$CR_IN/job"
fi

num='^[1-9][0-9]{0,11}$'
for v in CR_TESTS CR_TIME_LIMIT_MS CR_WALL_LIMIT_MS CR_MAX_OUTPUT_BYTES \
         CR_COMPILE_TIME_LIMIT_MS CR_MAX_COMPILE_LOG_BYTES; do
    [[ ${!v:-} =~ $num ]] || die "$v missing or not a positive integer"
done
name_re='^[A-Za-z0-9_][A-Za-z0-9._-]*$'
[[ ${CR_SOURCE:-} =~ $name_re ]] || die "bad CR_SOURCE"
# Files besides the source that the recipe needs (a harness, the tests of a
# unit-test run, a preloaded module): names of input/, space-separated.
read -r -a cr_files <<<"${CR_FILES:-}"
for f in "${cr_files[@]}"; do
    [[ $f =~ $name_re && $f != testcases && $f != job ]] || die "bad name in CR_FILES: $f"
done
[[ -n ${CR_RUN:-} ]] || die "CR_RUN is empty"
CR_COMPILE=${CR_COMPILE:-}
# Without a memory cgroup in the container (gVisor) crrun plays the OOM killer
# at the container's memory (crrun.c, --mem-kb); 0 = off.
CR_MEM_KB=0   # used by the sourced compiler.sh and tester.sh
# shellcheck disable=SC2034
if [[ ${CR_CONTAINER_MEMORY_MB:-} =~ $num ]]; then CR_MEM_KB=$((CR_CONTAINER_MEMORY_MB * 1024)); fi
# The program needs none of these, and must never see the nonce.
export -n CR_SOURCE CR_COMPILE CR_RUN CR_TESTS CR_TIME_LIMIT_MS CR_WALL_LIMIT_MS \
          CR_MEMORY_LIMIT_MB CR_MAX_OUTPUT_BYTES CR_COMPILE_TIME_LIMIT_MS CR_MAX_COMPILE_LOG_BYTES \
          CR_DONE_NONCE CR_CONTAINER_MEMORY_MB CR_FILES

export HOME=$CR_WORK TMPDIR=/tmp LANG=${LANG:-C.UTF-8}
export PATH=/usr/local/bin:/usr/bin:/bin

cp -- "$CR_IN/$CR_SOURCE" "${cr_files[@]/#/$CR_IN/}" "$CR_WORK/" || die "cannot copy the source"
cd "$CR_WORK" || die "cannot enter $CR_WORK"

# From here on untrusted code runs.  PID 1 keeps no descriptor that leads out
# of the container: under gVisor the program can open /proc/1/fd/N, and
# stdout/stderr are docker's pipes to the handler on the host.
exec </dev/null >/dev/null 2>&1
if cr_compile; then
    cr_run_tests || exit 4
fi
# Tell the handler the results are final (docs/DESIGN.md §5): it calls back
# without waiting for this container's teardown.  Nothing of the program runs
# any more, and only PID 1 knows the nonce.
if [[ -p $CR_IN/done ]]; then
    printf 'done %s\n' "$CR_DONE_NONCE" >"$CR_IN/done" || true
fi
exit 0
