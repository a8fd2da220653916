#!/bin/bash
# CODERUNNER_SESSION=<dir> CODERUNNER_SESSIONS_ROOT=<root> docker-handler.sh
#
# Runs one session's container in the foreground (docs/DESIGN.md §3), writes
# <session>/handler.status, then calls the server back with the session token
# (§5).  The session directory is $CODERUNNER_SESSIONS_ROOT/$CODERUNNER_SESSION
# (32 hex digits, a name of its own, not the session id); a single argument
# still names it, but the server passes it in the environment: a live session
# id must not show in any process's arguments, which every local user can
# read (the id itself is only in the config, and goes to docker and curl
# through files and stdin).  Its
# config is parsed against a whitelist and never sourced: a value that could
# reach a shell or docker's option parser is refused, and the refusal is
# still reported through the callback so the waiting client gets IE at once.
# Exit status: 0 when the container ran, exited 0 and the callback was taken.
#
# Launched by the server (coderunner/runner/launcher.py) with
# CODERUNNER_NOTIFY=stdout, it reports the end as one line on its stdout, a
# pipe only the server reads, instead of the curl callback: a process less per
# session and no HTTP round trip.  Every file it writes is created with
# noclobber (O_EXCL) in the session directory, never through mktemp/mv/rm:
# each process a session starts costs the machine CPU at saturation (issue 17).
set -euo pipefail
umask 077
export LC_ALL=C

MAX_VALUE=4096
# Every limit comes final in the config: the server computes them once
# (coderunner/limits.py, with the tmpfs overhead, the gVisor headroom and pid
# formula); this script only maps them to docker flags.

die_early() {   # nothing to call back: the watchdog will answer the client
    printf 'docker-handler: %s\n' "$*" >&2
    exit 2
}

slot=${1:-${CODERUNNER_SESSION:-}}
[[ $# -le 1 && $slot =~ ^[0-9a-f]{32}$ ]] ||
    die_early "usage: CODERUNNER_SESSION=<32 hex digits> docker-handler.sh"
root=${CODERUNNER_SESSIONS_ROOT:-}
# ':' and ',' would change the meaning of docker's -v and --tmpfs arguments.
[[ $root == /* && $root != *[:,]* ]] ||
    die_early "CODERUNNER_SESSIONS_ROOT must be an absolute path without ':' or ','"
dir=$root/$slot
[[ -d $dir && ! -L $dir ]] || die_early "$dir: no session directory (or a symlink)"
[[ -f $dir/config && ! -L $dir/config ]] || die_early "$dir/config: missing or not a regular file"

# From here on a redirection never overwrites nor follows a symlink planted in
# the session directory: noclobber creates the file with O_EXCL.
set -C

# Written once, after the container; the server reads it only after the notice
# (or the handler's exit), so it needs no rename to be whole.
write_status() {
    printf '%s\n' "$@" >"$dir/handler.status"
}

one_line() {   # docker's stderr as one short printable line
    tr -c '[:print:]' ' ' | tr -s ' ' | cut -c1-300 | sed 's/^ //; s/ $//'
}

declare -A pattern=(
    [SESSION_ID]='^[0-9a-f]{32}$'
    [IMAGE]='^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9._-]+)?$'
    [RUNTIME]='^[a-z][a-z0-9._-]*$'
    [SOURCE]='^[A-Za-z0-9_][A-Za-z0-9._-]*$'
    [COMPILE]='^[[:print:]]*$'
    [RUN]='^[[:print:]]+$'
    [TESTS]='^[1-9][0-9]{0,5}$'
    [TIME_LIMIT_MS]='^[1-9][0-9]{0,8}$'
    [WALL_LIMIT_MS]='^[1-9][0-9]{0,8}$'
    [MEMORY_LIMIT_MB]='^[1-9][0-9]{0,6}$'
    # What the container may use inside (crrun --mem-kb under gVisor) and the
    # docker --memory/--memory-swap limit (larger under gVisor: the sentry).
    [CONTAINER_MEMORY_MB]='^[1-9][0-9]{0,6}$'
    [DOCKER_MEMORY_MB]='^[1-9][0-9]{0,6}$'
    [MAX_OUTPUT_BYTES]='^[1-9][0-9]{0,11}$'
    [COMPILE_TIME_LIMIT_MS]='^[1-9][0-9]{0,8}$'
    [MAX_COMPILE_LOG_BYTES]='^[1-9][0-9]{0,11}$'
    [CPUS]='^[0-9]{1,3}(\.[0-9]{1,3})?$'
    [PIDS_LIMIT]='^[1-9][0-9]{0,6}$'
    # RLIMIT_NPROC of the sandboxed processes; 0 = not set (runc: the pids cgroup).
    [NPROC]='^[0-9]{1,7}$'
    [NOFILE]='^[1-9][0-9]{0,6}$'
    [FSIZE_BYTES]='^[1-9][0-9]{0,12}$'
    [TMPFS_MB]='^[1-9][0-9]{0,6}$'
    [TMPFS_INODES]='^[1-9][0-9]{0,8}$'
    [SHM_MB]='^[1-9][0-9]{0,6}$'
    [SHM_INODES]='^[1-9][0-9]{0,8}$'
    [USER]='^[1-9][0-9]{0,9}:[1-9][0-9]{0,9}$'
    [ROOT_LABEL]='^[A-Za-z0-9._-]+$'
    # Only ever the local server: a bad config must not send the token away.
    [CALLBACK_URL]='^https?://(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|localhost|\[::1\])(:[0-9]{1,5})?/[A-Za-z0-9._~/%=-]*$'
    [TOKEN]='^[A-Za-z0-9._~+/=-]{16,512}$'
    # Optional: output/ becomes a tmpfs of this size and inode count (root only).
    [OUTPUT_MB]='^[1-9][0-9]{0,6}$'
    [OUTPUT_INODES]='^[1-9][0-9]{0,6}$'
    # Optional: more input files the recipes need (space-separated names).
    [FILES]='^[A-Za-z0-9_][A-Za-z0-9._-]*( [A-Za-z0-9_][A-Za-z0-9._-]*)*$'
)
declare -A optional=([OUTPUT_MB]=1 [OUTPUT_INODES]=1 [FILES]=1)
declare -A cfg=()
errors=()

{
    n=0 size=0
    # At most 64 KiB, counted while reading (no stat process): a line longer
    # than that is cut by read -n and then counted over the cap.
    while IFS= read -r -n 65537 line || [[ -n $line ]]; do
        n=$((n + 1)) size=$((size + ${#line} + 1))
        if ((size > 65537)); then
            errors+=("config too large")
            break
        fi
        [[ -z $line ]] && continue
        if [[ ! $line =~ ^([A-Z_]+)=(.*)$ ]]; then
            errors+=("config line $n: not KEY=VALUE")
            continue
        fi
        key=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
        if [[ ! -v pattern[$key] ]]; then
            errors+=("config line $n: unknown key $key")
        elif [[ -v cfg[$key] ]]; then
            errors+=("config line $n: duplicate key $key")
        elif ((${#val} > MAX_VALUE)) || [[ ! $val =~ ${pattern[$key]} ]]; then
            errors+=("config line $n: bad value for $key")
        else
            cfg[$key]=$val
        fi
    done <"$dir/config"
}
for key in "${!pattern[@]}"; do
    [[ -v cfg[$key] || -v optional[$key] ]] || errors+=("config: $key missing")
done
if [[ -v cfg[OUTPUT_MB] && ! -v cfg[OUTPUT_INODES] || ! -v cfg[OUTPUT_MB] && -v cfg[OUTPUT_INODES] ]]; then
    errors+=("config: OUTPUT_MB and OUTPUT_INODES go together")
fi
[[ ! -v cfg[CPUS] || ${cfg[CPUS]} =~ [1-9] ]] || errors+=("config: CPUS is zero")
for d in input output; do
    [[ -d $dir/$d && ! -L $dir/$d ]] || errors+=("$d/ missing or a symlink")
done

callback() {
    [[ -v cfg[CALLBACK_URL] && -v cfg[TOKEN] ]] || return 1
    if [[ ${CODERUNNER_NOTIFY:-} == stdout ]]; then
        printf 'coderunner-handler: done\n'
        return
    fi
    # The token and the URL (it holds the session id) go through stdin, not
    # argv, where any local user could read them.
    printf 'url = "%s"\nheader = "X-Session-Token: %s"\n' "${cfg[CALLBACK_URL]}" "${cfg[TOKEN]}" |
        curl -fsS -m 10 --noproxy '*' --retry 2 --retry-delay 1 --retry-connrefused \
            -o /dev/null -K -
}

if ((${#errors[@]})); then
    write_status "container_exit=-1" "error=invalid config: $(printf '%s; ' "${errors[@]}" | one_line)"
    printf 'docker-handler: %s\n' "${errors[@]}" >&2
    callback || true
    exit 1
fi

# output/ is the one directory of the host the program can write, and it may
# create files there in any number (--ulimit fsize caps each one): 27 GB of
# host disk in one 10-second test.  When the server asks for it (OUTPUT_MB)
# and we can (root), output/ becomes a tmpfs with a size and an inode count;
# the server unmounts it when it removes the session (coderunner/runner/sessions.py).
out_mb=0 out_inodes=0
if [[ -v cfg[OUTPUT_MB] ]] && ((EUID == 0)); then
    out_mb=${cfg[OUTPUT_MB]} out_inodes=${cfg[OUTPUT_INODES]}
    # mountinfo read by bash, not by a mountpoint process.
    mapfile -t mounts </proc/self/mountinfo
    if [[ " ${mounts[*]} " != *" $dir/output "* ]] &&
        ! err=$(mount -t tmpfs -o "size=${out_mb}m,nr_inodes=$out_inodes,mode=0777,nosuid,nodev,noexec" \
            "cr-output-$slot" "$dir/output" 2>&1); then
        write_status "container_exit=-1" "error=cannot mount output/: $(one_line <<<"$err")"
        callback || true
        exit 1
    fi
fi

name=cr-$slot
# Only PID 1 of the container learns this, so only PID 1 can say "done" (see
# below).  It reads output/.nonce and deletes it before any untrusted code
# runs (entry.sh); the environment would not do: gVisor shows PID 1's
# /proc/1/environ to the program.  Without the file (not written, or an
# older image) nothing matches and the handler waits for the container's end.
# bash's SRANDOM comes from getrandom(2): 128 bits without two more processes.
printf -v done_nonce '%08x%08x%08x%08x' "$SRANDOM" "$SRANDOM" "$SRANDOM" "$SRANDOM"
(umask 022 && set -C && printf '%s\n' "$done_nonce" >"$dir/output/.nonce") 2>/dev/null || true
# Both go when the server removes the session directory.
errfile=$dir/.docker-stderr
# The session id goes to docker in a file: in argv any local user could read it.
labels=$dir/.labels
printf 'coderunner.session=%s\n' "${cfg[SESSION_ID]}" >"$labels"
(
    # Handed to docker by name only (-e VAR): the values never reach argv.
    export CR_SOURCE=${cfg[SOURCE]} CR_COMPILE=${cfg[COMPILE]} CR_RUN=${cfg[RUN]} \
        CR_TESTS=${cfg[TESTS]} CR_TIME_LIMIT_MS=${cfg[TIME_LIMIT_MS]} \
        CR_WALL_LIMIT_MS=${cfg[WALL_LIMIT_MS]} CR_MEMORY_LIMIT_MB=${cfg[MEMORY_LIMIT_MB]} \
        CR_MAX_OUTPUT_BYTES=${cfg[MAX_OUTPUT_BYTES]} \
        CR_COMPILE_TIME_LIMIT_MS=${cfg[COMPILE_TIME_LIMIT_MS]} \
        CR_MAX_COMPILE_LOG_BYTES=${cfg[MAX_COMPILE_LOG_BYTES]} CR_FILES=${cfg[FILES]:-}
    export CR_CONTAINER_MEMORY_MB=${cfg[CONTAINER_MEMORY_MB]}
    tmp_mb=${cfg[TMPFS_MB]} tmp_inodes=${cfg[TMPFS_INODES]}
    shm_mb=${cfg[SHM_MB]} shm_inodes=${cfg[SHM_INODES]}
    mem=${cfg[DOCKER_MEMORY_MB]} pids=${cfg[PIDS_LIMIT]} entry=() cmd=()
    if [[ ${cfg[RUNTIME]} == runsc ]]; then
        # gVisor cannot execute a file it may not read, like the execute-only
        # /opt/coderunner/bash of the image's entrypoint: PID 1 is the plain
        # bash (its ptrace and /proc/1/mem are closed to the program by
        # gVisor's built-in Yama rule instead).
        entry=(--entrypoint=/bin/bash) cmd=(/opt/coderunner/entry.sh)
    fi
    if ((${cfg[NPROC]} > 0)); then
        # gVisor: the host's pids cgroup counts the sandbox's own threads, so
        # the programs are bounded inside (fork fails with EAGAIN).
        entry+=("--ulimit=nproc=${cfg[NPROC]}:${cfg[NPROC]}")
    fi
    exec docker run --rm --pull=never --name="$name" \
        --label-file="$labels" \
        --label="coderunner.root=${cfg[ROOT_LABEL]}" \
        --network=none --user="${cfg[USER]}" --cap-drop=ALL \
        --security-opt=no-new-privileges --read-only \
        --tmpfs="/tmp:rw,exec,nosuid,nodev,size=${tmp_mb}m,nr_inodes=$tmp_inodes,mode=1777" \
        --tmpfs="/dev/shm:rw,nosuid,nodev,noexec,size=${shm_mb}m,nr_inodes=$shm_inodes,mode=1777" \
        --sysctl=kernel.shm_rmid_forced=1 \
        --memory="${mem}m" --memory-swap="${mem}m" --cpus="${cfg[CPUS]}" \
        --pids-limit="$pids" --ulimit="nofile=${cfg[NOFILE]}:${cfg[NOFILE]}" \
        --ulimit="fsize=${cfg[FSIZE_BYTES]}:${cfg[FSIZE_BYTES]}" --ulimit=core=0:0 \
        --log-driver=none --runtime="${cfg[RUNTIME]}" --workdir=/tmp \
        -v "$dir/input:/session/input:ro" -v "$dir/output:/session/output:rw" \
        -e CR_SOURCE -e CR_COMPILE -e CR_RUN -e CR_TESTS -e CR_TIME_LIMIT_MS \
        -e CR_WALL_LIMIT_MS -e CR_MEMORY_LIMIT_MB -e CR_MAX_OUTPUT_BYTES \
        -e CR_COMPILE_TIME_LIMIT_MS -e CR_MAX_COMPILE_LOG_BYTES -e CR_CONTAINER_MEMORY_MB -e CR_FILES \
        "${entry[@]}" "${cfg[IMAGE]}" "${cmd[@]}"
) </dev/null >/dev/null 2>"$errfile" &
docker_pid=$!

# Stopped from outside: take the container down with us, then still report.
trap 'docker rm -f "$name" >/dev/null 2>&1 || true' TERM INT HUP

# The container's PID 1 writes "done <nonce>" on input/done once every result
# is on disk and every process of the program is gone; the callback then goes
# out at once instead of after the container's teardown.  The program can
# write to the FIFO too: without the nonce, a forged early "done" would have
# the analyzer read the results it forged.
completed=0
if [[ -p $dir/input/done && ! -L $dir/input/done ]]; then
    exec {done_fd}<>"$dir/input/done"
    while kill -0 "$docker_pid" 2>/dev/null; do
        if IFS= read -r -t 0.2 -u "$done_fd" word && [[ $word == "done $done_nonce" ]]; then
            completed=1
            break
        fi
    done
fi

rc=0
if ((completed == 0)); then
    set +e
    while :; do
        wait "$docker_pid"
        rc=$?
        # wait returns >128 when a trapped signal interrupts it; the CLI may live on.
        ((rc > 128)) && kill -0 "$docker_pid" 2>/dev/null && continue
        break
    done
    set -e
fi

if ((rc == 0)); then
    write_status "container_exit=0" "completed=$completed"
else
    msg=$(one_line <"$errfile")
    write_status "container_exit=$rc" "error=${msg:-container exited with status $rc}"
fi

called=0
callback && called=1
# After the callback, so that it costs the waiting client nothing: the
# container must be gone.  With --rm it already is unless "done" came first;
# then PID 1 is exiting and `docker run --rm` returns once the engine has
# removed it.  One more docker CLI process per session was a tenth of the
# machine's CPU per request at saturation: force the removal only when the
# container outlives a grace period (a PID 1 that hangs on its way out).
if ((completed == 1)); then
    for ((i = 0; i < 100; i++)); do
        kill -0 "$docker_pid" 2>/dev/null || break
        read -r -t 0.05 -u "$done_fd" _ || true
    done
    if kill -0 "$docker_pid" 2>/dev/null; then
        docker rm -f "$name" >/dev/null 2>&1 || true
    fi
    wait "$docker_pid" 2>/dev/null || true
elif ((rc != 0)); then
    # A start that failed can leave a created container behind, --rm or not.
    docker rm -f "$name" >/dev/null 2>&1 || true
fi
((called == 1)) || exit 1
((rc == 0))
