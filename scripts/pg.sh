#!/usr/bin/env bash
# Private PostgreSQL cluster for local dev/test: Unix socket only (no TCP), trust auth,
# role and database "lector". It never touches a system cluster.
#
#   scripts/pg.sh start     create (first time) and start the cluster; idempotent
#   scripts/pg.sh stop      stop it if it is running
#   scripts/pg.sh status    print state and location; exit 0 if running, 3 if not
#   scripts/pg.sh url       print the DATABASE_URL
#   scripts/pg.sh destroy   stop it and delete its data (used by `make clean`)
#
# Data lives in var/pg/ of the repo. PostgreSQL refuses to run as root, so when root runs
# this the cluster belongs to the "postgres" system user (or "lector-pg", created if
# needed). If that user cannot reach var/pg, or the socket path would be too long for a
# Unix socket, the cluster (or just its socket) goes to /var/tmp/lector-pg-<hash> instead;
# the choice is recorded in var/pg/location so that later commands find it again.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd /  # the cluster user may not be able to enter the caller's cwd

DB_NAME=lector
DB_ROLE=lector
PG_PORT=5432                  # only names the socket file; the socket dir is private
PG_WANT_MAJOR=15
SOCK_MAX=107                  # sizeof(sun_path) - 1
STATE_DIR=$REPO/var/pg
RECORD=$STATE_DIR/location
FALLBACK=/var/tmp/lector-pg-$(printf %s "$REPO" | sha256sum | cut -c1-8)

say() { printf 'pg.sh: %s\n' "$*"; }
warn() { printf 'pg.sh: %s\n' "$*" >&2; }
die() { warn "$*"; exit 1; }

is_root() { [[ $(id -u) == 0 ]]; }

# --- binaries ---------------------------------------------------------------------------

BINDIR=''
find_bindir() {
    local d v
    if command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir 2>/dev/null || true)
        v=$(pg_config --version 2>/dev/null || true)
        if [[ $v =~ ^PostgreSQL\ $PG_WANT_MAJOR([^0-9]|$) && -x $d/initdb && -x $d/pg_ctl ]]; then
            BINDIR=$d; return 0
        fi
    fi
    if [[ -x /usr/lib/postgresql/$PG_WANT_MAJOR/bin/initdb ]]; then
        BINDIR=/usr/lib/postgresql/$PG_WANT_MAJOR/bin; return 0
    fi
    d=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)
    if [[ -x $d ]]; then BINDIR=${d%/initdb}; return 0; fi
    if d=$(command -v initdb 2>/dev/null); then BINDIR=$(dirname "$d"); return 0; fi
    return 1
}

ensure_binaries() {
    find_bindir && return 0
    if ! is_root; then
        die "PostgreSQL server binaries not found; install them with: sudo apt-get install postgresql"
    fi
    warn "PostgreSQL not found; installing it with apt-get (the Debian package also starts its own 'main' cluster on port 5432, which we leave alone)"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
    find_bindir || die "installed postgresql but still cannot find initdb"
}

client() {  # psql, createdb, pg_isready: from BINDIR if there, else PATH
    local tool=$1; shift
    if [[ -n $BINDIR && -x $BINDIR/$tool ]]; then "$BINDIR/$tool" "$@"; else "$tool" "$@"; fi
}

bin_major() { "$BINDIR/postgres" --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/'; }

# --- the user that owns and runs the cluster --------------------------------------------

PG_USER=''
resolve_user() {  # $1 = create: create the system user if missing
    if ! is_root; then PG_USER=$(id -un); return 0; fi
    if id -u postgres >/dev/null 2>&1; then PG_USER=postgres; return 0; fi
    PG_USER=lector-pg
    if ! id -u "$PG_USER" >/dev/null 2>&1 && [[ ${1:-} == create ]]; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$PG_USER"
    fi
}

# shellcheck disable=SC2016
runas() {  # run a command as PG_USER
    if ! is_root; then "$@"
    elif command -v runuser >/dev/null 2>&1; then runuser -u "$PG_USER" -- "$@"
    else su -s /bin/sh "$PG_USER" -c 'exec "$0" "$@"' -- "$@"
    fi
}

# --- location ---------------------------------------------------------------------------

PG_BASE='' PG_SOCK='' REASON=''
PG_DATA='' PG_LOGDIR=''

set_paths() { PG_DATA=$PG_BASE/data; PG_LOGDIR=$PG_BASE/log; }

# First directory on the way to $1 (existing part only) that PG_USER cannot enter.
first_untraversable() {
    local p='' comp
    local -a parts dirs=(/)
    IFS=/ read -ra parts <<<"${1#/}"
    for comp in "${parts[@]}"; do
        [[ -n $comp ]] || continue
        p+=/$comp
        [[ -d $p ]] || break
        dirs+=("$p")
    done
    id -u "$PG_USER" >/dev/null 2>&1 || return 0
    # shellcheck disable=SC2016
    runas sh -c 'for d; do [ -x "$d" ] || { printf "%s\n" "$d"; exit 0; }; done' sh "${dirs[@]}"
}

compute_location() {
    local blocker sockfile
    PG_BASE=$STATE_DIR PG_SOCK=$STATE_DIR/run REASON=
    if is_root; then
        blocker=$(first_untraversable "$STATE_DIR")
        if [[ -n $blocker ]]; then
            PG_BASE=$FALLBACK PG_SOCK=$FALLBACK/run
            REASON="$PG_USER cannot traverse $blocker (mode $(stat -c %a "$blocker")); keeping the cluster in $FALLBACK instead"
        fi
    fi
    sockfile=$PG_SOCK/.s.PGSQL.$PG_PORT
    if (( ${#sockfile} > SOCK_MAX )); then
        PG_SOCK=$FALLBACK/run
        REASON="socket path $sockfile is ${#sockfile} bytes (Unix sockets allow $SOCK_MAX); putting the socket in $PG_SOCK instead"
    fi
}

# Use the recorded location if it was recorded for this checkout, else compute it.
load_location() {
    local k v repo='' base='' sock=''
    if [[ -f $RECORD ]]; then
        while IFS='=' read -r k v; do
            case $k in repo) repo=$v ;; base) base=$v ;; sock) sock=$v ;; esac
        done <"$RECORD"
    fi
    if [[ $repo == "$REPO" && -n $base && -n $sock ]]; then
        PG_BASE=$base PG_SOCK=$sock REASON=
    else
        compute_location
    fi
    set_paths
}

save_location() {
    printf 'repo=%s\nbase=%s\nsock=%s\n' "$REPO" "$PG_BASE" "$PG_SOCK" >"$RECORD.tmp"
    mv -f "$RECORD.tmp" "$RECORD"
}

# Create a directory owned by PG_USER with the given mode (refusing anything suspicious).
private_dir() {
    local dir=$1 mode=$2 owner
    [[ -L $dir ]] && die "$dir is a symlink; refusing to use it"
    if [[ ! -d $dir ]]; then
        mkdir -m "$mode" "$dir"
        if is_root; then chown "$PG_USER:" "$dir"; fi
    fi
    owner=$(stat -c %U "$dir")
    [[ $owner == "$PG_USER" ]] ||
        die "$dir belongs to $owner, not $PG_USER; remove it (make clean) or run as $owner"
    chmod "$mode" "$dir"
}

# --- state ------------------------------------------------------------------------------

is_running() {
    [[ -n $BINDIR && -f $PG_DATA/PG_VERSION ]] || return 1
    runas "$BINDIR/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1 || return 1
    [[ ! -d /proc/self || -z $(stale_pid) ]]  # without procfs, trust pg_ctl
}

# pg_ctl calls a server running if the pid in postmaster.pid exists, even if that is the
# killed postmaster not reaped yet ("zombie") or a pid that now belongs to some other
# process after a crash or reboot ("reused"). Prints which, or nothing for a live server.
stale_pid() {
    local pid state
    pid=$(head -n1 "$PG_DATA/postmaster.pid" 2>/dev/null) || { echo gone; return; }
    state=$(sed -E 's/^.*\) (.).*$/\1/' "/proc/$pid/stat" 2>/dev/null) || { echo gone; return; }
    if [[ $state == Z ]]; then
        echo zombie
    elif [[ $(readlink -f "/proc/$pid/cwd" 2>/dev/null) != "$(readlink -f "$PG_DATA")" ]]; then
        echo reused  # a postmaster's cwd is its data directory
    fi
}

is_ready() { client pg_isready -q -h "$PG_SOCK" -p "$PG_PORT" -U "$DB_ROLE" -d postgres; }

url() {  # socket dir as a percent-encoded host: dj-database-url then puts it in HOST
    local LC_ALL=C s=$PG_SOCK enc='' c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case $c in
            [a-z0-9._-]) enc+=$c ;;  # hostnames get lower-cased, so encode capitals too
            *) printf -v c '%%%02X' "'$c"; enc+=$c ;;
        esac
    done
    printf 'postgres://%s@%s:%s/%s\n' "$DB_ROLE" "$enc" "$PG_PORT" "$DB_NAME"
}

lock() {  # serialise start/stop/destroy of this checkout's cluster
    [[ -d $STATE_DIR ]] && command -v flock >/dev/null 2>&1 || return 0
    exec 9>>"$STATE_DIR/.lock"
    flock 9
}

tail_log() { [[ -f $PG_LOGDIR/postgresql.log ]] && tail -n 20 "$PG_LOGDIR/postgresql.log" >&2 || true; }

# The postmaster must not inherit our lock (fd 9) or a caller's pipes (make, CI), so
# close every descriptor above stderr before starting it.
pg_ctl_start() (
    local fd
    for fd in /proc/"$BASHPID"/fd/*; do
        fd=${fd##*/}
        if [[ $fd =~ ^[0-9]+$ ]] && ((fd > 2)); then eval "exec $fd>&-"; fi
    done
    runas "$BINDIR/pg_ctl" start -w -t 60 -D "$PG_DATA" -l "$PG_LOGDIR/postgresql.log" \
        </dev/null >/dev/null 2>&1
)

# --- commands ---------------------------------------------------------------------------

cmd_start() {
    local locale=C have_record=0 i ver sockq
    ensure_binaries
    resolve_user create
    (umask 022 && mkdir -p "$STATE_DIR")
    lock
    [[ -f $RECORD ]] && have_record=1
    load_location
    [[ -n $REASON && $have_record == 0 ]] && warn "$REASON"
    save_location

    [[ $PG_BASE == "$FALLBACK" || $PG_SOCK == "$FALLBACK"/* ]] && private_dir "$FALLBACK" 700
    [[ $PG_BASE == "$STATE_DIR" ]] || private_dir "$PG_BASE" 700
    private_dir "$PG_DATA" 700
    private_dir "$PG_LOGDIR" 700
    private_dir "$PG_SOCK" 700

    if [[ ! -f $PG_DATA/PG_VERSION ]]; then
        [[ -z $(ls -A "$PG_DATA") ]] || die "$PG_DATA is not empty but holds no cluster; remove it (make clean)"
        locale -a 2>/dev/null | grep -qixE 'c\.utf-?8' && locale=C.UTF-8
        if ! runas "$BINDIR/initdb" -D "$PG_DATA" -U "$DB_ROLE" --auth=trust --encoding=UTF8 \
            --locale="$locale" --no-instructions >"$PG_LOGDIR/initdb.log" 2>&1; then
            cat "$PG_LOGDIR/initdb.log" >&2
            die "initdb failed"
        fi
    fi
    # Without this include the server would listen on TCP and the system socket dir.
    grep -qx "include_if_exists = 'lector.conf'" "$PG_DATA/postgresql.conf" ||
        echo "include_if_exists = 'lector.conf'" >>"$PG_DATA/postgresql.conf"
    ver=$(<"$PG_DATA/PG_VERSION")
    [[ $ver == "$(bin_major)" ]] ||
        die "$PG_DATA is a PostgreSQL $ver cluster but the binaries in $BINDIR are $(bin_major); remove it with: make clean"

    if is_running; then
        for ((i = 0; i < 60; i++)); do is_ready && break; sleep 0.5; done
        is_ready || { tail_log; die "server is running but not accepting connections on $PG_SOCK"; }
        say "PostgreSQL already running (socket $PG_SOCK)"
    else
        # Settings are rewritten on every start so that they follow the recorded location.
        # fsync etc. are off: this is a throwaway dev/test cluster and tests run faster.
        sockq=${PG_SOCK//\'/\'\'}  # quote for postgresql.conf
        runas tee "$PG_DATA/lector.conf" >/dev/null <<EOF
# written by scripts/pg.sh on every start
listen_addresses = ''
port = $PG_PORT
unix_socket_directories = '$sockq'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
        # After a crash the old postmaster may not be reaped yet, or its backends may still
        # hold shared memory for a moment: retry for a while.
        for ((i = 0; ; i++)); do
            if [[ -d /proc/self && -f $PG_DATA/postmaster.pid && $(stale_pid) == reused ]]; then
                runas rm -f "$PG_DATA/postmaster.pid"  # else postgres may refuse to start
            fi
            pg_ctl_start && break
            if ((i < 20)) && tail -n 5 "$PG_LOGDIR/postgresql.log" 2>/dev/null |
                grep -qE 'shared memory block|lock file .* already exists'; then
                sleep 1; continue
            fi
            tail_log
            die "could not start PostgreSQL (log: $PG_LOGDIR/postgresql.log)"
        done
        say "PostgreSQL $ver running (socket $PG_SOCK, data $PG_DATA)"
    fi

    if [[ -z $(client psql -X -q -h "$PG_SOCK" -p "$PG_PORT" -U "$DB_ROLE" -d postgres -tA \
        -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'") ]]; then
        client createdb -h "$PG_SOCK" -p "$PG_PORT" -U "$DB_ROLE" "$DB_NAME"
    fi
}

cmd_stop() {
    find_bindir || { say "PostgreSQL not running"; return 0; }
    resolve_user
    lock
    load_location
    if is_running; then
        runas "$BINDIR/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 >/dev/null
        say "PostgreSQL stopped"
    else
        say "PostgreSQL not running"
    fi
}

cmd_status() {
    find_bindir || true
    resolve_user
    load_location
    if is_running; then
        say "running; data $PG_DATA, socket $PG_SOCK (no TCP)"
        say "DATABASE_URL=$(url)"
        return 0
    fi
    if [[ -f $PG_DATA/PG_VERSION ]]; then say "stopped; data $PG_DATA"; else say "not created"; fi
    return 3
}

cmd_destroy() {
    cmd_stop
    load_location
    rm -rf "$PG_DATA" "$PG_LOGDIR" "$PG_SOCK"
    if [[ -d $FALLBACK && ! -L $FALLBACK && $(stat -c %U "$FALLBACK") == "$PG_USER" ]]; then
        rm -rf "$FALLBACK"
    fi
    rm -rf "$STATE_DIR"
    say "PostgreSQL cluster removed"
}

cmd_url() {
    resolve_user
    load_location
    url
}

case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    url) cmd_url ;;
    destroy) cmd_destroy ;;
    *) echo "usage: $0 start|stop|status|url|destroy" >&2; exit 2 ;;
esac
