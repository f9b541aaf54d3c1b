"""``manage.py generate_national``: the synthetic national dataset for benchmarks and load tests.

See ``smartcity.synthetic.national`` for what it builds. Every round, user and text it makes
is labelled "SINTETIS" (synthetic). Running it again completes a partial dataset and otherwise adds
nothing; ``--reset`` removes the synthetic data first.
"""

from __future__ import annotations

import resource
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcity.synthetic import national


class Command(BaseCommand):
    help = (
        "Generate a synthetic, clearly labelled (SINTETIS) national dataset: every region in "
        "20 published rounds with panels, programmes, scores and results. Never in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        default = national.NationalSpec()
        parser.add_argument(
            "--regions", type=int, default=default.regions, help="Number of regions (all: 514)."
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=default.rounds,
            help="Published rounds, two phases a year (default 20 = ten years).",
        )
        parser.add_argument(
            "--first-year", type=int, default=default.first_year, help="Year of the first round."
        )
        parser.add_argument(
            "--programmes",
            type=int,
            default=default.programmes,
            help="Programmes per region (default 50).",
        )
        parser.add_argument(
            "--reviewers", type=int, default=default.reviewers, help="Size of the reviewer pool."
        )
        parser.add_argument(
            "--no-current-round",
            action="store_true",
            help="Do not add the extra round under review (published rounds only).",
        )
        parser.add_argument("--seed", default=default.seed, help="Seed of the synthetic levels.")
        parser.add_argument("--reset", action="store_true", help="Remove the synthetic data first.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.HTTPS_ONLY:
            raise CommandError(
                "Refusing to create synthetic users and data in production (HTTPS_ONLY=1)."
            )
        for name in ("regions", "rounds", "reviewers"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        if options["programmes"] < 0:
            raise CommandError("--programmes cannot be negative.")
        spec = national.NationalSpec(
            regions=options["regions"],
            rounds=options["rounds"],
            first_year=options["first_year"],
            programmes=options["programmes"],
            reviewers=options["reviewers"],
            current_round=not options["no_current_round"],
            seed=options["seed"],
        )
        started = time.perf_counter()
        if options["reset"]:
            national.remove()
            self.stdout.write(
                f"Removed the synthetic data ({time.perf_counter() - started:.1f} s)."
            )
        try:
            report = national.generate(spec, log=lambda line: self.stdout.write(f"  {line}"))
        except national.NationalDataError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        if not report.rows:
            self.stdout.write("The synthetic national dataset is already complete.")
            return
        rows = ", ".join(f"{n:,} {model}" for model, n in sorted(report.rows.items()))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic national data ({national.LABEL}) ready in {seconds:.1f} s "
                f"(peak memory {peak_mb:.0f} MB): {rows}."
            )
        )
        self.stdout.write(
            f"Logins (password {settings.DEMO_PASSWORD}): {national.MANAGER_USERNAME}, "
            f"{national.reviewer_username(1)}…, {national.USER_PREFIX}op-<region code without dot>."
        )
