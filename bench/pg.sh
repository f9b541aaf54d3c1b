#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for `make bench` and `make load`, as in shared TOOLING.md:
# under /tmp (the postgres user may not traverse the checkout), listening on 127.0.0.1 only,
# fsync off. The cluster is kept between runs so that the national dataset (a few minutes to
# generate) is reused; `bench/pg.sh stop` stops it and `bench/pg.sh destroy` removes it.
#
#   bench/pg.sh start    start (creating if needed) and print DATABASE_URL on stdout
#   bench/pg.sh stop     stop the server, keep its files
#   bench/pg.sh destroy  stop and delete the cluster
#
# BENCH_PGDIR (default /tmp/smartcity-bench-pg) and BENCH_PGPORT (default 55471) choose where.
set -euo pipefail

PGDIR=${BENCH_PGDIR:-/tmp/smartcity-bench-pg}
PGPORT=${BENCH_PGPORT:-55471}
DB=smartcity_bench

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [[ -z $PGBIN ]]; then
    echo "error: PostgreSQL is not installed (apt-get install postgresql)." >&2
    exit 1
fi
if [[ $(id -u) -ne 0 ]] && [[ $(id -un) != postgres ]]; then
    echo "error: run as root (PostgreSQL runs as the postgres user) or as postgres." >&2
    exit 1
fi
# From inside $PGDIR: the postgres user may not enter the current directory.
as_postgres() {
    if [[ $(id -un) == postgres ]]; then (cd "$PGDIR" && "$@"); else (cd "$PGDIR" && runuser -u postgres -- "$@"); fi
}
running() { [[ -f $PGDIR/data/postmaster.pid ]] && as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; }

case ${1:-start} in
start)
    if [[ ! -d $PGDIR/data ]]; then
        mkdir -p "$PGDIR"
        chown postgres:postgres "$PGDIR"
        chmod 700 "$PGDIR"
        as_postgres "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 >/dev/null
    fi
    if ! running; then
        # Enough connections for gunicorn workers plus the load test's own checks.
        as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -t 30 -o \
            "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR -c fsync=off -c max_connections=60 -c shared_buffers=256MB" \
            start >/dev/null
    fi
    if ! as_postgres "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
        as_postgres "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$DB"
    fi
    echo "postgres://postgres@127.0.0.1:$PGPORT/$DB"
    ;;
stop)
    if running; then as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null; fi
    ;;
destroy)
    if running; then as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null; fi
    rm -rf "$PGDIR"
    ;;
*)
    echo "usage: bench/pg.sh start|stop|destroy" >&2
    exit 2
    ;;
esac
