"""Load the portal's reference data: regions, cohorts, dimensions and the default instrument.

Fixtures are loaded in a fixed order, so that later ones may refer to earlier ones, and in
one transaction: either every file loads or none does. A fixture file that does not exist is
reported and skipped (``--require-all`` makes it an error).

Running the command again is safe and is what ``make run`` and a deployment do: objects
already in the database (found by natural key or primary key) are kept as they are, so that a
round manager's edits in the admin (the default instrument is meant to be edited) survive;
only objects that are missing are added. ``--refresh`` instead overwrites existing rows with
the fixtures' values, e.g. after the region fixture was regenerated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

# In loading order: cohorts refer to regions, the instrument to dimensions.
REFERENCE_FIXTURES = (
    "regions.json",
    "cohorts.json",
    "dimensions.json",
    "default_instrument.json",
)


def add_missing(path: Path) -> tuple[int, int]:
    """Save the fixture's objects that are not in the database yet; returns (added, kept).

    Objects are saved as they are read, so a natural key may name an object saved just before
    it in the same file; references to objects further down are filled in at the end. One
    existence query per object: the reference fixtures hold a few hundred rows.
    """
    added = kept = 0
    deferred = []
    with path.open("rb") as stream:
        for item in serializers.deserialize("json", stream, handle_forward_references=True):
            instance = item.object
            # The deserializer fills in the primary key of an object it found by natural key.
            manager = type(instance)._default_manager
            if instance.pk is not None and manager.filter(pk=instance.pk).exists():
                kept += 1
                continue
            item.save()
            added += 1
            if item.deferred_fields:
                deferred.append(item)
    for item in deferred:
        item.save_deferred_fields()
    return added, kept


class Command(BaseCommand):
    help = (
        "Load the reference fixtures (regions, cohorts, dimensions, default instrument): add "
        "what is missing and keep existing rows, or overwrite them with --refresh."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "fixtures",
            help="Directory holding the fixture files (default: fixtures/).",
        )
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Overwrite existing rows with the fixtures' values (loses edits made since).",
        )
        parser.add_argument(
            "--require-all",
            action="store_true",
            help="Fail when one of the reference fixtures is missing instead of skipping it.",
        )

    def handle(
        self, *args: Any, dir: Path, refresh: bool, require_all: bool, **options: Any
    ) -> None:
        present = [dir / name for name in REFERENCE_FIXTURES if (dir / name).is_file()]
        missing = [name for name in REFERENCE_FIXTURES if not (dir / name).is_file()]
        if missing and require_all:
            raise CommandError(f"Missing reference fixtures in {dir}: {', '.join(missing)}")
        for name in missing:
            self.stderr.write(self.style.WARNING(f"Skipped {name}: not found in {dir}"))
        if not present:
            self.stdout.write("No reference fixtures to load.")
            return
        if refresh:
            # loaddata updates the rows it finds by natural or primary key, in one transaction.
            call_command("loaddata", *(str(path) for path in present), verbosity=0)
            names = ", ".join(path.name for path in present)
            self.stdout.write(self.style.SUCCESS(f"Refreshed reference data from {names}"))
            return
        with transaction.atomic():
            counts = [(path.name, *add_missing(path)) for path in present]
        for name, added, kept in counts:
            self.stdout.write(f"{name}: {added} added, {kept} already present (kept)")
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
