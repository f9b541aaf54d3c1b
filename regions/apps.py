from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class RegionsConfig(AppConfig):
    name = "regions"
    # A context of its own: the same word is a column header elsewhere ("Region"), while
    # the admin names the application in the plural ("Regions").
    verbose_name = pgettext_lazy("admin app", "Wilayah")
