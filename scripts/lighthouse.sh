#!/usr/bin/env bash
# `make lighthouse`: Lighthouse's mobile audit (performance, accessibility, best practices,
# SEO) of five public pages in production settings, on loopback:
#
#   1. a throwaway SQLite database with the reference data and the demo (load_demo);
#   2. collectstatic into a temporary STATIC_ROOT (whitenoise's compressed manifest storage);
#   3. gunicorn (gunicorn.conf.py, DEBUG off) on 127.0.0.1:LIGHTHOUSE_PORT (default 8766);
#   4. Lighthouse from tools/frontend (npm, pinned) with Debian's Chromium, each page
#      LIGHTHOUSE_RUNS times (default 5), mobile emulation and simulated throttling
#      (Lighthouse's defaults, unchanged);
#   5. per page the median run (by performance), every run's performance score and the
#      machine's load average (1 min, from /proc/loadavg) before each run, on stdout and in
#      bench-results/lighthouse.md; the median run's report beside it.
# LIGHTHOUSE_PAGES picks pages by name (default: "home rankings region compare methodology").
# Exits non-zero when a page's median performance score is below LIGHTHOUSE_MIN (default 95).
# The blocking time Lighthouse reports moves with the CPU other processes take: on a shared
# machine run it when it is quiet, and read the runs and the load next to the median.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=${PY:-.venv/bin/python}
BIN=$(dirname "$PY")
PORT=${LIGHTHOUSE_PORT:-8766}
MIN=${LIGHTHOUSE_MIN:-95}
RUNS=${LIGHTHOUSE_RUNS:-5}
ONLY=${LIGHTHOUSE_PAGES:-home rankings region compare methodology}
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
    echo "| page | URL | performance (median) | runs | load (1 min) | accessibility | best practices | SEO | LCP | TBT | CLS |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
} >"$summary"
status=0
for entry in "${pages[@]}"; do
    read -r name path <<<"$entry"
    [[ " $ONLY " == *" $name "* ]] || continue
    for _ in 1 2; do curl -fsS -o /dev/null "$base$path"; done  # warm the page cache
    loads=()
    for run in $(seq "$RUNS"); do
        loads+=("$(cut -d' ' -f1 /proc/loadavg)")
        # Lighthouse sometimes loses the trace on a busy machine (NO_NAVSTART): try again.
        for attempt in 1 2 3; do
            CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} "$LIGHTHOUSE" "$base$path" --quiet \
                --chrome-flags="$flags" --output=json --output-path="$work/$name.$run.json" \
                --only-categories=performance,accessibility,best-practices,seo && break
            if (( attempt == 3 )); then echo "lighthouse failed 3 times on $path" >&2; exit 1; fi
        done
    done
    # The median run by performance score (the lower middle one for an even count).
    row=$(node -e '
const [dir, name, runs] = process.argv.slice(1);
const reports = [];
for (let i = 1; i <= Number(runs); i++) reports.push(require(`${dir}/${name}.${i}.json`));
const perf = (r) => Math.round(r.categories.performance.score * 100);
const order = reports.map((r, i) => i).sort((a, b) => perf(reports[a]) - perf(reports[b]));
const mid = order[Math.floor((order.length - 1) / 2)];
const r = reports[mid];
const s = (k) => Math.round(r.categories[k].score * 100);
const a = (k) => r.audits[k].displayValue;
console.log([mid + 1, s("performance"), reports.map(perf).join("/"), s("accessibility"),
  s("best-practices"), s("seo"), a("largest-contentful-paint"), a("total-blocking-time"),
  a("cumulative-layout-shift")].join(" | "));
' "$work" "$name" "$RUNS")
    mid=${row%% *}; row=${row#* | }
    cp "$work/$name.$mid.json" "$OUT/$name.json"
    perf=${row%% *}; rest=${row#* | }; runs=${rest%% *}; rest=${rest#* | }
    load=$(IFS=/; echo "${loads[*]}")
    echo "| $name | \`$path\` | $perf | $runs | $load | $rest |" >>"$summary"
    if (( perf < MIN )); then status=1; fi
done
cat "$summary"
exit $status
