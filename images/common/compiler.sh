# shellcheck shell=bash
# Sourced by entry.sh (PID 1); see the note there on why this is no script.
#
# cr_compile: compile the source in the current directory once with
# $CR_COMPILE; compiler stdout+stderr go to logCompile (capped), crrun's line
# to compile.result.  Succeeds when there is something to run: an interpreted
# language (empty $CR_COMPILE), or exit 0 without signal or timeout.
# Uses cr_crrun, cr_kill_all and cr_fail_line from tester.sh.

cr_compile() {
    : >"$CR_OUT/logCompile"
    [[ -n $CR_COMPILE ]] || return 0
    local limit=$CR_COMPILE_TIME_LIMIT_MS line=
    # A long but harmless warning log must not turn into CE, so the log is
    # only truncated (--truncate-only); the time limit bounds a flood.
    cr_crrun $(((2 * limit + 999) / 1000 + 10)) --cpu-ms "$limit" --wall-ms $((2 * limit)) \
        --cap "$CR_MAX_COMPILE_LOG_BYTES" --truncate-only \
        --stdout "$CR_OUT/logCompile" --stderr "$CR_OUT/logCompile" \
        --result - --kill-all --mem-kb "$CR_MEM_KB" \
        -- sh -c "$CR_COMPILE"
    line=$CR_LINE   # cr_crrun (tester.sh): a deadline, crrun's last line
    cr_kill_all   # some compile recipes run code of the submission (macros, build scripts)
    [[ $line == exit=* ]] || line=$(cr_fail_line crrun_failed)
    rm -rf "$CR_OUT/compile.result"
    printf '%s\n' "$line" >"$CR_OUT/compile.result"
    [[ $line =~ ^exit=0\ signal=0\ .*\ timeout=none\ oom=0\ ole=0\ error=-$ ]]
}
