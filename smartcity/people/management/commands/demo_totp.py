"""``manage.py demo_totp``: the current second-factor code of the demo accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from smartcity.people.demo import demo_code


class Command(BaseCommand):
    help = "Print the current TOTP code of the demo manager and reviewers (never in production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.HTTPS_ONLY:
            raise CommandError("Demo codes do not exist in production (HTTPS_ONLY=1).")
        self.stdout.write(demo_code())
