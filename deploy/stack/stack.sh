#!/usr/bin/env bash
# `make stack`: the production recipes of deploy/ brought up on loopback, from the
# repository alone, as two app servers would run in production:
#
#   PostgreSQL (throwaway cluster)   127.0.0.1:STACK_PGPORT     (55503)
#   Redis, the shared cache          127.0.0.1:STACK_REDIS_PORT (6393)
#   S3-compatible store (moto)       127.0.0.1:STACK_S3_PORT    (9103), bucket "evidence"
#   gunicorn app servers             127.0.0.1:STACK_APP_PORTS  (8113 8114)
#   task worker                      manage.py worker (django-tasks-db queue + periodic jobs)
#   nginx, TLS (self-signed)         https://127.0.0.1:STACK_HTTPS_PORT (8443), balanced;
#                                    http://127.0.0.1:STACK_HTTP_PORT (8083) redirects;
#                                    https://127.0.0.1:STACK_PIN_PORTS (8120 8121), each
#                                    pinned to one app server, for `make stack-check`
#
# Everything lives under STACK_DIR (/tmp/smartcity-stack): the environment file rendered
# from deploy/portal.env.example's variables, the nginx site rendered from
# deploy/nginx/smartcity.conf.template, logs and pid files.
#
#   deploy/stack/stack.sh start        fresh stack (stops and wipes a previous one)
#   deploy/stack/stack.sh check        fresh stack, deploy/stack/check.py, stop (make stack-check)
#   deploy/stack/stack.sh stop         stop everything, keep STACK_DIR for the logs
#   deploy/stack/stack.sh app N start|kill   start or SIGKILL app server N (1 or 2)
#   deploy/stack/stack.sh worker start|kill
#   deploy/stack/stack.sh env          print the stack's environment file
#
# Needs root (PostgreSQL runs as the postgres user; missing Debian packages are installed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD

PY=${PY:-$ROOT/.venv/bin/python}
BIN=$(dirname "$PY")
STACK_DIR=${STACK_DIR:-/tmp/smartcity-stack}
PGPORT=${STACK_PGPORT:-55503}
REDIS_PORT=${STACK_REDIS_PORT:-6393}
S3_PORT=${STACK_S3_PORT:-9103}
read -r -a APP_PORTS <<<"${STACK_APP_PORTS:-8113 8114}"
read -r -a PIN_PORTS <<<"${STACK_PIN_PORTS:-8120 8121}"
HTTPS_PORT=${STACK_HTTPS_PORT:-8443}
HTTP_PORT=${STACK_HTTP_PORT:-8083}
GUNICORN_WORKERS=${STACK_GUNICORN_WORKERS:-2}
EVIDENCE_MAX_UPLOAD_MB=${STACK_EVIDENCE_MAX_UPLOAD_MB:-2}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
ENV_FILE=$STACK_DIR/portal.env

log() { printf '  stack: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
as_postgres() { (cd "$STACK_DIR/pg" && runuser -u postgres -- "$@"); }
pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
load_env() { set -a; # shellcheck disable=SC1090
    . "$ENV_FILE"; set +a; }

wait_for() { # wait_for <what> <seconds> <command...>
    local what=$1 seconds=$2; shift 2
    for _ in $(seq 1 $((seconds * 5))); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    die "$what did not come up within ${seconds}s (logs in $STACK_DIR)"
}
port_open() { "$PY" -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" "$1"; }

ensure_packages() {
    local missing=()
    command -v redis-server >/dev/null || missing+=(redis-server)
    command -v nginx >/dev/null || missing+=(nginx)
    command -v openssl >/dev/null || missing+=(openssl)
    command -v envsubst >/dev/null || missing+=(gettext-base)
    [[ -n $PGBIN ]] || missing+=(postgresql)
    if ((${#missing[@]})); then
        log "apt-get install ${missing[*]}"
        apt-get -o DPkg::Lock::Timeout=600 update -qq
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
            --no-install-recommends "${missing[@]}" >/dev/null
        PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
    # The Debian package starts a system nginx/redis on the standard ports; this stack
    # uses its own instances on its own ports and leaves those alone.
    [[ -x $BIN/moto_server ]] || die "moto_server is missing from $BIN: run make env"
}

write_env() {
    local secret media_options
    secret=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
    media_options=$(printf '{"bucket_name": "evidence", "endpoint_url": "http://127.0.0.1:%s", "access_key": "stack", "secret_key": "stack", "region_name": "us-east-1", "default_acl": null, "file_overwrite": false}' "$S3_PORT")
    umask 077
    cat >"$ENV_FILE" <<ENV
# Rendered by deploy/stack/stack.sh from the variables of deploy/portal.env.example.
HTTPS_ONLY=1
SECRET_KEY=$secret
DEBUG=0
ALLOWED_HOSTS=127.0.0.1,localhost
DATABASE_URL=postgres://postgres@127.0.0.1:$PGPORT/smartcity
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
STATIC_ROOT=$STACK_DIR/static
MEDIA_ROOT=$STACK_DIR/media-unused
MEDIA_STORAGE=storages.backends.s3.S3Storage
MEDIA_STORAGE_OPTIONS='$media_options'
EVIDENCE_MAX_UPLOAD_MB=$EVIDENCE_MAX_UPLOAD_MB
PROXY_COUNT=1
AXES_FAILURE_LIMIT=3
RATELIMIT_LOGIN=8/m
RATELIMIT_DOWNLOADS=6/m
GUNICORN_WORKERS=$GUNICORN_WORKERS
GUNICORN_TIMEOUT=60
FORWARDED_ALLOW_IPS=127.0.0.1
LOG_LEVEL=WARNING
ENV
    umask 022
}

start_postgres() {
    mkdir -p "$STACK_DIR/pg"
    chown postgres:postgres "$STACK_DIR/pg"
    chmod 700 "$STACK_DIR/pg"
    as_postgres "$PGBIN/initdb" -D "$STACK_DIR/pg/data" -U postgres --auth=trust -E UTF8 \
        --locale=C.UTF-8 >/dev/null
    as_postgres "$PGBIN/pg_ctl" -D "$STACK_DIR/pg/data" -l "$STACK_DIR/pg/log" -w -t 30 -o \
        "-c listen_addresses=127.0.0.1 -p $PGPORT -k $STACK_DIR/pg -c fsync=off -c max_connections=60" \
        start >/dev/null
    as_postgres "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres smartcity
}

start_redis() {
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
        --daemonize yes --pidfile "$STACK_DIR/redis.pid" --logfile "$STACK_DIR/redis.log" \
        --dir "$STACK_DIR"
    wait_for Redis 10 port_open "$REDIS_PORT"
}

start_s3() {
    setsid "$BIN/moto_server" -H 127.0.0.1 -p "$S3_PORT" >"$STACK_DIR/moto.log" 2>&1 &
    echo $! >"$STACK_DIR/moto.pid"
    wait_for "moto (S3)" 30 port_open "$S3_PORT"
    sleep 0.5
    # The port may have been another program's: then our moto has exited already.
    pid_alive "$STACK_DIR/moto.pid" || die "moto could not listen on $S3_PORT: $(tail -1 "$STACK_DIR/moto.log")"
    "$PY" - "$S3_PORT" <<'PY'
import sys

import boto3

s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", aws_access_key_id="stack",
                  aws_secret_access_key="stack", region_name="us-east-1")
s3.create_bucket(Bucket="evidence")
PY
}

prepare_database() {
    (
        load_env
        "$PY" manage.py migrate --noinput -v 0
        "$PY" manage.py load_reference >/dev/null
        # The demo refuses production settings; it is loaded once, like a data migration.
        HTTPS_ONLY=0 "$PY" manage.py load_demo >/dev/null
        "$PY" manage.py collectstatic --noinput -v 0
        "$PY" manage.py check --deploy --fail-level WARNING
    )
}

app() { # app N start|kill|stop
    local n=$1 action=$2 port=${APP_PORTS[$(($1 - 1))]} pidfile=$STACK_DIR/app$1.pid
    case $action in
    start)
        (
            load_env
            export GUNICORN_BIND=127.0.0.1:$port
            setsid "$BIN/gunicorn" -c gunicorn.conf.py --pid "$pidfile" \
                >>"$STACK_DIR/app$n.log" 2>&1 &
        )
        wait_for "app server $n" 30 "$PY" -c "import urllib.request; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:$port/healthz', headers={'X-Forwarded-Proto': 'https'}), timeout=2)"
        log "app server $n on 127.0.0.1:$port (pid $(cat "$pidfile"))"
        ;;
    kill) # The abrupt end of a machine: no graceful shutdown for requests in flight.
        if pid_alive "$pidfile"; then
            local pid
            pid=$(cat "$pidfile")
            pkill -KILL -P "$pid" 2>/dev/null || true
            kill -KILL "$pid"
            rm -f "$pidfile"
        fi
        ;;
    stop)
        if pid_alive "$pidfile"; then
            local pid
            pid=$(cat "$pidfile")
            kill -TERM "$pid"
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        fi
        ;;
    esac
}

has_worker() { (load_env; "$PY" manage.py help --commands) | grep -qx worker; }

worker() { # worker start|kill|stop
    local pidfile=$STACK_DIR/worker.pid
    case $1 in
    start)
        if ! has_worker; then
            log "no worker command yet (the tasks backend has not landed): no worker"
            return 0
        fi
        (
            load_env
            setsid "$PY" manage.py worker >>"$STACK_DIR/worker.log" 2>&1 &
            echo $! >"$pidfile"
        )
        log "task worker (pid $(cat "$pidfile"))"
        ;;
    kill)
        if pid_alive "$pidfile"; then kill -KILL "$(cat "$pidfile")"; rm -f "$pidfile"; fi
        ;;
    stop)
        if pid_alive "$pidfile"; then kill -TERM "$(cat "$pidfile")"; sleep 1; fi
        if pid_alive "$pidfile"; then kill -KILL "$(cat "$pidfile")"; fi
        rm -f "$pidfile"
        ;;
    esac
}

start_nginx() {
    local dir=$STACK_DIR/nginx upstreams="" port
    mkdir -p "$dir/tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
        -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
        -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
    chmod 600 "$dir/tls.key"
    for port in "${APP_PORTS[@]}"; do
        upstreams+="server 127.0.0.1:$port max_fails=1 fail_timeout=5s; "
    done
    PORTAL_HOST="127.0.0.1 localhost" HTTPS_LISTEN="127.0.0.1:$HTTPS_PORT" \
        HTTP_LISTEN="127.0.0.1:$HTTP_PORT" HTTPS_ORIGIN="https://127.0.0.1:$HTTPS_PORT" \
        TLS_CERT=$dir/tls.crt TLS_KEY=$dir/tls.key STATIC_ROOT=$STACK_DIR/static \
        NGINX_MAX_BODY_MB=$((EVIDENCE_MAX_UPLOAD_MB + 1)) UPSTREAM_SERVERS=$upstreams \
        envsubst '$PORTAL_HOST $HTTPS_LISTEN $HTTP_LISTEN $HTTPS_ORIGIN $TLS_CERT $TLS_KEY $STATIC_ROOT $NGINX_MAX_BODY_MB $UPSTREAM_SERVERS' \
        <deploy/nginx/smartcity.conf.template >"$dir/site.conf"
    # For stack-check only: one TLS listener pinned to each app server, so that a journey can
    # choose the server of each request; the same site otherwise (its location block).
    local pins="" i
    for i in "${!APP_PORTS[@]}"; do
        pins+="upstream smartcity_app$((i + 1)) { server 127.0.0.1:${APP_PORTS[$i]}; keepalive 4; }
server {
    listen 127.0.0.1:${PIN_PORTS[$i]} ssl;
    ssl_certificate $dir/tls.crt;
    ssl_certificate_key $dir/tls.key;
    client_max_body_size $((EVIDENCE_MAX_UPLOAD_MB + 1))m;
    location / {
        proxy_pass http://smartcity_app$((i + 1));
        proxy_http_version 1.1;
        proxy_set_header Connection \"\";
        proxy_set_header Host \$http_host;
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto https;
    }
}
"
    done
    printf '%s' "$pins" >"$dir/pinned.conf"
    cat >"$dir/nginx.conf" <<NGINX
# nginx of the loopback stack: the site of deploy/nginx/smartcity.conf.template (site.conf)
# plus the listeners pinned to one app server each (pinned.conf).
user www-data;
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 512; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log $dir/access.log;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include $dir/site.conf;
    include $dir/pinned.conf;
}
NGINX
    chown -R www-data:www-data "$dir/tmp"
    nginx -t -c "$dir/nginx.conf" -g "error_log $dir/error.log;" 2>"$dir/test.log" ||
        { cat "$dir/test.log" >&2; die "nginx refused its configuration"; }
    nginx -c "$dir/nginx.conf" -g "error_log $dir/error.log;"
    wait_for nginx 10 port_open "$HTTPS_PORT"
}

stop_nginx() {
    if pid_alive "$STACK_DIR/nginx/nginx.pid"; then
        nginx -c "$STACK_DIR/nginx/nginx.conf" -g "error_log $STACK_DIR/nginx/error.log;" -s quit || true
        for _ in $(seq 1 25); do pid_alive "$STACK_DIR/nginx/nginx.pid" || break; sleep 0.2; done
    fi
}

stop() {
    [[ -d $STACK_DIR ]] || return 0
    stop_nginx
    worker stop || true
    for n in "${!APP_PORTS[@]}"; do app $((n + 1)) stop || true; done
    if pid_alive "$STACK_DIR/moto.pid"; then kill "$(cat "$STACK_DIR/moto.pid")" || true; fi
    if pid_alive "$STACK_DIR/redis.pid"; then kill "$(cat "$STACK_DIR/redis.pid")" || true; fi
    if [[ -f $STACK_DIR/pg/data/postmaster.pid ]]; then
        as_postgres "$PGBIN/pg_ctl" -D "$STACK_DIR/pg/data" -m fast -w stop >/dev/null || true
    fi
}

start() {
    [[ $(id -u) -eq 0 ]] || die "make stack needs root (PostgreSQL runs as the postgres user)"
    ensure_packages
    stop
    rm -rf "$STACK_DIR"
    mkdir -p "$STACK_DIR"
    write_env
    log "PostgreSQL on 127.0.0.1:$PGPORT"
    start_postgres
    log "Redis on 127.0.0.1:$REDIS_PORT"
    start_redis
    log "S3 (moto) on 127.0.0.1:$S3_PORT"
    start_s3
    log "migrate, reference data, demo, collectstatic, check --deploy"
    prepare_database
    for n in "${!APP_PORTS[@]}"; do app $((n + 1)) start; done
    worker start
    start_nginx
    log "ready: https://127.0.0.1:$HTTPS_PORT/ (self-signed: $STACK_DIR/nginx/tls.crt)"
}

check() {
    # A fresh stack, the journey, and the stack stopped again (STACK_KEEP=1 leaves it up).
    start
    [[ ${STACK_KEEP:-0} == 1 ]] || trap stop EXIT
    (
        load_env
        export STACK_DIR STACK_HTTPS_PORT=$HTTPS_PORT STACK_HTTP_PORT=$HTTP_PORT \
            STACK_PIN_PORTS="${PIN_PORTS[*]}"
        "$PY" deploy/stack/check.py
    )
}

case ${1:-start} in
start) start ;;
check) check ;;
stop) stop ;;
app) app "$2" "$3" ;;
worker) worker "$2" ;;
nginx) stop_nginx; start_nginx ;;
env) cat "$ENV_FILE" ;;
*) die "usage: deploy/stack/stack.sh start|check|stop|nginx|app N start|kill|stop|worker start|kill|stop|env" ;;
esac
