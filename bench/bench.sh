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
# shellcheck source=bench/redis.sh
source bench/redis.sh
trap stop_redis EXIT
if ! start_redis "${BENCH_REDIS_PORT:-55472}" bench; then
    echo "bench: no Redis, measuring the per-process cache (LocMemCache)"
fi

"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py load_reference >/dev/null
"$PY" manage.py generate_national
"$PY" manage.py collectstatic --noinput -v 0
"$PY" bench/run.py "$@"
