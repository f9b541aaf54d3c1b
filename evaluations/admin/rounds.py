"""Admin for rounds, their recorded status changes, participations and panels."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, ForeignKey, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from evaluations.admin.base import (
    CLOSED_STATUSES,
    CachedChoicesMixin,
    GuardedAdminMixin,
    GuardedInlineMixin,
    HistoryAdmin,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    closed_round,
    kominfo_users,
)
from evaluations.admin_actions import ROUND_ACTIONS
from evaluations.models import Participation, ReviewerAssignment, Round, RoundEvent

ONE_LEAD_MESSAGE = _("Panel hanya boleh punya satu ketua.")


class RoundEventInline(ReadOnlyInline):
    model = RoundEvent
    fields = ["at", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields  # type: ignore[assignment]  # names only, no groups
    show_change_link = False
    ordering = ["at", "pk"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoundEvent]:
        return super().get_queryset(request).select_related("round", "by")


@admin.register(Round)
class RoundAdmin(HistoryAdmin):
    list_display = [
        "name",
        "year",
        "phase",
        "status",
        "instrument",
        "self_assessment_opens",
        "self_assessment_closes",
        "participants",
        "published_at",
    ]
    list_filter = ["status", "year", "instrument"]
    list_select_related = ["instrument"]
    search_fields = ["name", "slug"]
    date_hierarchy = "self_assessment_opens"
    prepopulated_fields = {"slug": ["name"]}
    # The status moves only through evaluations.services.rounds, which records every change
    # as a RoundEvent; a form must not move it behind the services' back, and neither may
    # restoring an old version from the history.
    history_revert = False
    readonly_fields = ["status", "finalised_at", "published_at", "created_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", ("year", "phase"), "instrument", "status"]}),
        (
            _("Jadwal"),
            {
                "fields": [
                    ("self_assessment_opens", "self_assessment_closes"),
                    ("review_ends", "announcement_date"),
                ]
            },
        ),
        (
            _("Catatan waktu"),
            {"fields": [("finalised_at", "published_at"), "created_at"]},
        ),
    ]
    inlines = [RoundEventInline]
    # Lifecycle actions (open the self-assessment, start the review, finalise, publish,
    # re-open with a reason), calling evaluations.services.rounds.
    actions = ROUND_ACTIONS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Round]:
        return super().get_queryset(request).annotate(_participants=Count("participations"))

    @admin.display(description=_("peserta"), ordering="_participants")
    def participants(self, obj: Round) -> str:
        url = reverse("admin:evaluations_participation_changelist")
        return render_to_string(
            "admin/evaluations/participants_link.html",
            {"url": url, "round_id": obj.pk, "count": obj._participants},  # type: ignore[attr-defined]
        )


@admin.register(RoundEvent)
class RoundEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "round", "from_status", "to_status", "by", "reason"]
    list_filter = ["to_status", "round"]
    list_select_related = ["round", "by"]
    search_fields = ["round__name", "reason", "by__username"]
    date_hierarchy = "at"


class PanelFormSet(forms.BaseInlineFormSet):
    """Two leads typed into one submission would pass each row's own check (neither is in
    the database yet) and then break the constraint on save; catch them here instead."""

    def clean(self) -> None:
        super().clean()
        leads = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_lead") and not form.cleaned_data.get("DELETE")
        ]
        if len(leads) > 1:
            raise ValidationError(ONE_LEAD_MESSAGE, code="one_lead")


class PanelInline(GuardedInlineMixin, CachedChoicesMixin, admin.TabularInline):
    model = ReviewerAssignment
    formset = PanelFormSet
    extra = 0
    fields = ["reviewer", "is_lead", "assigned_at", "completed_at"]
    readonly_fields = ["assigned_at"]
    cached_choice_fields = ("reviewer",)
    verbose_name = _("anggota panel")
    verbose_name_plural = _("panel penilai")

    def parent_guarded(self, obj: Participation) -> bool:
        return Round.objects.filter(pk=obj.round_id, status__in=CLOSED_STATUSES).exists()

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReviewerAssignment]:
        # Each row prints its __str__ (reviewer → region – round).
        return (
            super()
            .get_queryset(request)
            .select_related("reviewer", "participation__region", "participation__round")
        )

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name == "reviewer":
            kwargs["queryset"] = kominfo_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Participation)
class ParticipationAdmin(GuardedAdminMixin, HistoryAdmin):
    list_display = [
        "region",
        "province",
        "round",
        "self_assessment_status",
        "submitted_at",
        "excluded",
        "panel_lead",
    ]
    list_filter = ["round", "self_assessment_status", "excluded", "region__province"]
    search_fields = ["region__name", "region__code", "round__name"]
    autocomplete_fields = ["region"]
    readonly_fields = ["submitted_at", "submitted_by"]
    fieldsets = [
        (None, {"fields": ["round", "region"]}),
        (
            _("Penilaian mandiri"),
            {
                "fields": [
                    "self_assessment_status",
                    ("submitted_at", "submitted_by"),
                    "return_comment",
                ]
            },
        ),
        (_("Pengecualian"), {"fields": ["excluded", "exclusion_reason"]}),
    ]
    inlines = [PanelInline]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}

    def guarded(self) -> Q:
        return closed_round("round")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Participation]:
        leads = ReviewerAssignment.objects.filter(is_lead=True).select_related("reviewer")
        # __str__ names the region and the round (autocomplete lists use it too).
        return (
            super()
            .get_queryset(request)
            .select_related("region__province", "round")
            .prefetch_related(Prefetch("panel", queryset=leads, to_attr="_leads"))
        )

    @admin.display(description=_("provinsi"), ordering="region__province__name")
    def province(self, obj: Participation) -> str:
        return obj.region.province.name

    @admin.display(description=_("ketua panel"))
    def panel_lead(self, obj: Participation) -> str:
        leads = getattr(obj, "_leads", None)
        if leads is None:  # pragma: no cover - only when called outside the changelist
            leads = list(obj.panel.filter(is_lead=True).select_related("reviewer"))
        return str(leads[0].reviewer) if leads else "–"


@admin.register(ReviewerAssignment)
class ReviewerAssignmentAdmin(GuardedAdminMixin, CachedChoicesMixin, admin.ModelAdmin):
    list_display = [
        "reviewer",
        "region",
        "round",
        "is_lead",
        "assigned_at",
        "completed_at",
    ]
    list_filter = ["participation__round", "is_lead", "participation__region__province"]
    list_select_related = ["reviewer", "participation__region", "participation__round"]
    search_fields = [
        "reviewer__username",
        "reviewer__first_name",
        "reviewer__last_name",
        "participation__region__name",
    ]
    autocomplete_fields = ["participation"]
    readonly_fields = ["assigned_at"]
    date_hierarchy = "assigned_at"

    def guarded(self) -> Q:
        return closed_round("participation__round")

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name == "reviewer":
            kwargs["queryset"] = kominfo_users()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("wilayah"), ordering="participation__region__code")
    def region(self, obj: ReviewerAssignment) -> str:
        return obj.participation.region.name

    @admin.display(description=_("putaran"), ordering="participation__round")
    def round(self, obj: ReviewerAssignment) -> str:
        return obj.participation.round.name
