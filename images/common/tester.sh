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

# If the program killed its crrun, its processes are still there: kill(-1)
# from PID 1 itself is the one thing they cannot outrun.
cr_kill_all() {
    kill -s KILL -- -1 2>/dev/null
    return 0
}

# cr_crrun SECONDS ARG...: run crrun with ARGs and set CR_LINE to its result
# line, waiting at most SECONDS.  The program runs as our uid and can SIGSTOP
# its crrun; then only PID 1, which it cannot stop, can end the step: it
# wakes and kills every process and the step gets error=crrun_failed (else
# the session hung until the server's watchdog, holding its slot).  A process
# substitution of one simple command forks and execs crrun directly, so its
# parent is still PID 1 (crrun refuses --kill-all otherwise).  crrun's line
# is the last one (crrun.c, top); under gVisor the program can write into
# this pipe too, so a NUL does not end the reading and only a tail is kept.
cr_crrun() {
    local deadline=$((EPOCHSECONDS + $1)) fd out='' chunk='' left rc
    shift
    exec {fd}< <("$CRRUN" "$@")
    while :; do
        left=$((deadline - EPOCHSECONDS))
        if ((left <= 0)); then rc=142; break; fi
        rc=0
        IFS= read -r -d '' -t "$left" -u "$fd" chunk || rc=$?
        out+=$chunk
        ((${#out} <= 65536)) || out=${out: -4096}
        ((rc == 0)) || break
    done
    if ((rc > 128)); then
        kill -s CONT -- -1 2>/dev/null
        kill -s KILL -- -1 2>/dev/null
        out=
    fi
    exec {fd}<&-
    out=${out%$'\n'}
    CR_LINE=${out##*$'\n'}
}

# output/ may be a size-capped tmpfs (docker-handler.sh): whatever a test put
# there besides the results of the tests so far goes, so that the results of
# the tests after it still fit.  No process unless there is something to drop.
cr_prune_output() {
    local f name junk=()
    for f in "$CR_OUT"/* "$CR_OUT"/.[!.]* "$CR_OUT"/..?*; do
        [[ -e $f || -L $f ]] || continue
        name=${f##*/}
        case $name in logCompile|compile.result|testCaseLog) continue ;; esac
        if [[ $name =~ ^(0|[1-9][0-9]{0,5})\.(out|err)$ ]] && ((BASH_REMATCH[1] <= $1)); then
            continue
        fi
        junk+=("$f")
    done
    ((${#junk[@]} == 0)) || rm -rf -- "${junk[@]}"
}

cr_run_tests() {
    local tc=$CR_IN/testcases log=$CR_OUT/testCaseLog
    local -a hdr lines=() cmd
    local n i len off=0 line

    mapfile -t -n $((CR_TESTS + 1)) hdr <"$tc" || return 1
    [[ ${hdr[0]:-} =~ ^CRTC1\ ([0-9]+)$ && ${BASH_REMATCH[1]} == "$CR_TESTS" ]] || return 1
    n=$CR_TESTS
    for line in "${hdr[@]}"; do off=$((off + ${#line} + 1)); done
    for ((i = 1; i <= n; i++)); do [[ ${hdr[i]:-} =~ ^[0-9]{1,12}$ ]] || return 1; done

    # The snapshot is new in a fresh container: an rm process only when a
    # compile step left something by that name.
    if [[ -e $CR_STATE/build || -L $CR_STATE/build ]]; then
        rm -rf "$CR_STATE/build" || return 1
    fi
    cp -a "$CR_WORK" "$CR_STATE/build" || return 1
    # A plain recipe (single spaces between words of characters sh gives no
    # meaning to; a first word that could be neither an option of exec nor
    # an assignment) is split here once and exec'd by crrun itself:
    # sh -c "exec ..." cost one more exec per test, for the same argv.
    # --exec-fail-exit keeps sh's answer to a missing program (exit 127, the
    # message on the test's stderr: RE) instead of crrun's error (IE).
    local word='[A-Za-z0-9_./:,+@%=-]+'
    if [[ $CR_RUN =~ ^[A-Za-z0-9_./][A-Za-z0-9_./:,+@%-]*(\ $word)*$ ]]; then
        read -r -a cmd <<<"$CR_RUN"
        cmd=(--exec-fail-exit -- "${cmd[@]}")
    else
        cmd=(-- sh -c "exec $CR_RUN")
    fi
    for ((i = 0; i < n; i++)); do
        len=${hdr[i + 1]}
        # One process per test: crrun, after killing what is left, empties
        # /tmp (but the snapshot) and /dev/shm, restores the work dir from
        # the snapshot and enters it, and feeds the test's bytes of
        # testcases as stdin; bash's cwd stays named $CR_WORK, which keeps
        # the PWD the program inherits true.  The result comes back through
        # a pipe (cr_crrun); crrun gets the wall limit and 10 s for its
        # housekeeping before PID 1 gives up on it.
        cr_crrun $(((CR_WALL_LIMIT_MS + 999) / 1000 + 10)) \
            --cpu-ms "$CR_TIME_LIMIT_MS" --wall-ms "$CR_WALL_LIMIT_MS" \
            --cap "$CR_MAX_OUTPUT_BYTES" --stdin-slice "$tc:$off:$len" \
            --stdout "$CR_OUT/$i.out" --stderr "$CR_OUT/$i.err" \
            --result - --kill-all --mem-kb "$CR_MEM_KB" --wipe /tmp --wipe /dev/shm \
            --reset "$CR_STATE/build:$CR_WORK" --prune-output "$CR_OUT:$i" "${cmd[@]}"
        line=$CR_LINE
        cr_kill_all
        # crrun prunes output/ before and after the test (--prune-output),
        # unless the program killed it: then PID 1 does, slowly.
        if [[ $line != exit=* ]]; then
            line=$(cr_fail_line crrun_failed)
            cr_prune_output "$i"
        fi
        lines+=("$i $line")
        off=$((off + len))
        # The test may have replaced the log by a symlink, a FIFO, a
        # directory or a read-only fake: rewrite it whole from what PID 1
        # holds, in place when it is still a plain file (no rm process).
        if ! { [[ -f $log && ! -L $log ]] && printf '%s\n' "${lines[@]}" >"$log"; } 2>/dev/null; then
            rm -rf "$log"
            # Still no room (the test filled its own outputs past their caps):
            # the analyzer reports what is missing as IE; the next tests run.
            printf '%s\n' "${lines[@]}" >"$log" || true
        fi
    done
}
