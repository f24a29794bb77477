#!/usr/bin/env bash
# Install and run, on loopback only, the real services the test suite needs:
#
#   postgres    PostgreSQL 15 (Debian cluster 15/main)      127.0.0.1:5432  role/db hub:hub
#   redis       redis-server (Debian), daemonized            127.0.0.1:6379
#   opensearch  OpenSearch 2.19 single node, embedded, built 127.0.0.1:9200  (HTTP, no security)
#               from Maven Central jars (scripts/opensearch/)
#
# Usage:
#   scripts/services.sh                      start all three (same as: start)
#   scripts/services.sh start [SERVICE...]   start the named services (default: all)
#   scripts/services.sh stop [SERVICE...]    stop the named services (default: all)
#   scripts/services.sh restart [SERVICE...]
#   scripts/services.sh status [SERVICE...]  exit 0 only if all named services answer
#   scripts/services.sh env                  print the export lines only
#
# SERVICE is postgres|redis|opensearch (aliases: pg, postgresql, search, os).
# Progress goes to stderr; `start` ends by printing `export VAR=...` lines on
# stdout, so  eval "$(scripts/services.sh)"  sets up the environment.
#
# Idempotent: a service that already answers is left alone. Runs as root on a
# Debian 12 machine (apt-get is used for missing packages). State, build output
# and logs live under var/services/ (gitignored).
#
# Locations (environment, defaults as above): PG_PORT, PG_CLUSTER, PG_DB,
# REDIS_PORT, REDIS_DIR, REDIS_PERSIST (1: append-only file), OS_HTTP_PORT,
# OS_TRANSPORT_PORT, OS_CLUSTER_NAME, OS_DIR (node home, log and pidfile), OS_EXTRA_SETTINGS
# (more -E node settings, space-separated key=value: a cluster node, scripts/topology.sh).
#
# Tunables (environment): OPENSEARCH_JAVA_OPTS (default "-Xms512m -Xmx1g"),
# OPENSEARCH_FAST_START (default 1: C1-only JIT, quicker start; 0 for benchmarks),
# SERVICES_TIMEOUT (seconds to wait for postgres/redis, default 60),
# OPENSEARCH_TIMEOUT (seconds to wait for the node, default 180).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VAR="$ROOT/var/services"

# Every location below can be overridden from the environment, so that a test
# can run private instances beside the shared ones (tests/faults/ does:
# PG_PORT=5433 PG_CLUSTER=faults REDIS_PORT=6380 OS_HTTP_PORT=9201 ...).
PG_HOST=127.0.0.1
PG_PORT="${PG_PORT:-5432}"
PG_CLUSTER="${PG_CLUSTER:-main}"
PG_USER=hub
PG_PASSWORD=hub
PG_DB="${PG_DB:-hub}"

REDIS_HOST=127.0.0.1
REDIS_PORT="${REDIS_PORT:-6379}"
REDIS_DIR="${REDIS_DIR:-$VAR/redis}"
# 1: append-only file, so queued Celery messages survive a Redis restart (as
# a production broker would be configured). Default 0: a pure cache/broker.
REDIS_PERSIST="${REDIS_PERSIST:-0}"

OS_HOST=127.0.0.1
OS_HTTP_PORT="${OS_HTTP_PORT:-9200}"
OS_TRANSPORT_PORT="${OS_TRANSPORT_PORT:-9300}"
OS_CLUSTER_NAME="${OS_CLUSTER_NAME:-hub-test}"
OS_SRC="$ROOT/scripts/opensearch"
OS_DIR="${OS_DIR:-$VAR/opensearch}"
# The build is shared by every instance: only the node's state is per OS_DIR.
OS_BUILD="$VAR/opensearch/build"
OS_HOME="$OS_DIR/home"
OS_LOG="$OS_DIR/opensearch.log"
OS_PIDFILE="$OS_DIR/opensearch.pid"
OS_MAIN=hub.search.HubSearchNode
OPENSEARCH_JAVA_OPTS="${OPENSEARCH_JAVA_OPTS:--Xms512m -Xmx1g}"
# More node settings, "key=value" words passed as -E (a cluster's node.name, discovery.type=zen,
# discovery.seed_hosts, cluster.initial_cluster_manager_nodes: scripts/topology.sh).
OS_EXTRA_SETTINGS="${OS_EXTRA_SETTINGS:-}"
# 1: C1-only JIT (-XX:TieredStopAtLevel=1). On this 2-core machine it halves
# startup under load and is as fast for test-sized work; set 0 for benchmarks
# that want steady-state peak throughput (full C2 JIT).
OPENSEARCH_FAST_START="${OPENSEARCH_FAST_START:-1}"

SERVICES_TIMEOUT="${SERVICES_TIMEOUT:-60}"
OPENSEARCH_TIMEOUT="${OPENSEARCH_TIMEOUT:-180}"

export LANG="${LANG:-C.UTF-8}"
export DEBIAN_FRONTEND=noninteractive

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

# Show the tail of a log file on stderr (used when a service fails to come up).
show_log() {
    local file="$1"
    if [[ -f "$file" ]]; then
        printf '[services] ---- last 40 lines of %s ----\n' "$file" >&2
        tail -n 40 "$file" >&2 || true
        printf '[services] ---- end of %s ----\n' "$file" >&2
    else
        printf '[services] (no log file at %s)\n' "$file" >&2
    fi
}

# ---------------------------------------------------------------- apt ----

APT_UPDATED=0
apt_install() {
    [[ $EUID -eq 0 ]] || die "need root to apt-get install $*"
    if [[ $APT_UPDATED -eq 0 ]]; then
        mkdir -p "$VAR"
        log "apt-get update"
        if ! apt-get update -qq > "$VAR/apt.log" 2>&1; then
            show_log "$VAR/apt.log"
            die "apt-get update failed"
        fi
        APT_UPDATED=1
    fi
    # Keep package scripts from starting services with their distro configs:
    # this script starts them itself. Only if the machine has no policy yet.
    local own_policy=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        own_policy=1
    fi
    log "apt-get install $*"
    local rc=0
    apt-get install -y -qq --no-install-recommends "$@" >> "$VAR/apt.log" 2>&1 || rc=$?
    [[ $own_policy -eq 1 ]] && rm -f /usr/sbin/policy-rc.d
    if [[ $rc -ne 0 ]]; then
        show_log "$VAR/apt.log"
        die "apt-get install $* failed (exit $rc)"
    fi
}

ensure_curl() {
    command -v curl >/dev/null 2>&1 || apt_install curl ca-certificates
}

# ----------------------------------------------------------- postgres ----

pg_version() {
    # Newest installed server major version (Debian 12 ships 15).
    local v
    v="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | while read -r d; do
            [[ -x "/usr/lib/postgresql/$d/bin/postgres" ]] && echo "$d"; done | tail -n 1)"
    echo "$v"
}

pg_install() {
    if [[ -z "$(pg_version)" ]] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
        apt_install postgresql
    fi
    [[ -n "$(pg_version)" ]] || die "PostgreSQL server binaries not found after install"
}

pg_answers() {
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2 >/dev/null 2>&1
}

pg_log_file() {
    echo "/var/log/postgresql/postgresql-$(pg_version)-$PG_CLUSTER.log"
}

as_postgres() {
    (cd / && runuser -u postgres -- "$@")
}

pg_start() {
    pg_install
    local v
    v="$(pg_version)"
    if ! pg_lsclusters -h 2>/dev/null | awk -v v="$v" -v c="$PG_CLUSTER" '$1==v && $2==c {f=1} END {exit !f}'; then
        log "creating PostgreSQL cluster $v/$PG_CLUSTER (UTF8, C.UTF-8)"
        pg_createcluster --encoding UTF8 --locale C.UTF-8 --port "$PG_PORT" "$v" "$PG_CLUSTER" >&2
    fi
    local port
    port="$(pg_lsclusters -h | awk -v v="$v" -v c="$PG_CLUSTER" '$1==v && $2==c {print $3}')"
    [[ "$port" == "$PG_PORT" ]] || die "cluster $v/$PG_CLUSTER is configured for port $port, expected $PG_PORT (see /etc/postgresql/$v/$PG_CLUSTER/postgresql.conf)"

    # The socket directory lives on /run, which may have been emptied since install.
    install -d -o postgres -g postgres -m 2775 /var/run/postgresql

    if pg_ctlcluster "$v" "$PG_CLUSTER" status >/dev/null 2>&1; then
        log "PostgreSQL $v/$PG_CLUSTER already running"
    else
        log "starting PostgreSQL $v/$PG_CLUSTER on $PG_HOST:$PG_PORT"
        if ! pg_ctlcluster "$v" "$PG_CLUSTER" start >&2 9>&-; then
            show_log "$(pg_log_file)"
            die "pg_ctlcluster $v $PG_CLUSTER start failed"
        fi
    fi

    local i
    for ((i = 0; i < SERVICES_TIMEOUT; i++)); do
        pg_answers && break
        sleep 1
    done
    if ! pg_answers; then
        show_log "$(pg_log_file)"
        die "PostgreSQL did not answer on $PG_HOST:$PG_PORT within ${SERVICES_TIMEOUT}s"
    fi

    # Role and database (idempotent; the password is reset every time).
    as_postgres psql -X -q -p "$PG_PORT" -v ON_ERROR_STOP=1 -d postgres >&2 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  ELSE
    ALTER ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  END IF;
END
\$\$;
SQL
    if [[ "$(as_postgres psql -X -tAq -p "$PG_PORT" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != 1 ]]; then
        log "creating database $PG_DB"
        as_postgres psql -X -q -p "$PG_PORT" -v ON_ERROR_STOP=1 -d postgres \
            -c "CREATE DATABASE $PG_DB OWNER $PG_USER ENCODING 'UTF8' TEMPLATE template0" >&2
    fi
    local enc
    enc="$(as_postgres psql -X -tAq -p "$PG_PORT" -d postgres -c "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'template1'")"
    [[ "$enc" == UTF8 ]] || log "WARNING: template1 encoding is $enc, not UTF8: Django test databases will inherit it"

    # Prove the app's credentials work over TCP.
    if ! PGPASSWORD="$PG_PASSWORD" psql -X -tAq -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -c 'SELECT 1' >/dev/null; then
        show_log "$(pg_log_file)"
        die "cannot log in as $PG_USER to $PG_DB over TCP"
    fi
    log "PostgreSQL ready: postgres://$PG_USER:***@$PG_HOST:$PG_PORT/$PG_DB"
}

pg_stop() {
    local v
    v="$(pg_version)"
    if [[ -z "$v" ]] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
        log "PostgreSQL not installed; nothing to stop"
        return 0
    fi
    if pg_ctlcluster "$v" "$PG_CLUSTER" status >/dev/null 2>&1; then
        log "stopping PostgreSQL $v/$PG_CLUSTER"
        pg_ctlcluster "$v" "$PG_CLUSTER" stop -m fast >&2 || die "pg_ctlcluster stop failed"
    else
        log "PostgreSQL $v/$PG_CLUSTER not running"
    fi
}

# -------------------------------------------------------------- redis ----

redis_install() {
    command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || apt_install redis-server
}

redis_answers() {
    [[ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]
}

redis_start() {
    redis_install
    if redis_answers; then
        log "Redis already running on $REDIS_HOST:$REDIS_PORT"
        return 0
    fi
    mkdir -p "$REDIS_DIR"
    log "starting Redis on $REDIS_HOST:$REDIS_PORT"
    # No persistence: this is a cache/broker for tests.
    if ! redis-server --bind "$REDIS_HOST" --port "$REDIS_PORT" --protected-mode yes \
            --daemonize yes --pidfile "$REDIS_DIR/redis.pid" \
            --logfile "$REDIS_DIR/redis.log" --dir "$REDIS_DIR" \
            --save '' --appendonly "$([[ $REDIS_PERSIST == 1 ]] && echo yes || echo no)" >&2 9>&-; then
        show_log "$REDIS_DIR/redis.log"
        die "redis-server failed to start"
    fi
    local i
    for ((i = 0; i < SERVICES_TIMEOUT; i++)); do
        redis_answers && break
        sleep 1
    done
    if ! redis_answers; then
        show_log "$REDIS_DIR/redis.log"
        die "Redis did not answer PING on $REDIS_HOST:$REDIS_PORT within ${SERVICES_TIMEOUT}s"
    fi
    log "Redis ready: redis://$REDIS_HOST:$REDIS_PORT/0"
}

redis_stop() {
    if ! command -v redis-cli >/dev/null 2>&1; then
        log "Redis not installed; nothing to stop"
        return 0
    fi
    if redis_answers; then
        log "stopping Redis on $REDIS_HOST:$REDIS_PORT"
        redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
        local i
        for ((i = 0; i < 20; i++)); do
            redis_answers || break
            sleep 0.5
        done
        redis_answers && die "Redis still answers after SHUTDOWN"
    else
        log "Redis not running"
    fi
    rm -f "$REDIS_DIR/redis.pid"
}

# --------------------------------------------------------- opensearch ----

java_ok() {
    command -v java >/dev/null 2>&1 || return 1
    local major
    major="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
    [[ -n "$major" && "${major%%.*}" -ge 17 ]]
}

os_install() {
    local pkgs=()
    java_ok || pkgs+=(openjdk-17-jdk-headless)
    command -v mvn >/dev/null 2>&1 || pkgs+=(maven)
    [[ ${#pkgs[@]} -eq 0 ]] || apt_install "${pkgs[@]}"
    java_ok || die "Java 17+ is required for OpenSearch 2.x"
}

# Fingerprint of everything the build depends on.
os_fingerprint() {
    (cd "$OS_SRC" && find pom.xml src -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1
}

os_build() {
    os_install
    local fp
    fp="$(os_fingerprint)"
    if [[ -f "$OS_BUILD/.fingerprint" && "$(cat "$OS_BUILD/.fingerprint")" == "$fp" \
          && -f "$OS_BUILD/classes/${OS_MAIN//.//}.class" && -d "$OS_BUILD/lib" ]]; then
        return 0
    fi
    log "building the OpenSearch node with Maven (with a cold ~/.m2 this downloads ~90 MB from Maven Central)"
    rm -rf "$OS_BUILD"
    mkdir -p "$OS_DIR"
    if ! mvn -B -q -f "$OS_SRC/pom.xml" -Dhub.build.dir="$OS_BUILD" package > "$OS_DIR/build.log" 2>&1; then
        show_log "$OS_DIR/build.log"
        die "Maven build of the OpenSearch node failed"
    fi
    echo "$fp" > "$OS_BUILD/.fingerprint"
    log "OpenSearch node built: $(ls "$OS_BUILD/lib" | wc -l) jars in $OS_BUILD/lib"
}

# Pid of our node, if the pidfile points at a live HubSearchNode process.
os_pid() {
    [[ -f "$OS_PIDFILE" ]] || return 1
    local pid
    pid="$(cat "$OS_PIDFILE" 2>/dev/null)"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "$OS_MAIN" || return 1
    echo "$pid"
}

os_health() {
    curl -fsS --max-time 3 "http://$OS_HOST:$OS_HTTP_PORT/_cluster/health" 2>/dev/null \
        | grep -Eq '"status":"(green|yellow)"'
}

os_port_busy() {
    curl -s -o /dev/null --max-time 2 "http://$OS_HOST:$OS_HTTP_PORT/" 2>/dev/null
}

os_start() {
    ensure_curl
    if os_health; then
        log "OpenSearch already running on $OS_HOST:$OS_HTTP_PORT"
        os_configure
        return 0
    fi
    local pid
    if pid="$(os_pid)"; then
        log "OpenSearch (pid $pid) is starting; waiting for it"
    else
        os_build
        os_port_busy && die "something else answers on $OS_HOST:$OS_HTTP_PORT but is not a healthy OpenSearch node"
        mkdir -p "$OS_HOME" "$OS_DIR/tmp"
        [[ -f "$OS_LOG" ]] && mv -f "$OS_LOG" "$OS_LOG.1"
        local jit=() extra=() kv
        [[ "$OPENSEARCH_FAST_START" == 1 ]] && jit=(-XX:TieredStopAtLevel=1)
        for kv in $OS_EXTRA_SETTINGS; do extra+=(-E "$kv"); done
        log "starting OpenSearch on $OS_HOST:$OS_HTTP_PORT (JVM: $OPENSEARCH_JAVA_OPTS ${jit[*]})"
        # JVM flags follow the distribution's config/jvm.options.
        # shellcheck disable=SC2086
        setsid nohup java $OPENSEARCH_JAVA_OPTS "${jit[@]}" \
            -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow \
            -XX:ErrorFile="$OS_DIR/hs_err_pid%p.log" \
            -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Djna.nosys=true \
            -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true \
            -Dio.netty.recycler.maxCapacityPerThread=0 \
            -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true \
            -Djava.locale.providers=SPI,COMPAT \
            -Djava.io.tmpdir="$OS_DIR/tmp" \
            -cp "$OS_BUILD/classes:$OS_BUILD/lib/*" "$OS_MAIN" \
            "$OS_SRC/config" "$OS_HOME" \
            -E "network.host=$OS_HOST" -E "http.port=$OS_HTTP_PORT" \
            -E "transport.port=$OS_TRANSPORT_PORT" -E "cluster.name=$OS_CLUSTER_NAME" "${extra[@]}" \
            < /dev/null > "$OS_LOG" 2>&1 9>&- &
        pid=$!
        echo "$pid" > "$OS_PIDFILE"
    fi

    local i
    for ((i = 0; i < OPENSEARCH_TIMEOUT; i++)); do
        os_health && break
        if ! kill -0 "$pid" 2>/dev/null; then
            show_log "$OS_LOG"
            rm -f "$OS_PIDFILE"
            die "OpenSearch exited during startup"
        fi
        sleep 1
    done
    if ! os_health; then
        show_log "$OS_LOG"
        die "OpenSearch did not report green/yellow on $OS_HOST:$OS_HTTP_PORT within ${OPENSEARCH_TIMEOUT}s (pid $pid left running)"
    fi
    os_configure
    log "OpenSearch ready: http://$OS_HOST:$OS_HTTP_PORT (pid $pid, started in ${i}s)"
}

# Cluster-level defaults that only take effect through the settings API
# (cluster.default_number_of_replicas is ignored in opensearch.yml): new indices
# get 0 replicas unless they ask otherwise, so a single node can be green.
os_configure() {
    if ! curl -fsS --max-time 10 -XPUT "http://$OS_HOST:$OS_HTTP_PORT/_cluster/settings" \
            -H 'Content-Type: application/json' \
            -d '{"persistent":{"cluster.default_number_of_replicas":0}}' >/dev/null; then
        show_log "$OS_LOG"
        die "could not apply cluster settings to OpenSearch"
    fi
}

os_stop() {
    local pid
    if ! pid="$(os_pid)"; then
        rm -f "$OS_PIDFILE"
        if os_port_busy; then
            log "WARNING: something answers on $OS_HOST:$OS_HTTP_PORT but was not started by this script; left alone"
        else
            log "OpenSearch not running"
        fi
        return 0
    fi
    log "stopping OpenSearch (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 60; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "OpenSearch did not stop in 30s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 1
    fi
    rm -f "$OS_PIDFILE"
}

# -------------------------------------------------------------- main -----

print_env() {
    cat <<EOF
export DATABASE_URL=postgres://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DB
export REDIS_URL=redis://$REDIS_HOST:$REDIS_PORT/0
export SEARCH_ENGINE=opensearch
export SEARCH_URL=http://$OS_HOST:$OS_HTTP_PORT
EOF
}

canon() {
    case "$1" in
        postgres|postgresql|pg|db) echo postgres ;;
        redis) echo redis ;;
        opensearch|search|os) echo opensearch ;;
        *) die "unknown service '$1' (expected postgres, redis or opensearch)" ;;
    esac
}

status_one() {
    case "$1" in
        postgres) pg_answers ;;
        redis) command -v redis-cli >/dev/null 2>&1 && redis_answers ;;
        opensearch) command -v curl >/dev/null 2>&1 && os_health ;;
    esac
}

main() {
    local action="${1:-start}"
    [[ $# -gt 0 ]] && shift
    case "$action" in
        -h|--help|help) sed -n '2,/^$/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; return 0 ;;
        env) print_env; return 0 ;;
        start|stop|restart|status) ;;
        *) die "unknown action '$action' (start|stop|restart|status|env)" ;;
    esac

    local services=() s
    if [[ $# -eq 0 ]]; then
        services=(postgres redis opensearch)
    else
        for s in "$@"; do services+=("$(canon "$s")"); done
    fi

    if [[ "$action" == status ]]; then
        local rc=0
        for s in "${services[@]}"; do
            if status_one "$s"; then echo "$s: up"; else echo "$s: down"; rc=1; fi
        done
        return $rc
    fi

    [[ $EUID -eq 0 ]] || die "run as root (apt-get, pg_ctlcluster)"
    mkdir -p "$VAR"
    # One run at a time per set of instances (e.g. parallel test workers
    # calling start); private instances on other ports have their own lock.
    local lock="$VAR/.lock"
    [[ "$PG_PORT:$REDIS_PORT:$OS_HTTP_PORT" == 5432:6379:9200 ]] || lock="$VAR/.lock-$PG_PORT-$REDIS_PORT-$OS_HTTP_PORT"
    exec 9> "$lock"
    flock -w 300 9 || die "another services.sh is still running (lock $lock)"

    if [[ "$action" == stop || "$action" == restart ]]; then
        for s in "${services[@]}"; do
            case "$s" in
                postgres) pg_stop ;;
                redis) redis_stop ;;
                opensearch) os_stop ;;
            esac
        done
    fi
    if [[ "$action" == start || "$action" == restart ]]; then
        for s in "${services[@]}"; do
            case "$s" in
                postgres) pg_start ;;
                redis) redis_start ;;
                opensearch) os_start ;;
            esac
        done
        log "all requested services are up; environment:"
        print_env
    fi
}

main "$@"
