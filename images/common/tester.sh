# shellcheck shell=bash
# Sourced by entry.sh (PID 1); see the note there on why this is no script.
#
# cr_run_tests: run "$CR_RUN" once per test case of input/testcases (format:
# docs/DESIGN.md §2) under crrun, each from a pristine copy of the work dir,
# and keep output/testCaseLog at one line "<i> <crrun result line>" per
# finished test.

cr_fail_line() {
    printf 'exit=-1 signal=0 cpu_ms=0.000 wall_ms=0.000 maxrss_kb=0 stdout_bytes=0 '
    printf 'stderr_bytes=0 stdout_truncated=0 stderr_truncated=0 timeout=none oom=0 ole=0 '
    printf 'error=%s\n' "$1"
}

# Leave nothing a previous test wrote: the next one starts from the compiled
# snapshot, with /tmp and /dev/shm otherwise empty.  Nothing else runs now.
cr_reset_tmp() {
    cd / || return 1
    find /tmp /dev/shm -mindepth 1 -maxdepth 1 ! -path "$CR_STATE" -exec rm -rf {} + 2>/dev/null
    find "$CR_STATE" -mindepth 1 -maxdepth 1 ! -name build -exec rm -rf {} + 2>/dev/null
    cp -a "$CR_STATE/build" "$CR_WORK" && cd "$CR_WORK" || return 1
}

# If the program killed its crrun, its processes are still there: kill(-1)
# from PID 1 itself is the one thing they cannot outrun.
cr_kill_all() {
    kill -s KILL -- -1 2>/dev/null
    return 0
}

cr_run_tests() {
    local tc=$CR_IN/testcases log=$CR_OUT/testCaseLog
    local -a hdr lines=()
    local n i len off=0 line

    mapfile -t -n $((CR_TESTS + 1)) hdr <"$tc" || return 1
    [[ ${hdr[0]:-} =~ ^CRTC1\ ([0-9]+)$ && ${BASH_REMATCH[1]} == "$CR_TESTS" ]] || return 1
    n=$CR_TESTS
    for line in "${hdr[@]}"; do off=$((off + ${#line} + 1)); done
    for ((i = 1; i <= n; i++)); do [[ ${hdr[i]:-} =~ ^[0-9]{1,12}$ ]] || return 1; done

    rm -rf "$CR_STATE/build" && cp -a "$CR_WORK" "$CR_STATE/build" || return 1
    for ((i = 0; i < n; i++)); do
        len=${hdr[i + 1]}
        line=
        if cr_reset_tmp &&
            dd if="$tc" of="$CR_STATE/in" bs=65536 iflag=skip_bytes,count_bytes \
                skip="$off" count="$len" status=none; then
            # $(...) of one simple command forks and execs crrun directly, so
            # its parent is still PID 1; the result comes back through a pipe
            # the program cannot reach.
            line=$("$CRRUN" --cpu-ms "$CR_TIME_LIMIT_MS" --wall-ms "$CR_WALL_LIMIT_MS" \
                --cap "$CR_MAX_OUTPUT_BYTES" --stdin "$CR_STATE/in" \
                --stdout "$CR_OUT/$i.out" --stderr "$CR_OUT/$i.err" \
                --result - --kill-all \
                -- sh -c "exec $CR_RUN")
        fi
        cr_kill_all
        [[ $line == exit=* ]] || line=$(cr_fail_line crrun_failed)
        lines+=("$i $line")
        off=$((off + len))
        # The test may have replaced the log by a symlink, a FIFO or a fake:
        # rewrite it whole from what PID 1 holds.
        rm -rf "$log"
        printf '%s\n' "${lines[@]}" >"$log"
    done
}
