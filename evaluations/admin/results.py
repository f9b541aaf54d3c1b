"""Admin for computed results and publications: read-only, nothing edits a figure by hand.

Results are computed by ``evaluations.services.engine`` when a round is finalised, and a
publication freezes them; the admin only shows them.
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from evaluations.admin.base import HistoryAdmin, ReadOnlyAdminMixin
from evaluations.models import Publication, Result
from evaluations.models.results import SCORE_FIELDS_COMPONENT, SCORE_FIELDS_DIMENSION


@admin.register(Result)
class ResultAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    list_display = [
        "national_rank",
        "region",
        "province",
        "round",
        "index",
        "rating_band",
        "provincial_rank",
        "index_change",
        "rank_change",
    ]
    list_display_links = ["national_rank", "region"]
    list_filter = ["participation__round", "rating_band", "participation__region__province"]
    list_select_related = ["participation__region__province", "participation__round"]
    search_fields = ["participation__region__name", "participation__region__code"]
    ordering = ["participation__round", "national_rank"]
    # Not editable on the model: without this, a history record's page (simple_history's
    # form view) fails to build its form.
    readonly_fields = ["computed_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "participation",
                    ("index", "rating_band"),
                    ("national_rank", "provincial_rank"),
                    ("index_change", "rank_change", "previous"),
                    "computed_at",
                ]
            },
        ),
        (_("Skor per komponen"), {"fields": [tuple(SCORE_FIELDS_COMPONENT)]}),
        (_("Skor per dimensi"), {"fields": [tuple(SCORE_FIELDS_DIMENSION)]}),
        (_("Program berjalan per dimensi"), {"fields": ["programme_shares"]}),
    ]

    @admin.display(description=_("wilayah"), ordering="participation__region__code")
    def region(self, obj: Result) -> str:
        return obj.participation.region.name

    @admin.display(description=_("provinsi"), ordering="participation__region__province__name")
    def province(self, obj: Result) -> str:
        return obj.participation.region.province.name

    @admin.display(description=_("putaran"), ordering="participation__round")
    def round(self, obj: Result) -> str:
        return obj.participation.round.name


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["round", "number", "kind", "published_at", "published_by", "note"]
    list_filter = ["round", "kind"]
    list_select_related = ["round", "published_by"]
    search_fields = ["round__name", "note"]
    date_hierarchy = "published_at"
    fields = [
        "round",
        "number",
        "kind",
        "caused_by",
        "instrument_label",
        "published_at",
        "published_by",
        "note",
        "changes",
        "snapshot_display",
    ]
    readonly_fields = fields  # type: ignore[assignment]  # names only, no groups

    @admin.display(description=_("salinan hasil"))
    def snapshot_display(self, obj: Publication) -> str:
        snapshot = json.dumps(obj.snapshot, ensure_ascii=False, indent=2)
        return render_to_string("admin/evaluations/snapshot.html", {"snapshot": snapshot})
