"""Run the periodic jobs that are due, once: ``manage.py run_periodic`` (for a systemd
timer or cron, when workers run with ``--periodic-interval 0``). See docs/tasks.md."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from smartcity.jobs import periodic


class Command(BaseCommand):
    help = "Run the periodic jobs (session clean-up, job recovery, reminders) that are due."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--only", help="Run only this job (a key of PERIODIC_JOBS).")
        parser.add_argument("--force", action="store_true", help="Run even if not yet due.")

    def handle(self, *args: Any, **options: Any) -> None:
        ran = periodic.run_due(only=options["only"], force=options["force"])
        self.stdout.write(", ".join(ran) if ran else "nothing due")
