"""Periodic jobs: expired sessions are cleaned on schedule, the reminders hook is called,
and a job runs again only when it is due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from smartcity.jobs import periodic
from smartcity.jobs.models import PeriodicRun
from tests.conftest import drain_queue

pytestmark = pytest.mark.django_db

CALLS: list[str] = []


def remind() -> None:
    CALLS.append("reminded")


def _session(expire: timedelta) -> str:
    store = SessionStore()
    store["x"] = 1
    store.set_expiry(int(expire.total_seconds()))
    store.create()
    assert store.session_key is not None
    return store.session_key


def test_expired_sessions_are_cleared_and_live_ones_kept():
    live = _session(timedelta(hours=1))
    expired = _session(timedelta(hours=1))
    Session.objects.filter(pk=expired).update(expire_date=timezone.now() - timedelta(minutes=1))

    assert "clearsessions" in periodic.run_due()

    assert list(Session.objects.values_list("pk", flat=True)) == [live]
    run = PeriodicRun.objects.get(name="clearsessions")
    assert run.last_finished_at is not None
    assert run.last_error == ""


def test_a_job_runs_again_only_when_due(settings):
    settings.PERIODIC_JOBS = {
        "reminders": {"call": "smartcity.jobs.periodic.reminders", "every": 3600}
    }
    settings.REMINDER_SENDERS = ["tests.jobs.test_periodic.remind"]
    CALLS.clear()
    start = timezone.now()
    assert periodic.run_due(now=start) == ["reminders"]
    assert periodic.run_due(now=start + timedelta(minutes=59)) == []
    assert periodic.run_due(now=start + timedelta(minutes=61)) == ["reminders"]
    assert CALLS == ["reminded", "reminded"]


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(settings):
    settings.PERIODIC_JOBS = {
        "broken": {"call": "tests.jobs.test_periodic.explode", "every": 60},
        "reminders": {"call": "smartcity.jobs.periodic.reminders", "every": 60},
    }
    settings.REMINDER_SENDERS = ["tests.jobs.test_periodic.remind"]
    CALLS.clear()
    assert periodic.run_due() == ["broken", "reminders"]
    assert CALLS == ["reminded"]
    assert "RuntimeError: cron on fire" in PeriodicRun.objects.get(name="broken").last_error


def explode() -> None:
    raise RuntimeError("cron on fire")


def test_run_periodic_command_for_a_timer():
    expired = _session(timedelta(hours=1))
    Session.objects.filter(pk=expired).update(expire_date=timezone.now() - timedelta(minutes=1))
    call_command("run_periodic", only="clearsessions", force=True, verbosity=0)
    assert not Session.objects.filter(pk=expired).exists()


def test_old_finished_jobs_and_their_files_are_pruned(bekasi, settings, task_queue):
    from django.core.files.storage import default_storage
    from django_tasks_db.models import DBTaskResult

    from smartcity.jobs.models import Job
    from smartcity.jobs.services import job_start
    from tests.jobs import handlers  # noqa: F401

    old = job_start(kind="tests.count", owner=bekasi, title="Old", params={"rows": 2})
    recent = job_start(kind="tests.count", owner=bekasi, title="Recent", params={"rows": 2})
    drain_queue()
    waiting = job_start(kind="tests.count", owner=bekasi, title="Waiting", params={"rows": 2})
    old.refresh_from_db()
    file_name = old.result_file.name
    assert file_name is not None
    assert default_storage.exists(file_name)
    long_ago = timezone.now() - timedelta(days=settings.JOBS_KEEP_DAYS + 1)
    Job.objects.filter(pk=old.pk).update(finished_at=long_ago)
    DBTaskResult.objects.filter(pk=old.task_id).update(finished_at=long_ago)

    periodic.prune_jobs()

    assert set(Job.objects.values_list("title", flat=True)) == {"Recent", "Waiting"}
    assert not default_storage.exists(file_name)
    assert not DBTaskResult.objects.filter(pk=old.task_id).exists()
    assert DBTaskResult.objects.filter(pk=recent.task_id).exists()
    assert DBTaskResult.objects.filter(pk=waiting.task_id).exists()
