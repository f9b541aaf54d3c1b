"""``manage.py load_demo``: load the clearly labelled demo dataset and print its logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from evaluations.demo.build import DEMO_USERS, DemoError, build_demo, demo_exists, remove_demo
from smartcity.people.demo import DEMO_TOTP_KEY_BASE32


class Command(BaseCommand):
    help = "Load the demo dataset (demo rounds, programmes, scores and users). Never in production."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Remove an existing demo first, then rebuild it."
        )

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        if settings.HTTPS_ONLY:
            raise CommandError("Refusing to load demo users and data in production (HTTPS_ONLY=1).")
        if demo_exists() and not reset:
            self.stdout.write("Demo data is already loaded (use --reset to rebuild it).")
        else:
            try:
                with transaction.atomic():
                    if reset:
                        remove_demo()
                    build_demo(today=timezone.localdate())
            except DemoError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo logins (password: {settings.DEMO_PASSWORD}):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<10} {user.role}")
        self.stdout.write(
            "Second factor of manager and reviewers (TOTP): add the key "
            f"{DEMO_TOTP_KEY_BASE32} to an authenticator app, or read the current code with "
            "`manage.py demo_totp`."
        )
