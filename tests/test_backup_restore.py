"""Backup and restore, the documented way (docs/backup-restore.md): ``scripts/backup.sh``
dumps the database with ``pg_dump -Fc`` and packs the evidence files; ``scripts/restore.sh``
restores both into a fresh database and media directory. The published results that come
back must be identical, row for row, to the ones that went in.

PostgreSQL only (the scripts run pg_dump and pg_restore against the test database); CI runs
the suite on PostgreSQL through ``DATABASE_URL``.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

from evaluations.models import Publication, Result, RoundStatus
from evaluations.services import rounds as round_services
from tests import factories
from tests.city import factories as cf
from tests.reviewer import factories as rf

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_dump/pg_restore need PostgreSQL; set DATABASE_URL (CI does)",
    ),
]

BASE_DIR = Path(__file__).resolve().parents[1]
# Tables that hold what the public sees: results, their frozen snapshots, the rounds and the
# events the public caches key on.
PUBLISHED_TABLES = [
    "evaluations_result",
    "evaluations_publication",
    "evaluations_round",
    "evaluations_roundevent",
]


def _url(database: str) -> str:
    s = connection.settings_dict
    credentials = quote(s["USER"] or "")
    if s["PASSWORD"]:
        credentials += ":" + quote(s["PASSWORD"])
    return f"postgresql://{credentials}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{database}"


def _rows(url: str, table: str) -> list[str]:
    """Every row of ``table`` as JSON text, in primary-key order: every column compared."""
    with psycopg.connect(url) as conn:
        return [
            row[0]
            for row in conn.execute(
                f"SELECT row_to_json(t)::text FROM {table} t ORDER BY id"  # noqa: S608
            )
        ]


def _table_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        return {
            t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # type: ignore[index]  # noqa: S608
            for t in tables
        }


def _script(name: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script, fixed arguments
        ["bash", str(BASE_DIR / "scripts" / name), *args],  # noqa: S607
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def published_world(kota_bekasi, kota_bandung, settings):
    """Two published rounds (the second with changes since the first) and an evidence file."""
    manager = factories.make_manager("manager")
    instrument = factories.make_instrument(code="instrumen-cadangan")
    for year, levels in ((2023, (3, 4)), (2024, (5, 2))):
        round_ = factories.make_round(
            instrument=instrument, year=year, phase=1, status=RoundStatus.REVIEW
        )
        for region, level in zip((kota_bekasi, kota_bandung), levels, strict=True):
            rf.verify(factories.make_participation(round_, region), manager, level=level)
        round_services.round_finalise(round=round_, by=manager)
        round_services.round_publish(round=round_, by=manager, note=f"Hasil {year}")
    evidence = cf.make_file_evidence(kota_bekasi, "perwal-smart-city.pdf")
    return evidence


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_restored_backup_yields_identical_published_results(
    published_world, fresh_database, settings, tmp_path
):
    assert Result.objects.count() == 4
    assert Publication.objects.count() == 2
    source = _url(connection.settings_dict["NAME"])
    target = _url(fresh_database)

    backup = _script(
        "backup.sh",
        str(tmp_path / "backups"),
        DATABASE_URL=source,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    assert backup.returncode == 0, backup.stderr
    dump, archive = backup.stdout.split()
    assert dump.endswith(".dump")
    assert Path(dump).read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert archive.endswith(".tar.gz")

    restored_media = tmp_path / "restored-media"
    restore = _script(
        "restore.sh", dump, archive, DATABASE_URL=target, MEDIA_ROOT=str(restored_media)
    )
    assert restore.returncode == 0, restore.stderr

    for table in PUBLISHED_TABLES:
        before = _rows(source, table)
        assert before, table
        assert _rows(target, table) == before, table
    assert _table_counts(target) == _table_counts(source)
    evidence = published_world
    original = Path(settings.MEDIA_ROOT) / evidence.file.name
    assert (restored_media / evidence.file.name).read_bytes() == original.read_bytes()


def test_restore_refuses_a_database_that_is_not_empty(published_world, tmp_path, settings):
    source = _url(connection.settings_dict["NAME"])
    backup = _script(
        "backup.sh", str(tmp_path), DATABASE_URL=source, MEDIA_ROOT=str(settings.MEDIA_ROOT)
    )
    dump = backup.stdout.split()[0]
    restore = _script("restore.sh", dump, DATABASE_URL=source)
    assert restore.returncode == 3
    assert "already has" in restore.stderr
    assert Result.objects.count() == 4
