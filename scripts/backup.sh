#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database and the evidence files.
#
#   DATABASE_URL=postgres://user:pass@host:5432/smartcity scripts/backup.sh [DIRECTORY]
#
# Writes, into DIRECTORY (default: backups/), two files named after the time (UTC):
#   smartcity-<stamp>.dump     pg_dump custom format (-Fc): compressed, restored by pg_restore
#   media-<stamp>.tar.gz       the files under MEDIA_ROOT (default: media/), if it exists
# and prints their paths. Safe while the portal runs: pg_dump reads one consistent snapshot.
# Both hold personal data (users, evidence): they are written readable by their owner only
# (0600, in a 0700 directory when this script creates it), whatever the caller's umask.
# See docs/backup-restore.md for the whole procedure.
set -euo pipefail
umask 077

: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up}"
case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) echo "error: DATABASE_URL is not a PostgreSQL URL (postgres://...)" >&2; exit 2 ;;
esac

# pg_dump from PG_BIN, else PATH, else the newest installed PostgreSQL. It must be at least
# as new as the server.
pg_tool() {
    if [[ -n ${PG_BIN:-} ]]; then echo "$PG_BIN/$1"; return; fi
    if command -v "$1" >/dev/null; then command -v "$1"; return; fi
    local newest
    newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [[ -n $newest ]] || { echo "error: $1 not found; set PG_BIN" >&2; exit 2; }
    echo "$newest/$1"
}

target=${1:-backups}
media=${MEDIA_ROOT:-media}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$target"
dump="$target/smartcity-$stamp.dump"

"$(pg_tool pg_dump)" --format=custom --compress=6 --file="$dump" --dbname="$DATABASE_URL"
chmod 600 "$dump"
echo "$dump"
if [[ -d $media ]]; then
    archive="$target/media-$stamp.tar.gz"
    tar -C "$media" -czf "$archive" .
    chmod 600 "$archive"
    echo "$archive"
fi
