"""A real worker process killed (SIGKILL) in the middle of an import: nothing of the import
is left behind, and the next worker to start runs the job again to completion, once.

Runs the portal in child processes on an SQLite file (the worker, the commands); the test
reads the database file directly.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROWS = 20


@pytest.fixture
def portal(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.ops.kill_settings",
        "DATABASE_URL": "",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_FORMAT": "json",
    }
    for name in ("DEBUG", "HTTPS_ONLY"):
        env.pop(name, None)

    def manage(*args: str) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        return done.stdout

    def worker() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "worker",
                "--periodic-interval",
                "0",
                "--interval",
                "0.2",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def query(sql: str) -> list[tuple]:
        with sqlite3.connect(tmp_path / "db.sqlite3", timeout=30) as db:
            return db.execute(sql).fetchall()

    manage("migrate", "--noinput", "-v", "0")
    return manage, worker, query


def _wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_a_killed_worker_leaves_nothing_half_done_and_the_job_completes_after_restart(portal):
    manage, worker, query = portal
    job_id = manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "from smartcity.jobs.services import job_start; "
        "owner = User.objects.create_user('operator'); "
        f"print(job_start(kind='tests.slow_import', owner=owner, title='Import', "
        f"params={{'rows': {ROWS}, 'delay': 0.25}}).pk)",
    ).split()[-1]
    job_id = job_id.replace("-", "")  # SQLite stores UUIDs as 32 hex digits
    job = f"SELECT state, attempts FROM jobs_job WHERE id = '{job_id}'"  # noqa: S608
    imported = "SELECT count(*) FROM auth_group WHERE name LIKE 'imported-%'"

    first = worker()
    try:
        _wait_for(lambda: query(job) == [("running", 1)])
        time.sleep(1.5)  # part of the rows written, inside the import's transaction
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)

    assert query(job) == [("running", 1)]
    assert query(imported) == [(0,)]  # all or nothing: nothing

    second = worker()  # sees the dead process's job at start and runs it again
    try:
        _wait_for(lambda: query(job)[0][0] in ("succeeded", "failed"))
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)

    assert query(job) == [("succeeded", 2)]
    assert query(imported) == [(ROWS,)]
    statuses = sorted(s for (s,) in query("SELECT status FROM django_tasks_database_dbtaskresult"))
    assert statuses == ["FAILED", "SUCCESSFUL"]
