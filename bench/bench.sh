#!/usr/bin/env bash
# `make bench`: benchmark the key pages and operations on the synthetic national dataset.
#
#   1. the throwaway PostgreSQL of bench/pg.sh (under /tmp, 127.0.0.1:BENCH_PGPORT, kept
#      between runs; `bench/pg.sh destroy` removes it);
#   2. migrate, load_reference, generate_national (reused when already there: the first run
#      takes a few minutes), collectstatic (the static baseline);
#   3. bench/run.py: the table on stdout and in bench-results/latest.md.
# Extra arguments go to bench/run.py (e.g. `make bench BENCH_ARGS="--repeat 50"`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=${PY:-.venv/bin/python}
DATABASE_URL=$(bench/pg.sh start)
export DATABASE_URL
# Production-like: DEBUG off (templates cached, no query log), no demo banner.
export DEBUG=0 DEMO_MODE=0
# The download limit counts every request of the open-data file; the bench makes ~110.
export RATELIMIT_DOWNLOADS=${RATELIMIT_DOWNLOADS:-100000/m}
# The shared cache of production (Redis, as deploy/ and `make stack` run it): a private
# redis-server on 127.0.0.1:BENCH_REDIS_PORT for this run. BENCH_REDIS_PORT=0, or no
# redis-server installed, measures the per-process cache instead.
# Redis writes its log as it shuts down: wait for it to exit before removing its directory
# (removing it at once failed now and then with "Directory not empty", failing the run).
stop_redis() {
    [[ -n ${redis_dir:-} ]] || return 0
    local pid
    pid=$(cat "$redis_dir/pid" 2>/dev/null || true)
    if [[ -n $pid ]]; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$redis_dir"
}
REDIS_PORT=${BENCH_REDIS_PORT:-55472}
if [[ $REDIS_PORT != 0 ]] && command -v redis-server >/dev/null; then
    redis_dir=$(mktemp -d /tmp/bench-redis.XXXXXX)
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
        --daemonize yes --pidfile "$redis_dir/pid" --logfile "$redis_dir/log" --dir "$redis_dir"
    trap stop_redis EXIT
    export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
else
    echo "bench: no Redis, measuring the per-process cache (LocMemCache)"
fi

"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py load_reference >/dev/null
"$PY" manage.py generate_national
"$PY" manage.py collectstatic --noinput -v 0
"$PY" bench/run.py "$@"
