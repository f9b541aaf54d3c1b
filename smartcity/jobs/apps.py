"""Background jobs: progress, results and recovery for work run by Django's task worker."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "smartcity.jobs"
    label = "jobs"
    verbose_name = _("Pekerjaan latar belakang")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each app keeps its job handlers in <app>/jobs.py (registered with @job_handler).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
