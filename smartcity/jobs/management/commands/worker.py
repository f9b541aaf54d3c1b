"""The task worker with its scheduler: ``manage.py worker``.

Runs django-tasks-db's ``db_worker`` (the queue lives in the portal's database) and, beside
it, a small scheduler thread that every ``--periodic-interval`` seconds runs the periodic
jobs that are due (``smartcity.jobs.periodic``: session clean-up, recovery of jobs whose
worker died, reminders). At start it first recovers the jobs a previous worker left running.

Production runs as many workers as needed (one systemd unit instance each); the periodic
jobs lock their row, so several schedulers never run the same job twice. With
``--periodic-interval 0`` the worker only runs tasks (use the ``run_periodic`` timer then).
"""

from __future__ import annotations

import logging
import os
import threading
from argparse import ArgumentParser, BooleanOptionalAction
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from smartcity.jobs import periodic
from smartcity.jobs.services import jobs_recover_stale

logger = logging.getLogger("smartcity.jobs")


class Command(BaseCommand):
    help = "Run background tasks (django-tasks-db) and the periodic jobs."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--periodic-interval",
            type=float,
            default=30.0,
            help="Seconds between looks at the periodic jobs (0: none in this worker).",
        )
        parser.add_argument("--batch", action="store_true", help="Run the queued tasks, then exit.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks at the queue."
        )
        parser.add_argument(
            "--reload",
            action=BooleanOptionalAction,
            default=settings.DEBUG,
            help="Restart on code changes (default: DEBUG, as db_worker).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reload = options["reload"] and not options["batch"]
        worker_options: dict[str, Any] = {"interval": options["interval"], "reload": reload}
        if options["batch"]:
            worker_options["batch"] = True
        if reload and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The reloader's parent only watches files and restarts the child, which runs
            # this command again: the recovery and the scheduler belong to the child.
            call_command("db_worker", **worker_options, verbosity=options["verbosity"])
            return
        recovered = jobs_recover_stale()
        if any(recovered.values()):
            logger.warning("jobs recovered at start: %s", recovered)
        stop = threading.Event()
        scheduler = None
        if options["periodic_interval"] > 0 and not options["batch"]:
            scheduler = threading.Thread(
                target=_schedule,
                args=(stop, options["periodic_interval"]),
                name="periodic-scheduler",
                daemon=True,
            )
            scheduler.start()
        try:
            call_command("db_worker", **worker_options, verbosity=options["verbosity"])
        finally:
            stop.set()


def _schedule(stop: threading.Event, interval: float) -> None:
    try:
        while not stop.is_set():
            try:
                close_old_connections()  # this thread's connection, as db_worker does its own
                periodic.run_due()
            except Exception:
                logger.exception("periodic scheduler failed; trying again later")
            stop.wait(interval)
    finally:
        connection.close()
