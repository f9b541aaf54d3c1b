"""pg_trgm for the region search (``evaluations.search``); nothing to do on SQLite."""

from __future__ import annotations

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0006_merge_0004_trust_0005_import_uploads")]

    # TrigramExtension skips databases other than PostgreSQL.
    operations = [TrigramExtension()]
