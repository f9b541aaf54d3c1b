from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluasi")

    def ready(self) -> None:
        from evaluations import roles

        # Groups and their admin permissions must exist wherever the schema does; this is
        # set-up, not domain flow, so a post_migrate hook is the right place.
        post_migrate.connect(roles.ensure_groups, sender=self)
