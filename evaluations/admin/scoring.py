"""Admin for self-assessment answers, reviewers' scores and verified levels.

These are normally written through the city and reviewer pages (which keep ``version`` for
conflict detection); the admin is for inspection and corrections, every change kept in the
record's history.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import ForeignKey, Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from evaluations.admin.base import (
    CachedChoicesMixin,
    GuardedAdminMixin,
    HistoryAdmin,
    closed_round,
    kominfo_users,
)
from evaluations.models import Score, SelfAssessmentAnswer, VerifiedScore

_SELECT = ["participation__region", "participation__round", "indicator"]
_FILTERS = [
    "participation__round",
    "indicator__component",
    "indicator__dimension",
    "participation__region__province",
]
_SEARCH = ["participation__region__name", "participation__region__code", "indicator__code"]


class _ParticipationIndicatorAdmin(GuardedAdminMixin, HistoryAdmin):
    autocomplete_fields = ["participation", "indicator"]

    def guarded(self) -> Q:
        return closed_round("participation__round")

    readonly_fields = ["version", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # A correction here is a new version: a reviewer's or operator's page opened before
        # it then gets a conflict instead of silently writing over it.
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    @admin.display(description=_("wilayah"), ordering="participation__region__code")
    def region(self, obj: Score | VerifiedScore | SelfAssessmentAnswer) -> str:
        return obj.participation.region.name

    @admin.display(description=_("putaran"), ordering="participation__round")
    def round(self, obj: Score | VerifiedScore | SelfAssessmentAnswer) -> str:
        return obj.participation.round.name

    @admin.display(description=_("indikator"), ordering="indicator__code")
    def indicator_code(self, obj: Score | VerifiedScore | SelfAssessmentAnswer) -> str:
        return obj.indicator.code


@admin.register(SelfAssessmentAnswer)
class SelfAssessmentAnswerAdmin(_ParticipationIndicatorAdmin):
    list_display = [
        "region",
        "round",
        "indicator_code",
        "claimed_level",
        "updated_at",
        "updated_by",
    ]
    list_filter = [*_FILTERS, "claimed_level"]
    list_select_related = [*_SELECT, "updated_by"]
    search_fields = [*_SEARCH, "narrative"]
    autocomplete_fields = [*_ParticipationIndicatorAdmin.autocomplete_fields, "evidence"]
    readonly_fields = [*_ParticipationIndicatorAdmin.readonly_fields, "updated_by"]
    fields = [
        "participation",
        "indicator",
        "claimed_level",
        "narrative",
        "evidence",
        ("updated_at", "updated_by", "version"),
    ]

    def save_model(
        self, request: HttpRequest, obj: SelfAssessmentAnswer, form: Any, change: bool
    ) -> None:
        obj.updated_by = cast(User, request.user)  # the admin serves signed-in staff only
        super().save_model(request, obj, form, change)


@admin.register(Score)
class ScoreAdmin(CachedChoicesMixin, _ParticipationIndicatorAdmin):
    list_display = ["region", "round", "indicator_code", "reviewer", "level", "updated_at"]
    list_filter = [*_FILTERS, "level"]
    list_select_related = [*_SELECT, "reviewer"]
    search_fields = [*_SEARCH, "reviewer__username", "comment"]
    fields = [
        "participation",
        "indicator",
        "reviewer",
        "level",
        "comment",
        ("updated_at", "version"),
    ]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name == "reviewer":
            kwargs["queryset"] = kominfo_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(VerifiedScore)
class VerifiedScoreAdmin(_ParticipationIndicatorAdmin):
    list_display = ["region", "round", "indicator_code", "level", "set_by", "updated_at"]
    list_filter = [*_FILTERS, "level"]
    list_select_related = [*_SELECT, "set_by"]
    search_fields = [*_SEARCH, "comment"]
    readonly_fields = [*_ParticipationIndicatorAdmin.readonly_fields, "set_by"]
    fields = ["participation", "indicator", "level", "comment", ("updated_at", "set_by", "version")]

    def save_model(self, request: HttpRequest, obj: VerifiedScore, form: Any, change: bool) -> None:
        # Whoever saves the level in the admin is the one who set it.
        obj.set_by = cast(User, request.user)
        super().save_model(request, obj, form, change)
