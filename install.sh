#!/usr/bin/env bash
# CodeRunner installer for Debian/Ubuntu. Idempotent: re-run it to upgrade in place.
#
#   sudo ./install.sh            install everything, build the images, start the services
#   sudo ./install.sh --test     install everything a developer needs and run the whole test suite
#   sudo ./install.sh --worker   a worker host: engine, images, the coderunner-worker unit
#                                (set [dispatch] url in /etc/coderunner/config.toml first)
#   sudo ./install.sh --uninstall [--purge]   remove what was installed (--purge: data too)
#
# Environment: PREFIX (default /opt/coderunner), CONFIG_DIR (/etc/coderunner),
# STATE_DIR (/var/lib/coderunner), SERVICE_USER (coderunner), LANGUAGES (the
# images to build, e.g. "python c"; default: every language folder of images/),
# BUILD_JOBS (language images built at a time, default 3; see images/build.sh).
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PREFIX=${PREFIX:-/opt/coderunner}
CONFIG_DIR=${CONFIG_DIR:-/etc/coderunner}
STATE_DIR=${STATE_DIR:-/var/lib/coderunner}
SERVICE_USER=${SERVICE_USER:-coderunner}
MODE=service
PURGE=0

for arg in "$@"; do
    case "$arg" in
        --test) MODE="test" ;;  # quoted: `test` is also a command (SC2209)
        --uninstall) MODE=uninstall ;;
        --worker) MODE=worker ;;
        --purge) PURGE=1 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
    esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[1;31m!!! %s\033[0m\n' "$*" >&2; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

# The distribution's interpreter, never the first python3 on root's PATH: that
# one may live under root's home (pyenv, conda), where the service user cannot
# go, and a venv made from it cannot run as the service ("Permission denied").
PYTHON=/usr/bin/python3

[ "$(id -u)" = 0 ] || die "run as root (sudo ./install.sh)"

# /proc, not ps: a minimal Debian has no procps.
has_systemd() { [ -d /run/systemd/system ] && [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]; }

# ---- 1. programs ---------------------------------------------------------------
APT_UPDATED=0
apt_install() {
    [ "$#" -gt 0 ] || return 0
    if [ "$APT_UPDATED" = 0 ]; then
        apt-get update -qq
        APT_UPDATED=1
    fi
    say "installing Debian packages: $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

install_programs() {
    local missing=()
    [ -x "$PYTHON" ] || missing+=(python3)
    # A Debian python3 needs python3-venv for `python3 -m venv` (ensurepip).
    if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then missing+=(python3-venv); fi
    which curl >/dev/null 2>&1 || missing+=(curl)
    # pkill/pgrep (reloading dockerd); a minimal Debian has no procps.
    which pkill >/dev/null 2>&1 || missing+=(procps)
    which dockerd >/dev/null 2>&1 || missing+=(docker.io)
    which debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
    which runsc >/dev/null 2>&1 || missing+=(runsc)
    if [ "$MODE" = test ]; then
        which shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
        which chromium >/dev/null 2>&1 || missing+=(chromium)
        which systemd-analyze >/dev/null 2>&1 || missing+=(systemd)  # tests/unit/test_systemd_units.py
        # tests/e2e/dispatch: the tests start their own redis-server on a free loopback port.
        which redis-server >/dev/null 2>&1 || missing+=(redis-server)
    fi
    apt_install "${missing[@]}"
}

# ---- 2. the Docker engine --------------------------------------------------------
configure_runtimes() {
    # gVisor as an optional runtime; it needs its own network stack switched off.
    local conf=/etc/docker/daemon.json runsc_path
    runsc_path=$(command -v runsc || true)
    [ -n "$runsc_path" ] || return 0
    [ -f "$conf" ] && grep -q '"runsc"' "$conf" && return 0
    mkdir -p /etc/docker
    if [ -s "$conf" ] && [ "$(tr -d ' \n\t' < "$conf")" != "{}" ]; then
        echo "install.sh: $conf exists; add the runsc runtime to it by hand to use docker.runtime=runsc" >&2
        return 0
    fi
    printf '{\n  "runtimes": {\n    "runsc": {"path": "%s", "runtimeArgs": ["--network=none"]}\n  }\n}\n' \
        "$runsc_path" > "$conf"
    RESTART_DOCKER=1
}

start_docker() {
    RESTART_DOCKER=0
    DOCKER_UP=1
    configure_runtimes
    if docker info >/dev/null 2>&1; then
        # dockerd reloads its runtimes on SIGHUP: running containers survive.
        if [ "$RESTART_DOCKER" = 1 ]; then pkill -HUP -x dockerd || true; sleep 1; fi
        return 0
    fi
    if has_systemd; then
        say "starting the Docker engine (systemd)"
        systemctl enable docker >/dev/null 2>&1 || true
        # A failure is reported after the wait below, with what to look at.
        if [ "$RESTART_DOCKER" = 1 ]; then systemctl restart docker || true
        else systemctl start docker || true; fi
    else
        if [ "$RESTART_DOCKER" = 1 ] && pgrep -x dockerd >/dev/null; then
            pkill -x dockerd || true
            for _ in $(seq 1 50); do pgrep -x dockerd >/dev/null || break; sleep 0.2; done
        fi
        if ! pgrep -x dockerd >/dev/null; then
            say "starting the Docker engine in the background (no systemd here)"
            mkdir -p /var/log
            nohup dockerd >>/var/log/dockerd.log 2>&1 &
        fi
    fi
    for _ in $(seq 1 60); do
        docker info >/dev/null 2>&1 && return 0
        # systemd gave up on it (start limit): waiting longer changes nothing.
        has_systemd && systemctl is-failed --quiet docker && break
        sleep 0.5
    done
    # Tests need the engine; without systemd nothing would keep the servers up.
    if [ "$MODE" = test ] || ! has_systemd; then
        die "the Docker engine did not come up (see /var/log/dockerd.log or journalctl -u docker)"
    fi
    # With systemd the rest is still worth installing: both units run, and
    # coderunner's /health reports the missing engine (503) until it is fixed.
    DOCKER_UP=0
    warn "the Docker engine did not come up (journalctl -u docker): installing without it"
}

# ---- 3. python environment ---------------------------------------------------------
make_venv() {  # $1 = venv dir, $2 = project dir, $3 = extras
    local venv=$1 project=$2 extras=$3
    # A venv an earlier install made from another interpreter is made again.
    if [ "$venv" = "$PREFIX/venv" ] && [ -e "$venv" ] &&
        [ "$(readlink -f "$venv/bin/python")" != "$(readlink -f "$PYTHON")" ]; then
        say "the virtual environment $venv is not made from $PYTHON: making it again"
        rm -rf "$venv"
    fi
    if [ ! -x "$venv/bin/python" ]; then
        say "creating the virtual environment $venv (from $PYTHON)"
        "$PYTHON" -m venv "$venv"
    fi
    say "installing the Python packages"
    "$venv/bin/pip" install -q --upgrade pip >/dev/null
    "$venv/bin/pip" install -q -e "$project$extras"
}

# ---- 4. images ------------------------------------------------------------------------
build_images() {
    local langs=()
    read -ra langs <<< "${LANGUAGES:-}"
    say "building the language images (cached layers make re-runs fast)"
    "$1/images/build.sh" "${langs[@]}"
}

# ---- service mode ---------------------------------------------------------------------
install_service() {
    say "installing to $PREFIX"
    mkdir -p "$PREFIX"
    # Copy the project (not the developer's venv or caches); keep the installed venv.
    tar -C "$SRC" --exclude=.git --exclude=.venv --exclude=venv --exclude='__pycache__' \
        --exclude=.pytest_cache --exclude=.ruff_cache -cf - . | tar -C "$PREFIX" -xf -
    make_venv "$PREFIX/venv" "$PREFIX" ""
    # Readable for the service user whatever root's umask and the checkout's modes.
    chmod -R u+rwX,go+rX,go-w "$PREFIX"

    if ! id "$SERVICE_USER" >/dev/null 2>&1; then
        useradd --system --home-dir "$STATE_DIR" --shell /usr/sbin/nologin "$SERVICE_USER"
    fi
    check_as_service_user
    # The docker group is what lets the service start containers.
    getent group docker >/dev/null && usermod -aG docker "$SERVICE_USER"
    install -d -o "$SERVICE_USER" -g "$SERVICE_USER" -m 0711 "$STATE_DIR"
    install -d -o "$SERVICE_USER" -g "$SERVICE_USER" -m 0711 "$STATE_DIR/sessions"
    mount_sessions
    install -d -o "$SERVICE_USER" -g "$SERVICE_USER" -m 0750 "$STATE_DIR/spool" "$STATE_DIR/logs" \
        "$STATE_DIR/tasks"
    install -d -m 0755 "$CONFIG_DIR"
    if [ ! -f "$CONFIG_DIR/config.toml" ]; then
        # An admin's edits survive upgrades: the file is only written once.
        sed -e "s#^root = .*#root = \"$STATE_DIR/sessions\"#" \
            -e "s#^log_file = .*#log_file = \"$STATE_DIR/spool/events.jsonl\"#" \
            -e "/^\[tasks\]/,/^\[/ s#^database = .*#database = \"$STATE_DIR/tasks/tasks.db\"#" \
            -e "/^\[logserver\]/,/^\[/ s#^database = .*#database = \"$STATE_DIR/logs/logs.db\"#" \
            -e "s#^outbox = .*#outbox = \"$STATE_DIR/logs/outbox\"#" \
            "$SRC/config.toml" > "$CONFIG_DIR/config.toml"
        chmod 0640 "$CONFIG_DIR/config.toml"
        chgrp "$SERVICE_USER" "$CONFIG_DIR/config.toml"
    fi
    # As the service will run it: the entry points, the interpreter behind them
    # and the config must all be reachable by the service user.
    runuser -u "$SERVICE_USER" -- env HOME="$STATE_DIR" \
        "$PREFIX/venv/bin/coderunner" check --config "$CONFIG_DIR/config.toml" ||
        die "the service user cannot read $CONFIG_DIR/config.toml or it is invalid (see above)"

    if [ "$DOCKER_UP" = 1 ]; then
        build_images "$PREFIX"
    else
        warn "no Docker engine: the language images are not built"
    fi

    if [ "$MODE" = worker ]; then
        start_worker
        return 0
    fi
    if has_systemd; then
        say "installing and starting the systemd units"
        install -m 0644 "$SRC"/systemd/*.service /etc/systemd/system/
        systemctl daemon-reload
        systemctl enable logserver.service coderunner.service >/dev/null
        systemctl restart logserver.service coderunner.service
    else
        say "systemd is not the init system here: starting both servers in the background"
        start_background logserver
        start_background coderunner
    fi
    if [ "$DOCKER_UP" = 0 ]; then
        # /health answers 503 while the engine is down: that is the expected answer.
        wait_http "http://127.0.0.1:$(port_of coderunner)/health" coderunner 503
        warn "CodeRunner is installed and both services run, but the Docker engine does not:"
        warn "no code can run until it does. Fix it (journalctl -u docker), then re-run"
        warn "./install.sh to build the images. Until then /health answers 503."
        return 0
    fi
    wait_http "http://127.0.0.1:$(port_of logserver)/health" logserver
    wait_http "http://127.0.0.1:$(port_of coderunner)/health" coderunner
    say "CodeRunner is running: curl -s localhost:$(port_of coderunner)/languages"
}

# The session root becomes a tmpfs capped in size and inodes (SESSIONS_SIZE,
# default 2G; SESSIONS_INODES, default 262144): as an unprivileged service the
# server cannot cap each session's output/ on its own (systemd/sessions.mount.in).
sessions_unit() { systemd-escape --path --suffix=mount "$STATE_DIR/sessions"; }

mount_sessions() {
    local where=$STATE_DIR/sessions uid gid
    local size=${SESSIONS_SIZE:-2G} inodes=${SESSIONS_INODES:-262144}
    uid=$(id -u "$SERVICE_USER") gid=$(id -g "$SERVICE_USER")
    if has_systemd; then
        sed -e "s#@WHERE@#$where#" -e "s#@UID@#$uid#" -e "s#@GID@#$gid#" \
            -e "s#@SIZE@#$size#" -e "s#@INODES@#$inodes#" \
            "$SRC/systemd/sessions.mount.in" >"/etc/systemd/system/$(sessions_unit)"
        systemctl daemon-reload
        systemctl enable "$(sessions_unit)" >/dev/null 2>&1 || true
        # An upgrade with sessions running must not pull their directories away.
        mountpoint -q "$where" || systemctl start "$(sessions_unit)" ||
            warn "cannot mount a tmpfs on $where: session files go to the disk, uncapped"
    elif ! mountpoint -q "$where"; then
        mount -t tmpfs -o "mode=0711,uid=$uid,gid=$gid,size=$size,nr_inodes=$inodes,nosuid,nodev" \
            coderunner-sessions "$where" ||
            warn "cannot mount a tmpfs on $where: session files go to the disk, uncapped"
    fi
}

port_of() {
    local env_name=CODERUNNER_SERVER__PORT default=8080
    if [ "$1" = logserver ]; then env_name=CODERUNNER_LOGSERVER__PORT; default=8081; fi
    echo "${!env_name:-$default}"
}

# A worker host runs `coderunner worker` only: it connects out to Redis ([dispatch]
# url in the config) and needs no inbound port.
start_worker() {
    if ! grep -q '^backend = "redis"' "$CONFIG_DIR/config.toml"; then
        warn "set [dispatch] backend = \"redis\" and url in $CONFIG_DIR/config.toml, then"
        warn "re-run ./install.sh --worker (or restart coderunner-worker)"
    fi
    if has_systemd; then
        say "installing and starting the coderunner-worker unit"
        install -m 0644 "$SRC/systemd/coderunner-worker.service" /etc/systemd/system/
        systemctl daemon-reload
        systemctl enable coderunner-worker.service >/dev/null
        systemctl restart coderunner-worker.service
    else
        say "systemd is not the init system here: starting the worker in the background"
        pkill -f "$PREFIX/venv/bin/coderunner worker" 2>/dev/null || true
        sleep 0.5
        (umask 077; setpriv --reuid="$SERVICE_USER" --regid="$SERVICE_USER" --init-groups -- \
            env HOME="$STATE_DIR" USER="$SERVICE_USER" LOGNAME="$SERVICE_USER" \
            nohup "$PREFIX/venv/bin/coderunner" worker --config "$CONFIG_DIR/config.toml" \
            >>"$STATE_DIR/worker.log" 2>&1 &)
    fi
    say "the worker runs; GET /workers on the server lists it once it reaches Redis"
}

# Before anything starts: the installed entry points run as the service user
# (its interpreter, its packages), not just as root.
check_as_service_user() {
    local name out
    for name in coderunner logserver; do
        if ! out=$(runuser -u "$SERVICE_USER" -- env HOME="$STATE_DIR" \
            "$PREFIX/venv/bin/$name" --help 2>&1 >/dev/null); then
            printf '%s\n' "$out" | tail -n 20 >&2
            die "the service user $SERVICE_USER cannot run $PREFIX/venv/bin/$name (above).
Its interpreter ($(readlink -f "$PREFIX/venv/bin/python")) and $PREFIX must be readable
and executable by $SERVICE_USER; remove $PREFIX/venv and re-run ./install.sh."
        fi
    done
}

start_background() {  # $1 = coderunner | logserver
    local name=$1
    pkill -f "$PREFIX/venv/bin/$name serve" 2>/dev/null || true
    sleep 0.5
    # UMask=0077 of the units: session files are the service's alone. setpriv,
    # not runuser: runuser would stay as the parent and SIGKILL the server 2 s
    # after a SIGTERM, before it has drained and removed its warm containers.
    (umask 077; setpriv --reuid="$SERVICE_USER" --regid="$SERVICE_USER" --init-groups -- \
        env HOME="$STATE_DIR" USER="$SERVICE_USER" LOGNAME="$SERVICE_USER" \
        nohup "$PREFIX/venv/bin/$name" serve --config "$CONFIG_DIR/config.toml" \
        >>"$STATE_DIR/$name.log" 2>&1 &)
    echo "   $name started in the background (log: $STATE_DIR/$name.log)"
}

service_down() {  # $1 = name: true once waiting longer cannot help
    if has_systemd; then
        # Restart=on-failure keeps a crashing unit "activating" for a while.
        systemctl is-failed --quiet "$1.service" ||
            [ "$(systemctl show -p NRestarts --value "$1.service")" -ge 2 ] 2>/dev/null
    else
        ! pgrep -f "$PREFIX/venv/bin/$1 serve" >/dev/null
    fi
}

# What a service said before it failed, and what to do about it.
explain_failure() {  # $1 = name
    local name=$1
    warn "$name did not come up; the last lines of its log:"
    if has_systemd; then
        journalctl -u "$name.service" -n 30 --no-pager -o cat >&2 || true
        warn "more: journalctl -u $name.service; state: systemctl status $name.service"
    else
        tail -n 30 "$STATE_DIR/$name.log" >&2 || true
        warn "more: $STATE_DIR/$name.log"
    fi
    warn "fix what the log says (config: $CONFIG_DIR/config.toml), then re-run ./install.sh"
}

wait_http() {  # $1 = url, $2 = name, $3 = the status expected (default 200)
    local code=""
    # Up to a minute: a loaded machine starts Python slowly.
    for _ in $(seq 1 120); do
        code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' "$1" 2>/dev/null || true)
        [ "$code" = "${3:-200}" ] && return 0
        service_down "$2" && break
        sleep 0.5
    done
    explain_failure "$2"
    die "$2 does not answer $1 with ${3:-200} (last answer: ${code:-none})"
}

uninstall() {
    if has_systemd; then
        systemctl disable --now coderunner.service logserver.service 2>/dev/null || true
        systemctl disable --now coderunner-worker.service 2>/dev/null || true
        rm -f /etc/systemd/system/coderunner-worker.service
        systemctl disable --now "$(sessions_unit)" 2>/dev/null || true
        rm -f /etc/systemd/system/coderunner.service /etc/systemd/system/logserver.service \
            "/etc/systemd/system/$(sessions_unit)"
        systemctl daemon-reload
    else
        pkill -f "$PREFIX/venv/bin/coderunner serve" 2>/dev/null || true
        pkill -f "$PREFIX/venv/bin/coderunner worker" 2>/dev/null || true
        pkill -f "$PREFIX/venv/bin/logserver serve" 2>/dev/null || true
        # coderunner removes its warm containers on the way out: until then the
        # session root is busy and cannot be unmounted.
        for _ in $(seq 1 120); do
            pgrep -f "$PREFIX/venv/bin/(coderunner|logserver) serve" >/dev/null || break
            sleep 0.5
        done
    fi
    if mountpoint -q "$STATE_DIR/sessions"; then
        umount "$STATE_DIR/sessions" 2>/dev/null ||
            warn "cannot unmount $STATE_DIR/sessions (busy?): umount it by hand"
    fi
    rm -rf "$PREFIX"
    if [ "$PURGE" = 1 ]; then
        rm -rf "$STATE_DIR" "$CONFIG_DIR"
        userdel "$SERVICE_USER" 2>/dev/null || true
        docker images -q 'coderunner/*' | xargs -r docker rmi -f >/dev/null 2>&1 || true
        say "removed CodeRunner, its data, config and images"
    else
        say "removed CodeRunner; kept $STATE_DIR and $CONFIG_DIR (use --purge to remove them)"
    fi
}

# ---- test mode ---------------------------------------------------------------------------
run_tests() {
    make_venv "$SRC/.venv" "$SRC" "[test]"
    build_images "$SRC"
    cd "$SRC"
    say "lint: ruff, ruff format, mypy (strict) and shellcheck"
    .venv/bin/ruff check .
    .venv/bin/ruff format --check .
    # Strict over the package, both servers, the tests and the benchmarks ([tool.mypy]).
    .venv/bin/mypy
    # The sanitizer corpus holds hostile sample scripts on purpose: data, not ours.
    git ls-files '*.sh' ':!tests/sanitizer_corpus' | xargs -r shellcheck -S warning
    say "running the test suite"
    CODERUNNER_REQUIRE_DOCKER=1 .venv/bin/pytest -q -p no:cacheprovider "${PYTEST_ARGS[@]}"
}

case "$MODE" in
    uninstall) uninstall ;;
    service|worker) install_programs; start_docker; install_service ;;
    test)
        PYTEST_ARGS=()
        install_programs; start_docker; run_tests ;;
esac
