#!/usr/bin/env bash
# The production reference topology, on this machine's loopback (issue #16; docs/deployment.md):
#
#   lb        HAProxy (Debian)            127.0.0.1:8131  health check GET /readyz every second,
#                                         stats page on 127.0.0.1:8134/stats
#   web1/2    gunicorn, DEBUG off         127.0.0.1:8132 and :8133, MEDIA_ROOT shared
#   worker1/2 Celery workers              queue on Redis (two consumers of the same queue)
#   beat      Celery beat                 one, never two (it schedules; workers execute)
#   postgres  PostgreSQL (scripts/services.sh)   127.0.0.1:5432, database hub_topology
#   redis     Redis, append-only file     127.0.0.1:6390 (cache + broker; queued tasks survive a restart)
#   os1/os2   OpenSearch cluster of two   127.0.0.1:9205 and :9206 (transport 9207, 9208), 512 MB heap
#             each; every hub index has one replica (SEARCH_INDEX_REPLICAS=1), so each node holds a
#             full copy and search answers from the engine while one node is down
#   media     var/topology/media, mounted by every web node and worker (or S3: MEDIA_S3_* passed through)
#
# Usage:
#   scripts/topology.sh start            start everything (idempotent), migrate, demo content, index
#   scripts/topology.sh stop             stop everything it started (the shared PostgreSQL stays up)
#   scripts/topology.sh status           each piece up/down, the balancer's view, the cluster's health
#   scripts/topology.sh kill PIECE       SIGKILL a piece and all its processes (a crashed machine)
#   scripts/topology.sh up PIECE         start one piece again (after kill or down)
#   scripts/topology.sh down PIECE       stop one piece gracefully
#   scripts/topology.sh env              the environment of the site's processes (to run manage.py)
# PIECE: web1 web2 worker1 worker2 beat lb redis os1 os2, and postgres when TOPO_PG_CLUSTER is a
# cluster of the topology's own (never the shared "main").
#
# Ports and locations can be moved with TOPO_* variables (see below); MEDIA_S3_* and EMAIL_URL in
# the caller's environment are passed to the site. Runs as root on Debian 12 (apt-get haproxy).
# Everything lives under var/topology/ (logs: var/topology/log/).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VAR="${TOPO_VAR:-$ROOT/var/topology}"
BIN="$ROOT/.venv/bin"
SERVICES="$ROOT/scripts/services.sh"

LB_PORT="${TOPO_LB_PORT:-8131}"
WEB1_PORT="${TOPO_WEB1_PORT:-8132}"
WEB2_PORT="${TOPO_WEB2_PORT:-8133}"
STATS_PORT="${TOPO_STATS_PORT:-8134}"
PG_PORT="${TOPO_PG_PORT:-5432}"
PG_DB="${TOPO_PG_DB:-hub_topology}"
# A cluster of its own (TOPO_PG_CLUSTER=soak TOPO_PG_PORT=5434) can be killed and started again
# as the piece "postgres" (bench.chaos --soak); the shared "main" cluster never is.
PG_CLUSTER="${TOPO_PG_CLUSTER:-main}"
REDIS_PORT="${TOPO_REDIS_PORT:-6390}"
OS1_PORT="${TOPO_OS1_PORT:-9205}"
OS2_PORT="${TOPO_OS2_PORT:-9206}"
OS1_TRANSPORT="${TOPO_OS1_TRANSPORT:-9207}"
OS2_TRANSPORT="${TOPO_OS2_TRANSPORT:-9208}"
OS_HEAP="${TOPO_OS_HEAP:-512m}"
# Two gunicorn processes of four threads per node: two nodes fill this 2-core machine.
WEB_WORKERS="${TOPO_WEB_WORKERS:-2}"
WEB_THREADS="${TOPO_WEB_THREADS:-4}"
# start loads the demo content (reports, a consultation, members) unless TOPO_DEMO=0.
DEMO="${TOPO_DEMO:-1}"

LOG="$VAR/log"
RUN="$VAR/run"
export LANG="${LANG:-C.UTF-8}"

say() { printf '[topology] %s\n' "$*" >&2; }
die() { printf '[topology] ERROR: %s\n' "$*" >&2; exit 1; }

# ------------------------------------------------------------- the site's environment ----

secret_key() {
    mkdir -p "$VAR"
    [[ -s "$VAR/secret_key" ]] || (umask 077 && "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$VAR/secret_key")
    cat "$VAR/secret_key"
}

site_env() {
    cat <<EOF
export DJANGO_SETTINGS_MODULE=cooperation_hub.settings
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY='$(secret_key)'
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_COOKIES=false
export SITE_URL=http://127.0.0.1:$LB_PORT
export TRUSTED_PROXY_COUNT=1
export DATABASE_URL=postgres://hub:hub@127.0.0.1:$PG_PORT/$PG_DB
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export SEARCH_ENGINE=opensearch
export SEARCH_URL=http://127.0.0.1:$OS1_PORT,http://127.0.0.1:$OS2_PORT
export SEARCH_INDEX_PREFIX=hub_topology
export SEARCH_INDEX_REPLICAS=1
export HUB_VAR_DIR=$VAR/site
export MEDIA_ROOT=$VAR/media
export MEDIA_SERVE=1
export STATIC_ROOT=$VAR/static
export CELERY_TASK_ALWAYS_EAGER=false
export LOG_LEVEL=${LOG_LEVEL:-WARNING}
export PYTHONUNBUFFERED=1
EOF
    local name
    for name in $(compgen -e | grep -E '^(MEDIA_S3_|EMAIL_URL$|DEFAULT_FROM_EMAIL$|CONTRIBUTIONS_|DIGEST_|DEFERRED_TASKS_|SEARCH_ENGINE_RETRY_AFTER$|SEARCH_INDEX_RETRY_SECONDS$)' || true); do
        printf 'export %s=%q\n' "$name" "${!name}"
    done
}

load_site_env() {
    mkdir -p "$VAR" "$LOG" "$RUN" "$VAR/media" "$VAR/site"
    site_env > "$VAR/env"
    # shellcheck disable=SC1091
    source "$VAR/env"
}

manage() { (cd "$ROOT" && "$BIN/python" manage.py "$@"); }

# ---------------------------------------------------------------- processes ----

# A piece runs in a session (process group) of its own: kill -- -PGID takes all its processes.
pid_of() {
    local file="$RUN/$1.pid" pid
    [[ -f "$file" ]] || return 1
    pid="$(cat "$file")"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

spawn() {  # spawn NAME COMMAND... : in its own session, log to log/NAME.log, pid in run/NAME.pid
    local name="$1"; shift
    if pid_of "$name" >/dev/null; then
        say "$name already running (pid $(pid_of "$name"))"
        return 0
    fi
    # The background child is not a group leader, so setsid execs in place: $! is the piece's
    # own pid and the id of its process group.
    cd "$ROOT"
    setsid "$@" < /dev/null >> "$LOG/$name.log" 2>&1 9>&- &
    echo $! > "$RUN/$name.pid"
    say "$name started (pid $(cat "$RUN/$name.pid"))"
}

signal_group() {  # signal_group NAME SIGNAL
    local pid
    pid="$(pid_of "$1")" || return 1
    kill "-$2" -- "-$pid" 2>/dev/null || kill "-$2" "$pid" 2>/dev/null || true
}

stop_piece() {  # graceful: TERM, then KILL after 30 s
    local name="$1" pid i
    if ! pid="$(pid_of "$name")"; then
        rm -f "$RUN/$name.pid"
        return 0
    fi
    say "stopping $name (pid $pid)"
    signal_group "$name" TERM
    for ((i = 0; i < 60; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    kill -0 "$pid" 2>/dev/null && signal_group "$name" KILL
    rm -f "$RUN/$name.pid"
}

wait_http() {  # wait_http URL SECONDS
    local i
    for ((i = 0; i < $2; i++)); do
        curl -fsS -o /dev/null --max-time 3 "$1" 2>/dev/null && return 0
        sleep 1
    done
    return 1
}

# ---------------------------------------------------------------- the pieces ----

start_web() {  # start_web N
    local port
    port="$([[ $1 == 1 ]] && echo "$WEB1_PORT" || echo "$WEB2_PORT")"
    spawn "web$1" "$BIN/gunicorn" cooperation_hub.wsgi:application \
        --bind "127.0.0.1:$port" --workers "$WEB_WORKERS" --threads "$WEB_THREADS" --worker-class gthread \
        --timeout 60 --graceful-timeout 20 --keep-alive 30 --access-logfile - --name "hub-web$1"
    wait_http "http://127.0.0.1:$port/healthz" 90 || die "web$1 did not answer on port $port (see $LOG/web$1.log)"
}

start_worker() {  # start_worker N
    spawn "worker$1" "$BIN/celery" -A cooperation_hub worker -n "worker$1@%h" --loglevel=warning \
        --concurrency=1 --pool=prefork
}

start_beat() {
    spawn beat "$BIN/celery" -A cooperation_hub beat --loglevel=warning --schedule="$VAR/celerybeat-schedule"
}

haproxy_config() {
    mkdir -p "$VAR/haproxy"
    # While no web node is in service HAProxy answers itself: 503 with Retry-After, like the
    # site during a database outage. A node that dies in the middle of a response (SIGKILL) would
    # give a 502: the same 503 page says "try again", and a client that retries a POST finds it
    # stored once at most (an unacknowledged contribution may or may not have been kept).
    printf 'HTTP/1.0 503 Service Unavailable\r\nCache-Control: no-store\r\nConnection: close\r\nContent-Type: text/html; charset=utf-8\r\nRetry-After: 5\r\n\r\n<!doctype html><title>503</title><h1>Cooperation Hub is restarting</h1><p>Please try again in a few seconds.</p>\n' \
        > "$VAR/haproxy/503.http"
    cat > "$VAR/haproxy/haproxy.cfg" <<EOF
# Generated by scripts/topology.sh: the load balancer of the reference topology.
global
    maxconn 2000
    # One line per request on standard error (var/topology/log/lb.log), with its termination state.
    log stderr format short local0

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    option forwardfor
    option http-server-close
    # A request the dead node never received (connection refused) is sent to the other node:
    # readers see no error while the health checks have not yet taken the node out. A GET or
    # HEAD cut without any answer (the node died while working on it) is sent again too; any
    # other request is not (a POST the node may have stored before dying): its client gets
    # the 503 below and does not count it as acknowledged.
    retries 3
    retry-on conn-failure empty-response response-timeout
    option redispatch 1
    errorfile 502 $VAR/haproxy/503.http
    errorfile 503 $VAR/haproxy/503.http
    errorfile 504 $VAR/haproxy/503.http

frontend hub
    bind 127.0.0.1:$LB_PORT
    http-request disable-l7-retry unless METH_GET || METH_HEAD
    default_backend web

backend web
    balance roundrobin
    # /readyz: 503 while the node cannot reach the database; degraded parts (cache, broker,
    # search) still answer 200, since the site works without them.
    option httpchk
    http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    # A check waits up to 5 s, and three must fail: on a busy machine /readyz can take more
    # than the 1 s between checks, and a slow node is not a dead one (a refused connection
    # fails at once, so a killed node is still out within ~1.5 s).
    timeout check 5s
    # No more requests in flight per node than it has threads, twice over: the rest wait in
    # the balancer's queue, not in gunicorn's backlog ahead of the health check. Under 100
    # users the checks had queued behind real requests, timed out, and took first one node
    # out, then — with all the traffic on it — the other (503 with no node, the soak's seed
    # 457176).
    timeout queue 30s
    default-server inter 1s fastinter 500ms downinter 1s fall 3 rise 2 maxconn $((WEB_WORKERS * WEB_THREADS * 2))
    server web1 127.0.0.1:$WEB1_PORT check
    server web2 127.0.0.1:$WEB2_PORT check

listen stats
    bind 127.0.0.1:$STATS_PORT
    stats enable
    stats uri /stats
    stats refresh 2s
EOF
}

start_lb() {
    if ! command -v haproxy >/dev/null 2>&1; then
        say "apt-get install haproxy"
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends haproxy >/dev/null \
            || die "apt-get install haproxy failed"
    fi
    haproxy_config
    haproxy -c -q -f "$VAR/haproxy/haproxy.cfg" || die "haproxy.cfg is not valid"
    # -db: stays in the foreground of its own session, like the other pieces (kill/up work alike).
    spawn lb haproxy -db -f "$VAR/haproxy/haproxy.cfg"
    wait_http "http://127.0.0.1:$STATS_PORT/stats" 20 || die "HAProxy did not start (see $LOG/lb.log)"
}

redis_vars() { echo "REDIS_PORT=$REDIS_PORT REDIS_DIR=$VAR/redis REDIS_PERSIST=1 PG_PORT=$PG_PORT OS_HTTP_PORT=$OS1_PORT"; }

start_redis() { env $(redis_vars) bash "$SERVICES" start redis > /dev/null; }
stop_redis() { env $(redis_vars) bash "$SERVICES" stop redis > /dev/null; }

os_vars() {  # os_vars N
    local http transport
    if [[ $1 == 1 ]]; then http=$OS1_PORT transport=$OS1_TRANSPORT; else http=$OS2_PORT transport=$OS2_TRANSPORT; fi
    # os1 bootstraps the cluster (the one voting cluster manager of a two-node cluster: with two
    # voters, losing either would stop both); os2 joins it. Both hold data.
    printf '%s\n' "PG_PORT=$PG_PORT" "REDIS_PORT=$REDIS_PORT" "OS_HTTP_PORT=$http" "OS_TRANSPORT_PORT=$transport" \
        "OS_CLUSTER_NAME=hub-topology" "OS_DIR=$VAR/os$1" "OPENSEARCH_JAVA_OPTS=-Xms$OS_HEAP -Xmx$OS_HEAP" \
        "OS_EXTRA_SETTINGS=node.name=topo-os$1 discovery.type=zen discovery.seed_hosts=127.0.0.1:$OS1_TRANSPORT,127.0.0.1:$OS2_TRANSPORT cluster.initial_cluster_manager_nodes=topo-os1"
}

start_os() { (mapfile -t vars < <(os_vars "$1"); env "${vars[@]}" bash "$SERVICES" start opensearch > /dev/null); }
stop_os() { (mapfile -t vars < <(os_vars "$1"); env "${vars[@]}" bash "$SERVICES" stop opensearch > /dev/null); }
os_pid() { local f="$VAR/os$1/opensearch.pid"; [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }

pg_vars() { echo "PG_PORT=$PG_PORT PG_CLUSTER=$PG_CLUSTER PG_DB=$PG_DB REDIS_PORT=$REDIS_PORT OS_HTTP_PORT=$OS1_PORT"; }
start_postgres() { env $(pg_vars) bash "$SERVICES" start postgres > /dev/null; }
own_postgres() {  # the piece "postgres" may be stopped only if it is a cluster of its own
    [[ "$PG_CLUSTER" != main ]] || die "PostgreSQL cluster 'main' is shared: set TOPO_PG_CLUSTER (and TOPO_PG_PORT) for one the topology may stop"
}
pg_version() { pg_lsclusters -h | awk -v c="$PG_CLUSTER" '$2==c {print $1; exit}'; }

# ------------------------------------------------------------------- actions ----

start_all() {
    [[ $EUID -eq 0 ]] || die "run as root (apt-get, PostgreSQL cluster)"
    load_site_env
    start_postgres
    start_redis
    start_os 1
    start_os 2
    curl -fsS --max-time 5 "http://127.0.0.1:$OS1_PORT/_cluster/health?wait_for_nodes=2&timeout=60s" | grep -q '"number_of_nodes":2' \
        || die "the OpenSearch nodes did not form a cluster of two (see $VAR/os1/opensearch.log, $VAR/os2/opensearch.log)"
    say "migrate, collectstatic"
    manage migrate --noinput -v0
    manage collectstatic --noinput -v0
    if [[ "$DEMO" == 1 && ! -f "$VAR/.demo-loaded" ]]; then
        say "demo content and search index (one replica per index)"
        manage load_demo -v0 > "$LOG/load_demo.log"
        manage update_index > "$LOG/update_index.log" 2>&1
        touch "$VAR/.demo-loaded"
    fi
    start_worker 1
    start_worker 2
    start_beat
    start_web 1
    start_web 2
    start_lb
    wait_http "http://127.0.0.1:$LB_PORT/readyz" 30 || die "the balancer does not serve /readyz"
    say "up: http://127.0.0.1:$LB_PORT/ (stats http://127.0.0.1:$STATS_PORT/stats); environment in $VAR/env"
}

stop_all() {
    local name
    for name in lb web1 web2 beat worker1 worker2; do stop_piece "$name"; done
    stop_os 2
    stop_os 1
    stop_redis
    if [[ "$PG_CLUSTER" != main ]]; then
        env $(pg_vars) bash "$SERVICES" stop postgres > /dev/null
        say "stopped (PostgreSQL cluster $PG_CLUSTER on $PG_PORT too; database $PG_DB kept)"
    else
        say "stopped (PostgreSQL on $PG_PORT is shared and stays up; database $PG_DB kept)"
    fi
}

up_or_down() {  # up_or_down up|down|kill PIECE
    local action="$1" piece="$2"
    load_site_env
    case "$piece" in
        web1|web2|worker1|worker2|beat|lb)
            case "$action" in
                up) case "$piece" in
                        web*) start_web "${piece#web}" ;;
                        worker*) start_worker "${piece#worker}" ;;
                        beat) start_beat ;;
                        lb) start_lb ;;
                    esac ;;
                down) stop_piece "$piece" ;;
                kill) pid_of "$piece" >/dev/null || die "$piece is not running"
                      say "SIGKILL $piece (process group $(pid_of "$piece"))"
                      signal_group "$piece" KILL; rm -f "$RUN/$piece.pid" ;;
            esac ;;
        os1|os2)
            local n="${piece#os}"
            case "$action" in
                up) start_os "$n" ;;
                down) stop_os "$n" ;;
                kill) local pid; pid="$(os_pid "$n")" || die "$piece is not running"
                      say "SIGKILL $piece (pid $pid)"; kill -KILL "$pid" ;;
            esac ;;
        redis)
            case "$action" in
                up) start_redis ;;
                down) stop_redis ;;
                kill) local pid; pid="$(cat "$VAR/redis/redis.pid" 2>/dev/null)" || die "redis is not running"
                      say "SIGKILL redis (pid $pid)"; kill -KILL "$pid"; rm -f "$VAR/redis/redis.pid" ;;
            esac ;;
        postgres)
            own_postgres
            case "$action" in
                up) start_postgres ;;
                down) env $(pg_vars) bash "$SERVICES" stop postgres > /dev/null ;;
                # An immediate stop: no shutdown checkpoint, every connection cut, WAL replayed at
                # the next start (a crash, without leaving orphaned backends behind).
                kill) say "immediate stop of PostgreSQL $PG_CLUSTER (a crash)"
                      pg_ctlcluster "$(pg_version)" "$PG_CLUSTER" stop -m immediate >&2 ;;
            esac ;;
        *) die "unknown piece '$piece' (web1 web2 worker1 worker2 beat lb redis os1 os2 postgres)" ;;
    esac
}

status() {
    load_site_env
    local rc=0 name port
    for name in lb web1 web2 worker1 worker2 beat; do
        if pid="$(pid_of "$name")"; then echo "$name: up (pid $pid)"; else echo "$name: down"; rc=1; fi
    done
    for name in 1 2; do
        port="$([[ $name == 1 ]] && echo "$OS1_PORT" || echo "$OS2_PORT")"
        if curl -fsS -o /dev/null --max-time 3 "http://127.0.0.1:$port/"; then echo "os$name: up (:$port)"; else echo "os$name: down"; rc=1; fi
    done
    if [[ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; then
        echo "redis: up (:$REDIS_PORT, appendonly $(redis-cli -p "$REDIS_PORT" config get appendonly | tail -n 1))"
    else echo "redis: down"; rc=1; fi
    if pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then echo "postgres: up (:$PG_PORT/$PG_DB)"; else echo "postgres: down"; rc=1; fi
    # The balancer's view of the web nodes (UP, DOWN...) and the engine cluster's health.
    curl -fsS --max-time 3 "http://127.0.0.1:$STATS_PORT/stats;csv" 2>/dev/null \
        | awk -F, '$1=="web" && $2 ~ /^web[0-9]/ {print "lb sees " $2 ": " $18}' || true
    curl -fsS --max-time 3 "http://127.0.0.1:$OS1_PORT/_cluster/health" 2>/dev/null \
        || curl -fsS --max-time 3 "http://127.0.0.1:$OS2_PORT/_cluster/health" 2>/dev/null || true
    echo
    return $rc
}

main() {
    local action="${1:-}"
    case "$action" in
        start) start_all ;;
        stop) stop_all ;;
        status) status ;;
        up|down|kill) [[ $# -eq 2 ]] || die "usage: $0 $action PIECE"; up_or_down "$action" "$2" ;;
        env) load_site_env; cat "$VAR/env" ;;
        -h|--help|help|"") sed -n '2,/^$/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
        *) die "unknown action '$action' (start|stop|status|kill|up|down|env)" ;;
    esac
}

main "$@"
