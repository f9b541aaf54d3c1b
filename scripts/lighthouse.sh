#!/usr/bin/env bash
# `make lighthouse`: Lighthouse's mobile audit (performance, accessibility, best practices,
# SEO) of five public pages in production settings, on loopback:
#
#   1. a throwaway SQLite database with the reference data and the demo (load_demo);
#   2. collectstatic into a temporary STATIC_ROOT (whitenoise's compressed manifest storage);
#   3. gunicorn (gunicorn.conf.py, DEBUG off) on 127.0.0.1:LIGHTHOUSE_PORT (default 8766);
#   4. Lighthouse from tools/frontend (npm, pinned) with Debian's Chromium, each page once,
#      mobile emulation and simulated throttling (Lighthouse's defaults);
#   5. the scores on stdout and in bench-results/lighthouse.md, the reports beside it.
# Exits non-zero when a page's performance score is below LIGHTHOUSE_MIN (default 95).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
PORT=${LIGHTHOUSE_PORT:-8766}
MIN=${LIGHTHOUSE_MIN:-95}
LIGHTHOUSE=tools/frontend/node_modules/.bin/lighthouse
OUT=bench-results/lighthouse
mkdir -p "$OUT"

work=$(mktemp -d /tmp/lighthouse.XXXXXX)
server=
cleanup() {
    if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

export DEBUG=0 DEMO_MODE=1 SQLITE_PATH=$work/db.sqlite3 STATIC_ROOT=$work/static \
    MEDIA_ROOT=$work/media DATABASE_URL= REDIS_URL= LOG_LEVEL=WARNING
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py load_reference >/dev/null
"$PY" manage.py load_demo >/dev/null
"$PY" manage.py collectstatic --noinput -v 0

GUNICORN_BIND=127.0.0.1:$PORT GUNICORN_WORKERS=${GUNICORN_WORKERS:-2} GUNICORN_ACCESS_LOG= \
    "$BIN/gunicorn" -c gunicorn.conf.py >"$OUT/gunicorn.log" 2>&1 &
server=$!
base=http://127.0.0.1:$PORT
for _ in $(seq 50); do curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break; sleep 0.2; done

# The pages: home, the newest round's rankings, a region profile, a comparison, the method.
region=$("$PY" manage.py shell -v 0 -c "
from evaluations.selectors import public
r = public.latest_public_round()
p = r.participations.filter(excluded=False).select_related('region').order_by('region__code')
print(' '.join(x.region.slug for x in p[:2]))")
read -r first second <<<"$region"
pages=(
    "home /"
    "rankings /rankings/"
    "region /regions/$first/"
    "compare /compare/?regions=$first&regions=$second"
    "methodology /methodology/"
)

flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run \
--disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage"
summary=$OUT/../lighthouse.md
{
    echo "| page | URL | performance | accessibility | best practices | SEO | LCP | TBT | CLS |"
    echo "|---|---|---|---|---|---|---|---|---|"
} >"$summary"
status=0
for entry in "${pages[@]}"; do
    read -r name path <<<"$entry"
    for _ in 1 2; do curl -fsS -o /dev/null "$base$path"; done  # warm the page cache
    CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} "$LIGHTHOUSE" "$base$path" --quiet \
        --chrome-flags="$flags" --output=json --output-path="$OUT/$name.json" \
        --only-categories=performance,accessibility,best-practices,seo
    row=$(node -e '
const r = require(process.argv[1]);
const s = (k) => Math.round(r.categories[k].score * 100);
const a = (k) => r.audits[k].displayValue;
console.log([s("performance"), s("accessibility"), s("best-practices"), s("seo"),
  a("largest-contentful-paint"), a("total-blocking-time"), a("cumulative-layout-shift")].join(" | "));
' "$PWD/$OUT/$name.json")
    echo "| $name | \`$path\` | $row |" >>"$summary"
    perf=${row%% *}
    if (( perf < MIN )); then status=1; fi
done
cat "$summary"
exit $status
