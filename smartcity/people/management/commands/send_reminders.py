"""``manage.py send_reminders``: queue today's deadline reminders (run daily, e.g. by cron
or the task scheduler; running it twice a day sends nothing twice)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from smartcity.people.notifications import send_deadline_reminders


class Command(BaseCommand):
    help = "Remind regions that have not submitted, 7 days and 1 day before the deadline."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_deadline_reminders()
        self.stdout.write(f"{sent} reminder(s) written.")
