#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a fresh, empty PostgreSQL database.
#
#   createdb smartcity_restored      (or CREATE DATABASE, owned by the portal's user)
#   DATABASE_URL=postgres://user:pass@host:5432/smartcity_restored \
#   MEDIA_ROOT=/srv/portal/media scripts/restore.sh smartcity-<stamp>.dump [media-<stamp>.tar.gz]
#
# Refuses a database that already has tables: a restore never mixes with other data.
# Objects are owned by the user in DATABASE_URL (--no-owner), so the backup restores under
# another role name too. The media archive is unpacked into MEDIA_ROOT (default: media/).
# See docs/backup-restore.md for the whole procedure.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL must name the empty PostgreSQL database to restore into}"
dump=${1:?usage: scripts/restore.sh DUMP [MEDIA_ARCHIVE]}
archive=${2:-}
[[ -f $dump ]] || { echo "error: $dump not found" >&2; exit 2; }

pg_tool() {
    if [[ -n ${PG_BIN:-} ]]; then echo "$PG_BIN/$1"; return; fi
    if command -v "$1" >/dev/null; then command -v "$1"; return; fi
    local newest
    newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [[ -n $newest ]] || { echo "error: $1 not found; set PG_BIN" >&2; exit 2; }
    echo "$newest/$1"
}

tables=$("$(pg_tool psql)" --no-psqlrc --tuples-only --no-align --dbname="$DATABASE_URL" \
    --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [[ $tables != 0 ]]; then
    echo "error: the target database already has $tables tables; restore into a new, empty one" >&2
    exit 3
fi

"$(pg_tool pg_restore)" --exit-on-error --no-owner --no-privileges --single-transaction \
    --dbname="$DATABASE_URL" "$dump"
echo "database restored from $dump"

if [[ -n $archive ]]; then
    media=${MEDIA_ROOT:-media}
    mkdir -p "$media"
    tar -C "$media" -xzf "$archive"
    echo "media files restored into $media"
fi
