from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluasi")

    def ready(self) -> None:
        from django.db.models import fields

        from evaluations import caching, roles
        from evaluations.models import RoundEvent

        # The empty choice of every select built from a model field, in the reader's language
        # (Django's own label has no Indonesian translation and read "- Select an option -").
        fields.BLANK_CHOICE_LABEL = _("- Pilih salah satu -")

        # Groups and their admin permissions must exist wherever the schema does; this is
        # set-up, not domain flow, so a post_migrate hook is the right place.
        post_migrate.connect(roles.ensure_groups, sender=self)

        # The published-data version in the shared cache follows every RoundEvent written
        # or deleted, whatever code path wrote it (cache upkeep, not domain flow).
        post_save.connect(caching.bump_data_version, sender=RoundEvent, dispatch_uid="data-v+")
        post_delete.connect(caching.bump_data_version, sender=RoundEvent, dispatch_uid="data-v-")

        # SQLite rebuilds a table (dropping its triggers) whenever a later migration alters
        # it: re-install the trust guards after every migrate (idempotent).
        post_migrate.connect(_reinstall_trust_guards, sender=self)


def _reinstall_trust_guards(
    *, using: str = "default", plan: object = None, **kwargs: object
) -> None:
    from django.db import connections

    from evaluations import trust

    # plan is None after ``flush`` (which the fixture before it let empty the database: the
    # guards must come back for the next test); an empty plan changed no table.
    if plan is not None and not plan:
        return
    with connections[using].schema_editor() as editor:
        trust.install_guards(editor)
