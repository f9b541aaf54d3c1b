#!/usr/bin/env bash
# `make load`: a bounded load test on loopback (see README, "Load test").
#
#   1. the throwaway PostgreSQL of bench/pg.sh with the synthetic national dataset
#      (generated on first use, reused afterwards);
#   2. gunicorn (GUNICORN_WORKERS, default 4) on 127.0.0.1:LOAD_PORT (default 8765), DEBUG off;
#   3. locust, headless: LOAD_USERS (default 55) users = 50 public readers + LOAD_REVIEWERS
#      (default 5) reviewers who log in and save scores, for LOAD_TIME (default 60s);
#   4. a summary (requests/s, p95, errors) on stdout and in bench-results/load.md.
# Exits non-zero on any failed request. Everything listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
PORT=${LOAD_PORT:-8765}
USERS=${LOAD_USERS:-55}
REVIEWERS=${LOAD_REVIEWERS:-5}
RUN_TIME=${LOAD_TIME:-60s}
OUT=bench-results
mkdir -p "$OUT"

if [[ ! -x $BIN/locust ]]; then
    echo "error: locust is not installed: $BIN/uv sync --inexact --group load" >&2
    exit 1
fi

DATABASE_URL=$(bench/pg.sh start)
export DATABASE_URL
# Production-like settings: DEBUG off, static files from the collected manifest.
export DEBUG=0 DEMO_MODE=0
# Every simulated user comes from 127.0.0.1. django-axes counts only failed logins, per
# username and address: the reviewers are distinct accounts with the right password, so
# it stays enabled as configured. The per-address limit on downloads (open data files,
# RATELIMIT_DOWNLOADS) would count 50 readers as one client: it is raised for this run
# only. So is the per-address login limit (RATELIMIT_LOGIN, 10/m: the password and the
# second factor both count): the capacity ramp signs in up to 32 reviewers from 127.0.0.1
# within a minute of the fixed-rate run's five, and with the limit its first reviewer was
# refused (429) and measured logged out. The per-account limit stays: each account signs
# in once per part.
export RATELIMIT_DOWNLOADS=${RATELIMIT_DOWNLOADS:-100000/m}
export RATELIMIT_LOGIN=${RATELIMIT_LOGIN:-100000/m}
# The shared cache of production: a private Redis on 127.0.0.1:LOAD_REDIS_PORT (0: none,
# each gunicorn worker then caches on its own).
# shellcheck source=bench/redis.sh
source bench/redis.sh
trap stop_redis EXIT
start_redis "${LOAD_REDIS_PORT:-55473}" load || true

"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py load_reference >/dev/null
# LOAD_NATIONAL_ARGS: e.g. "--regions 30 --rounds 3" for a smaller dataset (a quick run).
# shellcheck disable=SC2086
"$PY" manage.py generate_national ${LOAD_NATIONAL_ARGS:-}
"$PY" manage.py collectstatic --noinput -v 0
targets=$OUT/load-targets.json
"$PY" loadtest/targets.py "$targets" "$REVIEWERS"

log=$OUT/load-gunicorn.log
GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_WORKERS=${GUNICORN_WORKERS:-4} GUNICORN_ACCESS_LOG= \
    "$BIN/gunicorn" -c gunicorn.conf.py >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; stop_redis' EXIT
for _ in $(seq 1 60); do
    if "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/healthz', timeout=2)" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$server" 2>/dev/null; then
        echo "error: gunicorn did not start:" >&2
        tail -20 "$log" >&2
        exit 1
    fi
    sleep 0.5
done

echo "Load: $USERS users ($REVIEWERS reviewers) for $RUN_TIME against gunicorn on 127.0.0.1:$PORT"
status=0
LOAD_TARGETS=$targets LOAD_REVIEWERS=$REVIEWERS "$BIN/locust" -f loadtest/locustfile.py \
    --headless --host "http://127.0.0.1:$PORT" -u "$USERS" -r 20 -t "$RUN_TIME" \
    --stop-timeout 10 --only-summary --csv "$OUT/load" --exit-code-on-error 1 || status=$?
"$PY" loadtest/summary.py "$OUT/load_stats.csv" "$OUT/load_failures.csv" "$OUT/load.md" \
    "$USERS users ($REVIEWERS reviewers), $RUN_TIME, gunicorn ${GUNICORN_WORKERS:-4} workers" || status=1

# --- Capacity: ramp users until p95 > 300 ms or an error (loadtest/ramp.py) ----------
if [[ ${LOAD_RAMP:-1} != 0 ]]; then
    ramp_targets=$OUT/ramp-targets.json
    # One account per simulated reviewer (up to 32): shared accounts would refuse each
    # other's saves (stale versions) and stop the ramp for the wrong reason.
    "$PY" loadtest/targets.py "$ramp_targets" "${RAMP_REVIEWERS:-32}" >/dev/null
    # The static baseline: the collected file nearest in size to the public pages (~150 KiB).
    static=$("$PY" -c "
import sys; from pathlib import Path
root = Path('staticfiles'); want = 150 * 1024
files = [p for p in root.rglob('*') if p.is_file() and p.suffix not in {'.gz', '.br'}]
print('/static/' + str(min(files, key=lambda p: abs(p.stat().st_size - want)).relative_to(root)))")
    runs=()
    for mix in PublicMix ReviewerMix StaticFile; do
        echo "Capacity ramp: $mix"
        LOAD_TARGETS=$ramp_targets LOAD_REVIEWERS=${RAMP_REVIEWERS:-32} RAMP_STATIC_PATH=$static \
            RAMP_OUT=$OUT/ramp-$mix.json RAMP_MAX_USERS=${RAMP_MAX_USERS:-128} \
            "$BIN/locust" -f loadtest/ramp.py --headless --host "http://127.0.0.1:$PORT" \
            --only-summary --stop-timeout 5 "$mix" >"$OUT/ramp-$mix.log" 2>&1 || true
        grep '^ramp:' "$OUT/ramp-$mix.log" || { tail -20 "$OUT/ramp-$mix.log"; status=1; }
        runs+=("$mix=$OUT/ramp-$mix.json")
    done
    "$PY" loadtest/capacity_summary.py "$OUT/capacity.md" \
        "gunicorn ${GUNICORN_WORKERS:-4} workers on 127.0.0.1, locust on the same 2 cores; static: $static" \
        "${runs[@]}" || status=1
fi

if grep -q "Traceback\|Internal Server Error" "$log"; then
    echo "error: the server logged errors, see $log" >&2
    status=1
fi
exit "$status"
