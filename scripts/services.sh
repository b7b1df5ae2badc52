#!/usr/bin/env bash
# Throwaway local PostgreSQL and Redis for development and tests.
#
#   scripts/services.sh install           apt-installs what is missing (postgresql, redis-server,
#                                         libpq-dev, libhiredis-dev, libblas-dev, libopenblas0-pthread,
#                                         libjemalloc-dev, libcurl4-openssl-dev)
#   scripts/services.sh start             starts both (reuses running ones), writes and prints
#                                         $LOCAL/services.env (POSTGRES_URL, REDIS_URL)
#   scripts/services.sh stop              stops both cleanly
#   scripts/services.sh status            says what runs where
#   scripts/services.sh restart-postgres  stops and starts PostgreSQL on the same port and data dir
#   scripts/services.sh start-postgres | stop-postgres | start-redis | stop-redis
#
# Everything lives under $LOCAL = ${HYBRIDRANK_LOCAL_DIR:-$PWD/.local} (git-ignored): PostgreSQL's
# cluster in $LOCAL/pg, Redis's pid/log in $LOCAL/redis. Set HYBRIDRANK_LOCAL_DIR to run a second,
# independent pair (the reconnect integration test does this so restarting its server cannot disturb
# other tests). Both listen on 127.0.0.1 only, on free ports (or PG_PORT / REDIS_PORT when set);
# PostgreSQL trusts loopback connections (user `postgres`, database `hybridrank`); Redis keeps
# nothing on disk (--save '' --appendonly no). As root, PostgreSQL runs as the `postgres` system
# user, because initdb refuses to run as root.
set -euo pipefail

LOCAL="${HYBRIDRANK_LOCAL_DIR:-$PWD/.local}"
PG_DIR="$LOCAL/pg"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/postgres.log"
REDIS_DIR="$LOCAL/redis"
ENV_FILE="$LOCAL/services.env"
DB_NAME="hybridrank"
DB_USER="postgres"

log() { echo "services: $*" >&2; }
die() { log "$*"; exit 1; }

pg_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [[ -x "$dir/pg_ctl" ]]; then PG_BIN="$dir"; fi # the glob sorts, so the newest wins
    done
    [[ -n "${PG_BIN:-}" ]] || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (run: $0 install)"
}

# Runs a command as the PostgreSQL owner: `postgres` when we are root, ourselves otherwise.
as_pg() {
    if [[ $(id -u) == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A port nothing listens on, below Linux's ephemeral range (32768-60999 by default), so an outgoing
# connection's local port cannot take it between this check and the server's bind.
free_port() {
    local port tries=0
    while ((tries < 200)); do
        port=$((20000 + RANDOM % 12000))
        if ! port_in_use "$port"; then echo "$port"; return 0; fi
        tries=$((tries + 1))
    done
    die "no free port found"
}

cmd_install() {
    local pkgs=(postgresql redis-server libpq-dev libhiredis-dev libblas-dev libopenblas0-pthread libjemalloc-dev libcurl4-openssl-dev)
    local missing=() p
    for p in "${pkgs[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if ((${#missing[@]} == 0)); then
        log "all system packages present"
        return 0
    fi
    local sudo=()
    [[ $(id -u) == 0 ]] || sudo=(sudo)
    log "installing ${missing[*]}"
    "${sudo[@]}" apt-get update
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
}

pg_port() { sed -n "s/^port = \([0-9]*\).*/\1/p" "$PG_DATA/postgresql.conf" | tail -n 1; }

pg_running() { [[ -f "$PG_DATA/postmaster.pid" ]] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

# Waits up to 60 s for PostgreSQL to accept connections (a loaded CI machine can be slow after
# pg_ctl returns); on failure prints the tail of its log.
pg_wait_ready() {
    local port="$1" started=$SECONDS
    while ((SECONDS - started < 60)); do
        if "$PG_BIN/pg_isready" -q -t 2 -h 127.0.0.1 -p "$port" -U "$DB_USER"; then return 0; fi
        sleep 0.1
    done
    tail -n 15 "$PG_LOG" >&2 2>/dev/null || true
    die "PostgreSQL on port $port did not become ready (see $PG_LOG)"
}

cmd_start_postgres() {
    pg_bin
    mkdir -p "$PG_DIR"
    if [[ $(id -u) == 0 ]]; then
        chown postgres: "$PG_DIR"
        # The cluster runs as `postgres`, which must pass through every folder above it: a checkout
        # in a private folder (mktemp -d makes it 0700) gets search permission (x) for others on
        # those folders, nothing more.
        local dir
        dir="$(dirname "$PG_DIR")"
        while [[ "$dir" != "/" ]] && ! runuser -u postgres -- test -x "$PG_DIR"; do
            chmod o+x "$dir"
            dir="$(dirname "$dir")"
        done
    fi
    if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
        log "initdb $PG_DATA"
        as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$DB_USER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
        cat >>"$PG_DATA/postgresql.conf" <<CONF
# --- scripts/services.sh ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 128MB
CONF
        chown "$(stat -c %u:%g "$PG_DATA")" "$PG_DATA/postgresql.conf"
    fi
    if pg_running; then
        log "PostgreSQL already running on port $(pg_port)"
    else
        local port
        port="$(pg_port)"
        if [[ -n "${PG_PORT:-}" ]]; then
            port="$PG_PORT"
        elif [[ -z "$port" ]] || port_in_use "$port"; then
            port="$(free_port)"
        fi
        if [[ "$port" != "$(pg_port)" ]]; then
            echo "port = $port" >>"$PG_DATA/postgresql.conf"
        fi
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null \
            || { tail -n 15 "$PG_LOG" >&2 2>/dev/null || true; die "PostgreSQL failed to start (see $PG_LOG)"; }
    fi
    local port
    port="$(pg_port)"
    pg_wait_ready "$port"
    if [[ "$("$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U "$DB_USER" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]]; then
        "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U "$DB_USER" "$DB_NAME"
    fi
}

cmd_stop_postgres() {
    pg_bin
    if [[ -f "$PG_DATA/PG_VERSION" ]] && pg_running; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
        log "PostgreSQL stopped"
    fi
}

cmd_restart_postgres() {
    pg_bin
    [[ -f "$PG_DATA/PG_VERSION" ]] || die "no PostgreSQL cluster in $PG_DATA (run: $0 start)"
    local port
    port="$(pg_port)"
    cmd_stop_postgres
    PG_PORT="$port" cmd_start_postgres
    log "PostgreSQL restarted on port $port"
}

redis_port() { cat "$REDIS_DIR/port" 2>/dev/null || true; }

redis_running() {
    local port
    port="$(redis_port)"
    [[ -n "$port" ]] && [[ "$(timeout 2 redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == PONG ]]
}

# Starts Redis on a free port (or REDIS_PORT), retrying on a fresh port when the server exits before
# it answers (another process can take a free port between the check and the bind). A start that
# fails prints the tail of Redis's log, so a CI log says why.
cmd_start_redis() {
    command -v redis-server >/dev/null || die "redis-server not found (run: $0 install)"
    mkdir -p "$REDIS_DIR"
    if redis_running; then
        log "Redis already running on port $(redis_port)"
        return 0
    fi
    local attempt port
    for attempt in 1 2 3; do
        port="${REDIS_PORT:-$(free_port)}"
        if redis_start_on "$port"; then return 0; fi
        log "Redis did not start on port $port (attempt $attempt of 3); its log ends:"
        tail -n 15 "$REDIS_DIR/redis.log" >&2 2>/dev/null || true
    done
    die "Redis failed to start (see $REDIS_DIR/redis.log)"
}

# Starts one Redis on `port` and waits up to 30 s for PING; fails early when the daemon has exited.
redis_start_on() {
    local port="$1" pid=""
    rm -f "$REDIS_DIR/redis.pid"
    # 256 databases: the test suite gives each in-process server one of its own (ServerTestSupport).
    redis-server --save '' --appendonly no --bind 127.0.0.1 --port "$port" --daemonize yes --databases 256 \
        --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" || return 1
    echo "$port" >"$REDIS_DIR/port"
    local started=$SECONDS
    while ((SECONDS - started < 30)); do
        if redis_running; then return 0; fi
        pid="$(cat "$REDIS_DIR/redis.pid" 2>/dev/null || true)"
        if ((SECONDS - started >= 2)) && { [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; }; then
            break # the daemon exited (or wrote no pid in 2 s): try again
        fi
        sleep 0.1
    done
    if [[ -n "${pid:-}" ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
    rm -f "$REDIS_DIR/port"
    return 1
}

cmd_stop_redis() {
    if redis_running; then
        redis-cli -h 127.0.0.1 -p "$(redis_port)" shutdown nosave >/dev/null 2>&1 || true
        log "Redis stopped"
    fi
    rm -f "$REDIS_DIR/port"
}

write_env() {
    pg_bin
    local lines=()
    pg_running && lines+=("export POSTGRES_URL=postgresql://$DB_USER@127.0.0.1:$(pg_port)/$DB_NAME")
    redis_running && lines+=("export REDIS_URL=redis://127.0.0.1:$(redis_port)")
    printf '%s\n' "${lines[@]}" >"$ENV_FILE"
    cat "$ENV_FILE"
}

cmd_status() {
    pg_bin
    local rc=0
    if pg_running; then echo "postgresql: running on 127.0.0.1:$(pg_port) ($PG_DATA)"; else echo "postgresql: stopped"; rc=1; fi
    if redis_running; then echo "redis: running on 127.0.0.1:$(redis_port)"; else echo "redis: stopped"; rc=1; fi
    return $rc
}

# Servers started from here must not inherit descriptors other than stdin/stdout/stderr: a
# caller's pipe kept open by a long-lived postgres or redis-server would never see end-of-file.
close_inherited_fds() {
    local fd
    for fd in $(ls /proc/$$/fd 2>/dev/null); do
        case "$fd" in 0 | 1 | 2 | 255) ;; *) eval "exec $fd>&-" 2>/dev/null || true ;; esac
    done
}
close_inherited_fds

case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start_postgres; cmd_start_redis; write_env ;;
    stop) cmd_stop_redis; cmd_stop_postgres; rm -f "$ENV_FILE" ;;
    status) cmd_status ;;
    restart-postgres) cmd_restart_postgres; write_env >/dev/null ;;
    start-postgres) cmd_start_postgres; write_env ;;
    stop-postgres) cmd_stop_postgres ;;
    start-redis) cmd_start_redis; write_env ;;
    stop-redis) cmd_stop_redis ;;
    env) write_env ;;
    *)
        echo "usage: $0 install|start|stop|status|restart-postgres|start-postgres|stop-postgres|start-redis|stop-redis|env" >&2
        exit 2
        ;;
esac
