"""Periodic jobs: session clean-up, recovery of jobs a dead worker left, reminders.

``prune_jobs`` deletes finished jobs (and their files) after ``JOBS_KEEP_DAYS``.

``settings.PERIODIC_JOBS`` names each job, the function it calls (a dotted path, called
with no arguments) and how often it runs, in seconds::

    PERIODIC_JOBS = {
        "clearsessions": {"call": "smartcity.jobs.periodic.clear_sessions", "every": 3600},
        "reminders": {"call": "evaluations.services.reminders.send_due", "every": 3600},
    }

``run_due()`` runs every job whose time has come; it is called by the worker's scheduler
(``manage.py worker``, every ``--periodic-interval`` seconds) or by ``manage.py
run_periodic`` from a systemd timer (docs/tasks.md). The last run of each job is kept in
``PeriodicRun``; its row is locked while it runs, so two workers never run the same job
at once, and a job that fails is logged and tried again at its next time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from smartcity.jobs.models import PeriodicRun
from smartcity.jobs.services import jobs_recover_stale

logger = logging.getLogger("smartcity.jobs")


def clear_sessions() -> None:
    """Delete expired sessions (Django's ``clearsessions``)."""
    call_command("clearsessions")


def recover_jobs() -> None:
    jobs_recover_stale()


def prune_jobs() -> None:
    """Finished jobs older than ``JOBS_KEEP_DAYS``, with their result files, and the task
    queue's finished entries of the same age: the files can hold personal data."""
    from smartcity.jobs.models import FINISHED_STATES, Job

    cutoff = timezone.now() - timedelta(days=settings.JOBS_KEEP_DAYS)
    old = Job.objects.filter(state__in=FINISHED_STATES, finished_at__lt=cutoff)
    for job in old.exclude(result_file="").only("pk", "result_file"):
        job.result_file.delete(save=False)
    old.delete()
    call_command(
        "prune_db_task_results", min_age_days=settings.JOBS_KEEP_DAYS, queue_name="*", verbosity=0
    )


def reminders() -> None:
    """The hook for deadline reminders: calls each function in ``settings.REMINDER_SENDERS``
    (dotted paths). The reminder logic itself lives with the people it writes to."""
    for path in settings.REMINDER_SENDERS:
        import_string(path)()


def run_due(*, now: Any = None, only: str | None = None, force: bool = False) -> list[str]:
    """Run the periodic jobs that are due; returns the names of those that ran."""
    ran: list[str] = []
    for name, spec in settings.PERIODIC_JOBS.items():
        if only and name != only:
            continue
        if _run_one(name, spec, now=now or timezone.now(), force=force):
            ran.append(name)
    return ran


def _run_one(name: str, spec: dict[str, Any], *, now: Any, force: bool) -> bool:
    every = timedelta(seconds=int(spec["every"]))
    function: Callable[[], Any] = import_string(spec["call"])
    PeriodicRun.objects.get_or_create(name=name)
    with transaction.atomic():
        run = PeriodicRun.objects.select_for_update(skip_locked=True).filter(name=name).first()
        if run is None:
            return False  # another worker runs it now
        if not force and run.last_started_at and run.last_started_at + every > now:
            return False
        run.last_started_at = now
        run.save(update_fields=["last_started_at"])
    error = ""
    try:
        function()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        logger.exception(
            "periodic job failed", extra={"event": "periodic.failed", "periodic": name}
        )
    else:
        logger.info("periodic job ran", extra={"event": "periodic.ran", "periodic": name})
    PeriodicRun.objects.filter(name=name).update(
        last_finished_at=timezone.now(), last_error=error[:2000]
    )
    return True
