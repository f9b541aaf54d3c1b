"""Files the operators rely on: backups readable by their owner only, and a media directory
that is checked when the portal starts rather than when the first upload fails."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Stands in for pg_dump (the real one is exercised by tests/test_backup_restore.py on
# PostgreSQL): writes the file it is asked for, as pg_dump does, under the caller's umask.
FAKE_PG_DUMP = """#!/bin/sh
for arg in "$@"; do case "$arg" in --file=*) printf 'PGDMP' > "${arg#--file=}";; esac; done
"""


def test_backups_are_written_readable_by_their_owner_only(tmp_path):
    pg_bin = tmp_path / "bin"
    pg_bin.mkdir()
    (pg_bin / "pg_dump").write_text(FAKE_PG_DUMP)
    (pg_bin / "pg_dump").chmod(0o755)
    media = tmp_path / "media"
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "perda.pdf").write_bytes(b"%PDF-1.7")
    target = tmp_path / "backups"
    done = subprocess.run(  # noqa: S603
        ["bash", str(ROOT / "scripts/backup.sh"), str(target)],  # noqa: S607
        env={
            **os.environ,
            "DATABASE_URL": "postgres://u@127.0.0.1:5432/db",
            "PG_BIN": str(pg_bin),
            "MEDIA_ROOT": str(media),
        },
        # A permissive umask, as a cron job or an interactive shell may have.
        preexec_fn=lambda: os.umask(0o022),
        capture_output=True,
        text=True,
        check=True,
    )
    written = [Path(line) for line in done.stdout.split()]
    assert [p.name.split("-")[0] for p in written] == ["smartcity", "media"]
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(target.stat().st_mode) == 0o700


def _start(media_root: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "MEDIA_ROOT": media_root, "DATABASE_URL": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("where", "problem"),
    [
        ("typo/media", "does not exist, nor does its parent directory"),
        ("a-file", "is not a directory"),
    ],
)
def test_a_wrong_media_root_stops_start_up(tmp_path, where, problem):
    (tmp_path / "a-file").write_text("not a directory")
    done = _start(str(tmp_path / where))
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert f"MEDIA_ROOT={tmp_path / where}" in done.stderr
    assert problem in done.stderr


def test_a_missing_media_directory_is_created_at_start_up(tmp_path):
    done = _start(str(tmp_path / "media"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "media").is_dir()
