"""Admin for regions: provinces, kab/kota with their agencies and staff, cohorts, indices
and awards."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from regions.models import (
    Agency,
    Award,
    Cohort,
    CohortMembership,
    DigitalGovernmentIndex,
    Province,
    Region,
    RegionMembership,
)


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region_count"]
    list_display_links = ["code", "name"]
    search_fields = ["code", "name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Province]:
        return super().get_queryset(request).annotate(_region_count=Count("regions"))

    @admin.display(description=_("jumlah kabupaten/kota"), ordering="_region_count")
    def region_count(self, obj: Province) -> int:
        return obj._region_count  # type: ignore[attr-defined]  # annotated by get_queryset


class AgencyInline(admin.TabularInline):
    model = Agency
    extra = 0
    fields = ["name", "acronym"]


class RegionMembershipInline(admin.TabularInline):
    model = RegionMembership
    extra = 0
    fields = ["user", "role"]
    autocomplete_fields = ["user"]
    verbose_name_plural = _("tim Diskominfo wilayah")

    def get_queryset(self, request: HttpRequest) -> QuerySet[RegionMembership]:
        # Each row prints its __str__ (user – region).
        return super().get_queryset(request).select_related("user", "region")


class RegionCohortInline(admin.TabularInline):
    model = CohortMembership
    extra = 0
    max_num = 1  # a region joins the movement once
    fields = ["cohort", "mou_date"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CohortMembership]:
        return super().get_queryset(request).select_related("region", "cohort")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "capital", "population_display"]
    list_display_links = ["code", "name"]
    list_filter = ["kind", "province", "cohorts"]
    search_fields = ["code", "name", "capital", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": [("code", "kind"), "name", "slug", "province"]}),
        (
            _("Data wilayah"),
            {"fields": ["capital", ("latitude", "longitude"), ("area_km2", "population")]},
        ),
    ]
    inlines = [AgencyInline, RegionMembershipInline, RegionCohortInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Region]:
        return super().get_queryset(request).select_related("province")

    @admin.display(description=_("jumlah penduduk"), ordering="population")
    def population_display(self, obj: Region) -> str:
        return intcomma(obj.population) if obj.population is not None else "–"


class CohortMembershipInline(admin.TabularInline):
    model = CohortMembership
    extra = 0
    fields = ["region", "mou_date"]
    autocomplete_fields = ["region"]
    ordering = ["region__code"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CohortMembership]:
        return super().get_queryset(request).select_related("region", "cohort")


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "mou_date", "member_count"]
    list_display_links = ["year", "name"]
    search_fields = ["name", "description"]
    inlines = [CohortMembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Cohort]:
        return super().get_queryset(request).annotate(_member_count=Count("memberships"))

    @admin.display(description=_("jumlah wilayah"), ordering="_member_count")
    def member_count(self, obj: Cohort) -> int:
        return obj._member_count  # type: ignore[attr-defined]  # annotated by get_queryset


@admin.register(CohortMembership)
class CohortMembershipAdmin(admin.ModelAdmin):
    list_display = ["region", "region_code", "province", "cohort", "mou_date"]
    list_filter = ["cohort", "region__province"]
    list_select_related = ["region__province", "cohort"]
    search_fields = ["region__name", "region__code"]
    autocomplete_fields = ["region"]

    @admin.display(description=_("kode"), ordering="region__code")
    def region_code(self, obj: CohortMembership) -> str:
        return obj.region.code

    @admin.display(description=_("provinsi"), ordering="region__province__name")
    def province(self, obj: CohortMembership) -> str:
        return obj.region.province.name


class _RegionChildAdmin(admin.ModelAdmin):
    """Rows that belong to one region: filter by province, pick the region by search."""

    list_select_related = ["region__province"]
    autocomplete_fields = ["region"]

    @admin.display(description=_("provinsi"), ordering="region__province__name")
    def province(self, obj: Agency | RegionMembership | DigitalGovernmentIndex | Award) -> str:
        return obj.region.province.name


@admin.register(Agency)
class AgencyAdmin(_RegionChildAdmin):
    list_display = ["name", "acronym", "region", "province"]
    list_filter = ["region__province"]
    search_fields = ["name", "acronym", "region__name", "region__code"]


@admin.register(RegionMembership)
class RegionMembershipAdmin(_RegionChildAdmin):
    list_display = ["user", "full_name", "region", "province", "role"]
    list_filter = ["role", "region__province"]
    list_select_related = [*_RegionChildAdmin.list_select_related, "user"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "region__name",
        "region__code",
    ]
    autocomplete_fields = [*_RegionChildAdmin.autocomplete_fields, "user"]

    @admin.display(description=_("nama lengkap"), ordering="user__first_name")
    def full_name(self, obj: RegionMembership) -> str:
        return obj.user.get_full_name()


@admin.register(DigitalGovernmentIndex)
class DigitalGovernmentIndexAdmin(_RegionChildAdmin):
    list_display = ["region", "province", "framework", "year", "value", "rating_band"]
    list_filter = ["framework", "year", "rating_band", "region__province"]
    search_fields = ["region__name", "region__code", "framework"]


@admin.register(Award)
class AwardAdmin(_RegionChildAdmin):
    list_display = ["title", "region", "province", "year", "scope", "rank", "issuer"]
    list_filter = ["scope", "year", "region__province"]
    search_fields = ["title", "issuer", "region__name", "region__code"]
