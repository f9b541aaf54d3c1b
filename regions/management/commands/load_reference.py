"""Load the portal's reference data: regions, cohorts, dimensions and the default instrument.

Fixtures are loaded in a fixed order, so that later ones may refer to earlier ones, and in
one transaction: either every file loads or none does. Running the command again is safe:
each fixture names its objects by primary key or natural key, so ``loaddata`` updates the
rows it finds instead of adding copies. A fixture file that does not exist is reported and
skipped (``--require-all`` makes it an error).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

# In loading order: cohorts refer to regions, the instrument to dimensions.
REFERENCE_FIXTURES = (
    "regions.json",
    "cohorts.json",
    "dimensions.json",
    "default_instrument.json",
)


class Command(BaseCommand):
    help = "Load (or refresh) the reference fixtures: regions, cohorts, dimensions, instrument."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "fixtures",
            help="Directory holding the fixture files (default: fixtures/).",
        )
        parser.add_argument(
            "--require-all",
            action="store_true",
            help="Fail when one of the reference fixtures is missing instead of skipping it.",
        )

    def handle(self, *args: Any, dir: Path, require_all: bool, **options: Any) -> None:
        present = [dir / name for name in REFERENCE_FIXTURES if (dir / name).is_file()]
        missing = [name for name in REFERENCE_FIXTURES if not (dir / name).is_file()]
        if missing and require_all:
            raise CommandError(f"Missing reference fixtures in {dir}: {', '.join(missing)}")
        for name in missing:
            self.stderr.write(self.style.WARNING(f"Skipped {name}: not found in {dir}"))
        if not present:
            self.stdout.write("No reference fixtures to load.")
            return
        call_command("loaddata", *(str(path) for path in present), verbosity=0)
        names = ", ".join(path.name for path in present)
        self.stdout.write(self.style.SUCCESS(f"Loaded reference data: {names}"))
