"""Admin for field reviews: the visit, its agenda, who attended and what was found."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Field, ManyToManyField, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from evaluations.admin.base import CachedChoicesMixin, kominfo_users
from evaluations.models import AgendaItem, Attendee, FieldReview, Finding


class AgendaInline(CachedChoicesMixin, admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["day", "start_time", "end_time", "activity", "dimension", "location"]
    cached_choice_fields = ("dimension",)


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0
    fields = ["name", "position", "agency", "side"]


class FindingInline(CachedChoicesMixin, admin.TabularInline):
    model = Finding
    extra = 0
    fields = ["dimension", "kind", "text", "order"]
    cached_choice_fields = ("dimension",)

    def formfield_for_dbfield(
        self, db_field: Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name == "text":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 70})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(FieldReview)
class FieldReviewAdmin(admin.ModelAdmin):
    list_display = [
        "region",
        "round",
        "mode",
        "start_date",
        "end_date",
        "location",
        "reviewer_names",
    ]
    list_filter = ["mode", "participation__round", "participation__region__province"]
    search_fields = ["participation__region__name", "participation__region__code", "location"]
    autocomplete_fields = ["participation"]
    filter_horizontal = ["reviewers"]
    date_hierarchy = "start_date"
    fieldsets = [
        (None, {"fields": ["participation", "mode", "location", ("start_date", "end_date")]}),
        (_("Tim dan berita acara"), {"fields": ["reviewers", "minutes", "attendees_confirmed_at"]}),
    ]
    inlines = [AgendaInline, AttendeeInline, FindingInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[FieldReview]:
        reviewers = Prefetch("reviewers", queryset=kominfo_users().order_by())
        return (
            super()
            .get_queryset(request)
            .select_related("participation__region", "participation__round")
            .prefetch_related(reviewers)
        )

    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        if db_field.name == "reviewers":
            kwargs["queryset"] = kominfo_users()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("wilayah"), ordering="participation__region__code")
    def region(self, obj: FieldReview) -> str:
        return obj.participation.region.name

    @admin.display(description=_("putaran"), ordering="participation__round")
    def round(self, obj: FieldReview) -> str:
        return obj.participation.round.name

    @admin.display(description=_("penilai"))
    def reviewer_names(self, obj: FieldReview) -> str:
        return ", ".join(
            sorted(user.get_full_name() or user.username for user in obj.reviewers.all())
        )


class _FieldReviewChildAdmin(admin.ModelAdmin):
    """Rows of a field review listed on their own, named by the region and round."""

    list_select_related = [
        "field_review__participation__region",
        "field_review__participation__round",
    ]
    autocomplete_fields = ["field_review"]

    @admin.display(description=_("wilayah"), ordering="field_review__participation__region__code")
    def region(self, obj: AgendaItem | Attendee | Finding) -> str:
        return obj.field_review.participation.region.name

    @admin.display(description=_("putaran"), ordering="field_review__participation__round")
    def round(self, obj: AgendaItem | Attendee | Finding) -> str:
        return obj.field_review.participation.round.name


@admin.register(AgendaItem)
class AgendaItemAdmin(_FieldReviewChildAdmin):
    list_display = ["region", "round", "day", "start_time", "end_time", "activity", "dimension"]
    list_filter = ["dimension", "field_review__participation__round"]
    list_select_related = [*_FieldReviewChildAdmin.list_select_related, "dimension"]
    search_fields = ["activity", "location", "field_review__participation__region__name"]


@admin.register(Attendee)
class AttendeeAdmin(_FieldReviewChildAdmin):
    list_display = ["name", "position", "agency", "side", "region", "round"]
    list_filter = ["side", "field_review__participation__round"]
    search_fields = ["name", "position", "agency", "field_review__participation__region__name"]


@admin.register(Finding)
class FindingAdmin(_FieldReviewChildAdmin):
    list_display = ["region", "round", "dimension", "kind", "short_text"]
    list_filter = [
        "kind",
        "dimension",
        "field_review__participation__round",
        "field_review__participation__region__province",
    ]
    list_select_related = [*_FieldReviewChildAdmin.list_select_related, "dimension"]
    search_fields = ["text", "field_review__participation__region__name"]

    @admin.display(description=_("uraian"))
    def short_text(self, obj: Finding) -> str:
        return obj.text if len(obj.text) <= 90 else f"{obj.text[:89]}…"
